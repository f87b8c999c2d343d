import { decodeRevert, governorAbi, ProposalState, proposalStateNames, revertDataOf, tokenAbi } from "@ai-dao/protocol";
import { CANCEL_KIND, errorText, TxSender, type Fault, type TxRecord } from "@ai-dao/transactions";
import {
  encodeFunctionData,
  keccak256,
  recoverTypedDataAddress,
  type Address,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type TypedDataDomain,
} from "viem";
import type { Logger } from "pino";

import { RateLimiter } from "./limits.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { Refusal } from "./refusal.ts";
import {
  ballotTypedData,
  canonicalSignature,
  delegationSchema,
  delegationTypedData,
  isExtended,
  parseRequest,
  requestJson,
  voteSchema,
  type DelegationRequest,
  type VoteRequest,
} from "./requests.ts";
import { relayIdOf, relayKey, type RelayKind, type RelayStore } from "./store.ts";

/** The deployment fields the relayer needs (a subset of `deployments/<chainId>.json`). */
export interface RelayerDeployment {
  chainId: number;
  contracts: { governor: Address; token: Address };
}

/** The sponsor budget: per UTC day, for everyone and per account, in wei and in transactions. */
export interface Budget {
  dailyWei: bigint;
  dailyTxs: number;
  accountDailyWei: bigint;
  accountDailyTxs: number;
}

export const DEFAULT_BUDGET: Budget = { dailyWei: 500_000_000_000_000_000n, dailyTxs: 500, accountDailyWei: 10_000_000_000_000_000n, accountDailyTxs: 10 };

export interface RelayerOptions {
  client: PublicClient;
  account: LocalAccount;
  deployment: RelayerDeployment;
  store: RelayStore;
  logger: Logger;
  metrics?: Metrics;
  budget?: Budget;
  /** Requests per minute per signer, counted once the signature checks out (default 6). */
  ratePerSigner?: number;
  maxReasonBytes?: number;
  /** A delegation must stay valid at least this long after the latest block (default 30 s). */
  expiryMarginS?: number;
  txTimeoutMs?: number;
  feeBumpPercent?: number;
  fault?: Fault;
  /** Wall clock for the budget's days (tests). */
  now?: () => number;
}

/** Where a relayed request stands; `cancelled`: the relayer replaced it because it was no longer needed. */
export type RelayStatus = "signed" | "sent" | "confirmed" | "reverted" | "dropped" | "cancelled";

export interface RelayView {
  id: Hex;
  kind: RelayKind;
  signer: Address;
  status: RelayStatus;
  /** The transaction's hash: the mined one, else the latest broadcast (a fee bump changes it). */
  hash: Hex;
  blockNumber: number | null;
  feeWei: string | null;
  createdAt: string;
  request: Record<string, unknown>;
}

export interface RelayAnswer {
  relay: RelayView;
  /** The same signed request was sent before: this is its transaction, nothing new was sent. */
  duplicate: boolean;
}

const DAY_MS = 86_400_000;

/**
 * The gasless relayer. {@link relayVote} and {@link relayDelegation} verify a signed request off chain
 * (chain, contract, signature, nonce, expiry, proposal state, votes, earlier votes), simulate it, check
 * the sponsor budget, and only then send it with the relayer's key through the shared exactly-once
 * journal; {@link tick} follows what was sent to confirmation. Every refusal is a {@link Refusal} and
 * costs nothing.
 */
export class Relayer {
  readonly metrics: Metrics;
  readonly sender: TxSender;
  readonly budget: Budget;
  lastPollAt: number | null = null;
  lastError: string | null = null;

  private readonly o: RelayerOptions;
  private readonly signerLimiter: RateLimiter;
  private readonly voteSchema: ReturnType<typeof voteSchema>;
  private readonly now: () => number;
  private domains: { governor: TypedDataDomain; token: TypedDataDomain } | undefined;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(o: RelayerOptions) {
    this.o = o;
    this.metrics = o.metrics ?? createMetrics();
    this.budget = o.budget ?? DEFAULT_BUDGET;
    this.now = o.now ?? Date.now;
    this.signerLimiter = new RateLimiter(o.ratePerSigner ?? 6, this.now);
    this.voteSchema = voteSchema(o.maxReasonBytes ?? 2_000);
    const m = this.metrics;
    this.sender = new TxSender({
      client: o.client,
      account: o.account,
      chainId: o.deployment.chainId,
      journal: o.store.txs,
      logger: o.logger,
      txTimeoutMs: o.txTimeoutMs ?? 120_000,
      feeBumpPercent: o.feeBumpPercent ?? 25,
      fault: o.fault ?? "none",
      events: {
        sent: (tx) => m.txSent.inc({ kind: tx.kind }),
        replaced: () => m.txReplaced.inc(),
        mined: (tx) => {
          if (tx.status === "reverted") m.txReverted.inc({ kind: tx.kind });
        },
        pending: (count) => m.pendingTxs.set(count),
      },
    });
    m.budgetDailyWei.set(Number(this.budget.dailyWei));
  }

  get address(): Address {
    return this.o.account.address;
  }

  get chainId(): number {
    return this.o.deployment.chainId;
  }

  private get governor(): Address {
    return this.o.deployment.contracts.governor;
  }

  private get token(): Address {
    return this.o.deployment.contracts.token;
  }

  /**
   * The EIP-712 domains the contracts themselves report (ERC-5267 `eip712Domain()`), read once; a
   * domain for another chain than the deployment's is refused, so nothing is ever verified against it.
   */
  async init(): Promise<{ governor: TypedDataDomain; token: TypedDataDomain }> {
    if (this.domains !== undefined) return this.domains;
    const read = async (address: Address, abi: typeof governorAbi | typeof tokenAbi): Promise<TypedDataDomain> => {
      const [, name, version, chainId, verifyingContract] = (await this.o.client.readContract({ address, abi: abi as typeof governorAbi, functionName: "eip712Domain" })) as readonly [Hex, string, string, bigint, Address, Hex, readonly bigint[]];
      if (Number(chainId) !== this.chainId) throw new Error(`the contract at ${address} signs for chain ${chainId}, but the deployment is for chain ${this.chainId}`);
      return { name, version, chainId: Number(chainId), verifyingContract };
    };
    this.domains = { governor: await read(this.governor, governorAbi), token: await read(this.token, tokenAbi) };
    return this.domains;
  }

  // --- votes ---

  /** Verifies and relays a signed ballot (`castVoteBySig`, or `castVoteWithReasonAndParamsBySig` with a reason or params). */
  async relayVote(body: unknown): Promise<RelayAnswer> {
    return this.counted("vote", async () => {
      const v: VoteRequest = parseRequest(this.voteSchema, body);
      this.checkChain(v.chainId);
      if (v.governor !== undefined && v.governor !== this.governor) {
        throw new Refusal("WRONG_CONTRACT", `This relayer sponsors votes on the Governor ${this.governor} only; the ballot names ${v.governor}.`, { expected: this.governor, got: v.governor });
      }
      const sig = canonicalSignature(v.signature as Hex);
      const data = isExtended(v)
        ? encodeFunctionData({ abi: governorAbi, functionName: "castVoteWithReasonAndParamsBySig", args: [v.proposalId, v.support, v.voter, v.reason ?? "", v.params ?? "0x", sig.signature] })
        : encodeFunctionData({ abi: governorAbi, functionName: "castVoteBySig", args: [v.proposalId, v.support, v.voter, sig.signature] });
      const id = keccak256(data);
      const earlier = this.existing(id);
      if (earlier !== undefined) return earlier;

      const { governor: domain } = await this.init();
      const signer = await recoverTypedDataAddress({ ...ballotTypedData(domain, v), signature: sig.signature } as Parameters<typeof recoverTypedDataAddress>[0]);
      if (signer !== v.voter) {
        throw new Refusal("BAD_SIGNATURE", `The signature is not the voter's: it does not match ${v.voter} for this ballot on chain ${this.chainId}. Sign the ballot again from the voting account.`, {
          voter: v.voter,
        });
      }
      this.limitSigner(v.voter);
      const nonce = await this.read(() => this.o.client.readContract({ address: this.governor, abi: governorAbi, functionName: "nonces", args: [v.voter] }));
      checkNonce(v.nonce, nonce, "ballot");

      const state = await this.read(async () => {
        try {
          return await this.o.client.readContract({ address: this.governor, abi: governorAbi, functionName: "state", args: [v.proposalId] });
        } catch (error) {
          if (revertDataOf(error) === undefined) throw error;
          throw new Refusal("UNKNOWN_PROPOSAL", `There is no proposal ${v.proposalId} on this Governor.`, { proposalId: v.proposalId.toString() });
        }
      });
      if (state !== ProposalState.Active) {
        throw new Refusal("NOT_ACTIVE", `Voting on this proposal is not open: it is ${proposalStateNames[state] ?? `in state ${state}`}.`, { state: proposalStateNames[state] ?? state });
      }
      if (await this.read(() => this.o.client.readContract({ address: this.governor, abi: governorAbi, functionName: "hasVoted", args: [v.proposalId, v.voter] }))) {
        throw new Refusal("ALREADY_VOTED", `${v.voter} has already voted on this proposal; a vote cannot be changed.`, { voter: v.voter });
      }
      const snapshot = await this.read(() => this.o.client.readContract({ address: this.governor, abi: governorAbi, functionName: "proposalSnapshot", args: [v.proposalId] }));
      const votes = await this.read(() => this.o.client.readContract({ address: this.governor, abi: governorAbi, functionName: "getVotes", args: [v.voter, snapshot] }));
      if (votes === 0n) {
        throw new Refusal(
          "NO_VOTES",
          `${v.voter} had no voting power when this proposal's vote opened (snapshot ${snapshot}): only tokens delegated before then count, and the relayer sponsors only votes that count.`,
          { voter: v.voter, snapshot: snapshot.toString() },
        );
      }
      return this.submit("vote", v.voter, id, this.governor, data, requestJson({ ...v, signature: sig.signature }));
    });
  }

  // --- delegations ---

  /** Verifies and relays a signed delegation (`delegateBySig` on the votes token). */
  async relayDelegation(body: unknown): Promise<RelayAnswer> {
    return this.counted("delegate", async () => {
      const d: DelegationRequest = parseRequest(delegationSchema, body);
      this.checkChain(d.chainId);
      if (d.token !== undefined && d.token !== this.token) {
        throw new Refusal("WRONG_CONTRACT", `This relayer sponsors delegations of the token ${this.token} only; the request names ${d.token}.`, { expected: this.token, got: d.token });
      }
      const sig = canonicalSignature(d.signature as Hex);
      const data = encodeFunctionData({ abi: tokenAbi, functionName: "delegateBySig", args: [d.delegatee, d.nonce, d.expiry, sig.v, sig.r, sig.s] });
      const id = keccak256(data);
      const earlier = this.existing(id);
      if (earlier !== undefined) return earlier;

      const { token: domain } = await this.init();
      const signer = await recoverTypedDataAddress({ ...delegationTypedData(domain, d), signature: sig.signature });
      if (signer !== d.delegator) {
        throw new Refusal("BAD_SIGNATURE", `The signature is not the delegator's: it does not match ${d.delegator} for this delegation on chain ${this.chainId}. Sign again from the delegating account.`, {
          delegator: d.delegator,
        });
      }
      this.limitSigner(d.delegator);
      const nonce = await this.read(() => this.o.client.readContract({ address: this.token, abi: tokenAbi, functionName: "nonces", args: [d.delegator] }));
      checkNonce(d.nonce, nonce, "delegation");
      const block = await this.read(() => this.o.client.getBlock({ blockTag: "latest" }));
      const margin = BigInt(this.o.expiryMarginS ?? 30);
      if (d.expiry < block.timestamp + margin) {
        throw new Refusal("EXPIRED", `This signed delegation expired (or expires within ${margin} seconds): sign a new one with a later expiry.`, {
          expiry: d.expiry.toString(),
          chainTime: block.timestamp.toString(),
        });
      }
      const balance = await this.read(() => this.o.client.readContract({ address: this.token, abi: tokenAbi, functionName: "balanceOf", args: [d.delegator] }));
      if (balance === 0n) {
        throw new Refusal("NO_TOKENS", `${d.delegator} holds no tokens, so delegating would change no votes; the relayer sponsors only delegations that do.`, { delegator: d.delegator });
      }
      const current = await this.read(() => this.o.client.readContract({ address: this.token, abi: tokenAbi, functionName: "delegates", args: [d.delegator] }));
      if (current === d.delegatee) {
        throw new Refusal("ALREADY_DELEGATED", `${d.delegator} already delegates to ${d.delegatee}.`, { delegator: d.delegator, delegatee: d.delegatee });
      }
      return this.submit("delegate", d.delegator, id, this.token, data, requestJson({ ...d, signature: sig.signature }));
    });
  }

  // --- following ---

  /** One poll: follows every relayed transaction not yet mined, then refreshes the budget gauges. */
  async tick(): Promise<void> {
    const { resolved } = await this.sender.settle((tx) => this.stillNeeded(tx));
    for (const tx of resolved) {
      if (tx.status === "confirmed" && tx.kind !== CANCEL_KIND) this.metrics.confirmed.inc({ kind: tx.kind });
      this.o.logger.info({ relay: relayIdOf(tx.key), kind: tx.kind, signer: tx.subject, status: tx.status, hash: tx.minedHash, feeWei: tx.feeWei }, `relayed ${tx.kind} ${tx.status}`);
    }
    await this.refreshGauges();
    this.lastPollAt = this.now();
    this.metrics.lastPoll.set(Math.floor(this.lastPollAt / 1000));
  }

  /** Ticks until `done` holds or `maxTicks` pass (tests). */
  async tickUntil(done: () => Promise<boolean> | boolean, maxTicks = 50): Promise<void> {
    for (let i = 0; i < maxTicks; i++) {
      await this.tick();
      if (await done()) return;
    }
    throw new Error(`condition not reached after ${maxTicks} ticks`);
  }

  /** A relayed request and its transaction, or undefined when nothing was sent for `id`. */
  view(id: string): RelayView | undefined {
    const { store } = this.o;
    const relay = store.getRelay(id.toLowerCase());
    if (relay === undefined) return undefined;
    const tx = store.txOf(relay.id) ?? store.txs.txsByKey(relayKey(relay.id)).at(-1);
    if (tx === undefined) return undefined;
    const attempts = store.txs.attempts(tx.id);
    const mined = attempts.find((a) => a.hash === tx.minedHash);
    const cancelled = mined !== undefined && mined.to === this.address && mined.data === "0x";
    return {
      id: relay.id as Hex,
      kind: relay.kind,
      signer: relay.signer,
      status: cancelled ? "cancelled" : tx.status,
      hash: tx.minedHash ?? attempts.at(-1)!.hash,
      blockNumber: tx.blockNumber,
      feeWei: tx.feeWei,
      createdAt: new Date(relay.createdAt).toISOString(),
      request: relay.request,
    };
  }

  /** What is left of today's budget, for everyone and (with `account`) for one account. */
  remaining(account?: Address): Record<string, unknown> {
    const since = startOfUtcDay(this.now());
    const all = this.o.store.spendSince(this.address, since);
    const out: Record<string, unknown> = {
      day: new Date(since).toISOString().slice(0, 10),
      resetsAt: new Date(since + DAY_MS).toISOString(),
      daily: { wei: minus(this.budget.dailyWei, all.wei), txs: Math.max(0, this.budget.dailyTxs - all.txs) },
    };
    if (account !== undefined) {
      const mine = this.o.store.spendSince(this.address, since, account);
      out.account = { address: account, wei: minus(this.budget.accountDailyWei, mine.wei), txs: Math.max(0, this.budget.accountDailyTxs - mine.txs) };
    }
    return out;
  }

  // --- internals ---

  /** Runs one request, counting a refusal by its code. */
  private async counted(kind: RelayKind, fn: () => Promise<RelayAnswer>): Promise<RelayAnswer> {
    try {
      return await fn();
    } catch (error) {
      const refusal = error instanceof Refusal ? error : this.unavailable(error);
      this.metrics.refused.inc({ kind, code: refusal.code });
      this.o.logger.info({ kind, code: refusal.code, details: refusal.details }, `${kind} refused: ${refusal.message}`);
      throw refusal;
    }
  }

  private unavailable(error: unknown): Refusal {
    this.o.logger.error({ err: errorText(error) }, "cannot serve a request");
    return new Refusal("UNAVAILABLE", "The relayer cannot reach the chain right now; try again in a minute.");
  }

  /** A chain read; a failure to reach the chain is UNAVAILABLE, never a refusal about the request. */
  private async read<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof Refusal) throw error;
      throw this.unavailable(error);
    }
  }

  private checkChain(chainId: number): void {
    if (chainId !== this.chainId) {
      throw new Refusal(
        "WRONG_CHAIN",
        `This relayer sponsors transactions on chain ${this.chainId} only, and your signature is for chain ${chainId}. Switch your wallet to chain ${this.chainId} and sign again.`,
        { expected: this.chainId, got: chainId },
      );
    }
  }

  private limitSigner(signer: Address): void {
    const wait = this.signerLimiter.hit(signer);
    if (wait > 0) throw new Refusal("RATE_LIMITED", `Too many requests for ${signer} in the last minute; try again in ${wait} seconds.`, { signer }, wait);
  }

  /** The earlier answer for the same signed request, if its transaction was sent. */
  private existing(id: Hex): RelayAnswer | undefined {
    if (this.o.store.txOf(id) === undefined) return undefined;
    const relay = this.view(id);
    if (relay === undefined) return undefined;
    this.metrics.duplicates.inc({ kind: relay.kind });
    return { relay, duplicate: true };
  }

  /** Simulates, prices, checks the budget, then records and sends; one request at a time from the budget check on. */
  private async submit(kind: RelayKind, signer: Address, id: Hex, to: Address, data: Hex, request: Record<string, unknown>): Promise<RelayAnswer> {
    const { client, store, logger } = this.o;
    this.checkNotPending(kind, signer);
    await this.read(async () => {
      try {
        await client.call({ account: this.address, to, data });
      } catch (error) {
        const revert = revertDataOf(error);
        if (revert === undefined) throw error;
        const decoded = decodeRevert(revert);
        throw new Refusal("SIMULATION_FAILED", `The chain would refuse this ${kind === "vote" ? "vote" : "delegation"} (${decoded.message}), so the relayer did not send it.`, { revert: decoded.message });
      }
    });
    const estimate = await this.read(() => client.estimateGas({ account: this.address, to, data }));
    const gas = (estimate * 12n) / 10n + 10_000n;

    return this.exclusive(async () => {
      const earlier = this.existing(id);
      if (earlier !== undefined) return earlier;
      this.checkNotPending(kind, signer);
      const fees = await this.read(() => this.sender.currentFees());
      const cost = gas * fees.maxFeePerGas;
      this.checkBudget(signer, cost);
      const balance = await this.read(() => client.getBalance({ address: this.address }));
      if (balance < cost) {
        logger.error({ balance: balance.toString(), cost: cost.toString(), address: this.address }, "the relayer's key cannot pay for a relayed transaction; fund it");
        throw new Refusal("UNAVAILABLE", "The relayer has run out of ETH to sponsor transactions right now.", {});
      }
      store.addRelay({ id, kind, signer, request });
      try {
        await this.sender.send({ key: relayKey(id), kind, subject: signer, to, data, gas });
      } catch (error) {
        // Signed and journaled but not broadcast (the node did not answer): the poll rebroadcasts the
        // journaled bytes, so the request is accepted. Not journaled: nothing was sent.
        if (store.txOf(id) === undefined) throw this.unavailable(error);
        logger.warn({ relay: id, err: errorText(error) }, "relayed transaction journaled but not broadcast yet; the poll sends it");
      }
      this.metrics.relayed.inc({ kind });
      logger.info({ relay: id, kind, signer, gas: gas.toString(), maxCostWei: cost.toString() }, `${kind} relayed`);
      return { relay: this.view(id)!, duplicate: false };
    });
  }

  private checkNotPending(kind: RelayKind, signer: Address): void {
    const pending = this.o.store.pendingOf(this.address, signer, kind);
    if (pending.length > 0) {
      const earlier = relayIdOf(pending[0]!.key);
      throw new Refusal("PENDING", `An earlier ${kind === "vote" ? "vote" : "delegation"} of ${signer} sent by the relayer is still waiting to be mined; wait for it before sending another.`, {
        pending: earlier,
      });
    }
  }

  private checkBudget(signer: Address, cost: bigint): void {
    const since = startOfUtcDay(this.now());
    const retryAfter = Math.ceil((since + DAY_MS - this.now()) / 1000);
    const all = this.o.store.spendSince(this.address, since);
    if (all.txs + 1 > this.budget.dailyTxs || all.wei + cost > this.budget.dailyWei) {
      throw new Refusal("OVER_BUDGET", "The relayer has used today's sponsor budget; it starts again at midnight UTC.", { scope: "daily", spentWei: all.wei.toString(), txs: all.txs }, retryAfter);
    }
    const mine = this.o.store.spendSince(this.address, since, signer);
    if (mine.txs + 1 > this.budget.accountDailyTxs || mine.wei + cost > this.budget.accountDailyWei) {
      throw new Refusal("OVER_BUDGET", `${signer} has used its sponsored transactions for today; they start again at midnight UTC.`, { scope: "account", spentWei: mine.wei.toString(), txs: mine.txs }, retryAfter);
    }
  }

  /** Whether a pending relayed transaction can still take effect; when not, the sender cancels it. */
  private async stillNeeded(tx: TxRecord): Promise<boolean> {
    const id = relayIdOf(tx.key);
    const relay = id === undefined ? undefined : this.o.store.getRelay(id);
    if (relay === undefined) return true;
    const { client } = this.o;
    const nonce = BigInt(relay.request.nonce as string);
    try {
      if (relay.kind === "vote") {
        const onChain = await client.readContract({ address: this.governor, abi: governorAbi, functionName: "nonces", args: [relay.signer] });
        const proposalId = BigInt(relay.request.proposalId as string);
        const state = await client.readContract({ address: this.governor, abi: governorAbi, functionName: "state", args: [proposalId] });
        // Ours is not mined (the sender looked first), so a vote on record is the member's own.
        const voted = await client.readContract({ address: this.governor, abi: governorAbi, functionName: "hasVoted", args: [proposalId, relay.signer] });
        return onChain === nonce && state === ProposalState.Active && !voted;
      }
      const onChain = await client.readContract({ address: this.token, abi: tokenAbi, functionName: "nonces", args: [relay.signer] });
      const block = await client.getBlock({ blockTag: "latest" });
      return onChain === nonce && block.timestamp <= BigInt(relay.request.expiry as string);
    } catch (error) {
      // A read the chain refuses says nothing for sure: keep the transaction.
      if (revertDataOf(error) !== undefined) return true;
      throw error;
    }
  }

  private async refreshGauges(): Promise<void> {
    const since = startOfUtcDay(this.now());
    const today = this.o.store.spendSince(this.address, since);
    const ever = this.o.store.spendSince(this.address, 0);
    this.metrics.spentTodayWei.set(Number(today.wei));
    this.metrics.txsToday.set(today.txs);
    this.metrics.spentWei.set(Number(ever.wei));
    this.metrics.balanceWei.set(Number(await this.o.client.getBalance({ address: this.address })));
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }
}

function checkNonce(signed: bigint, onChain: bigint, what: string): void {
  if (signed < onChain) {
    throw new Refusal("REPLAYED", `This signed ${what} was already used (or an earlier one with the same nonce was): the account's nonce is now ${onChain}. Sign a new one.`, {
      nonce: signed.toString(),
      onChain: onChain.toString(),
    });
  }
  if (signed > onChain) {
    throw new Refusal("BAD_NONCE", `This signed ${what} has nonce ${signed}, but the account's next nonce is ${onChain}. Sign again with nonce ${onChain}.`, {
      nonce: signed.toString(),
      onChain: onChain.toString(),
    });
  }
}

export function startOfUtcDay(ms: number): number {
  return ms - (ms % DAY_MS);
}

function minus(a: bigint, b: bigint): string {
  return (a > b ? a - b : 0n).toString();
}
