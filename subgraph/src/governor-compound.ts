// CompoundGovernor: Compound's GovernorAlpha or GovernorBravo (and forks such as Uniswap's).
// Proposals carry a function signature per action and calldata without the selector; ids are a
// counter; voteStart and voteEnd are block numbers. Recorded by proposals.ts like every other
// flavour. The ABI is GovernorAlpha's or GovernorBravo's (scripts/abis.ts); their VoteCast differ
// (Alpha: bool support, no reason; Bravo: uint8 support and a reason), so it is read by position.
import { Bytes, ethereum, log } from "@graphprotocol/graph-ts";

import {
  ProposalCanceled,
  ProposalCreated,
  ProposalExecuted,
  ProposalQueued,
} from "../generated/CompoundGovernor/CompoundGovernor";
import {
  ProposalCreation,
  createProposal,
  finishQueued,
  linkCompoundTransactions,
  loadProposal,
  markCanceled,
  markExecuted,
  markQueued,
  recordVote,
} from "./proposals";

export function handleProposalCreated(event: ProposalCreated): void {
  const p = event.params;
  createProposal(
    event,
    new ProposalCreation(p.id, p.proposer, p.targets, p.values, p.signatures, p.calldatas, p.startBlock, p.endBlock, p.description, false),
  );
}

export function handleProposalQueued(event: ProposalQueued): void {
  const proposal = loadProposal(event.params.id, "ProposalQueued");
  if (proposal == null) return;
  markQueued(event, proposal, event.params.eta);
  // The Timelock's QueueTransaction for each action came first in this transaction.
  const linked = linkCompoundTransactions(proposal, event.params.eta);
  if (linked != proposal.actionCount) {
    log.warning("ProposalQueued: proposal {}: {} of {} timelock transactions found in tx {}", [
      proposal.id,
      linked.toString(),
      proposal.actionCount.toString(),
      event.transaction.hash.toHexString(),
    ]);
  }
  finishQueued(event, proposal);
}

export function handleProposalExecuted(event: ProposalExecuted): void {
  markExecuted(event, event.params.id);
}

export function handleProposalCanceled(event: ProposalCanceled): void {
  markCanceled(event, event.params.id);
}

/** VoteCast(voter, proposalId, support, votes[, reason]): Alpha's support is a bool (for or against). */
export function handleVoteCast(event: ethereum.Event): void {
  const parameters = event.parameters;
  const supportValue = parameters[2].value;
  const support = supportValue.kind == ethereum.ValueKind.BOOL ? (supportValue.toBoolean() ? 1 : 0) : supportValue.toI32();
  const reason = parameters.length > 4 ? parameters[4].value.toString() : "";
  // Not Bytes.empty(): in graph-ts that is four zero bytes.
  recordVote(event, parameters[0].value.toAddress(), parameters[1].value.toBigInt(), support, parameters[3].value.toBigInt(), reason, new Bytes(0));
}
