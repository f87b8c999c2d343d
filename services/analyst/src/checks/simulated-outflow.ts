import type { Address } from "viem";

import { treasuryBalance } from "../context/governance.ts";
import { formatBps, isTreasury, maxSeverity, shareBps, shareSeverity, type AnalysisContext, type Finding, type ProposalCheck } from "./types.ts";

/** What the calldata says leaves the treasury, per asset (`ETH` or lower-case token address). */
function declaredOutflow(ctx: AnalysisContext): Map<string, bigint> {
  const out = new Map<string, bigint>();
  const add = (key: string, amount: bigint) => out.set(key, (out.get(key) ?? 0n) + amount);
  for (const call of ctx.calls) {
    if (call.value > 0n) add("ETH", call.value);
    const args = call.args ?? [];
    if (call.abiSource === "DAOGovernor" || call.abiSource === "TimelockController") continue;
    if (call.signature === "transfer(address,uint256)") add(call.target.toLowerCase(), args[1] as bigint);
    if (call.signature === "transferFrom(address,address,uint256)" && isTreasury(ctx, args[0])) add(call.target.toLowerCase(), args[2] as bigint);
  }
  return out;
}

/**
 * The treasury's outflow measured on the fork (balance before and after, ETH and every token that
 * moved), compared with what the calldata declares. More leaving than the calldata shows (a contract
 * that pulls an allowance, a call that forwards the treasury's funds) is at least high, and rated by
 * the outflow tiers of the measured loss.
 */
export const simulatedOutflow: ProposalCheck = {
  id: "simulated-outflow",
  name: "Treasury outflow measured on the fork",
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
      const symbol = asset === "ETH" ? "ETH" : (ctx.governance.balances.find((b) => b.asset !== "ETH" && b.asset.toLowerCase() === key)?.symbol ?? asset);
      const balance = treasuryBalance(ctx.governance, asset) ?? before;
      const bps = shareBps(loss, balance);
      const recipients =
        asset === "ETH"
          ? sim.result.trace.filter((f) => f.value > 0n && !f.error && isTreasury(ctx, f.from)).map((f) => f.to)
          : sim.result.logs.filter((l) => l.eventName === "Transfer" && l.address.toLowerCase() === key && isTreasury(ctx, l.args?.from)).map((l) => l.args?.to as string);
      const evidence = {
        asset,
        amount: loss.toString(),
        declared: declaredAmount.toString(),
        treasuryBalance: balance.toString(),
        shareBps: bps,
        recipients: [...new Set(recipients.map(String))],
      };
      if (loss > declaredAmount) {
        findings.push({
          id: "simulated-outflow/undeclared",
          check: this.id,
          severity: maxSeverity("high", shareSeverity(bps)),
          title: `The treasury loses ${formatBps(bps)} of its ${symbol} on the fork, ${loss - declaredAmount} base units more than the calldata shows`,
          detail: `Simulated: ${loss} base units of ${symbol} leave the treasury; the calldata's transfers and values add up to ${declaredAmount}.`,
          evidence: { ...evidence, undeclared: (loss - declaredAmount).toString() },
        });
      } else {
        findings.push({
          id: "simulated-outflow/measured",
          check: this.id,
          severity: "info",
          title: `The treasury loses ${formatBps(bps)} of its ${symbol} on the fork, as the calldata shows`,
          detail: `Simulated: ${loss} base units of ${symbol} leave the treasury (declared ${declaredAmount}).`,
          evidence,
        });
      }
    }
    return findings;
  },
};
