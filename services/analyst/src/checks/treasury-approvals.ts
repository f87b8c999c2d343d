import { maxUint256, type Address } from "viem";

import { treasuryBalance } from "../context/governance.ts";
import { addressLabel, assetSymbol, formatAssetAmount, formatTreasuryShare } from "../units.ts";
import { isTreasury, maxSeverity, shareBps, shareSeverity, type Finding, type ProposalCheck } from "./types.ts";
import { actionLabel } from "@ai-dao/reports";

/** Anything >= 2^255 is treated as "unlimited": no treasury holds that much, and it is how max approvals are written. */
export const UNLIMITED = 2n ** 255n;

const APPROVAL_SIGNATURES = new Set(["approve(address,uint256)", "increaseAllowance(address,uint256)", "setApprovalForAll(address,bool)"]);

/**
 * Allowances the treasury grants: ERC20 `approve` / `increaseAllowance`, `permit` with the treasury
 * as owner, and ERC721/1155 `setApprovalForAll`. Unlimited: critical; otherwise at least medium,
 * raised to the outflow tier of the amount's share of the treasury.
 */
export const treasuryApprovals: ProposalCheck = {
  id: "treasury-approvals",
  applies: (ctx) => ctx.calls.some((c) => c.abiSource !== "DAOGovernor" && c.abiSource !== "TimelockController" && (APPROVAL_SIGNATURES.has(c.signature ?? "") || c.functionName === "permit")),
  check(ctx) {
    const findings: Finding[] = [];
    const label = (a: string) => addressLabel(ctx.deployment.contracts, a);
    for (const call of ctx.calls) {
      if (call.abiSource === "DAOGovernor" || call.abiSource === "TimelockController") continue;
      const args = call.args ?? [];
      let spender: Address | undefined;
      let amount: bigint | undefined;
      if (call.signature === "approve(address,uint256)" || call.signature === "increaseAllowance(address,uint256)") {
        [spender, amount] = [args[0] as Address, args[1] as bigint];
      } else if (call.functionName === "permit" && args.length === 7 && isTreasury(ctx, args[0])) {
        [spender, amount] = [args[1] as Address, args[2] as bigint];
      } else if (call.signature === "setApprovalForAll(address,bool)") {
        if (args[1] === true) {
          const operator = String(args[0]);
          findings.push({
            id: "treasury-approvals/approval-for-all",
            check: this.id,
            severity: "high",
            title: `${actionLabel(call.index, { capital: true })} lets ${label(operator)} move every token the treasury holds in ${label(call.target)}`,
            detail: `setApprovalForAll gives ${operator} control over all of the treasury's NFTs or multi-tokens of ${call.target}, now and later, without another vote.`,
            evidence: { callIndex: call.index, address: call.target, spender: operator },
          });
        }
        continue;
      } else continue;
      if (amount === 0n) continue; // Revoking an allowance is harmless.
      const unlimited = amount >= UNLIMITED;
      const balance = treasuryBalance(ctx.governance, call.target);
      const bps = shareBps(amount, balance);
      const severity = unlimited ? "critical" : maxSeverity("medium", shareSeverity(bps));
      const symbol = assetSymbol(ctx.governance, call.target);
      const holds = balance === null ? `its balance of ${symbol} could not be read` : `it holds ${formatAssetAmount(ctx.governance, call.target, balance)}`;
      const allowance = unlimited ? `an unlimited amount${amount === maxUint256 ? " (the largest number a uint256 holds)" : ""}` : formatAssetAmount(ctx.governance, call.target, amount);
      findings.push({
        id: unlimited ? "treasury-approvals/unlimited" : "treasury-approvals/allowance",
        check: this.id,
        severity,
        title: unlimited
          ? `${actionLabel(call.index, { capital: true })} gives ${label(String(spender))} an unlimited allowance over the treasury's ${symbol}`
          : `${actionLabel(call.index, { capital: true })} lets ${label(String(spender))} spend ${allowance} (${formatTreasuryShare(bps, symbol)})`,
        detail: `${call.functionName} on ${call.target} lets ${String(spender)} take ${allowance} of the treasury's ${symbol} (${holds}) at any time after execution, without another vote.`,
        evidence: {
          callIndex: call.index,
          address: call.target,
          spender: spender,
          amount: amount.toString(),
          treasuryBalance: balance === null ? null : balance.toString(),
          shareBps: bps,
        },
      });
    }
    return findings;
  },
};
