// Helpers shared by the mappings: event ids, accounts, timelocks and the daily snapshot.
import { Address, BigInt, ethereum } from "@graphprotocol/graph-ts";

import { Account, DailyGovernanceSnapshot, Timelock, TimelockMinDelayChange, TimelockOperation } from "../generated/schema";

export const SECONDS_PER_DAY: i32 = 86400;

/** Id of an entity that records one event: "<tx hash>-<log index>". */
export function eventId(event: ethereum.Event): string {
  return event.transaction.hash.toHexString() + "-" + event.logIndex.toString();
}

export function getOrCreateAccount(address: Address): Account {
  const id = address.toHexString();
  let account = Account.load(id);
  if (account == null) {
    account = new Account(id);
    account.balance = BigInt.zero();
    account.delegatedVotes = BigInt.zero();
    account.delegatorCount = 0;
    account.votesCast = 0;
    account.proposalsMade = 0;
    account.isAnalyst = false;
    account.isPublisher = false;
    account.decisionsPublished = 0;
  }
  return account;
}

/** The snapshot of the UTC day that holds `timestamp`. */
export function getOrCreateDailySnapshot(timestamp: BigInt): DailyGovernanceSnapshot {
  const day = timestamp.toI64() / SECONDS_PER_DAY;
  const id = day.toString();
  let snapshot = DailyGovernanceSnapshot.load(id);
  if (snapshot == null) {
    snapshot = new DailyGovernanceSnapshot(id);
    snapshot.day = i32(day);
    snapshot.date = BigInt.fromI64(day * SECONDS_PER_DAY);
    snapshot.proposalsCreated = 0;
    snapshot.proposalsQueued = 0;
    snapshot.proposalsExecuted = 0;
    snapshot.proposalsCanceled = 0;
    snapshot.votesCast = 0;
    snapshot.forWeight = BigInt.zero();
    snapshot.againstWeight = BigInt.zero();
    snapshot.abstainWeight = BigInt.zero();
    snapshot.delegateChanges = 0;
    snapshot.decisionsPublished = 0;
    snapshot.executionGuardDecisions = 0;
    snapshot.timelockOperationsScheduled = 0;
    snapshot.timelockOperationsExecuted = 0;
    snapshot.votingPowerMoved = BigInt.zero();
  }
  return snapshot;
}

/** The timelock at `address` (a TimelockController or a Compound Timelock), new with zero counts. */
export function getOrCreateTimelock(address: Address): Timelock {
  const id = address.toHexString();
  let timelock = Timelock.load(id);
  if (timelock == null) {
    timelock = new Timelock(id);
    timelock.minDelay = BigInt.zero();
    timelock.operationCount = 0;
    timelock.executedCount = 0;
    timelock.canceledCount = 0;
  }
  return timelock;
}

/** Marks a timelock operation executed and counts it on its timelock and the day; the caller saves the operation. */
export function markOperationExecuted(event: ethereum.Event, operation: TimelockOperation): void {
  operation.status = "EXECUTED";
  operation.executedBlock = event.block.number;
  operation.executedTimestamp = event.block.timestamp;
  operation.executedTx = event.transaction.hash;
  const timelock = getOrCreateTimelock(event.address);
  timelock.executedCount += 1;
  timelock.save();
  const snapshot = getOrCreateDailySnapshot(event.block.timestamp);
  snapshot.timelockOperationsExecuted += 1;
  snapshot.save();
}

/** Marks a timelock operation canceled, saves it and counts it on its timelock. */
export function markOperationCanceled(event: ethereum.Event, operation: TimelockOperation): void {
  operation.status = "CANCELED";
  operation.canceledBlock = event.block.number;
  operation.canceledTimestamp = event.block.timestamp;
  operation.canceledTx = event.transaction.hash;
  operation.save();
  const timelock = getOrCreateTimelock(event.address);
  timelock.canceledCount += 1;
  timelock.save();
}

/** Records a change of the timelock's minimum delay and applies it. */
export function recordMinDelayChange(event: ethereum.Event, oldDuration: BigInt, newDuration: BigInt): void {
  const timelock = getOrCreateTimelock(event.address);
  const change = new TimelockMinDelayChange(eventId(event));
  change.timelock = timelock.id;
  change.oldDuration = oldDuration;
  change.newDuration = newDuration;
  change.block = event.block.number;
  change.timestamp = event.block.timestamp;
  change.tx = event.transaction.hash;
  change.logIndex = event.logIndex;
  change.save();
  timelock.minDelay = newDuration;
  timelock.save();
}
