// Proposals and votes, whatever the Governor's flavour: the platform's Governor (governor.ts), an
// OpenZeppelin Governor without the platform's extensions (governor-openzeppelin.ts) and Compound's
// GovernorAlpha/Bravo (governor-compound.ts) all record them through these functions, so every
// flavour writes the same entities the same way.
import { Address, BigInt, ByteArray, Bytes, crypto, ethereum, log } from "@graphprotocol/graph-ts";

import {
  Governor,
  GovernorParameterChange,
  Proposal,
  ProposalAction,
  ProposalStateChange,
  TimelockOperation,
  TimelockOperationSalt,
  Vote,
} from "../generated/schema";
import { getOrCreateAccount, getOrCreateDailySnapshot, eventId } from "./helpers";

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

export function selectorOf(signature: string): Bytes {
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

/** OpenZeppelin 5's GovernorTimelockControl salt: bytes20(governor) XOR descriptionHash (4.x used the hash itself). */
export function timelockSalt(governor: Address, descriptionHash: Bytes): Bytes {
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
export function confirmedHash(proposalId: BigInt, targets: Address[], values: BigInt[], calldatas: Bytes[], candidate: Bytes): bool {
  const computed = proposalIdOf(targets, values, calldatas, candidate);
  if (computed === null) return false;
  return computed.equals(proposalId);
}

/**
 * The Compound Timelock's id of a queued transaction:
 * keccak256(abi.encode(target, value, signature, data, eta)), or null when the host cannot encode it.
 */
export function compoundTransactionHash(target: Address, value: BigInt, signature: string, data: Bytes, eta: BigInt): Bytes | null {
  const tuple = new ethereum.Tuple();
  tuple.push(ethereum.Value.fromAddress(target));
  tuple.push(ethereum.Value.fromUnsignedBigInt(value));
  tuple.push(ethereum.Value.fromString(signature));
  tuple.push(ethereum.Value.fromBytes(data));
  tuple.push(ethereum.Value.fromUnsignedBigInt(eta));
  const encoded = ethereum.encode(ethereum.Value.fromTuple(tuple));
  // As in proposalIdOf: drop the tuple's own offset word.
  if (encoded === null) return null;
  if (encoded.length < 32) return null;
  return Bytes.fromByteArray(crypto.keccak256(Bytes.fromUint8Array(encoded.subarray(32))));
}

/** The proposal's actions, as the Governor hashes them. */
export function actionsOf(proposal: Proposal): ProposalAction[] {
  const actions: ProposalAction[] = [];
  for (let i = 0; i < proposal.actionCount; i++) {
    const action = ProposalAction.load(proposal.id + "-" + i.toString());
    if (action == null) return [];
    actions.push(action);
  }
  return actions;
}

export function getOrCreateGovernor(address: Address): Governor {
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

export function recordParameterChange(event: ethereum.Event, parameter: string, oldValue: string, newValue: string): void {
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

export function loadProposal(proposalId: BigInt, eventName: string): Proposal | null {
  const proposal = Proposal.load(proposalId.toString());
  if (proposal == null) {
    log.warning("{}: proposal {} was not indexed (created before the start block?)", [eventName, proposalId.toString()]);
  }
  return proposal;
}

/** What every flavour's ProposalCreated carries, in the same order. */
export class ProposalCreation {
  proposalId: BigInt;
  proposer: Address;
  targets: Address[];
  values: BigInt[];
  signatures: string[];
  calldatas: Bytes[];
  voteStart: BigInt;
  voteEnd: BigInt;
  description: string;
  /** Whether the id is a hash of the actions and description (OpenZeppelin) rather than a counter (Compound). */
  idHashesContent: bool;

  constructor(
    proposalId: BigInt,
    proposer: Address,
    targets: Address[],
    values: BigInt[],
    signatures: string[],
    calldatas: Bytes[],
    voteStart: BigInt,
    voteEnd: BigInt,
    description: string,
    idHashesContent: bool,
  ) {
    this.proposalId = proposalId;
    this.proposer = proposer;
    this.targets = targets;
    this.values = values;
    this.signatures = signatures;
    this.calldatas = calldatas;
    this.voteStart = voteStart;
    this.voteEnd = voteEnd;
    this.description = description;
    this.idHashesContent = idHashesContent;
  }
}

/** A new proposal with its actions; the caller saves nothing more. */
export function createProposal(event: ethereum.Event, params: ProposalCreation): Proposal {
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
  if (params.idHashesContent) {
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
  } else {
    // A counter id says nothing about the description: nothing to check the text against.
    proposal.descriptionHash = null;
    proposal.descriptionExact = false;
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
    const signature = i < signatures.length ? signatures[i] : "";
    action.signature = signature;
    action.calldata = calldatas[i];
    if (signature.length > 0) {
      // Compound style: the function by its signature, the calldata holds only the arguments.
      action.selector = selectorOf(signature);
      action.functionSignature = signature;
    } else if (calldatas[i].length >= 4) {
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
  return proposal;
}

/** Marks the proposal queued with its eta; the caller links its timelock operation and saves. */
export function markQueued(event: ethereum.Event, proposal: Proposal, eta: BigInt): void {
  proposal.status = "QUEUED";
  proposal.eta = eta;
  proposal.queuedBlock = event.block.number;
  proposal.queuedTimestamp = event.block.timestamp;
  proposal.queuedTx = event.transaction.hash;
}

/** Saves a queued proposal and counts it (after markQueued and the timelock link). */
export function finishQueued(event: ethereum.Event, proposal: Proposal): void {
  proposal.save();
  recordStateChange(event, proposal, "QUEUED");

  const governor = getOrCreateGovernor(event.address);
  governor.queuedCount += 1;
  governor.save();
  const snapshot = getOrCreateDailySnapshot(event.block.timestamp);
  snapshot.proposalsQueued += 1;
  snapshot.save();
}

/** Links the proposal to the operation its queueing scheduled (found through CallSalt); true when found. */
export function linkOperationBySalt(event: ethereum.Event, proposal: Proposal, salt: Bytes): bool {
  const saltUse = TimelockOperationSalt.load(salt.toHexString() + "-" + event.transaction.hash.toHexString());
  if (saltUse == null) return false;
  linkOperation(proposal, saltUse.operation);
  return true;
}

function linkOperation(proposal: Proposal, operationId: string): void {
  proposal.timelockOperation = operationId;
  const operation = TimelockOperation.load(operationId);
  if (operation != null) {
    operation.proposal = proposal.id;
    operation.save();
  }
}

/**
 * Links the proposal to the Compound Timelock transactions its queueing queued, one per action
 * (QueueTransaction ran just before, in the same transaction). `timelockOperation` is the first
 * action's; every one has `proposal` set. Returns how many were found.
 */
export function linkCompoundTransactions(proposal: Proposal, eta: BigInt): i32 {
  const actions = actionsOf(proposal);
  let found = 0;
  for (let i = actions.length - 1; i >= 0; i--) {
    const action = actions[i];
    const hash = compoundTransactionHash(Address.fromBytes(action.target), action.value, action.signature, action.calldata, eta);
    if (hash === null) continue;
    if (TimelockOperation.load(hash.toHexString()) == null) continue;
    linkOperation(proposal, hash.toHexString());
    found += 1;
  }
  return found;
}

export function markExecuted(event: ethereum.Event, proposalId: BigInt): void {
  const proposal = loadProposal(proposalId, "ProposalExecuted");
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

export function markCanceled(event: ethereum.Event, proposalId: BigInt): void {
  const proposal = loadProposal(proposalId, "ProposalCanceled");
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

/** One vote: support 0 against, 1 for, 2 abstain; `reason` and `params` empty when the Governor has none. */
export function recordVote(
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

/**
 * Links a queued proposal to the TimelockController operation its queueing scheduled: the timelock
 * emitted CallScheduled and CallSalt earlier in the transaction with the Governor's salt, which is
 * bytes20(governor) XOR descriptionHash (OpenZeppelin 5, the platform's Governor) or the
 * description hash itself (OpenZeppelin 4.x). Returns false when no such operation was found.
 */
export function linkQueuedOperation(event: ethereum.Event, proposal: Proposal): bool {
  const knownHash = proposal.descriptionHash;
  if (knownHash !== null) {
    if (linkOperationBySalt(event, proposal, timelockSalt(event.address, knownHash))) return true;
    return linkOperationBySalt(event, proposal, knownHash);
  }
  // The hash was not known from the text: the last CallSalt of this transaction holds it (in one of
  // the two forms); keep it only if it gives back the proposal id.
  const last = TimelockOperationSalt.load(event.transaction.hash.toHexString());
  if (last == null) return false;
  const actions = actionsOf(proposal);
  if (actions.length != proposal.actionCount) return false;
  const targets: Address[] = [];
  const values: BigInt[] = [];
  const calldatas: Bytes[] = [];
  for (let i = 0; i < actions.length; i++) {
    targets.push(Address.fromBytes(actions[i].target));
    values.push(actions[i].value);
    calldatas.push(actions[i].calldata);
  }
  const candidates = [timelockSalt(event.address, last.salt), last.salt];
  for (let i = 0; i < candidates.length; i++) {
    if (confirmedHash(proposal.proposalId, targets, values, calldatas, candidates[i])) {
      proposal.descriptionHash = candidates[i];
      linkOperation(proposal, last.operation);
      return true;
    }
  }
  return false;
}

/**
 * A numeric Governor parameter changed (ProposalThresholdSet, VotingDelaySet, VotingPeriodSet,
 * QuorumNumeratorUpdated, LateQuorumVoteExtensionSet): the Governor's current value and the change.
 */
export function setGovernorNumber(event: ethereum.Event, parameter: string, oldValue: BigInt, newValue: BigInt): void {
  const governor = getOrCreateGovernor(event.address);
  if (parameter == "proposalThreshold") governor.proposalThreshold = newValue;
  else if (parameter == "votingDelay") governor.votingDelay = newValue;
  else if (parameter == "votingPeriod") governor.votingPeriod = newValue;
  else if (parameter == "quorumNumerator") governor.quorumNumerator = newValue;
  else if (parameter == "lateQuorumVoteExtension") governor.lateQuorumVoteExtension = newValue;
  governor.save();
  recordParameterChange(event, parameter, oldValue.toString(), newValue.toString());
}

/** The Governor's timelock changed (TimelockChange; Compound Governors have no such event). */
export function setGovernorTimelock(event: ethereum.Event, oldTimelock: Address, newTimelock: Address): void {
  const governor = getOrCreateGovernor(event.address);
  governor.timelock = newTimelock;
  governor.save();
  recordParameterChange(event, "timelock", oldTimelock.toHexString(), newTimelock.toHexString());
}
