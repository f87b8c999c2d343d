import { addressLabel, count } from "../units.ts";
import type { Finding, ProposalCheck } from "./types.ts";
import { actionLabel } from "@ai-dao/reports";

/**
 * Calls no known ABI can read (the DAO's, the standards, the well-known signatures of
 * `@ai-dao/protocol`'s well-known signatures): voters cannot tell what they do. Trailing bytes after the arguments
 * hide data.
 */
export const undecodableCalls: ProposalCheck = {
  id: "undecodable-calls",
  check(ctx) {
    const findings: Finding[] = [];
    for (const call of ctx.calls) {
      const name = addressLabel(ctx.deployment.contracts, call.target);
      if (!call.decoded) {
        findings.push({
          id: "undecodable-calls/unknown-function",
          check: this.id,
          severity: "high",
          title: `${actionLabel(call.index, { capital: true })} to ${name} cannot be decoded`,
          detail: `No known contract interface matches ${call.selector !== null ? `the function selector ${call.selector}` : "its calldata (shorter than 4 bytes)"} on ${call.target}; what it does cannot be read from the proposal.`,
          evidence: { callIndex: call.index, address: call.target, selector: call.selector },
        });
      } else if (call.trailingBytes !== undefined && call.trailingBytes !== 0) {
        findings.push({
          id: "undecodable-calls/trailing-data",
          check: this.id,
          severity: "medium",
          title: `${actionLabel(call.index, { capital: true })} carries ${count(call.trailingBytes, "extra byte")} after its arguments`,
          detail: `${call.functionName ?? "The call"} on ${call.target} decodes, but the calldata does not match its standard encoding; the extra bytes are invisible in decoded views.`,
          evidence: { callIndex: call.index, address: call.target, trailingBytes: call.trailingBytes },
        });
      }
    }
    return findings;
  },
};
