// DAOToken: balances, delegation and voting power.
import { Address, BigInt } from "@graphprotocol/graph-ts";

import { DelegateChanged, DelegateVotesChanged, Transfer } from "../generated/DAOToken/DAOToken";
import { DelegateChange, DelegateVotesChange, Token, TokenTransfer } from "../generated/schema";
import { eventId, getOrCreateAccount, getOrCreateDailySnapshot } from "./helpers";
import { recordTreasuryTransfer } from "./treasury";

function getOrCreateToken(address: Address): Token {
  const id = address.toHexString();
  let token = Token.load(id);
  if (token == null) {
    token = new Token(id);
    token.totalSupply = BigInt.zero();
    token.holderCount = 0;
    token.transferCount = 0;
  }
  return token;
}

export function handleTransfer(event: Transfer): void {
  const from = event.params.from;
  const to = event.params.to;
  const value = event.params.value;
  const token = getOrCreateToken(event.address);
  token.transferCount += 1;

  const transfer = new TokenTransfer(eventId(event));
  transfer.value = value;
  transfer.block = event.block.number;
  transfer.timestamp = event.block.timestamp;
  transfer.tx = event.transaction.hash;
  transfer.logIndex = event.logIndex;

  if (from.equals(Address.zero())) {
    token.totalSupply = token.totalSupply.plus(value);
  } else {
    const sender = getOrCreateAccount(from);
    const before = sender.balance;
    sender.balance = before.minus(value);
    if (!before.isZero() && sender.balance.isZero()) token.holderCount -= 1;
    sender.save();
    transfer.from = sender.id;
  }

  if (to.equals(Address.zero())) {
    token.totalSupply = token.totalSupply.minus(value);
  } else {
    const receiver = getOrCreateAccount(to);
    const before = receiver.balance;
    receiver.balance = before.plus(value);
    if (before.isZero() && !receiver.balance.isZero()) token.holderCount += 1;
    receiver.save();
    transfer.to = receiver.id;
  }

  token.save();
  transfer.save();
  recordTreasuryTransfer(event, "DAO_TOKEN");
}

export function handleDelegateChanged(event: DelegateChanged): void {
  const delegator = getOrCreateAccount(event.params.delegator);
  const fromDelegate = event.params.fromDelegate;
  const toDelegate = event.params.toDelegate;

  const change = new DelegateChange(eventId(event));
  change.delegator = delegator.id;
  change.block = event.block.number;
  change.timestamp = event.block.timestamp;
  change.tx = event.transaction.hash;
  change.logIndex = event.logIndex;

  // Save the delegator first: it may also be its own old or new delegate.
  delegator.delegate = toDelegate.equals(Address.zero()) ? null : toDelegate.toHexString();
  delegator.save();

  if (!fromDelegate.equals(Address.zero())) {
    const previous = getOrCreateAccount(fromDelegate);
    previous.delegatorCount -= 1;
    previous.save();
    change.fromDelegate = previous.id;
  }
  if (!toDelegate.equals(Address.zero())) {
    const next = getOrCreateAccount(toDelegate);
    next.delegatorCount += 1;
    next.save();
    change.toDelegate = next.id;
  }
  change.save();

  const snapshot = getOrCreateDailySnapshot(event.block.timestamp);
  snapshot.delegateChanges += 1;
  snapshot.save();
}

export function handleDelegateVotesChanged(event: DelegateVotesChanged): void {
  const delegate = getOrCreateAccount(event.params.delegate);
  delegate.delegatedVotes = event.params.newVotes;
  delegate.save();

  const delta = event.params.newVotes.minus(event.params.previousVotes);
  const change = new DelegateVotesChange(eventId(event));
  change.delegate = delegate.id;
  change.previousVotes = event.params.previousVotes;
  change.newVotes = event.params.newVotes;
  change.delta = delta;
  change.block = event.block.number;
  change.timestamp = event.block.timestamp;
  change.tx = event.transaction.hash;
  change.logIndex = event.logIndex;
  change.save();

  const snapshot = getOrCreateDailySnapshot(event.block.timestamp);
  snapshot.votingPowerMoved = snapshot.votingPowerMoved.plus(delta.abs());
  snapshot.save();
}
