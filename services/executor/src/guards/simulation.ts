import { ProposalState, proposalStateNames, Recommendation } from "@ai-dao/protocol";

import { decodeRevert, revertDataOf } from "../revert.ts";
import type { Guard } from "./types.ts";

/**
 * Refuses a step whose exact calldata reverts in an `eth_call` from the executor's address at the
 * latest block, so no transaction is sent that would fail. A revert that only says the proposal
 * moved on (someone else queued or executed it) is not a verdict: the step is skipped.
 */
export const simulation: Guard = {
  name: "simulation",
  async check({ client, logger, proposal, action, executor, governor, calldata, state }) {
    const block = await client.getBlockNumber({ cacheTime: 0 });
    try {
      await client.call({ account: executor, to: governor, data: calldata, blockNumber: block });
      return null;
    } catch (error) {
      const revertData = revertDataOf(error);
      if (revertData === undefined) throw error; // RPC trouble, not a verdict
      const revert = decodeRevert(revertData);
      const expected = action === "queue" ? ProposalState.Succeeded : ProposalState.Queued;
      const now = await state();
      if (now !== expected || revert.name === "GovernorUnexpectedProposalState") {
        logger.info({ proposalId: proposal.proposalId, action, state: proposalStateNames[now] }, "proposal moved on while simulating; nothing to do");
        return "skip";
      }
      return {
        decision: "refuse",
        reason: "simulation-revert",
        summary: `simulated ${action} reverts: ${revert.message}`,
        risk: 50,
        recommendation: Recommendation.Against,
        evidence: { from: executor, to: governor, calldata, simulatedAtBlock: block.toString(), revert },
        fingerprint: revert.data,
      };
    }
  },
};
