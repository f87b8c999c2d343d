// CompoundTimelock: Compound's Timelock (GovernorAlpha/Bravo's, and OpenZeppelin's
// GovernorTimelockCompound's). Each queued transaction is one TimelockOperation (id: the Timelock's
// txHash, keccak256(abi.encode(target, value, signature, data, eta))) with one TimelockCall; the
// Governor's ProposalQueued links them to their proposal. The Timelock has no roles, no salt and no
// predecessor, and its constructor emits nothing, so minDelay is 0 until a NewDelay.
import { BigInt, Bytes, ethereum, log } from "@graphprotocol/graph-ts";

import { CancelTransaction, ExecuteTransaction, NewDelay, QueueTransaction } from "../generated/CompoundTimelock/CompoundTimelock";
import { TimelockCall, TimelockOperation } from "../generated/schema";
import { getOrCreateDailySnapshot, getOrCreateTimelock, markOperationCanceled, markOperationExecuted, recordMinDelayChange } from "./helpers";
import { selectorOf } from "./proposals";
import { ETH_ASSET_ID, linkPendingFlows, recordFlow } from "./treasury";

/** What the Timelock calls: the signature's selector then `data`, or `data` alone without a signature. */
function callData(signature: string, data: Bytes): Bytes {
  if (signature.length == 0) return data;
  return selectorOf(signature).concat(data);
}

export function handleQueueTransaction(event: QueueTransaction): void {
  const p = event.params;
  const id = p.txHash.toHexString();
  const timelock = getOrCreateTimelock(event.address);
  timelock.operationCount += 1;
  timelock.save();

  // A txHash includes its eta, so queueing the same call again (after a cancellation) starts afresh.
  const previous = TimelockOperation.load(id);
  const operation = new TimelockOperation(id);
  if (previous != null) operation.proposal = previous.proposal;
  operation.timelock = timelock.id;
  operation.status = "SCHEDULED";
  operation.delay = p.eta.minus(event.block.timestamp);
  operation.readyAt = p.eta;
  operation.predecessor = new Bytes(32);
  operation.callCount = 1;
  operation.executedCallCount = 0;
  operation.scheduledBlock = event.block.number;
  operation.scheduledTimestamp = event.block.timestamp;
  operation.scheduledTx = event.transaction.hash;
  operation.save();

  const call = new TimelockCall(id + "-0");
  call.operation = id;
  call.index = 0;
  call.target = p.target;
  call.value = p.value;
  call.signature = p.signature;
  call.data = callData(p.signature, p.data);
  call.executed = false;
  call.save();

  const snapshot = getOrCreateDailySnapshot(event.block.timestamp);
  snapshot.timelockOperationsScheduled += 1;
  snapshot.save();
}

export function handleExecuteTransaction(event: ExecuteTransaction): void {
  const id = event.params.txHash.toHexString();
  const operation = TimelockOperation.load(id);
  if (operation == null) {
    log.warning("ExecuteTransaction: unknown transaction {}", [id]);
    return;
  }
  const call = TimelockCall.load(id + "-0");
  if (call != null) {
    call.executed = true;
    call.executedTx = event.transaction.hash;
    call.save();
  }
  // Token flows the call caused were recorded by the token's Transfer, just before this event.
  linkPendingFlows(event, operation);
  if (!event.params.value.isZero()) {
    const flow = recordFlow(event, ETH_ASSET_ID, "ETH", null, event.address.toHexString(), false, event.params.value, event.params.target);
    flow.operation = operation.id;
    flow.proposal = operation.proposal;
    flow.save();
  }
  operation.executedCallCount = 1;
  markOperationExecuted(event, operation);
  operation.save();
}

export function handleCancelTransaction(event: CancelTransaction): void {
  const id = event.params.txHash.toHexString();
  const operation = TimelockOperation.load(id);
  if (operation == null) {
    // GovernorAlpha/Bravo cancel every action of a proposal, queued or not.
    log.info("CancelTransaction: transaction {} was never queued", [id]);
    return;
  }
  markOperationCanceled(event, operation);
}

export function handleNewDelay(event: NewDelay): void {
  const timelock = getOrCreateTimelock(event.address);
  recordMinDelayChange(event, timelock.minDelay, event.params.newDelay);
}
