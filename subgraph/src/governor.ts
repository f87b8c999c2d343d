// DAOGovernor: proposals, their actions, code pins, risk delay and timeline, votes, parameters,
// risk tiers and analysts.
import { Address, BigInt, ByteArray, Bytes, crypto, ethereum, log } from "@graphprotocol/graph-ts";

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
import {
  AnalystChange,
  CodePin,
  Governor,
  GovernorParameterChange,
  Proposal,
  ProposalAction,
  ProposalExtension,
  ProposalStateChange,
  RiskTier,
  RiskTierSet,
  TimelockOperation,
  TimelockOperationSalt,
  Vote,
} from "../generated/schema";
import { eventId, getOrCreateAccount, getOrCreateDailySnapshot } from "./helpers";

// Function signatures whose selectors get a readable name on ProposalAction: the DAO's own
// governance functions and the common token calls a treasury makes.
const KNOWN_FUNCTIONS: string[] = [
  "transfer(address,uint256)",
  "approve(address,uint256)",
  "transferFrom(address,address,uint256)",
  "delegate(address)",
  "setAnalyst(address,bool)",
  "setPublisher(address,bool)",
  "setVotingDelay(uint48)",
  "setVotingPeriod(uint32)",
  "setProposalThreshold(uint256)",
  "updateQuorumNumerator(uint256)",
  "setLateQuorumVoteExtension(uint48)",
  "setProposalGuardian(address)",
  "updateTimelock(address)",
  "updateDelay(uint256)",
  "grantRole(bytes32,address)",
  "revokeRole(bytes32,address)",
  "renounceRole(bytes32,address)",
];

function selectorOf(signature: string): Bytes {
  const hash = crypto.keccak256(ByteArray.fromUTF8(signature));
  return Bytes.fromUint8Array(hash.subarray(0, 4));
}

function knownFunction(selector: Bytes): string | null {
  for (let i = 0; i < KNOWN_FUNCTIONS.length; i++) {
    if (selectorOf(KNOWN_FUNCTIONS[i]).equals(selector)) return KNOWN_FUNCTIONS[i];
  }
  return null;
}

/** The description's first line without Markdown heading marks. */
function titleOf(description: string): string {
  let line = description.split("\n")[0];
  while (line.startsWith("#")) line = line.substr(1);
  return line.trim();
}

/** GovernorTimelockControl's salt: bytes20(governor) XOR descriptionHash. */
function timelockSalt(governor: Address, descriptionHash: Bytes): Bytes {
  const salt = new Bytes(32);
  for (let i = 0; i < 32; i++) {
    salt[i] = i < 20 ? governor[i] ^ descriptionHash[i] : descriptionHash[i];
  }
  return salt;
}

/**
 * The Governor's proposal id for these actions and description hash:
 * uint256(keccak256(abi.encode(targets, values, calldatas, descriptionHash))), or null when the
 * host cannot encode them.
 */
function proposalIdOf(targets: Address[], values: BigInt[], calldatas: Bytes[], descriptionHash: Bytes): BigInt | null {
  const tuple = new ethereum.Tuple();
  tuple.push(ethereum.Value.fromAddressArray(targets));
  tuple.push(ethereum.Value.fromUnsignedBigIntArray(values));
  tuple.push(ethereum.Value.fromBytesArray(calldatas));
  tuple.push(ethereum.Value.fromFixedBytes(descriptionHash));
  const encoded = ethereum.encode(ethereum.Value.fromTuple(tuple));
  // The tuple has dynamic members, so its encoding starts with its own offset (one word) that
  // abi.encode of the four values does not have.
  if (encoded === null) return null;
  if (encoded.length < 32) return null;
  const hash = crypto.keccak256(Bytes.fromUint8Array(encoded.subarray(32)));
  return BigInt.fromUnsignedBytes(Bytes.fromUint8Array(hash.reverse()));
}

/** The description hash for `proposalId` if `candidate` is it (the id is recomputed from the actions). */
function confirmedHash(proposalId: BigInt, targets: Address[], values: BigInt[], calldatas: Bytes[], candidate: Bytes): bool {
  const computed = proposalIdOf(targets, values, calldatas, candidate);
  if (computed === null) return false;
  return computed.equals(proposalId);
}

/** The proposal's actions, as the Governor hashes them. */
function actionsOf(proposal: Proposal): ProposalAction[] {
  const actions: ProposalAction[] = [];
  for (let i = 0; i < proposal.actionCount; i++) {
    const action = ProposalAction.load(proposal.id + "-" + i.toString());
    if (action == null) return [];
    actions.push(action);
  }
  return actions;
}

function getOrCreateGovernor(address: Address): Governor {
  const id = address.toHexString();
  let governor = Governor.load(id);
  if (governor == null) {
    governor = new Governor(id);
    governor.proposalCount = 0;
    governor.queuedCount = 0;
    governor.executedCount = 0;
    governor.canceledCount = 0;
    governor.voteCount = 0;
    governor.analystCount = 0;
  }
  return governor;
}

function recordParameterChange(event: ethereum.Event, parameter: string, oldValue: string, newValue: string): void {
  const change = new GovernorParameterChange(eventId(event));
  change.governor = event.address.toHexString();
  change.parameter = parameter;
  change.oldValue = oldValue;
  change.newValue = newValue;
  change.block = event.block.number;
  change.timestamp = event.block.timestamp;
  change.tx = event.transaction.hash;
  change.logIndex = event.logIndex;
  change.save();
}

function recordStateChange(event: ethereum.Event, proposal: Proposal, status: string): void {
  const change = new ProposalStateChange(eventId(event));
  change.proposal = proposal.id;
  change.status = status;
  change.eta = status == "QUEUED" ? proposal.eta : null;
  change.block = event.block.number;
  change.timestamp = event.block.timestamp;
  change.tx = event.transaction.hash;
  change.logIndex = event.logIndex;
  change.save();
}

function loadProposal(proposalId: BigInt, eventName: string): Proposal | null {
  const proposal = Proposal.load(proposalId.toString());
  if (proposal == null) {
    log.warning("{}: proposal {} was not indexed (created before the start block?)", [eventName, proposalId.toString()]);
  }
  return proposal;
}

export function handleProposalCreated(event: ProposalCreated): void {
  const params = event.params;
  const governor = getOrCreateGovernor(event.address);
  governor.proposalCount += 1;
  governor.save();

  const proposer = getOrCreateAccount(params.proposer);
  proposer.proposalsMade += 1;
  proposer.save();

  const proposal = new Proposal(params.proposalId.toString());
  proposal.proposalId = params.proposalId;
  proposal.governor = governor.id;
  proposal.proposer = proposer.id;
  proposal.description = params.description;
  proposal.title = titleOf(params.description);
  // The Governor hashed the description's bytes. The text here is those bytes decoded (invalid
  // UTF-8 became U+FFFD), so its UTF-8 hashes to the right value only when the decoding lost
  // nothing: check it against the emitted id, and store no hash rather than a wrong one.
  const textHash = Bytes.fromByteArray(crypto.keccak256(ByteArray.fromUTF8(params.description)));
  if (confirmedHash(params.proposalId, params.targets, params.values, params.calldatas, textHash)) {
    proposal.descriptionHash = textHash;
    proposal.descriptionExact = true;
  } else {
    proposal.descriptionHash = null;
    proposal.descriptionExact = false;
    log.warning("ProposalCreated: proposal {}: the description text is not the exact bytes proposed (invalid UTF-8?); descriptionHash left empty until the proposal is queued", [
      params.proposalId.toString(),
    ]);
  }
  proposal.voteStart = params.voteStart;
  proposal.voteEnd = params.voteEnd;
  proposal.originalVoteEnd = params.voteEnd;
  proposal.extended = false;
  proposal.status = "CREATED";
  proposal.forVotes = BigInt.zero();
  proposal.againstVotes = BigInt.zero();
  proposal.abstainVotes = BigInt.zero();
  proposal.voterCount = 0;
  proposal.createdBlock = event.block.number;
  proposal.createdTimestamp = event.block.timestamp;
  proposal.createdTx = event.transaction.hash;
  proposal.decisionCount = 0;

  const targets = params.targets;
  const values = params.values;
  const signatures = params.signatures;
  const calldatas = params.calldatas;
  proposal.actionCount = targets.length;
  for (let i = 0; i < targets.length; i++) {
    const action = new ProposalAction(proposal.id + "-" + i.toString());
    action.proposal = proposal.id;
    action.index = i;
    action.target = targets[i];
    action.value = values[i];
    action.signature = signatures[i];
    action.calldata = calldatas[i];
    if (calldatas[i].length >= 4) {
      const selector = Bytes.fromUint8Array(calldatas[i].subarray(0, 4));
      action.selector = selector;
      action.functionSignature = knownFunction(selector);
    }
    action.save();
  }
  proposal.save();
  recordStateChange(event, proposal, "CREATED");

  const snapshot = getOrCreateDailySnapshot(event.block.timestamp);
  snapshot.proposalsCreated += 1;
  snapshot.save();
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
  proposal.status = "QUEUED";
  proposal.eta = event.params.etaSeconds;
  proposal.queuedBlock = event.block.number;
  proposal.queuedTimestamp = event.block.timestamp;
  proposal.queuedTx = event.transaction.hash;

  // The timelock scheduled the batch earlier in this transaction and emitted CallSalt with the
  // Governor's salt; that record names the operation.
  let saltUse: TimelockOperationSalt | null = null;
  let salt = new Bytes(0);
  const knownHash = proposal.descriptionHash;
  if (knownHash !== null) {
    salt = timelockSalt(event.address, knownHash);
    saltUse = TimelockOperationSalt.load(salt.toHexString() + "-" + event.transaction.hash.toHexString());
  } else {
    // The hash was not known from the text: the last CallSalt of this transaction holds
    // bytes20(governor) XOR descriptionHash; keep it only if it gives back the proposal id.
    const last = TimelockOperationSalt.load(event.transaction.hash.toHexString());
    if (last != null) {
      salt = last.salt;
      const candidate = timelockSalt(event.address, last.salt);
      const actions = actionsOf(proposal);
      const targets: Address[] = [];
      const values: BigInt[] = [];
      const calldatas: Bytes[] = [];
      for (let i = 0; i < actions.length; i++) {
        targets.push(Address.fromBytes(actions[i].target));
        values.push(actions[i].value);
        calldatas.push(actions[i].calldata);
      }
      if (actions.length == proposal.actionCount && confirmedHash(proposal.proposalId, targets, values, calldatas, candidate)) {
        proposal.descriptionHash = candidate;
        saltUse = last;
      }
    }
  }
  if (saltUse != null) {
    proposal.timelockOperation = saltUse.operation;
    const operation = TimelockOperation.load(saltUse.operation);
    if (operation != null) {
      operation.proposal = proposal.id;
      operation.save();
    }
  } else {
    log.warning("ProposalQueued: no timelock operation with salt {} in tx {}", [
      salt.toHexString(),
      event.transaction.hash.toHexString(),
    ]);
  }
  proposal.save();
  recordStateChange(event, proposal, "QUEUED");

  const governor = getOrCreateGovernor(event.address);
  governor.queuedCount += 1;
  governor.save();
  const snapshot = getOrCreateDailySnapshot(event.block.timestamp);
  snapshot.proposalsQueued += 1;
  snapshot.save();
}

export function handleProposalExecuted(event: ProposalExecuted): void {
  const proposal = loadProposal(event.params.proposalId, "ProposalExecuted");
  if (proposal == null) return;
  proposal.status = "EXECUTED";
  proposal.executedBlock = event.block.number;
  proposal.executedTimestamp = event.block.timestamp;
  proposal.executedTx = event.transaction.hash;
  proposal.save();
  recordStateChange(event, proposal, "EXECUTED");

  const governor = getOrCreateGovernor(event.address);
  governor.executedCount += 1;
  governor.save();
  const snapshot = getOrCreateDailySnapshot(event.block.timestamp);
  snapshot.proposalsExecuted += 1;
  snapshot.save();
}

export function handleProposalCanceled(event: ProposalCanceled): void {
  const proposal = loadProposal(event.params.proposalId, "ProposalCanceled");
  if (proposal == null) return;
  proposal.status = "CANCELED";
  proposal.canceledBlock = event.block.number;
  proposal.canceledTimestamp = event.block.timestamp;
  proposal.canceledTx = event.transaction.hash;
  proposal.save();
  recordStateChange(event, proposal, "CANCELED");

  const governor = getOrCreateGovernor(event.address);
  governor.canceledCount += 1;
  governor.save();
  const snapshot = getOrCreateDailySnapshot(event.block.timestamp);
  snapshot.proposalsCanceled += 1;
  snapshot.save();
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

function recordVote(
  event: ethereum.Event,
  voterAddress: Address,
  proposalId: BigInt,
  support: i32,
  weight: BigInt,
  reason: string,
  params: Bytes,
): void {
  const voter = getOrCreateAccount(voterAddress);
  voter.votesCast += 1;
  voter.save();

  const vote = new Vote(proposalId.toString() + "-" + voter.id);
  vote.proposal = proposalId.toString();
  vote.voter = voter.id;
  vote.support = support;
  vote.choice = support == 0 ? "AGAINST" : support == 1 ? "FOR" : "ABSTAIN";
  vote.weight = weight;
  vote.reason = reason;
  vote.params = params;
  vote.block = event.block.number;
  vote.timestamp = event.block.timestamp;
  vote.tx = event.transaction.hash;
  vote.logIndex = event.logIndex;
  vote.save();

  const proposal = loadProposal(proposalId, "VoteCast");
  if (proposal != null) {
    if (support == 0) proposal.againstVotes = proposal.againstVotes.plus(weight);
    else if (support == 1) proposal.forVotes = proposal.forVotes.plus(weight);
    else proposal.abstainVotes = proposal.abstainVotes.plus(weight);
    proposal.voterCount += 1;
    proposal.save();
  }

  const governor = getOrCreateGovernor(event.address);
  governor.voteCount += 1;
  governor.save();

  const snapshot = getOrCreateDailySnapshot(event.block.timestamp);
  snapshot.votesCast += 1;
  if (support == 0) snapshot.againstWeight = snapshot.againstWeight.plus(weight);
  else if (support == 1) snapshot.forWeight = snapshot.forWeight.plus(weight);
  else snapshot.abstainWeight = snapshot.abstainWeight.plus(weight);
  snapshot.save();
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
  const governor = getOrCreateGovernor(event.address);
  governor.proposalThreshold = event.params.newProposalThreshold;
  governor.save();
  recordParameterChange(
    event,
    "proposalThreshold",
    event.params.oldProposalThreshold.toString(),
    event.params.newProposalThreshold.toString(),
  );
}

export function handleVotingDelaySet(event: VotingDelaySet): void {
  const governor = getOrCreateGovernor(event.address);
  governor.votingDelay = event.params.newVotingDelay;
  governor.save();
  recordParameterChange(event, "votingDelay", event.params.oldVotingDelay.toString(), event.params.newVotingDelay.toString());
}

export function handleVotingPeriodSet(event: VotingPeriodSet): void {
  const governor = getOrCreateGovernor(event.address);
  governor.votingPeriod = event.params.newVotingPeriod;
  governor.save();
  recordParameterChange(
    event,
    "votingPeriod",
    event.params.oldVotingPeriod.toString(),
    event.params.newVotingPeriod.toString(),
  );
}

export function handleQuorumNumeratorUpdated(event: QuorumNumeratorUpdated): void {
  const governor = getOrCreateGovernor(event.address);
  governor.quorumNumerator = event.params.newQuorumNumerator;
  governor.save();
  recordParameterChange(
    event,
    "quorumNumerator",
    event.params.oldQuorumNumerator.toString(),
    event.params.newQuorumNumerator.toString(),
  );
}

export function handleLateQuorumVoteExtensionSet(event: LateQuorumVoteExtensionSet): void {
  const governor = getOrCreateGovernor(event.address);
  governor.lateQuorumVoteExtension = event.params.newVoteExtension;
  governor.save();
  recordParameterChange(
    event,
    "lateQuorumVoteExtension",
    event.params.oldVoteExtension.toString(),
    event.params.newVoteExtension.toString(),
  );
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
  const governor = getOrCreateGovernor(event.address);
  governor.timelock = event.params.newTimelock;
  governor.save();
  recordParameterChange(
    event,
    "timelock",
    event.params.oldTimelock.toHexString(),
    event.params.newTimelock.toHexString(),
  );
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
