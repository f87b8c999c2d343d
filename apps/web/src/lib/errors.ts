import { decodeRevert, proposalStateNames, proposalStatesOf, revertDataOf, type DecodedRevert } from "@ai-dao/protocol";
import { BaseError, UserRejectedRequestError } from "viem";

// Plain sentences over @ai-dao/protocol's decodeRevert: the decoder says which error and with what
// arguments; this page says what it means for the person who pressed the button.

const messages: Record<string, (args: readonly unknown[]) => string> = {
  GovernorUnexpectedProposalState: ([, current, expected]) =>
    `The proposal is ${proposalStateNames[Number(current)] ?? "in another state"}; this needs it to be ${proposalStatesOf(expected as `0x${string}`).join(" or ")}.`,
  GovernorInsufficientProposerVotes: ([, votes, threshold]) =>
    `Your voting power (${votes}) is below the proposal threshold (${threshold} base units). Delegate to yourself first, then wait for the next block.`,
  GovernorAlreadyCastVote: () => "This account has already voted on this proposal.",
  GovernorNonexistentProposal: () => "No proposal with this id exists on the Governor.",
  GovernorRestrictedProposer: () => "The description ends with #proposer= for another address: only that address may submit it.",
  GovernorInvalidProposalLength: () => "Targets, values and calldatas must have the same length.",
  GovernorInvalidVoteType: () => "That vote type is not For, Against or Abstain.",
  GovernorAnalystCannotVote: () => "Analyst accounts cannot vote.",
  GovernorInvalidAnalyst: () => "That address cannot be an analyst.",
  GovernorOnlyExecutor: () => "Only the timelock can do this.",
  GovernorUnableToCancel: () => "Only the proposer (before voting starts) or the guardian can cancel this proposal.",
  GovernorNotQueuedProposal: () => "The proposal has not been queued.",
  GovernorQueueNotImplemented: () => "This Governor cannot queue proposals.",
  GovernorDisabledDeposit: () => "The Governor does not accept ETH: send it to the treasury (the timelock).",
  TimelockUnexpectedOperationState: () => "The timelock operation is not ready yet: wait until its eta, then execute.",
  TimelockInsufficientDelay: () => "The timelock delay is too short.",
  TimelockUnexecutedPredecessor: () => "A previous timelock operation must execute first.",
  FailedCall: () => "One of the proposal's calls reverted when the timelock executed it.",
  ERC20InsufficientBalance: () => "The sender's token balance is too low.",
  DecisionLogUnauthorizedPublisher: () => "This account may not publish decisions.",
};

/** A plain-language sentence for a decoded revert, the error's name kept for whoever reports it. */
export function explainRevert(revert: DecodedRevert): string {
  switch (revert.kind) {
    case "custom": {
      const explain = messages[revert.name ?? ""];
      return explain ? `${explain(revert.args)} (${revert.name})` : `The contract refused: ${revert.message}.`;
    }
    case "error-string":
      return `The contract refused: ${revert.reason}.`;
    case "panic":
      return `The contract failed a built-in check: ${revert.reason} (${revert.message}).`;
    case "unknown":
      return `The contract refused with an error this app does not know: ${revert.message}.`;
    case "empty":
      return "The contract refused without saying why.";
  }
}

/** A plain-language message for a failed transaction or call: reverts decoded with every DAO contract's errors. */
export function explainError(error: unknown): string {
  if (error instanceof BaseError) {
    const rejected = error.walk((e) => e instanceof UserRejectedRequestError);
    if (rejected) return "You rejected the request in your wallet.";
    const data = revertDataOf(error);
    if (data !== undefined) return explainRevert(decodeRevert(data));
    return error.shortMessage;
  }
  return error instanceof Error ? error.message : String(error);
}
