import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

import { getAddress, parseAbi, type Address, type Hex, type PublicClient } from "viem";
import type { Logger } from "pino";

import type { Trigger } from "../model/report-fields.ts";
import type { Proposal } from "../proposal.ts";
import type { Report } from "../report.ts";

export const governorEventsAbi = parseAbi([
  "event ProposalCreated(uint256 proposalId, address proposer, address[] targets, uint256[] values, string[] signatures, bytes[] calldatas, uint256 voteStart, uint256 voteEnd, string description)",
  "event ProposalQueued(uint256 proposalId, uint256 etaSeconds)",
]);

export interface ProposalEvent {
  trigger: Exclude<Trigger, "preview">;
  proposalId: bigint;
  blockNumber: bigint;
  txHash: Hex;
}

export interface WatcherOptions {
  client: PublicClient;
  governor: Address;
  chainId: number;
  /** First block to watch when there is no cursor yet (the deployment's start block). */
  startBlock: bigint;
  dataDir: string;
  /** Analyses and (when a key is configured) publishes one proposal for one trigger. Must be idempotent. */
  handle: (args: { trigger: Exclude<Trigger, "preview">; proposalId: bigint; proposal: Proposal; proposer: Address }) => Promise<Report | void>;
  logger: Logger;
  pollMs?: number;
  /** Most blocks per getLogs request; default 2000. */
  maxBlockRange?: bigint;
}

export interface WatcherStatus {
  cursor: bigint | null;
  lastTickAt: string | null;
  lastError: string | null;
  consecutiveErrors: number;
  handled: number;
}

interface CreatedProposal {
  proposal: Proposal;
  proposer: Address;
}

/**
 * Follows the Governor's ProposalCreated and ProposalQueued events by polling getLogs from a
 * persisted cursor, and hands each to `handle` (analyse, publish). The cursor only moves past a
 * block range once every event in it was handled, so a crash re-handles at most one range; the
 * handler's publishing checks the chain, so that costs no duplicate decision. RPC errors are
 * logged and retried with exponential backoff; the loop does not stop.
 */
export class ProposalWatcher {
  readonly #o: WatcherOptions;
  readonly #cursorFile: string;
  readonly #created = new Map<bigint, CreatedProposal>();
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #ticking: Promise<void> | null = null;
  readonly status: WatcherStatus = { cursor: null, lastTickAt: null, lastError: null, consecutiveErrors: 0, handled: 0 };

  constructor(options: WatcherOptions) {
    this.#o = options;
    this.#cursorFile = path.join(options.dataDir, `watcher-${options.chainId}-${options.governor.toLowerCase()}.json`);
  }

  async #readCursor(): Promise<bigint | null> {
    try {
      const saved = JSON.parse(await readFile(this.#cursorFile, "utf8")) as { lastBlock: string };
      return BigInt(saved.lastBlock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async #writeCursor(block: bigint): Promise<void> {
    await mkdir(path.dirname(this.#cursorFile), { recursive: true });
    const tmp = `${this.#cursorFile}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ lastBlock: block.toString(), updatedAt: new Date().toISOString() })}\n`);
    await rename(tmp, this.#cursorFile);
    this.status.cursor = block;
  }

  #remember(log: { args: Record<string, unknown> }): void {
    const a = log.args as { proposalId: bigint; proposer: Address; targets: Address[]; values: bigint[]; calldatas: Hex[]; description: string };
    this.#created.set(a.proposalId, {
      proposal: { targets: a.targets.map((t) => getAddress(t)), values: [...a.values], calldatas: [...a.calldatas], description: a.description },
      proposer: getAddress(a.proposer),
    });
  }

  /** The ProposalCreated data of a proposal seen before this process started (the Governor does not store descriptions). */
  async #findCreated(proposalId: bigint, toBlock: bigint): Promise<CreatedProposal> {
    const known = this.#created.get(proposalId);
    if (known) return known;
    const logs = await this.#o.client.getLogs({ address: this.#o.governor, event: governorEventsAbi[0], fromBlock: this.#o.startBlock, toBlock, strict: true });
    for (const log of logs) this.#remember(log);
    const found = this.#created.get(proposalId);
    if (!found) throw new Error(`no ProposalCreated event for proposal ${proposalId}`);
    return found;
  }

  /** One poll: handles every event between the cursor and the latest block (in ranges). */
  async tick(): Promise<number> {
    const { client, governor } = this.#o;
    const range = this.#o.maxBlockRange ?? 2000n;
    const latest = await client.getBlockNumber();
    let cursor = (await this.#readCursor()) ?? this.#o.startBlock - 1n;
    this.status.cursor = cursor;
    let handled = 0;
    while (cursor < latest) {
      const fromBlock = cursor + 1n;
      const toBlock = fromBlock + range - 1n < latest ? fromBlock + range - 1n : latest;
      const logs = await client.getLogs({ address: governor, events: governorEventsAbi, fromBlock, toBlock, strict: true });
      logs.sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex! - b.logIndex! : a.blockNumber! < b.blockNumber! ? -1 : 1));
      for (const log of logs) {
        const trigger = log.eventName === "ProposalCreated" ? "created" : "queued";
        if (log.eventName === "ProposalCreated") this.#remember(log);
        const proposalId = log.args.proposalId;
        const { proposal, proposer } = await this.#findCreated(proposalId, toBlock);
        this.#o.logger.info({ trigger, proposalId: proposalId.toString(), block: log.blockNumber!.toString() }, "proposal event");
        await this.#o.handle({ trigger, proposalId, proposal, proposer });
        handled++;
        this.status.handled++;
      }
      await this.#writeCursor(toBlock);
      cursor = toBlock;
    }
    this.status.lastTickAt = new Date().toISOString();
    return handled;
  }

  /** Polls until {@link stop}. Errors back off exponentially (up to 60 s) and are logged, never thrown. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    const loop = async () => {
      if (!this.#running) return;
      let delay = this.#o.pollMs ?? 2_000;
      this.#ticking = this.tick().then(
        () => {
          this.status.consecutiveErrors = 0;
          this.status.lastError = null;
        },
        (error: unknown) => {
          this.status.consecutiveErrors++;
          this.status.lastError = (error as { shortMessage?: string }).shortMessage ?? (error as Error).message?.split("\n")[0] ?? String(error);
          delay = Math.min(60_000, (this.#o.pollMs ?? 2_000) * 2 ** Math.min(this.status.consecutiveErrors, 10));
          this.#o.logger.warn({ err: this.status.lastError, consecutiveErrors: this.status.consecutiveErrors, retryInMs: delay }, "watcher tick failed; backing off");
        },
      );
      await this.#ticking;
      this.#ticking = null;
      if (this.#running) this.#timer = setTimeout(() => void loop(), delay);
    };
    void loop();
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#ticking;
  }
}
