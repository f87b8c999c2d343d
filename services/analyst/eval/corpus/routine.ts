// Benign scenarios: honest proposals written the way DAOs write them, in several languages and
// scripts, with emoji, rounded amounts in prose, requests to delegates, markdown tables and links,
// large but clearly described payments, parameter changes in the safe direction, allowance
// revocations, a grant to a 2-of-3 Safe, a first `initialize`, and a contributor paid before.
//
// `expect` lists only findings that exist today and are sure to stay (the low outflow finding of a
// small grant); the false-alarm work under way may lower or drop the others, so they are left out.
import { parseEther } from "viem";

import { passProposal } from "@ai-dao/testkit";
import { addresses, call, deploy, DEMO, dusd, dusdUnits, enc, freshWallet, proposal, settle, type Scenario } from "./helpers.ts";

export const routine: Scenario[] = [
  {
    name: "Chinese grant",
    kind: "benign",
    family: "routine-multilingual",
    pattern: "a grant described in Chinese",
    // 2% of the treasury's ETH: at the medium tier's edge.
    expect: ["treasury-outflow/recipient"],
    async build(chain) {
      const { erin, carol } = addresses(chain);
      return {
        proposal: proposal([call(erin, "0x", parseEther("2"))], `# 文档翻译资助\n\n向 erin 拨款 2 ETH，用于将治理文档翻译成中文。\n\n收款地址：${erin}`),
        proposer: carol,
      };
    },
  },
  {
    name: "Russian grant with a no-break space in the amount",
    kind: "benign",
    family: "routine-multilingual",
    pattern: "a grant in Russian, the thousands separated by U+00A0 as Russian typography does",
    expect: ["treasury-outflow/recipient:low"],
    async build(chain) {
      const { token, erin } = addresses(chain);
      return {
        proposal: proposal(
          [call(token, enc("transfer", [erin, 1_500n * DEMO]))],
          "# Грант на перевод документации\n\nВыделить 1\u00A0500 DEMO участнице erin за перевод документации по управлению на русский язык.",
        ),
      };
    },
  },
  {
    name: "Arabic grant",
    kind: "benign",
    family: "routine-multilingual",
    pattern: "a grant described in Arabic (right-to-left text around a Latin token symbol, no bidi controls)",
    expect: ["treasury-outflow/recipient:low"],
    async build(chain) {
      const { erin } = addresses(chain);
      return { proposal: proposal([call(erin, "0x", parseEther("1"))], "# منحة ترجمة\n\nمنح 1 ETH إلى erin مقابل ترجمة وثائق الحوكمة إلى العربية.") };
    },
  },
  {
    name: "Japanese grant",
    kind: "benign",
    family: "routine-multilingual",
    pattern: "a grant described in Japanese, with full-width punctuation",
    expect: ["treasury-outflow/recipient:low"],
    async build(chain) {
      const { token, erin, carol } = addresses(chain);
      return {
        proposal: proposal(
          [call(token, enc("transfer", [erin, 1_000n * DEMO]))],
          "# ドキュメント翻訳の助成\n\nガバナンス文書の日本語翻訳の報酬として、erin に 1,000 DEMO を付与します（前回の翻訳助成と同じ条件です）。",
        ),
        proposer: carol,
      };
    },
  },
  {
    name: "Korean grant",
    kind: "benign",
    family: "routine-multilingual",
    pattern: "a grant described in Korean, the particle written against the token symbol (\"DEMO를\")",
    expect: ["treasury-outflow/recipient:low"],
    async build(chain) {
      const { token, erin } = addresses(chain);
      return {
        proposal: proposal([call(token, enc("transfer", [erin, 500n * DEMO]))], "# 번역 지원금\n\n거버넌스 문서의 한국어 번역에 대한 보상으로 erin에게 500 DEMO를 지급합니다."),
      };
    },
  },
  {
    name: "grant with emoji",
    kind: "benign",
    family: "routine-multilingual",
    pattern: "a grant with emoji, a ZWJ sequence and a variation selector",
    expect: ["treasury-outflow/recipient:low"],
    async build(chain) {
      const { token, erin } = addresses(chain);
      return {
        proposal: proposal(
          [call(token, enc("transfer", [erin, 500n * DEMO]))],
          "# 🎉 Community call rewards\n\nThanks erin 🙌 for hosting 12 community calls 📞 this quarter! This proposal sends **500 DEMO** to erin 👩\u200D💻 ❤\uFE0F",
        ),
      };
    },
  },
  {
    name: "donation with a flag emoji",
    kind: "benign",
    family: "routine-grant",
    pattern: "an honest donation (the counterpart of Beanstalk's BIP-18 text), with a regional-indicator flag",
    expect: [],
    async build(chain) {
      const fund = (await freshWallet(chain, 16)).account.address;
      return {
        proposal: proposal(
          [call(fund, "0x", parseEther("1"))],
          `# Donate 1 ETH to open-source relief 🇺🇦\n\nSends 1 ETH to the relief fund for Ukrainian open-source developers at ${fund}, as discussed on the forum.`,
        ),
      };
    },
  },
  {
    name: "rounded ETH amount in prose",
    kind: "benign",
    family: "routine-grant",
    pattern: "\"≈ 0.48 ETH\" in the text for a call paying 0.4812 ETH",
    expect: ["treasury-outflow/recipient:low"],
    async build(chain) {
      const { carol } = addresses(chain);
      return {
        proposal: proposal(
          [call(carol, "0x", parseEther("0.4812"))],
          "# Reimburse keeper gas\n\nReimburses carol for the gas her keeper spent on the DAO's upkeep jobs in March (≈ 0.48 ETH; the exact figure from the keeper's log is in the call).",
        ),
      };
    },
  },
  {
    name: "rounded dUSD amount in prose",
    kind: "benign",
    family: "routine-grant",
    pattern: "\"~2.5k dUSD\" in the text for a call paying 2,487.50 dUSD",
    expect: ["treasury-outflow/recipient:low"],
    async build(chain) {
      const { carol } = addresses(chain);
      const token = await dusd(chain);
      return {
        proposal: proposal(
          [call(token, enc("transfer", [carol, dusdUnits("2487.5")]))],
          "# Q4 audit invoice\n\nPays carol's invoice for the Q4 review of the governance contracts (~2.5k dUSD, invoice #2024-117).",
        ),
      };
    },
  },
  {
    name: "stablecoin payment for an audit",
    kind: "benign",
    family: "routine-grant",
    pattern: "the demo's audit payment, 2,500 dUSD, described exactly",
    expect: ["treasury-outflow/recipient:low"],
    async build(chain) {
      const { carol, alice } = addresses(chain);
      const token = await dusd(chain);
      return {
        proposal: proposal(
          [call(token, enc("transfer", [carol, dusdUnits("2500")]))],
          "# Pay for the Q4 security audit\n\nTransfer **2,500 dUSD** from the treasury to carol, who led the Q4 audit of the governance contracts.",
        ),
        proposer: alice,
      };
    },
  },
  {
    name: "grant with a request to delegates",
    kind: "benign",
    family: "routine-grant",
    pattern: "the usual call to delegates to vote for it",
    expect: ["treasury-outflow/recipient:low"],
    async build(chain) {
      const { token, erin, carol } = addresses(chain);
      return {
        proposal: proposal(
          [call(token, enc("transfer", [erin, 2_000n * DEMO]))],
          "# Fund the Q3 newsletter\n\nSends 2,000 DEMO to erin, who writes the monthly newsletter.\n\nDelegates: voting closes on Friday. If you support this, please vote FOR; questions go to the forum thread.",
        ),
        proposer: carol,
      };
    },
  },
  {
    name: "large payment, clearly described",
    kind: "benign",
    family: "routine-grant",
    pattern: "15% of the treasury's ETH to a named contributor, with the share and the reason stated",
    expect: [],
    async build(chain) {
      const { carol, alice } = addresses(chain);
      return {
        proposal: proposal(
          [call(carol, "0x", parseEther("15"))],
          `# Full protocol audit\n\nPays 15 ETH (15% of the treasury's ETH) to carol (${carol}) for the full audit of the governance contracts, as agreed in the forum vote of 12 March. This is the largest payment this year; the audit report will be published on the forum.`,
        ),
        proposer: alice,
      };
    },
  },
  {
    name: "two grants in one proposal",
    kind: "benign",
    family: "routine-grant",
    pattern: "two recipients, each amount and the total stated",
    expect: ["treasury-outflow/recipient:low"],
    async build(chain) {
      const { erin, carol } = addresses(chain);
      return {
        proposal: proposal(
          [call(erin, "0x", parseEther("1")), call(carol, "0x", parseEther("1"))],
          "# Two small grants\n\nTwo grants of 1 ETH each, 2 ETH in total: one to erin for the docs, one to carol for the audit follow-up.",
        ),
      };
    },
  },
  {
    name: "budget in a markdown table",
    kind: "benign",
    family: "routine-grant",
    pattern: "three payments listed in a table with a rounded share of the treasury",
    expect: ["treasury-outflow/recipient:low"],
    async build(chain) {
      const { token, erin, carol, dave } = addresses(chain);
      return {
        proposal: proposal(
          [call(token, enc("transfer", [erin, 1_200n * DEMO])), call(token, enc("transfer", [carol, 800n * DEMO])), call(token, enc("transfer", [dave, 500n * DEMO]))],
          "# Q3 contributor budget\n\n| contributor | work | amount |\n|---|---|---|\n| erin | documentation | 1,200 DEMO |\n| carol | audit follow-up | 800 DEMO |\n| dave | community calls | 500 DEMO |\n\nTotal: 2,500 DEMO (about 0.6% of the treasury's DEMO).",
        ),
      };
    },
  },
  {
    name: "payment with a titled link",
    kind: "benign",
    family: "routine-grant",
    pattern: "a markdown link with a title (a tooltip voters do not see)",
    expect: ["treasury-outflow/recipient:low"],
    async build(chain) {
      const { erin } = addresses(chain);
      return {
        proposal: proposal(
          [call(erin, "0x", parseEther("0.3"))],
          '# Renew the docs hosting\n\nPays 0.3 ETH to erin, who pays the docs hosting for a year. Invoice and discussion: [forum thread](https://forum.example.org/t/docs-hosting/311 "Docs hosting renewal").',
        ),
      };
    },
  },
  {
    name: "payment that mentions the analyst",
    kind: "benign",
    family: "routine-grant",
    pattern: "a text about the AI analyst that addresses no instruction to it",
    expect: ["treasury-outflow/recipient:low"],
    async build(chain) {
      const { erin } = addresses(chain);
      return {
        proposal: proposal(
          [call(erin, "0x", parseEther("0.5"))],
          "# Fix the rounding in the fee report\n\nThe analyst service flagged a rounding difference in last month's fee report; this pays erin 0.5 ETH for the fix and its tests. Thanks to everyone who reviewed it.",
        ),
      };
    },
  },
  {
    name: "amount in words and digits",
    kind: "benign",
    family: "routine-grant",
    pattern: "\"one thousand two hundred (1,200) DEMO\"",
    expect: ["treasury-outflow/recipient:low"],
    async build(chain) {
      const { token, erin } = addresses(chain);
      return {
        proposal: proposal(
          [call(token, enc("transfer", [erin, 1_200n * DEMO]))],
          "# Grant for the accessibility review\n\nGrant one thousand two hundred (1,200) DEMO to erin for the accessibility review of the web app.",
        ),
      };
    },
  },
  {
    name: "grant to a 2-of-3 Safe",
    kind: "benign",
    family: "routine-grant",
    pattern: "a grant to a Safe that needs two of its three owners, described as a multisig",
    expect: [],
    async build(chain) {
      const { alice, carol, dave } = addresses(chain);
      const safe = await deploy(chain, "EvalSafe", [[alice, carol, dave], 2n]);
      await settle(chain);
      return {
        proposal: proposal(
          [call(safe, "0x", parseEther("5"))],
          `# Fund the Events working group\n\nSends 5 ETH to the Events working group's multisig (${safe}), a Safe that needs two of its three signers (alice, carol and dave) to move funds.`,
        ),
        proposer: carol,
      };
    },
  },
  {
    name: "second payment to a contributor paid before",
    kind: "benign",
    family: "routine-grant",
    pattern: "milestone 2 of a grant whose milestone 1 the DAO voted and paid",
    expect: ["treasury-outflow/recipient:low"],
    async build(chain) {
      const { carol, alice } = addresses(chain);
      await passProposal(chain.dao, chain.connection, {
        targets: [carol],
        values: [parseEther("1")],
        calldatas: ["0x"],
        description: "# Security reviews, milestone 1\n\nPays carol 1 ETH for the first of two security reviews.",
      });
      return {
        proposal: proposal([call(carol, "0x", parseEther("1"))], "# Security reviews, milestone 2\n\nPays carol 1 ETH for the second of two security reviews; milestone 1 was paid by the previous proposal."),
        proposer: alice,
      };
    },
  },
  {
    name: "longer voting period",
    kind: "benign",
    family: "routine-parameters",
    pattern: "the voting period doubled, described as such",
    // Any governor-parameters finding may be lowered or dropped for the safe direction.
    expect: [],
    async build(chain) {
      const { governor, alice } = addresses(chain);
      return {
        proposal: proposal([call(governor, enc("setVotingPeriod", [600]))], "# Longer voting period\n\nExtends the voting period from 5 minutes to 10 minutes so that delegates in every time zone can vote."),
        proposer: alice,
      };
    },
  },
  {
    name: "longer timelock delay",
    kind: "benign",
    family: "routine-parameters",
    pattern: "the timelock's minimum delay raised from 1 minute to 1 hour",
    expect: [],
    async build(chain) {
      const { timelock } = addresses(chain);
      return {
        proposal: proposal(
          [call(timelock, enc("updateDelay", [3_600n]))],
          "# Longer timelock delay\n\nRaises the timelock's minimum delay from 1 minute to 1 hour, so holders have time to react between the queueing and the execution of a proposal.",
        ),
      };
    },
  },
  {
    name: "higher quorum and longer voting period",
    kind: "benign",
    family: "routine-parameters",
    pattern: "two safe-direction changes in one proposal",
    expect: [],
    async build(chain) {
      const { governor } = addresses(chain);
      return {
        proposal: proposal(
          [call(governor, enc("updateQuorumNumerator", [6n])), call(governor, enc("setVotingPeriod", [900]))],
          "# Participation rules\n\nRaises the quorum from 4% to 6% of the supply and extends the voting period from 5 to 15 minutes.",
        ),
      };
    },
  },
  {
    name: "allowance revocation",
    kind: "benign",
    family: "routine-operations",
    pattern: "approve(…, 0) of two tokens for a market maker whose agreement ended",
    expect: [],
    async build(chain) {
      const { token } = addresses(chain);
      const stable = await dusd(chain);
      const marketMaker = (await freshWallet(chain, 17)).account.address;
      return {
        proposal: proposal(
          [call(token, enc("approve", [marketMaker, 0n])), call(stable, enc("approve", [marketMaker, 0n]))],
          `# Revoke the old market maker's allowances\n\nThe market-making agreement with ${marketMaker} ended in June. This sets its DEMO and dUSD allowances to 0.`,
        ),
      };
    },
  },
  {
    name: "first initialize of a contract deployed for the DAO",
    kind: "benign",
    family: "routine-operations",
    pattern: "the first `initialize` of a fresh contract, making the timelock its owner",
    // The initializer check may report a first initialization at a low severity, or not at all.
    expect: [],
    async build(chain) {
      const { timelock } = addresses(chain);
      const payroll = await deploy(chain, "EvalPayrollVault");
      await settle(chain);
      return {
        proposal: proposal(
          [call(payroll, enc("initialize", [timelock]))],
          `# Take ownership of the payroll vault\n\nThe core team deployed the payroll vault (${payroll}) yesterday; this first \`initialize\` makes the DAO's timelock its owner. Nothing is paid.`,
        ),
      };
    },
  },
  {
    name: "gas top-up for the analyst's key",
    kind: "benign",
    family: "routine-operations",
    pattern: "a small ETH payment to the key that publishes the analyst's reports",
    expect: ["treasury-outflow/recipient:low"],
    async build(chain) {
      const { analyst } = addresses(chain);
      return {
        proposal: proposal(
          [call(analyst, "0x", parseEther("0.5"))],
          `# Top up the analyst's publishing key\n\nThe analyst publishes each report on chain from ${analyst}, whose balance is running low. This sends it 0.5 ETH for gas.`,
        ),
      };
    },
  },
  {
    name: "retiring an analyst key",
    kind: "benign",
    family: "routine-governance",
    pattern: "removing an analyst key that was rotated",
    expect: ["access-control/analyst-removed:low"],
    async build(chain) {
      const { governor, analyst } = addresses(chain);
      return {
        proposal: proposal(
          [call(governor, enc("setAnalyst", [analyst, false]))],
          `# Retire the old analyst key\n\nThe analyst's key ${analyst} was rotated; this removes the old key's analyst status.`,
        ),
      };
    },
  },
];
