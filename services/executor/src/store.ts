import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";

import type { Address, Hex } from "viem";

/** What a journaled transaction does. `cancel` fills a nonce whose original action is no longer needed. */
export type TxAction = "queue" | "execute" | "publish" | "cancel";
/**
 * `signed`: recorded before the first broadcast (it may or may not have reached the node);
 * `sent`: a node accepted it; `confirmed` / `reverted`: mined; `dropped`: its nonce was used by
 * another transaction (another instance with the same key), so this one can never be mined.
 */
export type TxStatus = "signed" | "sent" | "confirmed" | "reverted" | "dropped";

export interface TxRecord {
  id: number;
  key: string;
  proposalId: string;
  action: TxAction;
  sender: Address;
  to: Address;
  data: Hex;
  gas: string;
  nonce: number;
  status: TxStatus;
  createdAt: number;
  updatedAt: number;
  minedHash: Hex | null;
  blockNumber: number | null;
}

export interface AttemptRecord {
  id: number;
  txId: number;
  hash: Hex;
  raw: Hex;
  to: Address;
  data: Hex;
  maxFeePerGas: string;
  maxPriorityFeePerGas: string;
  createdAt: number;
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
CREATE TABLE IF NOT EXISTS txs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL,
  proposal_id TEXT NOT NULL,
  action TEXT NOT NULL,
  sender TEXT NOT NULL,
  to_address TEXT NOT NULL,
  data TEXT NOT NULL,
  gas TEXT NOT NULL,
  nonce INTEGER NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  mined_hash TEXT,
  block_number INTEGER
);
CREATE INDEX IF NOT EXISTS txs_status ON txs (sender, status);
CREATE TABLE IF NOT EXISTS attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tx_id INTEGER NOT NULL REFERENCES txs (id),
  hash TEXT NOT NULL,
  raw TEXT NOT NULL,
  to_address TEXT NOT NULL,
  data TEXT NOT NULL,
  max_fee TEXT NOT NULL,
  priority_fee TEXT NOT NULL,
  created_at INTEGER NOT NULL
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
 * The executor's journal: proposals and their code pins, every transaction it signed (with each
 * signed attempt's raw bytes, so a restart can rebroadcast exactly what was signed) and every guard
 * decision. SQLite (built into Node 22) in WAL mode with synchronous=FULL: a row is on disk before
 * the call that wrote it returns, so "recorded, then sent" survives kill -9.
 */
export class Journal {
  readonly db: DatabaseSync;

  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
    this.db = new DatabaseSync(file);
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;");
    this.db.exec(SCHEMA);
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

  // --- transactions ---

  /** Records a signed transaction and its first attempt atomically, before it is broadcast. */
  recordSigned(
    tx: Pick<TxRecord, "key" | "proposalId" | "action" | "sender" | "to" | "data" | "gas" | "nonce">,
    attempt: Pick<AttemptRecord, "hash" | "raw" | "maxFeePerGas" | "maxPriorityFeePerGas">,
  ): TxRecord {
    const now = Date.now();
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = this.db
        .prepare(
          "INSERT INTO txs (key, proposal_id, action, sender, to_address, data, gas, nonce, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'signed', ?, ?)",
        )
        .run(tx.key, tx.proposalId, tx.action, tx.sender, tx.to, tx.data, tx.gas, tx.nonce, now, now);
      const txId = Number(result.lastInsertRowid);
      this.insertAttempt(txId, { ...attempt, to: tx.to, data: tx.data });
      this.db.exec("COMMIT");
      return this.getTx(txId)!;
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  /** Records a replacement (same nonce) before it is broadcast. */
  recordAttempt(txId: number, attempt: Pick<AttemptRecord, "hash" | "raw" | "to" | "data" | "maxFeePerGas" | "maxPriorityFeePerGas">): void {
    this.insertAttempt(txId, attempt);
    this.db.prepare("UPDATE txs SET updated_at = ? WHERE id = ?").run(Date.now(), txId);
  }

  private insertAttempt(txId: number, a: Pick<AttemptRecord, "hash" | "raw" | "to" | "data" | "maxFeePerGas" | "maxPriorityFeePerGas">): void {
    this.db
      .prepare("INSERT INTO attempts (tx_id, hash, raw, to_address, data, max_fee, priority_fee, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .run(txId, a.hash, a.raw, a.to, a.data, a.maxFeePerGas, a.maxPriorityFeePerGas, Date.now());
  }

  setTxStatus(txId: number, status: TxStatus, mined?: { hash: Hex; blockNumber: number }): void {
    this.db
      .prepare("UPDATE txs SET status = ?, updated_at = ?, mined_hash = COALESCE(?, mined_hash), block_number = COALESCE(?, block_number) WHERE id = ?")
      .run(status, Date.now(), mined?.hash ?? null, mined?.blockNumber ?? null, txId);
  }

  getTx(txId: number): TxRecord | undefined {
    const row = this.db.prepare("SELECT * FROM txs WHERE id = ?").get(txId);
    return row === undefined ? undefined : toTx(row);
  }

  /** Transactions of `sender` that may still be mined (signed or sent), oldest nonce first. */
  unresolvedTxs(sender: Address): TxRecord[] {
    return this.db
      .prepare("SELECT * FROM txs WHERE sender = ? AND status IN ('signed', 'sent') ORDER BY nonce, id")
      .all(sender)
      .map(toTx);
  }

  txsFor(proposalId: string): TxRecord[] {
    return this.db.prepare("SELECT * FROM txs WHERE proposal_id = ? ORDER BY id").all(proposalId).map(toTx);
  }

  txsByKey(key: string): TxRecord[] {
    return this.db.prepare("SELECT * FROM txs WHERE key = ? ORDER BY id").all(key).map(toTx);
  }

  allTxs(): TxRecord[] {
    return this.db.prepare("SELECT * FROM txs ORDER BY id").all().map(toTx);
  }

  /** Highest nonce this journal ever signed for `sender` (any status), or -1. */
  highestNonce(sender: Address): number {
    const row = this.db.prepare("SELECT MAX(nonce) AS n FROM txs WHERE sender = ?").get(sender) as { n: number | null };
    return row.n ?? -1;
  }

  attempts(txId: number): AttemptRecord[] {
    return this.db.prepare("SELECT * FROM attempts WHERE tx_id = ? ORDER BY id").all(txId).map(toAttempt);
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

function toTx(r: Row): TxRecord {
  return {
    id: Number(r.id),
    key: r.key as string,
    proposalId: r.proposal_id as string,
    action: r.action as TxAction,
    sender: r.sender as Address,
    to: r.to_address as Address,
    data: r.data as Hex,
    gas: r.gas as string,
    nonce: Number(r.nonce),
    status: r.status as TxStatus,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    minedHash: (r.mined_hash as Hex | null) ?? null,
    blockNumber: r.block_number === null ? null : Number(r.block_number),
  };
}

function toAttempt(r: Row): AttemptRecord {
  return {
    id: Number(r.id),
    txId: Number(r.tx_id),
    hash: r.hash as Hex,
    raw: r.raw as Hex,
    to: r.to_address as Address,
    data: r.data as Hex,
    maxFeePerGas: r.max_fee as string,
    maxPriorityFeePerGas: r.priority_fee as string,
    createdAt: Number(r.created_at),
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
