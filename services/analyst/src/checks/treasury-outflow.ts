import type { Address } from "viem";

import { treasuryBalance } from "../context/governance.ts";
import { formatBps, isTreasury, maxSeverity, shareBps, shareSeverity, type Finding, type ProposalCheck } from "./types.ts";

/**
 * Value leaving the treasury, per asset and recipient, as a share of the treasury's balance of
 * that asset: ETH sent with any call, and ERC20 `transfer` / `transferFrom(treasury, ...)`.
 * Tiers: >=25% critical, >=10% high, >=2% medium, below low; unknown balance high.
 */
export const treasuryOutflow: ProposalCheck = {
  id: "treasury-outflow",
  name: "Treasury outflow",
  check(ctx) {
    const findings: Finding[] = [];
    // asset -> recipient -> { amount, calls }
    const flows = new Map<string, Map<string, { asset: "ETH" | Address; recipient: Address; amount: bigint; calls: number[] }>>();
    const add = (asset: "ETH" | Address, recipient: Address, amount: bigint, index: number) => {
      const key = asset === "ETH" ? "ETH" : asset.toLowerCase();
      const perAsset = flows.get(key) ?? new Map();
      const flow = perAsset.get(recipient.toLowerCase()) ?? { asset, recipient, amount: 0n, calls: [] };
      flow.amount += amount;
      flow.calls.push(index);
      perAsset.set(recipient.toLowerCase(), flow);
      flows.set(key, perAsset);
    };
    for (const call of ctx.calls) {
      if (call.value > 0n) add("ETH", call.target, call.value, call.index);
      const args = call.args ?? [];
      if (call.abiSource === "DAOGovernor" || call.abiSource === "TimelockController") continue;
      if (call.signature === "transfer(address,uint256)") add(call.target, args[0] as Address, args[1] as bigint, call.index);
      if (call.signature === "transferFrom(address,address,uint256)") {
        if (isTreasury(ctx, args[0])) add(call.target, args[1] as Address, args[2] as bigint, call.index);
        else {
          findings.push({
            id: "treasury-outflow/third-party-transfer-from",
            check: this.id,
            severity: "medium",
            title: `Call ${call.index} moves tokens of another account with the treasury's allowance`,
            detail: `transferFrom(${String(args[0])}, ${String(args[1])}, ${String(args[2])}) on ${call.target} spends an allowance given to the treasury.`,
            evidence: { callIndex: call.index, address: call.target, from: String(args[0]), to: String(args[1]), amount: String(args[2]) },
          });
        }
      }
    }
    for (const perAsset of flows.values()) {
      let total = 0n;
      let worst: Finding["severity"] = "info";
      const first = [...perAsset.values()][0]!;
      const balance = treasuryBalance(ctx.governance, first.asset);
      const symbol = first.asset === "ETH" ? "ETH" : (ctx.governance.balances.find((b) => b.asset !== "ETH" && b.asset.toLowerCase() === first.asset.toLowerCase())?.symbol ?? first.asset);
      for (const flow of perAsset.values()) {
        total += flow.amount;
        const bps = shareBps(flow.amount, balance);
        const severity = shareSeverity(bps);
        worst = maxSeverity(worst, severity);
        findings.push({
          id: "treasury-outflow/recipient",
          check: this.id,
          severity,
          title: `Sends ${formatBps(bps)} of the treasury's ${symbol} to ${flow.recipient}`,
          detail: `${flow.amount} base units of ${symbol} (treasury holds ${balance ?? "an unknown amount"}) in call(s) ${flow.calls.join(", ")}.`,
          evidence: {
            callIndex: flow.calls[0]!,
            callIndexes: flow.calls,
            address: flow.recipient,
            asset: flow.asset,
            amount: flow.amount.toString(),
            treasuryBalance: balance === null ? null : balance.toString(),
            shareBps: bps,
          },
        });
      }
      if (perAsset.size > 1) {
        const bps = shareBps(total, balance);
        const severity = shareSeverity(bps);
        if (severity !== worst && maxSeverity(severity, worst) === severity) {
          findings.push({
            id: "treasury-outflow/total",
            check: this.id,
            severity,
            title: `Sends ${formatBps(bps)} of the treasury's ${symbol} in total to ${perAsset.size} recipients`,
            detail: `Split across recipients, the outflow is ${total} base units of ${symbol} of ${balance ?? "an unknown amount"}.`,
            evidence: { asset: first.asset, amount: total.toString(), treasuryBalance: balance === null ? null : balance.toString(), shareBps: bps, recipients: perAsset.size },
          });
        }
      }
    }
    return findings;
  },
};
