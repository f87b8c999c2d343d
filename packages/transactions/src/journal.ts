import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";

import type { Address, Hex } from "viem";

/** The kind the sender gives a transaction it turned into a 0-value self-transfer to free its nonce. */
export const CANCEL_KIND = "cancel";

/**
 * `signed`: recorded before the first broadcast (it may or may not have reached the node);
 * `sent`: a node accepted it; `confirmed` / `reverted`: mined; `dropped`: its nonce was used by
 * another transaction (another instance with the same key), so this one can never be mined.
 */
export type TxStatus = "signed" | "sent" | "confirmed" | "reverted" | "dropped";

export interface TxRecord {
  id: number;
  /** Idempotency key of the step (e.g. `execute:<proposalId>`, `relay:<hash>`). */
  key: string;
  /** What the transaction does, in the sending service's words (`execute`, `vote`, ...; `cancel` is the sender's own). */
  kind: string;
  /** What it is about (a proposal id, a signer's address): free text the service queries by. */
  subject: string;
  sender: Address;
  to: Address;
  data: Hex;
  /** Wei sent with the call (decimal); "0" for most calls. */
  value: string;
  gas: string;
  nonce: number;
  status: TxStatus;
  createdAt: number;
  updatedAt: number;
  minedHash: Hex | null;
  blockNumber: number | null;
  /** Gas used by the mined attempt (decimal), once mined. */
  gasUsed: string | null;
  /** What the mined attempt cost the sender, in wei (decimal): gas used times the effective gas price. */
  feeWei: string | null;
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

export interface MinedInfo {
  hash: Hex;
  blockNumber: number;
  gasUsed?: bigint;
  feeWei?: bigint;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS txs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL,
  subject TEXT NOT NULL,
  kind TEXT NOT NULL,
  sender TEXT NOT NULL,
  to_address TEXT NOT NULL,
  data TEXT NOT NULL,
  value TEXT NOT NULL DEFAULT '0',
  gas TEXT NOT NULL,
  nonce INTEGER NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  mined_hash TEXT,
  block_number INTEGER,
  gas_used TEXT,
  fee_wei TEXT
);
CREATE INDEX IF NOT EXISTS txs_status ON txs (sender, status);
CREATE INDEX IF NOT EXISTS txs_key ON txs (key);
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
`;

/**
 * Opens (creating its folder) a SQLite database in WAL mode with synchronous=FULL: a row is on disk
 * before the call that wrote it returns, so "recorded, then sent" survives kill -9.
 */
export function openDatabase(file: string): DatabaseSync {
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;");
  return db;
}

/**
 * Every transaction a key signed, with each signed attempt's raw bytes, so a restart can rebroadcast
 * exactly what was signed. Lives in the service's own database (`db`) beside the service's tables;
 * the service owns the connection.
 */
export class TxJournal {
  readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    migrate(db);
    db.exec(SCHEMA);
  }

  /** Records a signed transaction and its first attempt atomically, before it is broadcast. */
  recordSigned(
    tx: Pick<TxRecord, "key" | "kind" | "subject" | "sender" | "to" | "data" | "gas" | "nonce"> & { value?: string },
    attempt: Pick<AttemptRecord, "hash" | "raw" | "maxFeePerGas" | "maxPriorityFeePerGas">,
  ): TxRecord {
    const now = Date.now();
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = this.db
        .prepare(
          "INSERT INTO txs (key, subject, kind, sender, to_address, data, value, gas, nonce, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'signed', ?, ?)",
        )
        .run(tx.key, tx.subject, tx.kind, tx.sender, tx.to, tx.data, tx.value ?? "0", tx.gas, tx.nonce, now, now);
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

  setTxStatus(txId: number, status: TxStatus, mined?: MinedInfo): void {
    this.db
      .prepare(
        "UPDATE txs SET status = ?, updated_at = ?, mined_hash = COALESCE(?, mined_hash), block_number = COALESCE(?, block_number), gas_used = COALESCE(?, gas_used), fee_wei = COALESCE(?, fee_wei) WHERE id = ?",
      )
      .run(status, Date.now(), mined?.hash ?? null, mined?.blockNumber ?? null, mined?.gasUsed?.toString() ?? null, mined?.feeWei?.toString() ?? null, txId);
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

  txsBySubject(subject: string): TxRecord[] {
    return this.db.prepare("SELECT * FROM txs WHERE subject = ? ORDER BY id").all(subject).map(toTx);
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
}

/**
 * Brings a `txs` table written before the journal was shared up to date: the executor's
 * `proposal_id` / `action` columns are the journal's `subject` / `kind`, and the fee columns are new.
 */
function migrate(db: DatabaseSync): void {
  const columns = new Set((db.prepare("PRAGMA table_info(txs)").all() as Array<{ name: string }>).map((c) => c.name));
  if (columns.size === 0) return;
  if (columns.has("proposal_id") && !columns.has("subject")) db.exec("ALTER TABLE txs RENAME COLUMN proposal_id TO subject");
  if (columns.has("action") && !columns.has("kind")) db.exec("ALTER TABLE txs RENAME COLUMN action TO kind");
  if (!columns.has("gas_used")) db.exec("ALTER TABLE txs ADD COLUMN gas_used TEXT");
  if (!columns.has("fee_wei")) db.exec("ALTER TABLE txs ADD COLUMN fee_wei TEXT");
  if (!columns.has("value")) db.exec("ALTER TABLE txs ADD COLUMN value TEXT NOT NULL DEFAULT '0'");
}

type Row = Record<string, unknown>;

function toTx(r: Row): TxRecord {
  return {
    id: Number(r.id),
    key: r.key as string,
    kind: r.kind as string,
    subject: r.subject as string,
    sender: r.sender as Address,
    to: r.to_address as Address,
    data: r.data as Hex,
    value: (r.value as string | null) ?? "0",
    gas: r.gas as string,
    nonce: Number(r.nonce),
    status: r.status as TxStatus,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    minedHash: (r.mined_hash as Hex | null) ?? null,
    blockNumber: r.block_number === null ? null : Number(r.block_number),
    gasUsed: (r.gas_used as string | null) ?? null,
    feeWei: (r.fee_wei as string | null) ?? null,
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
