// Follows the chain with viem and runs the mappings: back-fills from the start block in batches of
// blocks, then polls for new blocks; an RPC that fails is retried with backoff while the GraphQL
// side keeps answering; a block whose parent hash no longer matches is a reorg, rolled back to the
// common ancestor. A failing handler stops indexing, as graph-node does for deterministic errors,
// unless the manifest declares `nonFatalErrors`: then that event's changes are dropped, the error
// is recorded and indexing goes on.

import { pollLoop, type Logger } from "@ai-dao/service-kit";
import { type Hex, type PublicClient } from "viem";

import { BlockState } from "../runtime/block-state.ts";
import { type EventData, HandlerError, type TransactionData } from "../runtime/host.ts";
import type { BlockPtr, EntityStore, StoreIdentity } from "../store/store.ts";
import type { DataSource, EventHandler, Subgraph } from "../subgraph.ts";
import { type BatchSource, type FetchedBatch, type FetchedBlock, type FetchedTrigger, type SourceFilter, fetchInThread, fetchInWorker } from "./fetch.ts";
import { FIRST_LOG_RANGE, GROW_AFTER, TARGET_LOGS } from "./log-range.ts";

export { isLogRangeTooLarge } from "./log-range.ts";

/**
 * Events applied in one transaction during a back-fill before the follower yields (queries are
 * answered, fetched batches taken in). Each commit writes the pages of every index the chunk
 * touched; at 250 the commits were a tenth of the back-fill's time, at 1,000 about half that.
 */
export const CHUNK_EVENTS = 1000;

export interface IndexerOptions {
  subgraph: Subgraph;
  store: EntityStore;
  client: PublicClient;
  /**
   * The client's endpoint: when given, the batches fetched ahead (logs, blocks with their
   * transactions, decoding) are fetched in a worker thread; otherwise in this one, with `client`.
   */
  rpcUrl?: string;
  logger: Logger;
  /** Blocks per getLogs call while back-filling. */
  batchSize?: number;
  /** Milliseconds between polls for new blocks once caught up. */
  pollIntervalMs?: number;
  /** Longest wait between retries when the RPC fails. */
  maxBackoffMs?: number;
}

interface Trigger {
  log: FetchedTrigger;
  dataSource: DataSource;
  handler: EventHandler;
}

/** A range of blocks fetched: its triggers in order and the blocks they are in, and its last block. */
interface Batch {
  from: number;
  to: number;
  triggers: Trigger[];
  blocks: Map<number, FetchedBlock>;
  end: BlockPtr;
}

export interface IndexerStatus {
  /** Last block processed (the cursor). */
  block: BlockPtr | undefined;
  /** Chain head last seen. */
  head: number | undefined;
  synced: boolean;
  /** True while the RPC fails. */
  rpcDown: boolean;
  error: string | undefined;
  eventsProcessed: number;
  /** Handlers that failed and were skipped (nonFatalErrors) since this process started. */
  skippedHandlers: number;
}

/** What the fetching side needs of the subgraph's data sources (see fetch.ts). */
export function sourceFilters(subgraph: Subgraph): SourceFilter[] {
  return subgraph.dataSources.map((ds) => ({
    address: ds.address.toLowerCase(),
    startBlock: ds.startBlock,
    events: [...ds.handlers.values()].map((h): [Hex, typeof h.abiEvent] => [h.topic0, h.abiEvent]),
  }));
}

/** The chain identity the store is bound to. */
export async function chainIdentity(client: PublicClient, subgraph: Subgraph): Promise<StoreIdentity> {
  const [chainId, genesis] = await Promise.all([client.getChainId(), client.getBlock({ blockNumber: 0n })]);
  return {
    chainId,
    genesisHash: genesis.hash!,
    dataSources: Object.fromEntries(subgraph.dataSources.map((d) => [d.name, { address: d.address, startBlock: d.startBlock }])),
    deployment: subgraph.deployment,
  };
}

export class Indexer {
  private readonly subgraph: Subgraph;
  private readonly store: EntityStore;
  private readonly client: PublicClient;
  private readonly logger: Logger;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly sources: SourceFilter[];
  private readonly rpcUrl: string | undefined;
  /** Fetches the batches the follower waits for (the first, after a reorg, new blocks at the head). */
  private readonly fetcher: BatchSource;
  /** Fetches the batches fetched ahead: a worker thread when `rpcUrl` is given. */
  private aheadFetcher: BatchSource | undefined;
  /** Blocks the next getLogs call asks for: sized from the last range's density, at most `maxLogRange`. */
  private logRange: number;
  /** Most blocks per getLogs call: `batchSize`, or less after an answer was too large. */
  private maxLogRange: number;
  private logRangeSuccesses = 0;
  /** Blocks of the last range fetched. */
  private lastRange = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private stopping: AbortController | undefined;
  private waiters: { block: number; resolve: () => void }[] = [];
  /** The batch after the cursor's, fetched while the cursor's batch was applied. */
  private prefetched: { from: number; batch: Promise<Batch> } | undefined;
  readonly status: IndexerStatus;

  constructor(options: IndexerOptions) {
    this.subgraph = options.subgraph;
    this.store = options.store;
    this.client = options.client;
    this.logger = options.logger;
    this.batchSize = options.batchSize ?? 2000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.maxLogRange = this.batchSize;
    this.logRange = Math.min(FIRST_LOG_RANGE, this.batchSize);
    this.rpcUrl = options.rpcUrl;
    this.sources = sourceFilters(this.subgraph);
    this.fetcher = fetchInThread(this.client, this.sources);
    // A worker starts now, so it is ready (its modules loaded) when the first batch is fetched ahead.
    this.aheadFetcher = this.newAheadFetcher();
    const error = this.store.indexingError();
    this.status = {
      block: this.store.cursor(),
      head: undefined,
      synced: false,
      rpcDown: false,
      error: error?.message,
      eventsProcessed: 0,
      skippedHandlers: 0,
    };
  }

  /** Starts following the chain in the background. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = new AbortController();
    this.aheadFetcher ??= this.newAheadFetcher();
    this.loop = this.run(this.stopping.signal);
  }

  /** Stops after the current step (and stops the fetch worker); the store stays consistent at any point. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping?.abort();
    await this.loop;
    this.prefetched = undefined;
    const fetcher = this.aheadFetcher;
    this.aheadFetcher = undefined;
    await fetcher?.close();
  }

  private newAheadFetcher(): BatchSource {
    return this.rpcUrl ? fetchInWorker(this.rpcUrl, this.sources) : this.fetcher;
  }

  /** Resolves once block `number` is processed (rejects after `timeoutMs`). */
  waitForBlock(number: number | bigint, timeoutMs = 60_000): Promise<void> {
    const block = Number(number);
    if ((this.status.block?.number ?? -1) >= block) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`block ${block} not indexed within ${timeoutMs} ms (at ${this.status.block?.number ?? "none"}${this.status.error ? `; ${this.status.error}` : ""})`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ block, resolve: done });
    });
  }

  private advanced(block: BlockPtr): void {
    this.status.block = block;
    const ready = this.waiters.filter((w) => w.block <= block.number);
    this.waiters = this.waiters.filter((w) => w.block > block.number);
    for (const w of ready) w.resolve();
  }

  /**
   * The kit's poll loop: batches back to back while behind the head, the poll interval once caught
   * up; an RPC failure backs off from 500 ms, doubling up to `maxBackoffMs`.
   */
  private async run(signal: AbortSignal): Promise<void> {
    const progress = { since: Date.now(), events: 0, lastLog: 0 };
    await pollLoop({
      intervalMs: this.pollIntervalMs,
      firstBackoffMs: 500,
      maxBackoffMs: this.maxBackoffMs,
      signal,
      tick: async () => {
        // Deterministic failure: keep serving, stop indexing (graph-node marks the subgraph failed).
        if (this.status.error) return this.pollIntervalMs * 10;
        try {
          return (await this.step(progress)) ? this.pollIntervalMs : 0;
        } catch (error) {
          if (!(error instanceof HandlerError)) throw error;
          const block = error.block ?? (this.status.block?.number ?? 0) + 1;
          this.status.error = error.message;
          this.store.setIndexingError({ message: error.message, block });
          this.logger.error({ err: error, block }, "handler failed; indexing stopped (queries keep answering)");
          return 0;
        }
      },
      onError: (error, _failures, retryInMs) => {
        this.status.rpcDown = true;
        this.logger.warn({ err: { message: (error as Error).message }, retryInMs }, "RPC request failed; retrying");
      },
    });
  }

  /**
   * One step: reorg check, then one batch of blocks. Returns true when caught up with the head.
   * While a batch's handlers run, the next batch (logs and blocks) is already being fetched
   * ({@link prefetched}), so the node's work and ours overlap during a back-fill.
   */
  private async step(progress: { since: number; events: number; lastLog: number }): Promise<boolean> {
    const cursor = this.store.cursor();
    const from = cursor ? cursor.number + 1 : this.subgraph.startBlock;
    const ahead = this.prefetched?.from === from ? this.prefetched : undefined;
    // The batch fetched ahead is usually in by now; a failure to fetch it is thrown where it would
    // be used (after the reorg check, which drops it anyway), then goes through the backoff.
    const settled = ahead ? await ahead.batch.then((batch) => ({ batch }), (error: unknown) => ({ error })) : undefined;
    const fetched = settled && "batch" in settled ? settled.batch : undefined;
    // The head, the cursor's block and the last block fetched ahead are asked for together (one
    // round trip, one JSON-RPC batch), not one after the other.
    const [headNumber, cursorOnChain, aheadEndOnChain] = await Promise.all([
      this.client.getBlockNumber({ cacheTime: 0 }),
      cursor ? this.client.getBlock({ blockNumber: BigInt(cursor.number) }).catch(() => undefined) : undefined,
      fetched ? this.client.getBlock({ blockNumber: BigInt(fetched.to) }).catch(() => undefined) : undefined,
    ]);
    this.prefetched = undefined;
    const head = Number(headNumber);
    this.status.head = head;
    if (this.status.rpcDown) this.logger.info({ block: this.status.block?.number, head }, "RPC reachable again; indexing resumes");
    this.status.rpcDown = false;
    if (cursor) {
      const onChain = cursor.number <= head ? cursorOnChain : undefined;
      if (!onChain || onChain.hash !== cursor.hash) {
        // A batch fetched ahead may hold blocks of the branch being rolled back: it is dropped.
        await this.handleReorg(cursor, head);
        return false;
      }
    }
    if (from > head) {
      if (!this.status.synced) this.logger.info({ block: cursor?.number, head }, "caught up with the chain head");
      this.status.synced = true;
      this.releaseWorker();
      return true;
    }
    if (settled && "error" in settled) throw settled.error;
    let batch: Batch | undefined;
    if (fetched) {
      // Fetched while the previous batch ran: its last block must still be on the chain (then so
      // are the blocks below it), or a reorg replaced part of it and it is fetched again.
      if (fetched.to <= head && aheadEndOnChain?.hash === fetched.end.hash) batch = fetched;
      else this.logger.warn({ from, to: fetched.to }, "reorg: blocks fetched ahead left the chain; fetching them again");
    }
    batch ??= await this.fetchBatch(from, Math.min(head, from + this.logRange - 1));
    const { to, triggers, blocks, end } = batch;
    if (to < head) {
      // In the worker once it has loaded (the first batch ahead may be fetched here meanwhile).
      this.aheadFetcher ??= this.newAheadFetcher();
      const source = this.aheadFetcher.ready ? this.aheadFetcher : this.fetcher;
      const next = this.fetchBatch(to + 1, Math.min(head, to + this.logRange), source);
      // Awaited by the next step; a failure then goes through the poll loop's backoff like any other.
      next.catch(() => undefined);
      this.prefetched = { from: to + 1, batch: next };
    }

    // Apply in chunks of blocks, each chunk one transaction with its cursor, yielding in between so
    // queries are answered while a long history back-fills (a chunk of CHUNK_EVENTS takes about
    // 0.1 to 0.3 s; the messages of the fetch worker are also taken in between).
    const byBlock = new Map<number, Trigger[]>();
    for (const t of triggers) {
      const n = t.log.blockNumber;
      const list = byBlock.get(n);
      if (list) list.push(t);
      else byBlock.set(n, [t]);
    }
    let chunk: number[] = [];
    let chunkEvents = 0;
    const flush = (ptr: BlockPtr) => {
      let applied = 0;
      this.store.transaction(() => {
        for (const n of chunk) {
          const list = byBlock.get(n)!;
          applied += this.applyBlock(blocks.get(n)!, list);
        }
        this.store.setCursor(ptr);
      });
      this.status.eventsProcessed += applied;
      progress.events += applied;
      this.advanced(ptr);
      chunk = [];
      chunkEvents = 0;
    };
    for (const n of byBlock.keys()) {
      if (!this.running) return false;
      chunk.push(n);
      chunkEvents += byBlock.get(n)!.length;
      if (chunkEvents >= CHUNK_EVENTS) {
        flush(blocks.get(n)!.ptr);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    flush(end);

    const now = Date.now();
    const toGo = head - to;
    if (toGo > 0 || now - progress.lastLog > 10_000 || triggers.length > 0) {
      if (toGo > 0 || now - progress.lastLog > 5_000) {
        const seconds = (now - progress.since) / 1000;
        this.logger.info(
          { block: to, head, blocksToGo: toGo, events: this.status.eventsProcessed, eventsPerSecond: Math.round(progress.events / Math.max(seconds, 0.001)) },
          toGo > 0 ? "back-filling" : "indexed new blocks",
        );
        progress.lastLog = now;
        progress.since = now;
        progress.events = 0;
      }
    }
    this.status.synced = toGo === 0;
    if (toGo === 0) this.releaseWorker();
    return toGo === 0;
  }

  /**
   * Once caught up nothing is fetched ahead: the fetch worker is stopped, so its heap (a second V8
   * heap, viem loaded, the logs kept from a cut answer) is not held while the follower polls the
   * head. A later batch fetched ahead starts it again.
   */
  private releaseWorker(): void {
    if (!this.rpcUrl || !this.aheadFetcher || this.prefetched) return;
    const worker = this.aheadFetcher;
    this.aheadFetcher = undefined;
    worker.close().catch(() => undefined);
  }

  /**
   * The triggers of blocks `from` to `to`, or of a shorter range starting at `from` when the answer
   * for the whole range is too large for one request, with their blocks (see fetch.ts). A range
   * that had to be halved is remembered as the most to ask for and doubled again after
   * {@link GROW_AFTER} calls that fit. The next range is sized from this one's density to about
   * {@link TARGET_LOGS} logs (ten times this one when it had none, as graph-node grows an empty
   * range), within that most.
   */
  private async fetchBatch(from: number, to: number, source: BatchSource = this.fetcher): Promise<Batch> {
    const fetched: FetchedBatch = await source.batch(from, to, this.lastRange);
    for (const split of fetched.splits) {
      this.logger.info(split, "eth_getLogs answer too large; splitting the block range");
      this.maxLogRange = split.range;
      this.logRangeSuccesses = 0;
    }
    const blocks = fetched.to - from + 1;
    this.lastRange = blocks;
    if (this.maxLogRange < this.batchSize && blocks >= this.maxLogRange && ++this.logRangeSuccesses >= GROW_AFTER) {
      this.maxLogRange = Math.min(this.batchSize, this.maxLogRange * 2);
      this.logRangeSuccesses = 0;
    }
    const sized = fetched.logCount === 0 ? blocks * 10 : Math.floor((blocks * TARGET_LOGS) / fetched.logCount);
    this.logRange = Math.max(1, Math.min(this.maxLogRange, sized));
    const triggers = fetched.triggers.map((log): Trigger => {
      const dataSource = this.subgraph.dataSources[log.source]!;
      return { log, dataSource, handler: dataSource.handlers.get(log.topic0)! };
    });
    return { from, to: fetched.to, triggers, blocks: fetched.blocks, end: fetched.end };
  }

  /** Runs a block's triggers and writes its changes; returns the number of events applied. */
  private applyBlock(fetched: FetchedBlock, triggers: Trigger[]): number {
    const state = new BlockState(this.store);
    const block = fetched.data;
    const instances = new Map<unknown, unknown>();
    for (const t of triggers) {
      const tx = fetched.transactions.get(t.log.transactionHash);
      if (!tx) throw new Error(`transaction ${t.log.transactionHash} not in block ${block.number}`);
      const transaction: TransactionData = { ...tx, index: tx.index ?? BigInt(t.log.transactionIndex) };
      const values = t.log.values;
      const event: EventData = {
        address: t.log.address,
        logIndex: BigInt(t.log.logIndex),
        transactionLogIndex: BigInt(t.log.logIndex),
        logType: null,
        block,
        transaction,
        params: t.handler.abiEvent.inputs.map((input, i) => ({ input, value: values[i] })),
      };
      state.enterHandler();
      try {
        t.dataSource.mapping.runEvent(t.handler.handler, event, state, (level, message) => this.mappingLog(t.dataSource.name, level, message, block.number!), instances as Map<never, unknown>);
        state.exitHandler();
      } catch (error) {
        if (!(error instanceof HandlerError)) throw error;
        error.block = Number(block.number);
        if (!this.subgraph.nonFatalErrors) throw error;
        // nonFatalErrors: this event's changes are dropped, the error is recorded with the block
        // and the following events are indexed.
        state.discardHandler();
        const skipped = { block: Number(block.number), dataSource: t.dataSource.name, handler: t.handler.handler, tx: t.log.transactionHash, logIndex: t.log.logIndex, message: error.message };
        this.store.addSkippedError(skipped);
        this.status.skippedHandlers++;
        this.logger.error(skipped, "handler failed; its changes are discarded and indexing goes on (nonFatalErrors)");
      }
    }
    this.store.writeChanges(Number(block.number), state.changes);
    this.store.recordBlock(fetched.ptr);
    return triggers.length;
  }

  private mappingLog(dataSource: string, level: number, message: string, block: bigint): void {
    const fields = { dataSource, block: Number(block) };
    if (level <= 1) this.logger.error(fields, message);
    else if (level === 2) this.logger.warn(fields, message);
    else if (level === 3) this.logger.info(fields, message);
    else this.logger.debug(fields, message);
  }

  private async handleReorg(cursor: BlockPtr, head: number): Promise<void> {
    for (const stored of this.store.blocksAtOrBelow(Math.min(cursor.number - 1, head), 1000)) {
      const onChain = await this.client.getBlock({ blockNumber: BigInt(stored.number) });
      if (onChain.hash === stored.hash) {
        this.logger.warn({ from: cursor.number, to: stored.number, oldHash: cursor.hash }, "reorg: rolling back to the common ancestor");
        this.store.revertTo(stored);
        this.advanced(stored);
        this.status.block = stored;
        return;
      }
    }
    throw new HandlerError("indexer", "reorg", `reorg below block ${cursor.number} deeper than the recorded blocks; delete the data directory to re-index`);
  }
}
