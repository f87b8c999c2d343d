import type { Address } from "viem";
import { actionList } from "@ai-dao/reports";

import { counterpartyInvolvements, type CounterpartyInfo, type CounterpartyInvolvement } from "../context/counterparties.ts";
import { treasuryBalance } from "../context/governance.ts";
import { addressLabel, assetSymbol, formatAssetAmount, formatDuration, formatTreasuryShare } from "../units.ts";
import { disclosedPayments } from "./description-amounts.ts";
import { UNLIMITED } from "./treasury-approvals.ts";
import { maxSeverity, shareBps, shareSeverity, type AnalysisContext, type Finding, type ProposalCheck, type Severity } from "./types.ts";

/** Below this share of the treasury's holding, a payment to a long-known EOA is an ordinary grant. */
export const SMALL_SHARE_BPS = 200;
/** From this share on, a payment or allowance to an account one key controls is high. */
export const LARGE_SHARE_BPS = 1000;
/** An allowance at or above 2^255 is treated as unlimited. */

interface Exposure {
  /** What the account gets, as phrases with it as subject: `receives 60 ETH (60 % of the treasury's ETH)`, `receives a role (grantRole)`. */
  phrases: string[];
  /** The largest share of a treasury holding paid or approved to it; null when one of them is unknown or unlimited. */
  worstBps: number | null;
  paysOrApproves: boolean;
  fullPowers: CounterpartyInvolvement[];
  limitedPowers: CounterpartyInvolvement[];
  /** Only called (no value, allowance or power). */
  targetOnly: boolean;
  /** Raw amounts per role and asset, for the evidence (decimal strings; null for an approval for all). */
  flows: { role: "recipient" | "spender"; asset: string; amount: string | null }[];
  /** What it is paid, per asset (no allowances); null when it is approved as a spender or an amount is unknown. */
  payments: { asset: "ETH" | Address; amount: bigint }[] | null;
}

function exposureOf(ctx: AnalysisContext, involvements: CounterpartyInvolvement[]): Exposure {
  const phrases: string[] = [];
  let worstBps: number | null = 0;
  let unknownShare = false;
  const sums = new Map<string, { role: "recipient" | "spender"; asset: "ETH" | Address; amount: bigint | null }>();
  for (const inv of involvements) {
    if ((inv.role !== "recipient" && inv.role !== "spender") || inv.asset === undefined) continue;
    const key = `${inv.role}:${inv.asset === "ETH" ? "ETH" : inv.asset.toLowerCase()}`;
    const sum = sums.get(key) ?? { role: inv.role, asset: inv.asset, amount: 0n };
    sum.amount = sum.amount === null || inv.amount === undefined ? null : sum.amount + inv.amount;
    sums.set(key, sum);
  }
  for (const { role, asset, amount } of sums.values()) {
    const symbol = assetSymbol(ctx.governance, asset);
    const balance = treasuryBalance(ctx.governance, asset);
    if (amount === null || (role === "spender" && amount >= UNLIMITED)) {
      unknownShare = true;
      phrases.push(amount === null ? `may move all the treasury's ${symbol}` : `may spend an unlimited allowance of ${symbol}`);
      continue;
    }
    const bps = shareBps(amount, balance);
    if (bps === null) unknownShare = true;
    else worstBps = Math.max(worstBps ?? 0, bps);
    const text = `${formatAssetAmount(ctx.governance, asset, amount)} (${formatTreasuryShare(bps, symbol)})`;
    phrases.push(role === "recipient" ? `receives ${text}` : `may spend ${text}`);
  }
  const powers = involvements.filter((i) => i.role === "new-owner" || i.role === "grantee");
  const fullPowers = powers.filter((i) => !i.limited);
  const limitedPowers = powers.filter((i) => i.limited);
  for (const fn of new Set(fullPowers.map((p) => `${p.role}:${p.power}`))) {
    const [role, power] = fn.split(":") as [string, string];
    const phrase = role === "new-owner" ? "becomes an owner or admin" : power === "grantRole" ? "receives a role" : "receives powers over a contract";
    if (!phrases.includes(phrase)) phrases.push(phrase);
  }
  if (limitedPowers.length > 0) phrases.push("is registered as an analyst or publisher");
  if (phrases.length === 0) phrases.push("is called");
  return {
    phrases,
    worstBps: unknownShare ? null : worstBps,
    paysOrApproves: sums.size > 0,
    fullPowers,
    limitedPowers,
    targetOnly: involvements.every((i) => i.role === "target"),
    flows: [...sums.values()].map((f) => ({ role: f.role, asset: f.asset, amount: f.amount === null ? null : f.amount.toString() })),
    payments: [...sums.values()].every((f) => f.role === "recipient" && f.amount !== null) ? [...sums.values()].map((f) => ({ asset: f.asset, amount: f.amount! })) : null,
  };
}

/** Who holds the one key, in a sentence with full addresses; null when no single key was found. */
function singleKeyHolder(c: CounterpartyInfo): string | null {
  if (!c.singleKeyControl) return null;
  if (c.kind === "delegated-eoa") return `${c.address} is an EIP-7702 account delegated to ${c.delegatedTo ?? "an unknown address"}: its own key moves what it holds and can change the code it runs.`;
  if (c.kind === "eoa") {
    return c.unread?.includes("code")
      ? `${c.address}'s code could not be read, so it is counted as an account one key controls.`
      : `${c.address} is an externally owned account: one private key moves what it holds.`;
  }
  if (c.safe?.threshold === 1) return `${c.address} is a Safe with a threshold of 1 (owners ${c.safe.owners.join(", ")}): any one owner moves what it holds.`;
  const ctl = c.controller;
  if (ctl?.isEoa) {
    return `${c.address} is a contract whose ${ctl.via === "owner" ? "owner" : "proxy admin (who can replace its code)"} is the single account ${ctl.address}${c.unread?.includes("controller code") ? " (its code could not be read, so it counts as one key)" : ""}.`;
  }
  if (ctl && c.controllerOwner?.isEoa) return `${c.address} is a contract controlled by ${ctl.address}, whose owner is the single account ${c.controllerOwner.address}.`;
  if (c.proxyAdmin?.isEoa) return `${c.address} is a proxy whose admin is the single account ${c.proxyAdmin.address}: it can replace the code at will.`;
  return `${c.address} is controlled by one key.`;
}

function priorSentence(c: CounterpartyInfo): string {
  if (c.priorInteractions === null) return "Whether the treasury paid or called it before could not be read.";
  if (c.priorInteractions === 0) return "The treasury has not paid or called it before.";
  const parts = c.prior ? [c.prior.calls > 0 ? `${c.prior.calls} executed call${c.prior.calls === 1 ? "" : "s"} to it` : null, c.prior.tokenTransfers > 0 ? `${c.prior.tokenTransfers} token transfer${c.prior.tokenTransfers === 1 ? "" : "s"} to it` : null].filter(Boolean) : [];
  return `The treasury has dealt with it before (${parts.length > 0 ? parts.join(", ") : `${c.priorInteractions} times`}); that alone does not make this safe.`;
}

/** The age in the Governor's clock as a person reads it. */
function ageText(age: NonNullable<CounterpartyInfo["age"]>): string {
  return age.clock === age.blocks && age.clock !== age.seconds ? `${age.blocks} block${age.blocks === 1n ? "" : "s"}` : formatDuration(age.seconds);
}

function windowText(window: bigint, age: NonNullable<CounterpartyInfo["age"]>): string {
  return age.clock === age.blocks && age.clock !== age.seconds ? `${window} blocks` : formatDuration(window);
}

const UNREAD_TEXT: Record<string, string> = {
  code: "its code (whether it is a contract)",
  nonce: "its transaction count",
  owner: "its owner (the contract answered with an error or with something that is not an address)",
  "proxy admin": "its proxy admin",
  safe: "its Safe owners and threshold (it answered what a Safe does not)",
  "controller code": "whether its controller is a contract or a single key",
  "first seen": "when it first appeared on chain (the node did not answer for earlier blocks, or the proposal names too many accounts to search)",
  "prior interactions": "whether the treasury paid or called it before (the logs could not be read)",
};

/**
 * Who the accounts outside the DAO are that a proposal pays, approves, empowers or calls (the facts
 * `readCounterparties` read). Funds or powers to an account one outside key controls are high (an EOA,
 * an EIP-7702 account, a contract whose owner or proxy admin is an EOA, a Safe with threshold 1); an
 * EOA paid less than 2 % of the treasury's holding is an ordinary grant (no finding), 2–10 % medium;
 * 10 % or more high, medium when the description discloses every payment to it (`disclosedPayments`:
 * the exact amount and its full address in the text voters see) and none reaches 25 %; a disguised
 * single key (contract, Safe, 7702) paid less than 2 % medium. Powers and allowances are never
 * lowered. An account first seen within the Governor's voting delay plus period before the analysis
 * is high (an analyst key alone: medium). Facts that could not be read are a low finding naming them,
 * never taken as safe.
 */
export const counterpartyControl: ProposalCheck = {
  id: "counterparty-control",
  needs: ["counterparties"],
  applies: (ctx) => counterpartyInvolvements(ctx.calls, ctx.deployment.contracts, ctx.proposal.calldatas).length > 0,
  check(ctx) {
    const findings: Finding[] = [];
    const disclosed = disclosedPayments(ctx);
    const involvements = counterpartyInvolvements(ctx.calls, ctx.deployment.contracts, ctx.proposal.calldatas);
    const { votingDelay, votingPeriod } = ctx.governance.governor;
    const window = votingDelay + votingPeriod;
    for (const c of ctx.counterparties ?? []) {
      const mine = involvements.filter((i) => i.address.toLowerCase() === c.address.toLowerCase());
      const exposure = exposureOf(ctx, mine);
      const label = addressLabel(ctx.deployment.contracts, c.address);
      const calls = actionList(c.callIndexes);
      const evidence: Finding["evidence"] = {
        callIndex: c.callIndexes[0] ?? 0,
        callIndexes: c.callIndexes,
        address: c.address,
        roles: c.roles,
        kind: c.kind,
        singleKeyControl: c.singleKeyControl,
        controller: c.controller?.address ?? null,
        firstSeenBlock: c.firstSeen ? c.firstSeen.blockNumber.toString() : null,
        priorInteractions: c.priorInteractions,
      };
      const what = sentenceList(exposure.phrases);

      // One outside key holds what the proposal hands over.
      if (c.singleKeyControl && !exposure.targetOnly) {
        const plainEoa = c.kind === "eoa" && !c.unread?.includes("code");
        let severity: Severity | null = null;
        let statedPayment = false;
        if (exposure.fullPowers.length > 0) severity = "high";
        if (exposure.paysOrApproves) {
          const bps = exposure.worstBps;
          let funds: Severity | null = plainEoa
            ? bps === null || bps >= LARGE_SHARE_BPS
              ? "high"
              : bps >= SMALL_SHARE_BPS
                ? "medium"
                : null
            : bps === null || bps >= SMALL_SHARE_BPS
              ? "high"
              : "medium";
          // A payment to an EOA that the description states in full is the voters' decision: medium,
          // below a critical share of the treasury. Allowances and powers are not lowered.
          if (funds === "high" && plainEoa && bps !== null && shareSeverity(bps) !== "critical" && exposure.payments !== null) {
            statedPayment = exposure.payments.every((p) => disclosed({ ...p, recipient: c.address }));
            if (statedPayment) funds = "medium";
          }
          if (funds !== null) severity = severity === null ? funds : maxSeverity(severity, funds);
        }
        // An analyst key is one key by design; alone it raises nothing here.
        if (severity !== null) {
          findings.push({
            id: "counterparty-control/single-key",
            check: this.id,
            severity,
            title: `${label}, which one key controls, ${what}`,
            detail: `In ${calls}, ${c.address} ${what}${statedPayment ? ", as the description states (the amount and the full address)" : ""}. ${singleKeyHolder(c)} ${priorSentence(c)}`,
            evidence: { ...evidence, shareBps: exposure.worstBps, flows: exposure.flows, ...(statedPayment ? { disclosed: true } : {}) },
          });
        }
      }

      // Made just before the proposal: freshly deployed contracts, fresh wallets.
      if (c.firstSeen !== null && c.age !== undefined && !c.firstSeenBefore && c.age.clock <= window) {
        const onlyAnalyst = exposure.limitedPowers.length > 0 && exposure.fullPowers.length === 0 && !exposure.paysOrApproves && !c.roles.includes("target");
        const since = c.kind === "contract" ? `has had code since block ${c.firstSeen.blockNumber}` : `sent its first transaction in block ${c.firstSeen.blockNumber}`;
        findings.push({
          id: "counterparty-control/fresh",
          check: this.id,
          severity: onlyAnalyst ? "medium" : "high",
          title: `${label}, which ${what}, first appeared ${ageText(c.age)} before this analysis`,
          detail:
            `${c.address} (${calls}: it ${what}) ${since}, ${ageText(c.age)} before the analysed block: within the Governor's voting delay and period (${windowText(window, c.age)}), so it was made for this proposal or just before it. ` +
            `Governance attacks arrive through such accounts (freshly deployed contracts, fresh wallets). ${priorSentence(c)}`,
          evidence: { ...evidence, ageBlocks: c.age.blocks.toString(), ageSeconds: c.age.seconds.toString(), window: window.toString() },
        });
      }

      // What could not be read is reported, not assumed safe.
      const unknown = (c.unread ?? []).map((u) => UNREAD_TEXT[u] ?? u);
      if (c.kind !== "contract" && c.firstSeen === null && c.nonce === 0 && !c.unread?.includes("first seen")) {
        unknown.push("how long it has existed (it has never sent a transaction)");
      }
      if (
        c.kind === "contract" &&
        !exposure.targetOnly &&
        c.controller === undefined &&
        c.safe === undefined &&
        !c.unread?.some((u) => u === "owner" || u === "proxy admin" || u === "safe")
      ) {
        unknown.push("who controls it (it answers neither owner() nor getOwners() / getThreshold(), and has no ERC-1967 admin)");
      }
      if (unknown.length > 0) {
        findings.push({
          id: "counterparty-control/unknown",
          check: this.id,
          severity: "low",
          title: `Some facts about ${label} could not be read`,
          detail: `For ${c.address} (${calls}: it ${what}) the analysis could not tell ${unknown.join("; ")}. Unknown facts are not taken as safe.`,
          evidence: { ...evidence, unread: [...(c.unread ?? [])], unknown },
        });
      }
    }
    return findings;
  },
};

/** `a`, `a and b`, `a, b and c`. */
function sentenceList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
