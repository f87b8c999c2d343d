import { getAddress, isAddress, type Address } from "viem";

import { treasuryBalance } from "../context/governance.ts";
import { addressLabel, assetSymbol, count, formatAssetAmount, formatTreasuryShare } from "../units.ts";
import { treasuryFlows } from "./treasury-outflow.ts";
import { isTreasury, maxSeverity, shareBps, shareSeverity, type AnalysisContext, type Finding, type ProposalCheck } from "./types.ts";

/** What the calldata says leaves the treasury, per asset (`ETH` or lower-case token address). */
function declaredOutflow(ctx: AnalysisContext): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const flow of treasuryFlows(ctx)) {
    const key = flow.asset === "ETH" ? "ETH" : flow.asset.toLowerCase();
    out.set(key, (out.get(key) ?? 0n) + flow.amount);
  }
  return out;
}

/** Recipients as a person reads them: full addresses (money goes to them), at most five named. */
function recipientText(recipients: readonly string[]): string {
  if (recipients.length === 0) return "to accounts the run could not name";
  const shown = recipients.slice(0, 5).join(", ");
  return `to ${shown}${recipients.length > 5 ? ` and ${count(recipients.length - 5, "more account")}` : ""}`;
}

/**
 * The treasury's outflow measured on the fork (balance before and after, ETH and every token that
 * moved), compared with what the calldata declares. More leaving than the calldata shows (a contract
 * that pulls an allowance, a call that forwards the treasury's funds) is at least high, and rated by
 * the outflow tiers of the measured loss.
 */
export const simulatedOutflow: ProposalCheck = {
  id: "simulated-outflow",
  needs: ["simulation"],
  check(ctx) {
    const sim = ctx.simulation;
    if (sim?.status !== "simulated" || sim.result.status !== "executed") return [];
    const fx = sim.result.effects;
    const declared = declaredOutflow(ctx);
    const findings: Finding[] = [];
    const losses: { asset: "ETH" | Address; before: bigint; loss: bigint }[] = [];
    const eth = fx.ethBalanceChanges.find((c) => isTreasury(ctx, c.address));
    if (eth && eth.delta < 0n) losses.push({ asset: "ETH", before: eth.before, loss: -eth.delta });
    for (const t of fx.treasuryTokenBalances) {
      if (t.before !== null && t.after !== null && t.after < t.before) losses.push({ asset: t.token, before: t.before, loss: t.before - t.after });
    }
    for (const { asset, before, loss } of losses) {
      const key = asset === "ETH" ? "ETH" : asset.toLowerCase();
      const declaredAmount = declared.get(key) ?? 0n;
      const symbol = assetSymbol(ctx.governance, asset);
      const balance = treasuryBalance(ctx.governance, asset) ?? before;
      const bps = shareBps(loss, balance);
      const recipients =
        asset === "ETH"
          ? sim.result.trace.filter((f) => f.value > 0n && !f.error && isTreasury(ctx, f.from)).map((f) => f.to)
          : sim.result.logs.filter((l) => l.eventName === "Transfer" && l.address.toLowerCase() === key && isTreasury(ctx, l.args?.from)).map((l) => l.args?.to as string);
      const unique = [...new Set(recipients.map(String))];
      const named = unique.map((r) => (isAddress(r, { strict: false }) ? getAddress(r) : r));
      const evidence = {
        asset,
        amount: loss.toString(),
        declared: declaredAmount.toString(),
        treasuryBalance: balance.toString(),
        shareBps: bps,
        recipients: unique,
      };
      const lost = formatAssetAmount(ctx.governance, asset, loss);
      const stated = formatAssetAmount(ctx.governance, asset, declaredAmount);
      const share = formatTreasuryShare(bps, symbol);
      if (loss > declaredAmount) {
        const extra = formatAssetAmount(ctx.governance, asset, loss - declaredAmount);
        findings.push({
          id: "simulated-outflow/undeclared",
          check: this.id,
          severity: maxSeverity("high", shareSeverity(bps)),
          title: `Run on a copy of the chain, the treasury loses ${lost} (${share}): ${extra} more than the calls show${named.length === 1 ? `, to ${addressLabel(ctx.deployment.contracts, named[0]!)}` : ""}`,
          detail: `Run on a copy of the chain, the treasury loses ${lost}, sent ${recipientText(named)}; the calls' transfers and values add up to ${stated}.`,
          evidence: { ...evidence, undeclared: (loss - declaredAmount).toString() },
        });
      } else {
        findings.push({
          id: "simulated-outflow/measured",
          check: this.id,
          severity: "info",
          title: `Run on a copy of the chain, the treasury loses ${lost} (${share}), as the calls show`,
          detail: `Run on a copy of the chain, the treasury loses ${lost}, sent ${recipientText(named)} (the calls state ${stated}).`,
          evidence,
        });
      }
    }
    return findings;
  },
};
