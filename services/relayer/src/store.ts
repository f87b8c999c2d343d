import path from "node:path";
import type { DatabaseSync } from "node:sqlite";

import { openDatabase, TxJournal, type TxRecord } from "@ai-dao/transactions";
import type { Address } from "viem";

export type RelayKind = "vote" | "delegate";

/** A request the relayer accepted: the verified payload, by its id (keccak256 of the calldata it sends). */
export interface RelayRecord {
  id: string;
  kind: RelayKind;
  signer: Address;
  /** The verified request as JSON-safe values (see `VoteRequest` / `DelegationRequest`). */
  request: Record<string, unknown>;
  createdAt: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS relays (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  signer TEXT NOT NULL,
  request TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
`;

/** Spend of a set of relayed transactions: mined ones at what they cost, pending ones at the most they can. */
export interface Spend {
  wei: bigint;
  txs: number;
}

/**
 * The relayer's database: the requests it accepted (`relays`) beside the shared transaction journal
 * (`@ai-dao/transactions`) in the same SQLite file. The sponsor budget is read from the journal, so
 * what was spent survives restarts and counts what each transaction really cost.
 */
export class RelayStore {
  readonly db: DatabaseSync;
  readonly txs: TxJournal;

  constructor(file: string) {
    this.db = openDatabase(file);
    this.db.exec(SCHEMA);
    this.txs = new TxJournal(this.db);
  }

  /** Opens `<dir>/relayer.sqlite`. */
  static open(dir: string): RelayStore {
    return new RelayStore(path.join(dir, "relayer.sqlite"));
  }

  close(): void {
    this.db.close();
  }

  /** Records an accepted request before its transaction is signed; a second insert of the same id is a no-op. */
  addRelay(r: Omit<RelayRecord, "createdAt">): void {
    this.db
      .prepare("INSERT OR IGNORE INTO relays (id, kind, signer, request, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(r.id, r.kind, r.signer, JSON.stringify(r.request), Date.now());
  }

  getRelay(id: string): RelayRecord | undefined {
    const row = this.db.prepare("SELECT * FROM relays WHERE id = ?").get(id) as Record<string, unknown> | undefined;
    if (row === undefined) return undefined;
    return {
      id: row.id as string,
      kind: row.kind as RelayKind,
      signer: row.signer as Address,
      request: JSON.parse(row.request as string) as Record<string, unknown>,
      createdAt: Number(row.created_at),
    };
  }

  /** The transaction that carries relay `id`, unless it was dropped (then the relay may be sent again). */
  txOf(id: string): TxRecord | undefined {
    return this.txs.txsByKey(relayKey(id)).filter((t) => t.status !== "dropped").at(-1);
  }

  /** Relayed transactions of `signer` of this kind that may still be mined. */
  pendingOf(sender: Address, signer: Address, kind: RelayKind): TxRecord[] {
    return this.txs.unresolvedTxs(sender).filter((t) => t.subject === signer && t.kind === kind);
  }

  /**
   * What `sender` spent on relays since `since` (ms), for everyone or for one signer: mined transactions
   * at gas used × effective price, pending ones at gas limit × their latest max fee, dropped ones at 0.
   */
  spendSince(sender: Address, since: number, signer?: Address): Spend {
    const rows = this.db
      .prepare(
        `SELECT t.status, t.fee_wei, t.gas, t.subject,
           (SELECT a.max_fee FROM attempts a WHERE a.tx_id = t.id ORDER BY a.id DESC LIMIT 1) AS max_fee
         FROM txs t WHERE t.sender = ? AND t.created_at >= ? AND t.key LIKE 'relay:%' AND t.status != 'dropped'`,
      )
      .all(sender, since) as Array<{ status: string; fee_wei: string | null; gas: string; subject: string; max_fee: string | null }>;
    let wei = 0n;
    let txs = 0;
    for (const row of rows) {
      if (signer !== undefined && row.subject !== signer) continue;
      txs++;
      wei += row.fee_wei !== null ? BigInt(row.fee_wei) : BigInt(row.gas) * BigInt(row.max_fee ?? "0");
    }
    return { wei, txs };
  }
}

/** The journal key of relay `id`. */
export function relayKey(id: string): string {
  return `relay:${id}`;
}

/** The relay id back from a journal key, or undefined for a key that is not a relay's. */
export function relayIdOf(key: string): string | undefined {
  return key.startsWith("relay:") ? key.slice("relay:".length) : undefined;
}
