import type { Finding, ProposalCheck } from "./types.ts";

/**
 * The fork simulation: executed as the timelock would, the batch reverted (high: the proposal cannot
 * execute as written, or only under other conditions than today's; a revert can also hide a
 * proposal meant to fail). A simulation that was requested but could not run is an info finding.
 */
export const simulationRevert: ProposalCheck = {
  id: "simulation",
  name: "Fork simulation",
  check(ctx) {
    const sim = ctx.simulation;
    if (sim === undefined || sim.status === "skipped") return [];
    if (sim.status === "failed") {
      return [{ id: "simulation/unavailable", check: this.id, severity: "info", title: "The proposal could not be simulated", detail: sim.reason, evidence: {} }];
    }
    const { revert } = sim.result;
    if (revert === undefined) return [];
    const call = ctx.calls[revert.callIndex];
    const finding: Finding = {
      id: "simulation/revert",
      check: this.id,
      severity: "high",
      title: `Execution reverts at call ${revert.callIndex}: ${revert.reason}`,
      detail: `Executed as the timelock on a fork at block ${sim.result.forkBlock}, call ${revert.callIndex}${call?.signature ? ` (${call.signature})` : ""} reverts, so the whole batch reverts and nothing executes.`,
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
