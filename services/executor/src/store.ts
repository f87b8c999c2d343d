import path from "node:path";
import type { DatabaseSync } from "node:sqlite";

import { openDatabase, TxJournal, type AttemptRecord, type TxRecord as JournalTxRecord, type TxStatus } from "@ai-dao/transactions";
import type { Address, Hex } from "viem";

export type { AttemptRecord, TxStatus };

/** What a journaled transaction does. `cancel` fills a nonce whose original action is no longer needed. */
export type TxAction = "queue" | "execute" | "publish" | "cancel";

/**
 * A transaction in the shared journal (`@ai-dao/transactions`) as the executor reads it: the journal's
 * `subject` is the proposal id and its `kind` the action.
 */
export interface TxRecord extends JournalTxRecord {
  proposalId: string;
  action: TxAction;
}

/** The executor's view of a shared journal record. */
export function executorTx(tx: JournalTxRecord): TxRecord {
  return { ...tx, proposalId: tx.subject, action: tx.kind as TxAction };
}

export interface ProposalRecord {
  proposalId: string;
  targets: Address[];
  values: string[];
  calldatas: Hex[];
  descriptionHash: Hex;
  createdBlock: number;
  /** Code pins recorded when the proposal was first seen (JSON of CodePin[]). */
  pins: unknown;
  closed: boolean;
  lastState: number | null;
}

export interface GuardRecord {
  key: string;
  proposalId: string;
  action: string;
  reason: string;
  decision: "refuse" | "hold";
  reportJson: string;
  reportHash: Hex;
  createdAt: number;
  publishTxId: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS proposals (
  proposal_id TEXT PRIMARY KEY,
  targets TEXT NOT NULL,
  vals TEXT NOT NULL,
  calldatas TEXT NOT NULL,
  description_hash TEXT NOT NULL,
  created_block INTEGER NOT NULL,
  pins TEXT NOT NULL,
  closed INTEGER NOT NULL DEFAULT 0,
  last_state INTEGER
);
CREATE TABLE IF NOT EXISTS guards (
  key TEXT PRIMARY KEY,
  proposal_id TEXT NOT NULL,
  action TEXT NOT NULL,
  reason TEXT NOT NULL,
  decision TEXT NOT NULL,
  report_json TEXT NOT NULL,
  report_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  publish_tx_id INTEGER
);
`;

/**
 * The executor's journal: proposals and their code pins and every guard decision, beside the shared
 * transaction journal (`@ai-dao/transactions`: every transaction it signed, with each signed
 * attempt's raw bytes, so a restart can rebroadcast exactly what was signed) in the same database
 * file. SQLite (built into Node 22) in WAL mode with synchronous=FULL: a row is on disk before the
 * call that wrote it returns, so "recorded, then sent" survives kill -9.
 */
export class Journal {
  readonly db: DatabaseSync;
  /** The shared exactly-once transaction journal, in the same database file. */
  readonly txs: TxJournal;

  constructor(file: string) {
    this.db = openDatabase(file);
    this.db.exec(SCHEMA);
    this.txs = new TxJournal(this.db);
  }

  /** Opens `<dir>/journal.sqlite`. */
  static open(dir: string): Journal {
    return new Journal(path.join(dir, "journal.sqlite"));
  }

  close(): void {
    this.db.close();
  }

  getMeta(key: string): string | undefined {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value);
  }

  // --- proposals ---

  addProposal(p: Omit<ProposalRecord, "closed" | "lastState">): boolean {
    const result = this.db
      .prepare(
        "INSERT OR IGNORE INTO proposals (proposal_id, targets, vals, calldatas, description_hash, created_block, pins) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .run(p.proposalId, JSON.stringify(p.targets), JSON.stringify(p.values), JSON.stringify(p.calldatas), p.descriptionHash, p.createdBlock, JSON.stringify(p.pins));
    return Number(result.changes) > 0;
  }

  getProposal(proposalId: string): ProposalRecord | undefined {
    const row = this.db.prepare("SELECT * FROM proposals WHERE proposal_id = ?").get(proposalId);
    return row === undefined ? undefined : toProposal(row);
  }

  openProposals(): ProposalRecord[] {
    return this.db.prepare("SELECT * FROM proposals WHERE closed = 0 ORDER BY created_block, proposal_id").all().map(toProposal);
  }

  allProposals(): ProposalRecord[] {
    return this.db.prepare("SELECT * FROM proposals ORDER BY created_block, proposal_id").all().map(toProposal);
  }

  setProposalState(proposalId: string, state: number, closed: boolean): void {
    this.db.prepare("UPDATE proposals SET last_state = ?, closed = ? WHERE proposal_id = ?").run(state, closed ? 1 : 0, proposalId);
  }

  // --- transactions (the shared journal, in the executor's words) ---

  /** Records a signed transaction and its first attempt atomically, before it is broadcast. */
  recordSigned(
    tx: Pick<TxRecord, "key" | "proposalId" | "action" | "sender" | "to" | "data" | "gas" | "nonce"> & { value?: string },
    attempt: Pick<AttemptRecord, "hash" | "raw" | "maxFeePerGas" | "maxPriorityFeePerGas">,
  ): TxRecord {
    const { proposalId, action, ...rest } = tx;
    return executorTx(this.txs.recordSigned({ ...rest, subject: proposalId, kind: action }, attempt));
  }

  /** Records a replacement (same nonce) before it is broadcast. */
  recordAttempt(txId: number, attempt: Pick<AttemptRecord, "hash" | "raw" | "to" | "data" | "maxFeePerGas" | "maxPriorityFeePerGas">): void {
    this.txs.recordAttempt(txId, attempt);
  }

  setTxStatus(txId: number, status: TxStatus, mined?: { hash: Hex; blockNumber: number }): void {
    this.txs.setTxStatus(txId, status, mined);
  }

  getTx(txId: number): TxRecord | undefined {
    const tx = this.txs.getTx(txId);
    return tx === undefined ? undefined : executorTx(tx);
  }

  /** Transactions of `sender` that may still be mined (signed or sent), oldest nonce first. */
  unresolvedTxs(sender: Address): TxRecord[] {
    return this.txs.unresolvedTxs(sender).map(executorTx);
  }

  txsFor(proposalId: string): TxRecord[] {
    return this.txs.txsBySubject(proposalId).map(executorTx);
  }

  txsByKey(key: string): TxRecord[] {
    return this.txs.txsByKey(key).map(executorTx);
  }

  allTxs(): TxRecord[] {
    return this.txs.allTxs().map(executorTx);
  }

  /** Highest nonce this journal ever signed for `sender` (any status), or -1. */
  highestNonce(sender: Address): number {
    return this.txs.highestNonce(sender);
  }

  attempts(txId: number): AttemptRecord[] {
    return this.txs.attempts(txId);
  }

  // --- guard decisions ---

  getGuard(key: string): GuardRecord | undefined {
    const row = this.db.prepare("SELECT * FROM guards WHERE key = ?").get(key);
    return row === undefined ? undefined : toGuard(row);
  }

  addGuard(g: Omit<GuardRecord, "createdAt" | "publishTxId">): boolean {
    const result = this.db
      .prepare("INSERT OR IGNORE INTO guards (key, proposal_id, action, reason, decision, report_json, report_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .run(g.key, g.proposalId, g.action, g.reason, g.decision, g.reportJson, g.reportHash, Date.now());
    return Number(result.changes) > 0;
  }

  unpublishedGuards(): GuardRecord[] {
    return this.db.prepare("SELECT * FROM guards WHERE publish_tx_id IS NULL ORDER BY created_at, key").all().map(toGuard);
  }

  allGuards(): GuardRecord[] {
    return this.db.prepare("SELECT * FROM guards ORDER BY created_at, key").all().map(toGuard);
  }

  setGuardPublishTx(key: string, txId: number | null): void {
    this.db.prepare("UPDATE guards SET publish_tx_id = ? WHERE key = ?").run(txId, key);
  }
}

type Row = Record<string, unknown>;

function toProposal(r: Row): ProposalRecord {
  return {
    proposalId: r.proposal_id as string,
    targets: JSON.parse(r.targets as string),
    values: JSON.parse(r.vals as string),
    calldatas: JSON.parse(r.calldatas as string),
    descriptionHash: r.description_hash as Hex,
    createdBlock: Number(r.created_block),
    pins: JSON.parse(r.pins as string),
    closed: Number(r.closed) === 1,
    lastState: r.last_state === null ? null : Number(r.last_state),
  };
}

function toGuard(r: Row): GuardRecord {
  return {
    key: r.key as string,
    proposalId: r.proposal_id as string,
    action: r.action as string,
    reason: r.reason as string,
    decision: r.decision as "refuse" | "hold",
    reportJson: r.report_json as string,
    reportHash: r.report_hash as Hex,
    createdAt: Number(r.created_at),
    publishTxId: r.publish_tx_id === null ? null : Number(r.publish_tx_id),
  };
}
