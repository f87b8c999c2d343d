// Fetching one batch of the chain for the follower: the logs of a block range (the range halved
// while the node refuses the answer as too large), decoded into the triggers of the data sources'
// handlers, and the blocks those are in with the transactions they were emitted by. The same code
// runs in a worker thread (fetch-worker.ts, the default: the JSON of the answers, viem's formatting
// and the decoding are then off the thread that runs the handlers) or in the follower's thread.
import { Worker } from "node:worker_threads";

import { type AbiEvent, type Block, type Hex, type Log, type PublicClient } from "viem";

import type { BlockData, TransactionData } from "../runtime/host.ts";
import type { BlockPtr } from "../store/store.ts";
import { decodeEventParams } from "./event-strings.ts";
import { TARGET_LOGS, isLogRangeTooLarge } from "./log-range.ts";

/** What the fetching side needs of a data source: where it listens and its handlers' events by topic 0. */
export interface SourceFilter {
  address: string;
  startBlock: number;
  events: [topic0: Hex, event: AbiEvent][];
}

/** A log that a handler runs for, with its event's parameters decoded (values in input order). */
export interface FetchedTrigger {
  /** Index of the data source in the list the fetcher was given. */
  source: number;
  topic0: Hex;
  address: Hex;
  blockNumber: number;
  blockHash: Hex;
  logIndex: number;
  transactionHash: Hex;
  transactionIndex: number;
  values: unknown[];
}

/** A block as the handlers see it, with the transactions of its triggers (by hash). */
export interface FetchedBlock {
  ptr: BlockPtr;
  data: BlockData;
  transactions: Map<Hex, Omit<TransactionData, "index"> & { index: bigint | null }>;
}

/** A range fetched: its triggers in order, the blocks they are in, and its last block. */
export interface FetchedBatch {
  from: number;
  /** The last block covered (less than asked for when the range had to be split). */
  to: number;
  /** Logs of the blocks covered (the next range is sized from it). */
  logCount: number;
  /** The most blocks a getLogs could ask for, when the range had to be split; why, per split. */
  splits: { from: number; to: number; range: number; reason: string }[];
  triggers: FetchedTrigger[];
  blocks: Map<number, FetchedBlock>;
  end: BlockPtr;
}

/** Blocks fetched at once (viem batches them into one JSON-RPC request). */
const BLOCK_CONCURRENCY = 32;

export function ptrOf(block: Block): BlockPtr {
  return { number: Number(block.number), hash: block.hash!, parentHash: block.parentHash, timestamp: Number(block.timestamp) };
}

function blockData(block: Block): BlockData {
  return {
    hash: block.hash!,
    parentHash: block.parentHash,
    unclesHash: block.sha3Uncles,
    author: block.miner,
    stateRoot: block.stateRoot,
    transactionsRoot: block.transactionsRoot,
    receiptsRoot: block.receiptsRoot,
    number: block.number!,
    gasUsed: block.gasUsed,
    gasLimit: block.gasLimit,
    timestamp: block.timestamp,
    difficulty: block.difficulty,
    totalDifficulty: block.totalDifficulty ?? 0n,
    size: block.size ?? null,
    baseFeePerGas: block.baseFeePerGas ?? null,
  };
}

export class BatchFetcher {
  private readonly client: PublicClient;
  private readonly sources: SourceFilter[];
  private readonly byAddress = new Map<string, { index: number; source: SourceFilter; events: Map<string, AbiEvent> }[]>();
  private readonly addresses: Hex[];
  /** Logs a batch cut from a larger answer holds (about; it ends with a whole block). */
  private readonly targetLogs: number;
  /** Logs in one answer above which a batch is cut from it (twice `targetLogs`). */
  private readonly cutAbove: number;
  /** The logs after the last batch cut from an answer, for the batch starting at `from`. */
  private rest: { from: number; logs: Log<bigint, number, false>[] } | undefined;

  constructor(client: PublicClient, sources: SourceFilter[], options: { targetLogs?: number } = {}) {
    this.client = client;
    this.targetLogs = options.targetLogs ?? TARGET_LOGS;
    this.cutAbove = 2 * this.targetLogs;
    this.sources = sources;
    sources.forEach((source, index) => {
      const list = this.byAddress.get(source.address) ?? [];
      list.push({ index, source, events: new Map(source.events) });
      this.byAddress.set(source.address, list);
    });
    this.addresses = [...this.byAddress.keys()] as Hex[];
  }

  /**
   * The triggers of blocks `from` to `to`, or of a shorter range starting at `from`, with the
   * blocks they are in and the range's last block. The range is shorter when the answer for the
   * whole of it is too large for one request (halved until it fits, down to one block), and when
   * it holds more than twice the logs a batch is aimed at ({@link TARGET_LOGS}): the batch then
   * ends with the block of the {@link TARGET_LOGS}-th log, so its handlers can start sooner, and the logs
   * after that block are kept for the next batches (while they start where this one ended). A
   * batch ending so ends at a block holding a log, and that block's hash, fetched with the batch,
   * must be the log's: then the chain up to it is the one the logs were read from.
   */
  async batch(from: number, to: number, previous = 0): Promise<FetchedBatch> {
    const rest = this.rest;
    this.rest = undefined;
    try {
      return await this.fetch(from, to, previous, rest);
    } catch (error) {
      this.rest = undefined;
      throw error;
    }
  }

  private async fetch(from: number, to: number, previous: number, rest: { from: number; logs: Log<bigint, number, false>[] } | undefined): Promise<FetchedBatch> {
    const splits: FetchedBatch["splits"] = [];
    let logs: Log<bigint, number, false>[] | undefined;
    // Logs within the range asked for.
    let available = 0;
    if (rest && rest.from === from) {
      while (available < rest.logs.length && rest.logs[available]!.blockNumber <= BigInt(to)) available++;
      if (available > 0) logs = rest.logs;
    }
    const kept = logs !== undefined;
    // Logs asked for afresh: the last block asked for is read before getLogs and again once every
    // block is in. Unchanged, no reorg reached the range meanwhile, so the logs and the blocks come
    // from the chain that ends in it. (A batch the logs name the end of, cut or kept, is checked by
    // that log's block hash instead; without this, a reorg that put logs into blocks which had none
    // would go unseen: nothing read names those blocks' hashes.)
    const pinned = kept ? undefined : await this.client.getBlock({ blockNumber: BigInt(to) });
    if (!logs) {
      // A range more than twice the previous one (sized from a sparser part of the chain) is asked
      // for in two parts: first as many blocks as the previous range, then the rest only when that
      // part holds no more logs than a batch is cut at. A denser part then costs no refused answer.
      const probe = previous > 0 && to - from + 1 > 2 * previous ? from + previous - 1 : undefined;
      const wanted = to;
      const first = await this.getLogs(from, probe ?? to, splits);
      logs = first.logs;
      to = first.to;
      if (probe !== undefined && to === probe && logs.length <= this.cutAbove) {
        const second = await this.getLogs(probe + 1, wanted, splits);
        logs = logs.concat(second.logs);
        to = second.to;
      }
      logs.sort((a, b) => Number(a.blockNumber - b.blockNumber) || a.logIndex - b.logIndex);
      available = logs.length;
    }
    let endLog: Log<bigint, number, false> | undefined;
    if (kept || available > this.cutAbove) {
      const keep = available > this.cutAbove ? this.targetLogs : available;
      const last = logs[keep - 1]!.blockNumber;
      let end = keep;
      while (end < logs.length && logs[end]!.blockNumber === last) end++;
      if (end < logs.length) this.rest = { from: Number(last) + 1, logs: logs.slice(end) };
      logs = logs.slice(0, end);
      to = Number(last);
      endLog = logs[end - 1];
    }
    const triggers: FetchedTrigger[] = [];
    const txsByBlock = new Map<number, Set<Hex>>();
    for (const log of logs) {
      if (log.removed) continue;
      const blockNumber = Number(log.blockNumber);
      for (const { index, source, events } of this.byAddress.get(log.address.toLowerCase()) ?? []) {
        if (blockNumber < source.startBlock) continue;
        const topic0 = log.topics[0] as Hex;
        const event = events.get(topic0);
        if (!event) continue;
        const values = decodeEventParams(event, log.topics, log.data).map((p) => p.value);
        triggers.push({ source: index, topic0, address: log.address, blockNumber, blockHash: log.blockHash, logIndex: log.logIndex, transactionHash: log.transactionHash, transactionIndex: log.transactionIndex, values });
        let txs = txsByBlock.get(blockNumber);
        if (!txs) txsByBlock.set(blockNumber, (txs = new Set()));
        txs.add(log.transactionHash);
      }
    }
    if (!txsByBlock.has(to)) txsByBlock.set(to, new Set());
    const blocks = await this.blocks(txsByBlock);
    const changed = (n: number) => new Error(`block ${n} changed while fetching (reorg); retrying`);
    for (const t of triggers) {
      if (blocks.get(t.blockNumber)!.ptr.hash !== t.blockHash) throw changed(t.blockNumber);
    }
    const end = blocks.get(to)!.ptr;
    if (endLog && end.hash !== endLog.blockHash) throw changed(to);
    if (!endLog && pinned) {
      const after = await this.client.getBlock({ blockNumber: pinned.number! });
      if (after.hash !== pinned.hash) throw changed(Number(pinned.number));
    }
    return { from, to, logCount: logs.length, splits, triggers, blocks, end };
  }

  /** The logs of blocks `from` to `to`, or of fewer blocks from `from` when the answer is too large (halved until it fits). */
  private async getLogs(from: number, to: number, splits: FetchedBatch["splits"]): Promise<{ logs: Log<bigint, number, false>[]; to: number }> {
    for (;;) {
      try {
        return { logs: await this.client.getLogs({ address: this.addresses, fromBlock: BigInt(from), toBlock: BigInt(to) }), to };
      } catch (error) {
        if (to <= from || !isLogRangeTooLarge(error)) throw error;
        const range = Math.max(1, Math.floor((to - from + 1) / 2));
        splits.push({ from, to, range, reason: (error as Error).message.split("\n")[0]! });
        to = from + range - 1;
      }
    }
  }

  /** The blocks `txsByBlock` names, with those of their transactions. */
  private async blocks(txsByBlock: Map<number, Set<Hex>>): Promise<Map<number, FetchedBlock>> {
    const numbers = [...txsByBlock.keys()];
    const blocks = new Map<number, FetchedBlock>();
    for (let i = 0; i < numbers.length; i += BLOCK_CONCURRENCY) {
      const slice = numbers.slice(i, i + BLOCK_CONCURRENCY);
      const fetched = await Promise.all(slice.map((n) => this.client.getBlock({ blockNumber: BigInt(n), includeTransactions: txsByBlock.get(n)!.size > 0 })));
      fetched.forEach((block, j) => {
        const wanted = txsByBlock.get(slice[j]!)!;
        const transactions: FetchedBlock["transactions"] = new Map();
        for (const tx of block.transactions) {
          if (typeof tx === "string" || !wanted.has(tx.hash)) continue;
          transactions.set(tx.hash, {
            hash: tx.hash,
            index: tx.transactionIndex === null || tx.transactionIndex === undefined ? null : BigInt(tx.transactionIndex),
            from: tx.from,
            to: tx.to ?? null,
            value: tx.value,
            gasLimit: tx.gas,
            gasPrice: tx.gasPrice ?? 0n,
            input: tx.input,
            nonce: BigInt(tx.nonce),
          });
        }
        blocks.set(slice[j]!, { ptr: ptrOf(block), data: blockData(block), transactions });
      });
    }
    return blocks;
  }
}

/** Where the follower gets its batches from: a {@link BatchFetcher} in a worker thread or in its own. */
export interface BatchSource {
  /** See {@link BatchFetcher.batch}; `previous`: blocks of the range before. */
  batch(from: number, to: number, previous?: number): Promise<FetchedBatch>;
  /** False while a worker is still loading its modules. */
  readonly ready: boolean;
  close(): Promise<void>;
}

/** A {@link BatchFetcher} in the follower's own thread. */
export function fetchInThread(client: PublicClient, sources: SourceFilter[]): BatchSource {
  const fetcher = new BatchFetcher(client, sources);
  return { batch: (from, to, previous) => fetcher.batch(from, to, previous), ready: true, close: async () => {} };
}

/**
 * A {@link BatchFetcher} in a worker thread (fetch-worker.ts) reading `rpcUrl`, started now; `ready`
 * once it has loaded its modules. A failure comes back as an Error with the worker's message; a
 * worker that dies fails what it was asked and is started again at the next request.
 */
export function fetchInWorker(rpcUrl: string, sources: SourceFilter[]): BatchSource {
  let worker: Worker | undefined;
  let ready = false;
  let nextId = 0;
  const pending = new Map<number, { resolve: (batch: FetchedBatch) => void; reject: (error: Error) => void }>();
  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const start = () => {
    const w = new Worker(new URL("./fetch-worker.ts", import.meta.url), { workerData: { rpcUrl, sources } });
    w.on("message", (message: { id: number; batch?: FetchedBatch; error?: string } | "ready") => {
      if (message === "ready") {
        if (worker === w) ready = true;
        return;
      }
      const p = pending.get(message.id);
      if (!p) return;
      pending.delete(message.id);
      if (message.batch) p.resolve(message.batch);
      else p.reject(new Error(message.error));
    });
    w.on("error", (error) => {
      if (worker === w) [worker, ready] = [undefined, false];
      failAll(error);
    });
    w.on("exit", (code) => {
      if (worker === w) [worker, ready] = [undefined, false];
      failAll(new Error(`the fetch worker exited (${code})`));
    });
    // A follower stopped without close() must not keep the process alive.
    w.unref();
    return w;
  };
  worker = start();
  return {
    get ready() {
      return ready;
    },
    batch(from, to, previous) {
      worker ??= start();
      const id = nextId++;
      const promise = new Promise<FetchedBatch>((resolve, reject) => pending.set(id, { resolve, reject }));
      worker.postMessage({ id, from, to, previous });
      return promise;
    },
    async close() {
      const w = worker;
      [worker, ready] = [undefined, false];
      if (w) await w.terminate();
    },
  };
}
