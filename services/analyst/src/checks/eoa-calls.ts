import { addressLabel, formatAssetAmount } from "../units.ts";
import { targetInfo, type Finding, type ProposalCheck } from "./types.ts";
import { actionLabel } from "@ai-dao/reports";

/**
 * Calls with calldata to an address without contract code (critical): today the call does nothing,
 * so either the description's claim is false or code will be placed there before execution (CREATE2
 * counterfactual deployment, EIP-7702 delegation). Accounts delegated with EIP-7702 (high) run code
 * their owner can swap at will. Value sent to a never-used account is low.
 */
export const eoaCalls: ProposalCheck = {
  id: "eoa-calls",
  applies: (ctx) => ctx.targets.some((t) => t.kind !== "contract"),
  check(ctx) {
    const findings: Finding[] = [];
    for (const call of ctx.calls) {
      const target = targetInfo(ctx, call.target);
      if (target === undefined || target.kind === "contract") continue;
      const name = addressLabel(ctx.deployment.contracts, call.target);
      if (target.delegatedTo !== undefined) {
        findings.push({
          id: "eoa-calls/eip7702-delegated",
          check: this.id,
          severity: "high",
          title: `${actionLabel(call.index, { capital: true })} goes to ${name}, an account that runs delegated code (EIP-7702)`,
          detail: `${call.target} runs the code of ${target.delegatedTo}, which its owner can change at any time.`,
          evidence: { callIndex: call.index, address: call.target, delegatedTo: target.delegatedTo },
        });
        continue;
      }
      if (call.kind === "call") {
        findings.push({
          id: "eoa-calls/data-to-codeless",
          check: this.id,
          severity: "critical",
          title: `${actionLabel(call.index, { capital: true })} sends calldata to ${name}, ${target.kind === "empty" ? "an empty account" : "an account without code"}`,
          detail: `${call.target} has no code, so ${call.functionName !== undefined ? `${call.functionName}(…)` : "this call"} does nothing today; code may be deployed there before execution.`,
          evidence: { callIndex: call.index, address: call.target, accountKind: target.kind, selector: call.selector },
        });
      } else if (call.kind === "eth-transfer" && target.kind === "empty") {
        findings.push({
          id: "eoa-calls/value-to-empty",
          check: this.id,
          severity: "low",
          title: `${actionLabel(call.index, { capital: true })} pays ${formatAssetAmount(ctx.governance, "ETH", call.value)} to a never-used account`,
          detail: `${call.target} has no code, no balance and no transactions; check the address is the intended one.`,
          evidence: { callIndex: call.index, address: call.target, amount: call.value.toString() },
        });
      }
    }
    return findings;
  },
};
