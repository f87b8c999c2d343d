// TimelockController (the treasury): scheduled operations, their calls, roles and the minimum delay.
import { Address, BigInt, ByteArray, Bytes, crypto, ethereum, log } from "@graphprotocol/graph-ts";

import {
  CallExecuted,
  CallSalt,
  CallScheduled,
  Cancelled,
  MinDelayChange,
  RoleGranted,
  RoleRevoked,
} from "../generated/TimelockController/TimelockController";
import {
  TimelockCall,
  TimelockOperation,
  TimelockOperationSalt,
  TimelockRoleChange,
  TimelockRoleMember,
} from "../generated/schema";
import { eventId, getOrCreateDailySnapshot, getOrCreateTimelock, markOperationCanceled, markOperationExecuted, recordMinDelayChange } from "./helpers";
import { ETH_ASSET_ID, linkPendingFlows, recordFlow } from "./treasury";

const ROLE_NAMES: string[] = ["PROPOSER_ROLE", "EXECUTOR_ROLE", "CANCELLER_ROLE"];

function roleName(role: Bytes): string {
  if (role.equals(Bytes.fromHexString("0x" + "00".repeat(32)))) return "DEFAULT_ADMIN_ROLE";
  for (let i = 0; i < ROLE_NAMES.length; i++) {
    if (Bytes.fromByteArray(crypto.keccak256(ByteArray.fromUTF8(ROLE_NAMES[i]))).equals(role)) return ROLE_NAMES[i];
  }
  return role.toHexString();
}

/** A new operation from its first CallScheduled, keeping the proposal link of an earlier, canceled schedule. */
function startOperation(event: CallScheduled, previous: TimelockOperation | null): TimelockOperation {
  const timelock = getOrCreateTimelock(event.address);
  timelock.operationCount += 1;
  timelock.save();

  const operation = new TimelockOperation(event.params.id.toHexString());
  if (previous != null) operation.proposal = previous.proposal;
  operation.timelock = timelock.id;
  operation.status = "SCHEDULED";
  operation.delay = event.params.delay;
  operation.readyAt = event.block.timestamp.plus(event.params.delay);
  operation.predecessor = event.params.predecessor;
  operation.callCount = 0;
  operation.executedCallCount = 0;
  operation.scheduledBlock = event.block.number;
  operation.scheduledTimestamp = event.block.timestamp;
  operation.scheduledTx = event.transaction.hash;

  const snapshot = getOrCreateDailySnapshot(event.block.timestamp);
  snapshot.timelockOperationsScheduled += 1;
  snapshot.save();
  return operation;
}

export function handleCallScheduled(event: CallScheduled): void {
  const id = event.params.id.toHexString();
  const index = event.params.index;
  // scheduleBatch emits one CallScheduled per call, index 0 first. An id can be scheduled again
  // after a cancellation: index 0 then starts the operation afresh.
  const existing = TimelockOperation.load(id);
  const operation = existing == null || index.isZero() ? startOperation(event, existing) : existing;

  const call = new TimelockCall(id + "-" + index.toString());
  call.operation = id;
  call.index = index.toI32();
  call.target = event.params.target;
  call.value = event.params.value;
  call.data = event.params.data;
  call.executed = false;
  call.save();

  operation.callCount += 1;
  operation.save();
}

export function handleCallSalt(event: CallSalt): void {
  const id = event.params.id.toHexString();
  const operation = TimelockOperation.load(id);
  if (operation == null) {
    log.warning("CallSalt: unknown operation {}", [id]);
    return;
  }
  operation.salt = event.params.salt;
  operation.save();

  // Overwritten when the same transaction schedules another operation with this salt: the
  // Governor's ProposalQueued always follows its own operation's CallSalt.
  const use = new TimelockOperationSalt(event.params.salt.toHexString() + "-" + event.transaction.hash.toHexString());
  use.operation = id;
  use.salt = event.params.salt;
  use.tx = event.transaction.hash;
  use.save();

  // The transaction's last CallSalt whatever its salt: how ProposalQueued finds the description
  // hash of a proposal whose text did not give it (salt = bytes20(governor) XOR descriptionHash).
  const last = new TimelockOperationSalt(event.transaction.hash.toHexString());
  last.operation = id;
  last.salt = event.params.salt;
  last.tx = event.transaction.hash;
  last.save();
}

export function handleCallExecuted(event: CallExecuted): void {
  const id = event.params.id.toHexString();
  const call = TimelockCall.load(id + "-" + event.params.index.toString());
  if (call != null) {
    call.executed = true;
    call.executedTx = event.transaction.hash;
    call.save();
  }

  const operation = TimelockOperation.load(id);
  if (operation == null) {
    log.warning("CallExecuted: unknown operation {}", [id]);
    return;
  }
  operation.executedCallCount += 1;
  // Token flows this call caused were recorded by the token's Transfer, just before this event.
  linkPendingFlows(event, operation);
  if (!event.params.value.isZero()) {
    const flow = recordFlow(event, ETH_ASSET_ID, "ETH", null, event.address.toHexString(), false, event.params.value, event.params.target);
    flow.operation = operation.id;
    flow.proposal = operation.proposal;
    flow.save();
  }
  if (operation.status != "EXECUTED") markOperationExecuted(event, operation);
  operation.save();
}

export function handleCancelled(event: Cancelled): void {
  const id = event.params.id.toHexString();
  const operation = TimelockOperation.load(id);
  if (operation == null) {
    log.warning("Cancelled: unknown operation {}", [id]);
    return;
  }
  markOperationCanceled(event, operation);
}

export function handleMinDelayChange(event: MinDelayChange): void {
  recordMinDelayChange(event, event.params.oldDuration, event.params.newDuration);
}

function recordRoleChange(event: ethereum.Event, role: Bytes, account: Address, sender: Address, granted: boolean): void {
  const timelock = getOrCreateTimelock(event.address);
  timelock.save();
  const name = roleName(role);

  const change = new TimelockRoleChange(eventId(event));
  change.timelock = timelock.id;
  change.role = role;
  change.roleName = name;
  change.account = account;
  change.sender = sender;
  change.granted = granted;
  change.block = event.block.number;
  change.timestamp = event.block.timestamp;
  change.tx = event.transaction.hash;
  change.logIndex = event.logIndex;
  change.save();

  const memberId = timelock.id + "-" + role.toHexString() + "-" + account.toHexString();
  let member = TimelockRoleMember.load(memberId);
  if (member == null) {
    member = new TimelockRoleMember(memberId);
    member.timelock = timelock.id;
    member.role = role;
    member.roleName = name;
    member.account = account;
  }
  member.active = granted;
  if (granted) member.grantedTimestamp = event.block.timestamp;
  else member.revokedTimestamp = event.block.timestamp;
  member.save();
}

export function handleRoleGranted(event: RoleGranted): void {
  recordRoleChange(event, event.params.role, event.params.account, event.params.sender, true);
}

export function handleRoleRevoked(event: RoleRevoked): void {
  recordRoleChange(event, event.params.role, event.params.account, event.params.sender, false);
}
