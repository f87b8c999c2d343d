import type { Address } from "viem";

import { treasuryBalance } from "../context/governance.ts";
import { addressLabel, assetSymbol, count, formatAssetAmount, formatTreasuryShare } from "../units.ts";
import { disclosedPayments } from "./description-amounts.ts";
import { isTreasury, maxSeverity, shareBps, shareSeverity, type AnalysisContext, type Finding, type ProposalCheck, type Severity } from "./types.ts";
import { actionLabel, actionList } from "@ai-dao/reports";

/** One asset leaving the treasury to one recipient, summed over the calls that send it. */
export interface TreasuryFlow {
  asset: "ETH" | Address;
  recipient: Address;
  amount: bigint;
  calls: number[];
}

/**
 * What the calldata sends out of the treasury, per asset and recipient (in call order): ETH sent with
 * any call, ERC20 `transfer` and `transferFrom(treasury, ...)`. Calls to the Governor and the timelock
 * move nothing by these selectors.
 */
export function treasuryFlows(ctx: Pick<AnalysisContext, "calls" | "deployment">): TreasuryFlow[] {
  const flows = new Map<string, TreasuryFlow>();
  const add = (asset: "ETH" | Address, recipient: Address, amount: bigint, index: number) => {
    const key = `${asset === "ETH" ? "ETH" : asset.toLowerCase()}:${recipient.toLowerCase()}`;
    const flow = flows.get(key) ?? { asset, recipient, amount: 0n, calls: [] };
    flow.amount += amount;
    if (!flow.calls.includes(index)) flow.calls.push(index);
    flows.set(key, flow);
  };
  for (const call of ctx.calls) {
    if (call.value > 0n) add("ETH", call.target, call.value, call.index);
    const args = call.args ?? [];
    if (call.abiSource === "DAOGovernor" || call.abiSource === "TimelockController") continue;
    if (call.signature === "transfer(address,uint256)") add(call.target, args[0] as Address, args[1] as bigint, call.index);
    if (call.signature === "transferFrom(address,address,uint256)" && isTreasury(ctx, args[0])) add(call.target, args[1] as Address, args[2] as bigint, call.index);
  }
  return [...flows.values()];
}

/**
 * Value leaving the treasury, per asset and recipient, as a share of the treasury's balance of
 * that asset: ETH sent with any call, and ERC20 `transfer` / `transferFrom(treasury, ...)`.
 * Tiers: >=25% critical, >=10% high, >=2% medium, below low; unknown balance high. A payment the
 * description discloses (`disclosedPayments`: the exact amount and the recipient's full address in the
 * text voters see) is lowered from high to medium: voters decide on what they can read. A
 * critical share stays critical, and an unknown share stays high.
 */
export const treasuryOutflow: ProposalCheck = {
  id: "treasury-outflow",
  applies: (ctx) =>
    ctx.calls.some(
      (c) =>
        c.value > 0n ||
        (c.abiSource !== "DAOGovernor" && c.abiSource !== "TimelockController" && (c.signature === "transfer(address,uint256)" || c.signature === "transferFrom(address,address,uint256)")),
    ),
  check(ctx) {
    const findings: Finding[] = [];
    const label = (a: string) => addressLabel(ctx.deployment.contracts, a);
    const disclosed = disclosedPayments(ctx);
    // High, on a known share, lowers to medium when the description discloses the payment.
    const rated = (tier: Severity, bps: number | null, isDisclosed: boolean): Severity => (tier === "high" && bps !== null && isDisclosed ? "medium" : tier);
    for (const call of ctx.calls) {
      const args = call.args ?? [];
      if (call.abiSource === "DAOGovernor" || call.abiSource === "TimelockController") continue;
      if (call.signature === "transferFrom(address,address,uint256)" && !isTreasury(ctx, args[0])) {
        const [from, to, amount] = [String(args[0]), String(args[1]), args[2] as bigint];
        const text = formatAssetAmount(ctx.governance, call.target, amount);
        findings.push({
          id: "treasury-outflow/third-party-transfer-from",
          check: this.id,
          severity: "medium",
          title: `${actionLabel(call.index, { capital: true })} moves ${text} of ${label(from)} to ${label(to)} with the treasury's allowance`,
          detail: `transferFrom on ${call.target} moves ${text} from ${from} to ${to}, spending an allowance ${from} gave the treasury.`,
          evidence: { callIndex: call.index, address: call.target, from, to, amount: amount.toString() },
        });
      }
    }
    const byAsset = new Map<string, TreasuryFlow[]>();
    for (const flow of treasuryFlows(ctx)) {
      const key = flow.asset === "ETH" ? "ETH" : flow.asset.toLowerCase();
      byAsset.set(key, [...(byAsset.get(key) ?? []), flow]);
    }
    for (const perAsset of byAsset.values()) {
      let total = 0n;
      let worst: Finding["severity"] = "info";
      const asset = perAsset[0]!.asset;
      const balance = treasuryBalance(ctx.governance, asset);
      const symbol = assetSymbol(ctx.governance, asset);
      const holds = balance === null ? `the treasury's balance of ${symbol} could not be read` : `the treasury holds ${formatAssetAmount(ctx.governance, asset, balance)}`;
      const allDisclosed = perAsset.every((flow) => disclosed(flow));
      for (const flow of perAsset) {
        total += flow.amount;
        const bps = shareBps(flow.amount, balance);
        const tier = shareSeverity(bps);
        worst = maxSeverity(worst, tier);
        const isDisclosed = disclosed(flow);
        const severity = rated(tier, bps, isDisclosed);
        const amount = formatAssetAmount(ctx.governance, asset, flow.amount);
        findings.push({
          id: "treasury-outflow/recipient",
          check: this.id,
          severity,
          title: `Sends ${amount} (${formatTreasuryShare(bps, symbol)}) to ${label(flow.recipient)}`,
          detail: `${amount} to ${flow.recipient} in ${actionList(flow.calls)}${severity !== tier ? ", as the description states (the amount and the full address)" : ""}; ${holds}.`,
          evidence: {
            callIndex: flow.calls[0]!,
            callIndexes: flow.calls,
            address: flow.recipient,
            asset,
            amount: flow.amount.toString(),
            treasuryBalance: balance === null ? null : balance.toString(),
            shareBps: bps,
            ...(isDisclosed ? { disclosed: true } : {}),
          },
        });
      }
      if (perAsset.length > 1) {
        const bps = shareBps(total, balance);
        const tier = shareSeverity(bps);
        if (tier !== worst && maxSeverity(tier, worst) === tier) {
          const severity = rated(tier, bps, allDisclosed);
          const amount = formatAssetAmount(ctx.governance, asset, total);
          findings.push({
            id: "treasury-outflow/total",
            check: this.id,
            severity,
            title: `Sends ${amount} in total (${formatTreasuryShare(bps, symbol)}) to ${count(perAsset.length, "recipient")}`,
            detail: `Split across ${perAsset.map((f) => f.recipient).join(", ")}, the outflow is ${amount}${severity !== tier ? ", each payment as the description states (the amount and the full address)" : ""}; ${holds}.`,
            evidence: { asset, amount: total.toString(), treasuryBalance: balance === null ? null : balance.toString(), shareBps: bps, recipients: perAsset.length, ...(allDisclosed ? { disclosed: true } : {}) },
          });
        }
      }
    }
    return findings;
  },
};
