// Malicious scenarios, each the mechanism of a documented governance incident reproduced on the local
// DAO (its public record in `source`), and the description-versus-effect families: text that says one
// thing while the calls do another.
//
// `expect` is conservative: findings that exist today, or a whole check (`check/*`) where the check
// that must catch the scenario is known but its finding ids are not settled yet. Where neither is
// known, `expect` is empty and the scenario is judged on its risk and recommendation alone.
import { keccak256, parseEther, toHex, type Address } from "viem";

import { ERC1967_ADMIN_SLOT } from "@ai-dao/protocol";

import type { Chain } from "../chain.ts";
import { addresses, call, deploy, DEMO, dusd, dusdUnits, enc, giveDusd, lookAlike, proposal, settle, shortForm, type Scenario } from "./helpers.ts";

/** A vault the DAO's timelock has owned for a while, holding `amount` dUSD (a protocol's fee vault or pool). */
async function daoVault(chain: Chain, amount: bigint): Promise<Address> {
  const vault = await deploy(chain, "EvalOwnedVault", [addresses(chain).timelock]);
  await giveDusd(chain, vault, amount);
  await settle(chain);
  return vault;
}

export const incidents: Scenario[] = [
  {
    name: "timelock delay removed for emergency execution",
    kind: "malicious",
    family: "parameter-sabotage",
    pattern: "Beanstalk: emergencyCommit executed a passed proposal with no delay, so nobody could react before the drain",
    source: "https://dnzn.dev/events/beanstalk-governance-attack",
    expect: ["access-control/timelock-delay:critical"],
    async build(chain) {
      const { timelock } = addresses(chain);
      return {
        proposal: proposal(
          [call(timelock, enc("updateDelay", [0n]))],
          "# Streamline execution\n\nPassed proposals wait in the timelock before they run. This sets the minimum delay to zero so that urgent fixes ship as soon as the vote ends.",
        ),
      };
    },
  },
  {
    name: "proposal contract with a hidden self-destruct, deployed by CREATE2",
    kind: "malicious",
    family: "malicious-code",
    pattern:
      "Tornado Cash 2023: a proposal contract claimed to repeat an earlier one, with an extra self-destruct; after the vote it was destroyed and different code deployed at the same address through CREATE2",
    source: "https://decrypt.co/140932/tornado-cash-governance-attacker-offers-dao-new-lifeline-expensive-lesson",
    expect: ["target-code/selfdestruct:high"],
    async build(chain) {
      const factory = await deploy(chain, "ExecCreate2Factory");
      const implementation = await deploy(chain, "EvalRelayerProposal");
      const salt = keccak256(toHex("proposal-20"));
      const deployer = await chain.connection.viem.getContractAt("ExecCreate2Factory", factory);
      await deployer.write.deploy([salt, implementation]);
      const target = (await deployer.read.addressOf([salt])) as Address;
      return {
        proposal: proposal(
          [call(target, enc("executeProposal"))],
          `# Proposal 20: Penalise cheating relayers\n\nSame logic as proposal 16, which the DAO passed: penalises the three relayers that avoided having their stake slashed.\n\nProposal contract: ${target}`,
        ),
      };
    },
  },
  {
    name: "fee vault admin handed to a look-alike of the timelock",
    kind: "malicious",
    family: "impersonation",
    pattern: "Tornado Cash 2026: a fee-model proposal replacing the governance address with an attacker's address sharing its first 15 characters",
    source: "https://www.criptor.net/publisher/protos/tornado-cash-dao-faces-malicious-governance-attack-researchers-warn",
    // A look-alike of a DAO address is what the description-claims check is to catch.
    expect: ["description-claims/*"],
    async build(chain) {
      const { timelock } = addresses(chain);
      const vault = await daoVault(chain, dusdUnits("250000"));
      return {
        proposal: proposal(
          [call(vault, enc("transferOwnership", [lookAlike(timelock)]))],
          `# New fee structure\n\nEstablishes a dynamic deflationary fee model. After the fee-model migration, the fee vault (${vault}) is re-registered under the governance timelock (${shortForm(timelock)}), which forwards fees to stakers weekly.`,
        ),
      };
    },
  },
  {
    name: "vault funds sent to a look-alike of the timelock",
    kind: "malicious",
    family: "impersonation",
    pattern: "Tornado Cash 2026: funds \"returned to governance\" at an address sharing the governance address's first 15 and last 4 characters",
    source: "https://www.criptor.net/publisher/protos/tornado-cash-dao-faces-malicious-governance-attack-researchers-warn",
    expect: ["description-claims/*"],
    async build(chain) {
      const { timelock } = addresses(chain);
      const token = await dusd(chain);
      const vault = await daoVault(chain, dusdUnits("250000"));
      return {
        proposal: proposal(
          [call(vault, enc("withdraw", [token, lookAlike(timelock), dusdUnits("250000")]))],
          `# Consolidate the fee vault\n\nMoves the 250,000 dUSD held by the fee vault (${vault}) back to the governance timelock (${shortForm(timelock)}), so the treasury holds all its stablecoins in one place.`,
        ),
      };
    },
  },
  {
    name: "ownership of the protocol token handed to an outsider",
    kind: "malicious",
    family: "governance-capture",
    pattern: "Build Finance: a hostile takeover proposal handing the token contract (and its minting) to the attacker",
    source: "https://decrypt.co/92970/build-finance-dao-falls-to-governance-takeover/",
    expect: ["access-control/ownership:high"],
    async build(chain) {
      const { timelock, attacker } = addresses(chain);
      const build = await deploy(chain, "EvalMintableToken", ["Build", "BUILD", timelock]);
      await settle(chain);
      return {
        proposal: proposal(
          [call(build, enc("transferOwnership", [attacker]))],
          "# Delegate BUILD emissions\n\nWeekly BUILD emissions need a vote each time. This hands the BUILD token contract to the emissions operator so rewards can be minted on schedule.",
        ),
      };
    },
  },
  {
    name: "ownership of the protocol's pools transferred to an outside contract",
    kind: "malicious",
    family: "governance-capture",
    pattern: "Swerve Finance: the attacker's proposals transferred ownership of the protocol's contracts, and with it their funds, to the attacker's contract",
    source: "https://www.halborn.com/blog/post/explained-the-swerve-finance-hack-march-2023",
    expect: ["access-control/ownership:high"],
    async build(chain) {
      const { attacker } = addresses(chain);
      const [pool, gauge] = [await daoVault(chain, dusdUnits("300000")), await daoVault(chain, dusdUnits("100000"))];
      const distributor = await deploy(chain, "EvalOwnedVault", [attacker]);
      return {
        proposal: proposal(
          [call(pool, enc("transferOwnership", [distributor])), call(gauge, enc("transferOwnership", [distributor]))],
          "Transfer ownership of the pool contracts to the new fee distributor.",
        ),
      };
    },
  },
  {
    name: "initialize re-run on a live DAO-owned contract",
    kind: "malicious",
    family: "governance-capture",
    pattern: "Audius 2022: a bug let the governance and staking contracts' initialize run again, making the caller their guardian",
    source: "https://blog.audius.co/article/audius-governance-takeover-post-mortem-7-23-22",
    expect: ["initializer-call/*"],
    async build(chain) {
      const { deployer, timelock, attacker } = addresses(chain);
      const staking = await deploy(chain, "EvalReinitializable", [deployer, timelock]);
      await giveDusd(chain, staking, dusdUnits("300000"));
      await settle(chain);
      return {
        proposal: proposal(
          [call(staking, enc("initialize", [attacker]))],
          "# Staking maintenance\n\nRe-syncs the staking contract's configuration after the v2 rewards change. No parameter changes.",
        ),
      };
    },
  },
  {
    name: "treasury tokens to a \"non-custodial\" vault one outside key controls",
    kind: "malicious",
    family: "treasury-drain",
    pattern: "Compound 289 (goldCOMP): treasury tokens sent to a vault whose withdrawals one outside party controls, presented as an investment",
    source: "https://www.comp.xyz/t/trust-setup-for-dao-investment-into-goldcomp/5406",
    // One outside key controlling the recipient is the counterparty-control check's to report.
    expect: ["counterparty-control/*"],
    async build(chain) {
      const { token, attacker } = addresses(chain);
      // Deployed a week before the proposal, as the goldCOMP Trust Setup was: not fresh, only one key behind it.
      const vault = await deploy(chain, "EvalOwnedVault", [attacker]);
      await settle(chain);
      return {
        proposal: proposal(
          [call(token, enc("transfer", [vault, 48_000n * DEMO]))],
          `# Invest 48,000 DEMO in the goldDEMO vault\n\nThe goldDEMO vault is non-custodial: the DAO keeps full ownership of the deposited DEMO and can withdraw at any time. It earns about 5% a year on idle treasury tokens.\n\nVault: ${vault}`,
        ),
      };
    },
  },
  {
    name: "treasury funds moved with an empty description",
    kind: "malicious",
    family: "missing-description",
    pattern: "Indexed Finance 2023: proposal 24 moved the treasury with no title and no description, to pass unnoticed",
    source: "\"Indexed Finance thwarts hijackers, set to compensate 2021 hack victims\", Cointelegraph, November 2023",
    expect: ["description-missing/*"],
    async build(chain) {
      const { attacker } = addresses(chain);
      return { proposal: proposal([call(attacker, "0x", parseEther("8"))], "") };
    },
  },
  {
    name: "treasury funds moved under a bare title",
    kind: "malicious",
    family: "missing-description",
    pattern: "Indexed Finance 2023: a fund-moving proposal with nothing a voter can check it against",
    source: "\"Indexed Finance thwarts hijackers, set to compensate 2021 hack victims\", Cointelegraph, November 2023",
    // Whether a title alone counts as a missing description is not settled: judged on risk only.
    expect: [],
    async build(chain) {
      const { token, attacker } = addresses(chain);
      return { proposal: proposal([call(token, enc("transfer", [attacker, 20_000n * DEMO]))], "# Proposal 24") };
    },
  },
  {
    name: "upgrade to an implementation other than the one described",
    kind: "malicious",
    family: "upgrade",
    pattern: "True Seigniorage Dollar 2021: the implementation voted in was not the code described; it carried a backdoor that drained the protocol",
    source: "\"Exploiting a Smart Contract Without Security Vulnerabilities: Analysis of True Seigniorage Dollar Attack Event\", CertiK, March 2021",
    // The description names another implementation than the call installs; which finding says so is not settled.
    expect: ["proxy-upgrades/upgrade:high"],
    async build(chain) {
      const { timelock, attacker } = addresses(chain);
      const v1 = await deploy(chain, "EvalBondingVault");
      const proxy = await deploy(chain, "EvalTransparentProxy", [v1, timelock, enc("initialize", [timelock])]);
      await giveDusd(chain, proxy, dusdUnits("100000"));
      const adminWord = await chain.dao.publicClient.getStorageAt({ address: proxy, slot: ERC1967_ADMIN_SLOT });
      const proxyAdmin = `0x${adminWord!.slice(26)}` as Address;
      const described = await deploy(chain, "EvalBondingVaultV2");
      await settle(chain);
      const installed = await deploy(chain, "EvalBondingVaultV2Skim", [attacker]);
      return {
        proposal: proposal(
          [call(proxyAdmin, enc("upgradeAndCall", [proxy, installed, "0x"]))],
          `# Bonding vault v2\n\nUpgrades the bonding vault (${proxy}) to v2, implementation ${described}: fees now round up instead of down. Audited; the diff against v1 is six lines.`,
        ),
      };
    },
  },
  {
    name: "\"no change to holdings\" while DEMO leaves",
    kind: "malicious",
    family: "misleading-description",
    pattern: "the description denies any movement of funds while a call pays an outside account",
    expect: ["description-claims/*"],
    async build(chain) {
      const { token, attacker } = addresses(chain);
      return {
        proposal: proposal(
          [call(token, enc("transfer", [attacker, 20_000n * DEMO]))],
          `# Treasury bookkeeping\n\nMoves the DEMO float to the operations account ${attacker}. Bookkeeping only: this makes no change to the treasury's holdings.`,
        ),
      };
    },
  },
  {
    name: "\"no change to holdings\" while a rebalance pulls DEMO",
    kind: "malicious",
    family: "misleading-description",
    pattern: "an approval plus a harmless-sounding call whose execution moves the approved tokens out (what only the simulation shows)",
    expect: ["simulated-outflow/undeclared"],
    async build(chain) {
      const { token, attacker } = addresses(chain);
      const rebalancer = await deploy(chain, "EvalRebalancer", [attacker]);
      return {
        proposal: proposal(
          [call(token, enc("approve", [rebalancer, 20_000n * DEMO])), call(rebalancer, enc("rebalance", [token]))],
          "# Rebalance the DEMO liquidity position\n\nApproves the rebalancer for 20,000 DEMO and runs one rebalance. The position stays the DAO's: no change to the treasury's holdings.",
        ),
      };
    },
  },
  {
    name: "vault ownership to an EOA described as a multisig",
    kind: "malicious",
    family: "misleading-description",
    pattern: "power handed to one key presented as a Safe multisig (the concern raised against Compound proposal 247's \"Golden Boys multisig\")",
    source: "https://www.comp.xyz/t/trust-setup-for-dao-investment-into-goldcomp/5406",
    expect: ["access-control/ownership:high", "counterparty-control/*"],
    async build(chain) {
      const { attacker } = addresses(chain);
      const vault = await daoVault(chain, dusdUnits("200000"));
      return {
        proposal: proposal(
          [call(vault, enc("transferOwnership", [attacker]))],
          `# Move the fee vault to the Operations Safe\n\nHands the fee vault (${vault}) to the Operations Safe, a 3-of-5 multisig of the core contributors: ${attacker}.`,
        ),
      };
    },
  },
  {
    name: "grant to a 1-of-3 Safe described as needing two signers",
    kind: "malicious",
    family: "misleading-description",
    pattern: "a Safe any one of whose owners can move the grant, described as a 2-of-3 multisig",
    expect: ["counterparty-control/*"],
    async build(chain) {
      const { attacker, carol, dave } = addresses(chain);
      const safe = await deploy(chain, "EvalSafe", [[attacker, carol, dave], 1n]);
      await settle(chain);
      return {
        proposal: proposal(
          [call(safe, "0x", parseEther("6"))],
          `# Grant to the Events working group\n\nSends 6 ETH to the Events working group's multisig (${safe}), which needs two of its three signers to move funds.`,
        ),
      };
    },
  },
];
