import { ProposalState, proposalStateNames, Recommendation } from "@ai-dao/protocol";
import { zeroHash, type Hex } from "viem";

import { isTimelockNotReady } from "../governor.ts";
import { callGovernor, describeCodeHash, targetCodeChanged } from "./on-chain.ts";
import type { Guard } from "./types.ts";

/**
 * Refuses a step whose exact calldata reverts in an `eth_call` from the executor's address at the
 * latest block, so no transaction is sent that would fail. A revert that only says the proposal
 * moved on (someone else queued or executed it) or that its timelock operation is not ready yet is
 * not a verdict: the step is skipped and looked at again on the next poll. A revert with the
 * Governor's own code pin (`GovernorTargetCodeChanged`) is a code-drift refusal: the Governor
 * itself refuses because a target's code changed since the proposal was created.
 */
export const simulation: Guard = {
  name: "simulation",
  async check(ctx) {
    const { logger, proposal, action, executor, governor, calldata, state } = ctx;
    const { block, revert, verdict } = await callGovernor(ctx);
    if (revert === null) return null;
    const expected = action === "queue" ? ProposalState.Succeeded : ProposalState.Queued;
    const now = await state();
    if (now !== expected || revert.name === "GovernorUnexpectedProposalState") {
      logger.info({ proposalId: proposal.proposalId, action, state: proposalStateNames[now] }, "proposal moved on while simulating; nothing to do");
      return "skip";
    }
    if (action === "execute" && isTimelockNotReady(revert)) {
      // Still queued, so the only state the timelock can object to is "not ready": the delay the
      // proposal earned has not passed at this block (a node behind the one read before).
      logger.info({ proposalId: proposal.proposalId, action, simulatedAtBlock: block.toString() }, "timelock operation not ready yet; waiting");
      return "skip";
    }
    const simulated = { from: executor, to: governor, calldata, simulatedAtBlock: block.toString(), revert, onChain: verdict };
    const changed = targetCodeChanged(revert);
    if (changed !== null) {
      // Shaped like the code-pinning guard's changes, with no code as null, so readers show both alike.
      const asPin = (hash: Hex) => (hash === zeroHash ? null : hash);
      return {
        decision: "refuse",
        reason: "code-drift",
        summary: `the Governor itself refuses to ${action}: the code of target ${changed.target} changed since the proposal was created (pinned ${describeCodeHash(changed.pinned)}, now ${describeCodeHash(changed.current)})`,
        risk: 100,
        recommendation: Recommendation.Against,
        evidence: {
          pinnedAtBlock: String(proposal.createdBlock),
          changes: [{ address: changed.target, field: "codeHash", pinned: asPin(changed.pinned), current: asPin(changed.current) }],
          ...simulated,
        },
        fingerprint: revert.data,
      };
    }
    return {
      decision: "refuse",
      reason: "simulation-revert",
      summary: `simulated ${action} reverts: ${revert.message}`,
      risk: 50,
      recommendation: Recommendation.Against,
      evidence: simulated,
      fingerprint: revert.data,
    };
  },
};
