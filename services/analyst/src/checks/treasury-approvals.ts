import { maxUint256, type Address } from "viem";

import { treasuryBalance } from "../context/governance.ts";
import { formatBps, isTreasury, maxSeverity, shareBps, shareSeverity, type Finding, type ProposalCheck } from "./types.ts";

/** Anything >= 2^255 is treated as "unlimited": no treasury holds that much, and it is how max approvals are written. */
const UNLIMITED = 2n ** 255n;

/**
 * Allowances the treasury grants: ERC20 `approve` / `increaseAllowance`, `permit` with the treasury
 * as owner, and ERC721/1155 `setApprovalForAll`. Unlimited: critical; otherwise at least medium,
 * raised to the outflow tier of the amount's share of the treasury.
 */
export const treasuryApprovals: ProposalCheck = {
  id: "treasury-approvals",
  name: "Approvals and permits from the treasury",
  check(ctx) {
    const findings: Finding[] = [];
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
          findings.push({
            id: "treasury-approvals/approval-for-all",
            check: this.id,
            severity: "high",
            title: `Call ${call.index} lets ${String(args[0])} move every token the treasury holds in ${call.target}`,
            detail: "setApprovalForAll(operator, true) gives the operator control over all of the treasury's NFTs / multi-tokens of that contract.",
            evidence: { callIndex: call.index, address: call.target, spender: String(args[0]) },
          });
        }
        continue;
      } else continue;
      if (amount === 0n) continue; // Revoking an allowance is harmless.
      const unlimited = amount >= UNLIMITED;
      const balance = treasuryBalance(ctx.governance, call.target);
      const bps = shareBps(amount, balance);
      const severity = unlimited ? "critical" : maxSeverity("medium", shareSeverity(bps));
      findings.push({
        id: unlimited ? "treasury-approvals/unlimited" : "treasury-approvals/allowance",
        check: this.id,
        severity,
        title: unlimited
          ? `Call ${call.index} gives ${spender} an unlimited allowance over the treasury's ${call.target}`
          : `Call ${call.index} lets ${spender} spend ${formatBps(bps)} of the treasury's ${call.target}`,
        detail: `${call.signature} on ${call.target}: amount ${amount === maxUint256 ? "type(uint256).max" : amount}; the spender can take it at any time after execution, without another vote.`,
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
