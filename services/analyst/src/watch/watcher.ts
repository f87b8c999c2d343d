import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

import { decodeAbiParameters, decodeEventLog, encodeEventTopics, getAddress, parseAbi, parseAbiParameters, toHex, type Address, type Hex, type PublicClient } from "viem";
import { pollLoop, type Logger } from "@ai-dao/service-kit";

import { descriptionText } from "@ai-dao/description";
import { decodeProposalCreatedFor, hashDescription, isCompoundFlavour, proposalCreatedEvent, type GovernorFlavourName, type ProposalCreated } from "@ai-dao/protocol";

import type { Trigger } from "@ai-dao/reports";
import { errorLine } from "../errors.ts";
import type { Proposal } from "../proposal.ts";
import type { Report } from "../report.ts";

/**
 * The Governor events the watcher follows. OpenZeppelin 4.x/5.x and Compound Alpha/Bravo emit them
 * with the same signatures (Compound's `ProposalCreated(id, …, startBlock, endBlock, description)`,
 * `ProposalQueued(id, eta)`); what differs is how a ProposalCreated is read (`decodeProposalCreatedFor`).
 */
export const governorEventsAbi = parseAbi([
  "event ProposalCreated(uint256 proposalId, address proposer, address[] targets, uint256[] values, string[] signatures, bytes[] calldatas, uint256 voteStart, uint256 voteEnd, string description)",
  "event ProposalQueued(uint256 proposalId, uint256 etaSeconds)",
]);
const [CREATED_TOPIC] = encodeEventTopics({ abi: [proposalCreatedEvent], eventName: "ProposalCreated" }) as [Hex];
const [QUEUED_TOPIC] = encodeEventTopics({ abi: governorEventsAbi, eventName: "ProposalQueued" }) as [Hex];

/** A log as `eth_getLogs` returns it (quantities as hex). */
interface RawLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex | null;
  transactionHash: Hex | null;
  logIndex: Hex | null;
  removed?: boolean;
}

/** A raw log with its position as numbers. */
interface GovernorLog {
  name: "ProposalCreated" | "ProposalQueued";
  topics: Hex[];
  data: Hex;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
}

export type WatchTrigger = Exclude<Trigger, "preview">;

export interface ProposalEvent {
  trigger: WatchTrigger;
  proposalId: bigint;
  blockNumber: bigint;
  txHash: Hex;
}

/** An event whose handling failed {@link WatcherOptions.maxAttempts} times: what is known about it, and why. */
export interface FailedEvent {
  trigger: WatchTrigger;
  /** Null when not even the id could be read from the log (nothing can be published then). */
  proposalId: bigint | null;
  /** The proposal's fields as far as the ProposalCreated log could be decoded. */
  proposal: { targets: Address[]; values: bigint[]; calldatas: Hex[]; descriptionHash: Hex } | null;
  proposer: Address | null;
  /** One line, without request bodies or credentials. */
  reason: string;
  attempts: number;
  event: { name: "ProposalCreated" | "ProposalQueued"; blockNumber: bigint; transactionHash: Hex; logIndex: number };
}

export interface WatcherOptions {
  client: PublicClient;
  governor: Address;
  /**
   * An attached DAO's Governor flavour (deployment file `attached.flavour`): how its ProposalCreated
   * events are read (Compound: sequential ids, signatures plus calldata). Absent: the platform's own.
   */
  flavour?: GovernorFlavourName | undefined;
  chainId: number;
  /** First block to watch when there is no cursor yet (the deployment's start block). */
  startBlock: bigint;
  dataDir: string;
  /** Analyses and (when a key is configured) publishes one proposal for one trigger. Must be idempotent. */
  handle: (args: { trigger: WatchTrigger; proposalId: bigint; proposal: Proposal; proposer: Address }) => Promise<Report | void>;
  /** Called when an event failed `maxAttempts` times (publish a failure report); the watcher then moves on. Must be idempotent. */
  onFailure?: (failed: FailedEvent) => Promise<void>;
  logger: Logger;
  pollMs?: number;
  /** Most blocks per getLogs request; default 2000. */
  maxBlockRange?: bigint;
  /** Attempts per event before it is reported as failed; default 3. */
  maxAttempts?: number;
}

export interface WatcherStatus {
  cursor: bigint | null;
  lastTickAt: string | null;
  lastError: string | null;
  consecutiveErrors: number;
  handled: number;
  /** Events given up on and reported as failed analyses. */
  failed: number;
}

interface CreatedProposal {
  proposal: Proposal;
  proposer: Address;
}

/** What the watcher persists: the last block fully handled, the last event handled after it, failed attempts per event. */
interface WatcherState {
  lastBlock: bigint | null;
  lastLog: { blockNumber: bigint; logIndex: number } | null;
  attempts: Record<string, { count: number; lastError: string }>;
}


function toProposal(created: ProposalCreated): CreatedProposal {
  return {
    proposal: {
      targets: created.targets,
      values: created.values,
      calldatas: created.calldatas,
      descriptionBytes: created.descriptionBytes,
      description: descriptionText(created.descriptionBytes).text,
    },
    proposer: created.proposer,
  };
}

const createdFields = parseAbiParameters("uint256, address, address[], uint256[], string[], bytes[], uint256, uint256, bytes");

/** As much of a failed event as can be read, without trusting it: the emitted id, and the fields when the data decodes. */
function bestEffort(log: GovernorLog, known: Map<bigint, CreatedProposal>, flavour: GovernorFlavourName | undefined): Pick<FailedEvent, "proposalId" | "proposal" | "proposer"> {
  let proposalId: bigint | null = log.data.length >= 66 ? BigInt(log.data.slice(0, 66)) : null;
  let fields: CreatedProposal | null = null;
  let decoded: ProposalCreated | null = null;
  if (log.name === "ProposalCreated" && flavour !== undefined) {
    try {
      decoded = decodeProposalCreatedFor(flavour, log);
    } catch {
      // read below without trusting it
    }
  }
  if (decoded !== null) {
    proposalId = decoded.proposalId;
    fields = toProposal(decoded);
  } else if (log.name === "ProposalCreated" && (flavour === undefined || !isCompoundFlavour(flavour))) {
    // (A Compound event that does not decode keeps only its id: its calldatas alone are not what would execute.)
    try {
      const [id, proposer, targets, values, , calldatas, , , bytes] = decodeAbiParameters(createdFields, log.data);
      proposalId = id;
      fields = { proposal: { targets: targets.map((t) => getAddress(t)), values: [...values], calldatas: [...calldatas], descriptionBytes: bytes, description: "" }, proposer: getAddress(proposer) };
    } catch {
      // undecodable data: the id (first word) is all there is
    }
  } else if (proposalId !== null) fields = known.get(proposalId) ?? null;
  return {
    proposalId,
    proposal: fields ? { targets: fields.proposal.targets, values: fields.proposal.values, calldatas: fields.proposal.calldatas, descriptionHash: hashDescription(fields.proposal.descriptionBytes) } : null,
    proposer: fields?.proposer ?? null,
  };
}

/**
 * Follows the Governor's ProposalCreated and ProposalQueued events by polling raw logs from a
 * persisted cursor, and hands each to `handle` (analyse, publish). Descriptions are read as the exact
 * bytes emitted (`decodeProposalCreatedFor` of the Governor's flavour), never through a text decoder,
 * so ids always match the chain's.
 *
 * One bad event never stops the stream. When handling an event throws and the RPC still answers,
 * the attempt is counted (persisted, so a restart does not start over); after `maxAttempts` the
 * event is handed to `onFailure` (which publishes a failure report) and the cursor moves on. When
 * the RPC itself does not answer, nothing is counted: the tick fails and the loop backs off
 * exponentially until it is back. The cursor moves past an event only once it was handled or
 * reported as failed; the handlers check the chain first, so re-handling publishes nothing twice.
 */
export class ProposalWatcher {
  readonly #o: WatcherOptions;
  readonly #stateFile: string;
  readonly #created = new Map<bigint, CreatedProposal>();
  #stop: AbortController | null = null;
  #loop: Promise<void> | null = null;
  readonly status: WatcherStatus = { cursor: null, lastTickAt: null, lastError: null, consecutiveErrors: 0, handled: 0, failed: 0 };

  constructor(options: WatcherOptions) {
    this.#o = options;
    this.#stateFile = path.join(options.dataDir, `watcher-${options.chainId}-${options.governor.toLowerCase()}.json`);
  }

  async #readState(): Promise<WatcherState> {
    let text: string;
    try {
      text = await readFile(this.#stateFile, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { lastBlock: null, lastLog: null, attempts: {} };
      throw error;
    }
    try {
      const saved = JSON.parse(text) as { lastBlock?: unknown; lastLog?: { blockNumber?: unknown; logIndex?: unknown } | null; attempts?: WatcherState["attempts"] };
      const block = (v: unknown) => (typeof v === "string" && /^\d{1,30}$/.test(v) ? BigInt(v) : null);
      const lastBlock = saved.lastBlock === undefined || saved.lastBlock === null ? null : block(saved.lastBlock);
      if (saved.lastBlock !== undefined && saved.lastBlock !== null && lastBlock === null) throw new Error("lastBlock is not a block number");
      const lastLogBlock = block(saved.lastLog?.blockNumber);
      const lastLog = lastLogBlock !== null && typeof saved.lastLog?.logIndex === "number" ? { blockNumber: lastLogBlock, logIndex: saved.lastLog.logIndex } : null;
      return { lastBlock, lastLog, attempts: saved.attempts && typeof saved.attempts === "object" ? saved.attempts : {} };
    } catch (error) {
      throw new Error(`the watcher's cursor file ${this.#stateFile} is damaged (${(error as Error).message}); fix or delete it (the watcher then starts again from the deployment's start block, publishing nothing twice)`);
    }
  }

  async #writeState(state: WatcherState): Promise<void> {
    await mkdir(path.dirname(this.#stateFile), { recursive: true });
    const tmp = `${this.#stateFile}.tmp`;
    const body = {
      lastBlock: state.lastBlock?.toString() ?? null,
      lastLog: state.lastLog ? { blockNumber: state.lastLog.blockNumber.toString(), logIndex: state.lastLog.logIndex } : null,
      attempts: state.attempts,
      updatedAt: new Date().toISOString(),
    };
    await writeFile(tmp, `${JSON.stringify(body)}\n`);
    await rename(tmp, this.#stateFile);
    this.status.cursor = state.lastBlock;
  }

  /** The Governor's ProposalCreated / ProposalQueued logs in a block range, raw, oldest first. */
  async #logs(fromBlock: bigint, toBlock: bigint, topics: Hex[] = [CREATED_TOPIC, QUEUED_TOPIC]): Promise<GovernorLog[]> {
    const raw = (await this.#o.client.request({
      method: "eth_getLogs",
      params: [{ address: this.#o.governor, fromBlock: toHex(fromBlock), toBlock: toHex(toBlock), topics: [topics] }],
    } as never)) as RawLog[];
    const logs: GovernorLog[] = [];
    for (const l of raw) {
      if (l.removed || l.blockNumber === null || l.logIndex === null || l.transactionHash === null) continue;
      if (l.address.toLowerCase() !== this.#o.governor.toLowerCase()) continue;
      const name = l.topics[0] === CREATED_TOPIC ? "ProposalCreated" : l.topics[0] === QUEUED_TOPIC ? "ProposalQueued" : null;
      if (name === null) continue;
      logs.push({ name, topics: l.topics, data: l.data, blockNumber: BigInt(l.blockNumber), logIndex: Number(l.logIndex), transactionHash: l.transactionHash });
    }
    return logs.sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
  }

  /** The ProposalCreated data of a proposal seen before this process started (the Governor does not store descriptions). */
  async #findCreated(proposalId: bigint, toBlock: bigint): Promise<CreatedProposal> {
    const known = this.#created.get(proposalId);
    if (known) return known;
    const range = this.#o.maxBlockRange ?? 2000n;
    for (let from = this.#o.startBlock; from <= toBlock; from += range) {
      const to = from + range - 1n < toBlock ? from + range - 1n : toBlock;
      for (const log of await this.#logs(from, to, [CREATED_TOPIC])) {
        try {
          const created = decodeProposalCreatedFor(this.#o.flavour, log);
          this.#created.set(created.proposalId, toProposal(created));
        } catch {
          // another proposal's bad event: reported when its own turn came
        }
      }
      const found = this.#created.get(proposalId);
      if (found) return found;
    }
    throw new Error(`no readable ProposalCreated event for proposal ${proposalId}`);
  }

  async #handleLog(log: GovernorLog, toBlock: bigint): Promise<void> {
    let proposalId: bigint;
    let trigger: WatchTrigger;
    if (log.name === "ProposalCreated") {
      const created = decodeProposalCreatedFor(this.#o.flavour, log);
      proposalId = created.proposalId;
      trigger = "created";
      this.#created.set(proposalId, toProposal(created));
    } else {
      const decoded = decodeEventLog({ abi: governorEventsAbi, eventName: "ProposalQueued", data: log.data, topics: log.topics as [Hex, ...Hex[]], strict: true });
      proposalId = decoded.args.proposalId;
      trigger = "queued";
    }
    const { proposal, proposer } = await this.#findCreated(proposalId, toBlock);
    this.#o.logger.info({ trigger, proposalId: proposalId.toString(), block: log.blockNumber.toString() }, "proposal event");
    await this.#o.handle({ trigger, proposalId, proposal, proposer });
  }

  /** Whether the RPC answers at all: tells an outage (back off, count nothing) from a problem with one event. */
  async #rpcAnswers(): Promise<boolean> {
    try {
      await this.#o.client.getBlockNumber({ cacheTime: 0 });
      return true;
    } catch {
      return false;
    }
  }

  async #giveUp(log: GovernorLog, reason: string, attempts: number): Promise<void> {
    const known = bestEffort(log, this.#created, this.#o.flavour);
    const failed: FailedEvent = {
      trigger: log.name === "ProposalCreated" ? "created" : "queued",
      ...known,
      reason,
      attempts,
      event: { name: log.name, blockNumber: log.blockNumber, transactionHash: log.transactionHash, logIndex: log.logIndex },
    };
    const where = { proposalId: known.proposalId?.toString() ?? null, block: log.blockNumber.toString(), logIndex: log.logIndex, attempts, reason };
    if (known.proposalId === null) {
      this.#o.logger.error(where, "event failed and names no proposal: nothing to publish; moving on");
    } else {
      this.#o.logger.error(where, "analysis failed; reporting it as failed and moving on");
      await this.#o.onFailure?.(failed);
    }
    this.status.failed++;
  }

  /** One poll: handles every event between the cursor and the latest block (in ranges). */
  async tick(): Promise<number> {
    const { client } = this.#o;
    const maxAttempts = this.#o.maxAttempts ?? 3;
    const range = this.#o.maxBlockRange ?? 2000n;
    const latest = await client.getBlockNumber({ cacheTime: 0 });
    const state = await this.#readState();
    let cursor = state.lastBlock ?? this.#o.startBlock - 1n;
    this.status.cursor = cursor;
    let handled = 0;
    while (cursor < latest) {
      const fromBlock = cursor + 1n;
      const toBlock = fromBlock + range - 1n < latest ? fromBlock + range - 1n : latest;
      for (const log of await this.#logs(fromBlock, toBlock)) {
        const done = state.lastLog;
        if (done && (log.blockNumber < done.blockNumber || (log.blockNumber === done.blockNumber && log.logIndex <= done.logIndex))) continue;
        const key = `${log.blockNumber}:${log.logIndex}`;
        const previous = state.attempts[key];
        if (previous && previous.count >= maxAttempts) {
          await this.#giveUp(log, previous.lastError, previous.count); // an earlier give-up whose report did not go out
        } else {
          try {
            await this.#handleLog(log, toBlock);
            handled++;
            this.status.handled++;
          } catch (error) {
            const reason = errorLine(error);
            if (!(await this.#rpcAnswers())) throw error; // an outage: back off, count nothing
            const count = (previous?.count ?? 0) + 1;
            state.attempts[key] = { count, lastError: reason };
            await this.#writeState(state);
            if (count < maxAttempts) {
              this.#o.logger.warn({ block: log.blockNumber.toString(), logIndex: log.logIndex, attempt: count, maxAttempts, reason }, "handling a proposal event failed; will retry");
              throw error;
            }
            await this.#giveUp(log, reason, count);
          }
        }
        delete state.attempts[key];
        state.lastLog = { blockNumber: log.blockNumber, logIndex: log.logIndex };
        await this.#writeState(state);
      }
      state.lastBlock = toBlock;
      state.lastLog = null;
      await this.#writeState(state);
      cursor = toBlock;
    }
    this.status.lastTickAt = new Date().toISOString();
    return handled;
  }

  /** Polls until {@link stop} (the kit's poll loop). Errors back off exponentially (up to 60 s) and are logged, never thrown. */
  start(): void {
    if (this.#loop) return;
    const stop = new AbortController();
    this.#stop = stop;
    const pollMs = this.#o.pollMs ?? 2_000;
    this.#loop = pollLoop({
      intervalMs: pollMs,
      maxBackoffMs: 60_000,
      signal: stop.signal,
      tick: async () => {
        await this.tick();
        this.status.consecutiveErrors = 0;
        this.status.lastError = null;
      },
      onError: (error, failures, retryInMs) => {
        this.status.consecutiveErrors = failures;
        this.status.lastError = errorLine(error);
        this.#o.logger.warn({ err: this.status.lastError, consecutiveErrors: failures, retryInMs }, "watcher tick failed; backing off");
      },
    });
  }

  async stop(): Promise<void> {
    this.#stop?.abort();
    await this.#loop;
    this.#loop = null;
    this.#stop = null;
  }
}
