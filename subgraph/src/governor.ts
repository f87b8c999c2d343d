// DAOGovernor (the platform's own Governor): proposals, their actions, code pins, risk delay and
// timeline, votes, parameters, risk tiers and analysts. Proposals and votes are recorded by
// proposals.ts, shared with the other Governor flavours.
import { Address, Bytes, log } from "@graphprotocol/graph-ts";

import {
  AnalystSet,
  LateQuorumVoteExtensionSet,
  ProposalCanceled,
  ProposalCodePinned,
  ProposalCreated,
  ProposalExecuted,
  ProposalExtended,
  ProposalGuardianSet,
  ProposalQueued,
  ProposalRiskDelay,
  ProposalThresholdSet,
  QuorumNumeratorUpdated,
  RiskTiersSet,
  TimelockChange,
  VoteCast,
  VoteCastWithParams,
  VotingDelaySet,
  VotingPeriodSet,
} from "../generated/DAOGovernor/DAOGovernor";
import { AnalystChange, CodePin, ProposalExtension, RiskTier, RiskTierSet } from "../generated/schema";
import { eventId, getOrCreateAccount } from "./helpers";
import {
  ProposalCreation,
  createProposal,
  finishQueued,
  getOrCreateGovernor,
  linkQueuedOperation,
  loadProposal,
  markCanceled,
  markExecuted,
  markQueued,
  recordParameterChange,
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

// Emitted right after ProposalCreated: the code hash of each target, in action order (zero: no code).
export function handleProposalCodePinned(event: ProposalCodePinned): void {
  const proposal = loadProposal(event.params.proposalId, "ProposalCodePinned");
  if (proposal == null) return;
  const targets = event.params.targets;
  const codeHashes = event.params.codeHashes;
  if (targets.length != codeHashes.length) {
    log.warning("ProposalCodePinned: proposal {}: {} targets but {} code hashes", [
      proposal.id,
      targets.length.toString(),
      codeHashes.length.toString(),
    ]);
    return;
  }
  const noCode = new Bytes(32);
  for (let i = 0; i < targets.length; i++) {
    const pin = new CodePin(proposal.id + "-" + i.toString());
    pin.proposal = proposal.id;
    pin.action = pin.id;
    pin.index = i;
    pin.target = targets[i];
    pin.codeHash = codeHashes[i];
    pin.hasCode = !codeHashes[i].equals(noCode);
    pin.block = event.block.number;
    pin.timestamp = event.block.timestamp;
    pin.tx = event.transaction.hash;
    pin.logIndex = event.logIndex;
    pin.save();
  }
}

// Emitted while queueing, before ProposalQueued: the delay the proposal's risk earned.
export function handleProposalRiskDelay(event: ProposalRiskDelay): void {
  const proposal = loadProposal(event.params.proposalId, "ProposalRiskDelay");
  if (proposal == null) return;
  const analysed = event.params.analysed;
  proposal.riskDelay = event.params.delay;
  proposal.riskDelayAnalysed = analysed;
  // The event says 0 when there was no analysis: that is no risk score, so riskDelayRisk stays null.
  if (analysed) proposal.riskDelayRisk = event.params.risk;
  proposal.riskDelayTier = event.params.tier;
  proposal.riskDelayTiers = getOrCreateGovernor(event.address).riskTiers;
  proposal.save();
}

export function handleProposalQueued(event: ProposalQueued): void {
  const proposal = loadProposal(event.params.proposalId, "ProposalQueued");
  if (proposal == null) return;
  markQueued(event, proposal, event.params.etaSeconds);
  if (!linkQueuedOperation(event, proposal)) {
    log.warning("ProposalQueued: proposal {}: no timelock operation with the Governor's salt in tx {}", [
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

export function handleProposalExtended(event: ProposalExtended): void {
  const proposal = loadProposal(event.params.proposalId, "ProposalExtended");
  if (proposal == null) return;
  proposal.voteEnd = event.params.extendedDeadline;
  proposal.extended = true;
  proposal.save();

  const extension = new ProposalExtension(eventId(event));
  extension.proposal = proposal.id;
  extension.extendedDeadline = event.params.extendedDeadline;
  extension.block = event.block.number;
  extension.timestamp = event.block.timestamp;
  extension.tx = event.transaction.hash;
  extension.logIndex = event.logIndex;
  extension.save();
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

export function handleLateQuorumVoteExtensionSet(event: LateQuorumVoteExtensionSet): void {
  setGovernorNumber(event, "lateQuorumVoteExtension", event.params.oldVoteExtension, event.params.newVoteExtension);
}

export function handleProposalGuardianSet(event: ProposalGuardianSet): void {
  const governor = getOrCreateGovernor(event.address);
  const guardian = event.params.newProposalGuardian;
  governor.proposalGuardian = guardian.equals(Address.zero()) ? null : guardian;
  governor.save();
  recordParameterChange(
    event,
    "proposalGuardian",
    event.params.oldProposalGuardian.toHexString(),
    guardian.toHexString(),
  );
}

export function handleTimelockChange(event: TimelockChange): void {
  setGovernorTimelock(event, event.params.oldTimelock, event.params.newTimelock);
}

export function handleAnalystSet(event: AnalystSet): void {
  const account = getOrCreateAccount(event.params.account);
  const registered = event.params.registered;
  if (account.isAnalyst != registered) {
    const governor = getOrCreateGovernor(event.address);
    governor.analystCount += registered ? 1 : -1;
    governor.save();
  }
  account.isAnalyst = registered;
  account.save();

  const change = new AnalystChange(eventId(event));
  change.account = account.id;
  change.registered = registered;
  change.block = event.block.number;
  change.timestamp = event.block.timestamp;
  change.tx = event.transaction.hash;
  change.logIndex = event.logIndex;
  change.save();
}

export function handleRiskTiersSet(event: RiskTiersSet): void {
  const set = new RiskTierSet(eventId(event));
  const tiers = event.params.tiers;
  set.governor = event.address.toHexString();
  set.tierCount = tiers.length;
  set.block = event.block.number;
  set.timestamp = event.block.timestamp;
  set.tx = event.transaction.hash;
  set.logIndex = event.logIndex;
  set.save();
  for (let i = 0; i < tiers.length; i++) {
    const tier = new RiskTier(set.id + "-" + i.toString());
    tier.tierSet = set.id;
    tier.index = i;
    tier.tier = i + 1;
    tier.minRisk = tiers[i].minRisk;
    tier.delay = tiers[i].delay;
    tier.save();
  }

  const governor = getOrCreateGovernor(event.address);
  governor.riskTiers = set.id;
  governor.save();
}
