// Treasury flows: every movement of an indexed asset into or out of the timelock. The DAO token's
// data source and one data source per listed ERC-20 (deployment file `treasuryAssets`) call
// `recordTreasuryTransfer`; the timelock's CallExecuted records ETH paid out and ties the
// transaction's pending token flows to the operation and proposal that caused them.
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";

// Every ERC-20 Transfer has this event's layout, so the DAO token's generated class decodes any
// listed asset's Transfer too (no per-asset code generation needed).
import { Transfer } from "../generated/DAOToken/DAOToken";
import { Timelock, TimelockOperation, TreasuryAsset, TreasuryFlow, TreasuryPendingFlows } from "../generated/schema";
import { eventId } from "./helpers";

export const ETH_ASSET_ID = "eth";

function getOrCreateAsset(id: string, kind: string, address: Bytes | null, timestamp: BigInt): TreasuryAsset {
  let asset = TreasuryAsset.load(id);
  if (asset == null) {
    asset = new TreasuryAsset(id);
    asset.kind = kind;
    asset.address = address;
    asset.totalIn = BigInt.zero();
    asset.totalOut = BigInt.zero();
    asset.flowCount = 0;
    asset.firstTimestamp = timestamp;
    asset.lastTimestamp = timestamp;
  }
  return asset;
}

/** Records one flow of `asset` (id and kind) and updates the asset's totals. */
export function recordFlow(
  event: ethereum.Event,
  assetId: string,
  kind: string,
  assetAddress: Bytes | null,
  treasury: string,
  incoming: boolean,
  amount: BigInt,
  counterparty: Bytes | null,
): TreasuryFlow {
  const asset = getOrCreateAsset(assetId, kind, assetAddress, event.block.timestamp);
  if (incoming) asset.totalIn = asset.totalIn.plus(amount);
  else asset.totalOut = asset.totalOut.plus(amount);
  asset.flowCount += 1;
  asset.lastTimestamp = event.block.timestamp;
  asset.save();

  const flow = new TreasuryFlow(eventId(event));
  flow.asset = asset.id;
  flow.treasury = treasury;
  flow.direction = incoming ? "IN" : "OUT";
  flow.amount = amount;
  flow.counterparty = counterparty;
  flow.block = event.block.number;
  flow.timestamp = event.block.timestamp;
  flow.tx = event.transaction.hash;
  flow.logIndex = event.logIndex;
  return flow;
}

/**
 * A Transfer of token `event.address` that touches the treasury becomes a flow, left pending until
 * a CallExecuted of the same transaction says which timelock call caused it. The treasury is
 * recognised by its Timelock entity, which the timelock's constructor events create before any
 * token can reach it.
 */
export function recordTreasuryTransfer(event: Transfer, kind: string): void {
  const from = event.params.from;
  const to = event.params.to;
  const fromTreasury = Timelock.load(from.toHexString()) != null;
  const toTreasury = Timelock.load(to.toHexString()) != null;
  // A transfer from the treasury to itself changes nothing.
  if (fromTreasury == toTreasury) return;
  const treasury = fromTreasury ? from : to;
  const other = fromTreasury ? to : from;
  const flow = recordFlow(
    event,
    event.address.toHexString(),
    kind,
    event.address,
    treasury.toHexString(),
    toTreasury,
    event.params.value,
    other.equals(Address.zero()) ? null : other,
  );
  flow.save();

  const txId = event.transaction.hash.toHexString();
  let pending = TreasuryPendingFlows.load(txId);
  if (pending == null) {
    pending = new TreasuryPendingFlows(txId);
    pending.flows = [];
  }
  const flows = pending.flows;
  flows.push(flow.id);
  pending.flows = flows;
  pending.save();
}

/** Ties the transaction's pending token flows to `operation`: they happened inside its call. */
export function linkPendingFlows(event: ethereum.Event, operation: TimelockOperation): void {
  const pending = TreasuryPendingFlows.load(event.transaction.hash.toHexString());
  if (pending == null) return;
  const ids = pending.flows;
  for (let i = 0; i < ids.length; i++) {
    const flow = TreasuryFlow.load(ids[i]);
    if (flow == null) continue;
    flow.operation = operation.id;
    flow.proposal = operation.proposal;
    flow.save();
  }
  pending.flows = [];
  pending.save();
}

/** A listed ERC-20's Transfer (one data source per asset in the deployment file). */
export function handleTreasuryAssetTransfer(event: Transfer): void {
  recordTreasuryTransfer(event, "ERC20");
}
