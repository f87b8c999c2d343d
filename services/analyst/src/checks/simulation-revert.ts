import { addressLabel, safeText } from "../units.ts";
import type { Finding, ProposalCheck } from "./types.ts";

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
      title: `Executed on a fork, the proposal fails at call ${revert.callIndex}: ${reason}`,
      detail: `Executed as the timelock on a fork at block ${sim.result.forkBlock}, call ${revert.callIndex}${call ? ` (${call.functionName ?? "a call"} on ${addressLabel(ctx.deployment.contracts, call.target)})` : ""} reverts, so the whole batch reverts and nothing executes.`,
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
