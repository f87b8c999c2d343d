// OpenZeppelinGovernor: an OpenZeppelin Governor (4.x or 5.x) the platform did not deploy, so
// without its extensions (no code pins, risk delay, analysts or guardian). Proposals, votes and the
// Governor's settings, recorded by proposals.ts as for the platform's own Governor. The ABI is the
// 4.9 or the 5 one (scripts/abis.ts); their events differ only in ProposalQueued's second
// parameter's name (eta, etaSeconds), read here by position.
import { Bytes, log } from "@graphprotocol/graph-ts";

import {
  ProposalCanceled,
  ProposalCreated,
  ProposalExecuted,
  ProposalQueued,
  ProposalThresholdSet,
  QuorumNumeratorUpdated,
  TimelockChange,
  VoteCast,
  VoteCastWithParams,
  VotingDelaySet,
  VotingPeriodSet,
} from "../generated/OpenZeppelinGovernor/OpenZeppelinGovernor";
import {
  ProposalCreation,
  createProposal,
  finishQueued,
  linkCompoundTransactions,
  linkQueuedOperation,
  loadProposal,
  markCanceled,
  markExecuted,
  markQueued,
  recordVote,
  setGovernorNumber,
  setGovernorTimelock,
} from "./proposals";

export function handleProposalCreated(event: ProposalCreated): void {
  const p = event.params;
  createProposal(
    event,
    new ProposalCreation(p.proposalId, p.proposer, p.targets, p.values, p.signatures, p.calldatas, p.voteStart, p.voteEnd, p.description, true),
  );
}

export function handleProposalQueued(event: ProposalQueued): void {
  const proposal = loadProposal(event.params.proposalId, "ProposalQueued");
  if (proposal == null) return;
  // 4.x names it eta, 5.x etaSeconds: the same uint256, second.
  const eta = event.parameters[1].value.toBigInt();
  markQueued(event, proposal, eta);
  // TimelockController (GovernorTimelockControl), else a Compound Timelock (GovernorTimelockCompound).
  if (!linkQueuedOperation(event, proposal) && linkCompoundTransactions(proposal, eta) == 0) {
    log.warning("ProposalQueued: proposal {}: no timelock operation queued for it in tx {}", [
      proposal.id,
      event.transaction.hash.toHexString(),
    ]);
  }
  finishQueued(event, proposal);
}

export function handleProposalExecuted(event: ProposalExecuted): void {
  markExecuted(event, event.params.proposalId);
}

export function handleProposalCanceled(event: ProposalCanceled): void {
  markCanceled(event, event.params.proposalId);
}

export function handleVoteCast(event: VoteCast): void {
  const p = event.params;
  // Not Bytes.empty(): in graph-ts that is four zero bytes.
  recordVote(event, p.voter, p.proposalId, p.support, p.weight, p.reason, new Bytes(0));
}

export function handleVoteCastWithParams(event: VoteCastWithParams): void {
  const p = event.params;
  recordVote(event, p.voter, p.proposalId, p.support, p.weight, p.reason, p.params);
}

export function handleProposalThresholdSet(event: ProposalThresholdSet): void {
  setGovernorNumber(event, "proposalThreshold", event.params.oldProposalThreshold, event.params.newProposalThreshold);
}

export function handleVotingDelaySet(event: VotingDelaySet): void {
  setGovernorNumber(event, "votingDelay", event.params.oldVotingDelay, event.params.newVotingDelay);
}

export function handleVotingPeriodSet(event: VotingPeriodSet): void {
  setGovernorNumber(event, "votingPeriod", event.params.oldVotingPeriod, event.params.newVotingPeriod);
}

export function handleQuorumNumeratorUpdated(event: QuorumNumeratorUpdated): void {
  setGovernorNumber(event, "quorumNumerator", event.params.oldQuorumNumerator, event.params.newQuorumNumerator);
}

export function handleTimelockChange(event: TimelockChange): void {
  setGovernorTimelock(event, event.params.oldTimelock, event.params.newTimelock);
}
