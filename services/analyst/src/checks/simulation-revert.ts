import { addressLabel, safeText } from "../units.ts";
import type { Finding, ProposalCheck } from "./types.ts";
import { actionLabel } from "@ai-dao/reports";

/**
 * The fork simulation: executed as the timelock would, the batch reverted (high: the proposal cannot
 * execute as written, or only under other conditions than today's; a revert can also hide a
 * proposal meant to fail). Without a simulation the check is skipped (see `contextGap`): a
 * simulation that was requested but could not run makes the report inconclusive.
 */
export const simulationRevert: ProposalCheck = {
  id: "simulation",
  needs: ["simulation"],
  check(ctx) {
    const sim = ctx.simulation;
    if (sim?.status !== "simulated") return [];
    const { revert } = sim.result;
    if (revert === undefined) return [];
    const call = ctx.calls[revert.callIndex];
    const reason = safeText(revert.reason);
    const finding: Finding = {
      id: "simulation/revert",
      check: this.id,
      severity: "high",
      title: `Run on a copy of the chain, the proposal fails at ${actionLabel(revert.callIndex)}: ${reason}`,
      detail: `Run as the timelock on a copy of the chain at block ${sim.result.forkBlock}, ${actionLabel(revert.callIndex)}${call ? ` (${call.functionName ?? "a call"} on ${addressLabel(ctx.deployment.contracts, call.target)})` : ""} reverts, so the whole proposal reverts and none of its actions take effect.`,
      evidence: {
        callIndex: revert.callIndex,
        address: call?.target,
        reason: revert.reason,
        errorName: revert.errorName,
        revertData: revert.data,
      },
    };
    return [finding];
  },
};
