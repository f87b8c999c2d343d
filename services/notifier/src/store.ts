// The notifier's state in one SQLite file (node:sqlite): the poll cursor, the events found, the
// outbox of deliveries (one row per event and subscription, unique, written before anything is
// sent), subscriptions, sign-in nonces and sessions.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";

import type { EventType, NotificationEvent } from "./events.ts";
import type { Channel, Filter, Subscription } from "./subscriptions.ts";

export const DATABASE_FILE = "notifier.sqlite";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  proposal_id TEXT NOT NULL,
  json TEXT NOT NULL,
  found_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS subscriptions (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  channel TEXT NOT NULL,
  filter TEXT NOT NULL,
  events TEXT,
  label TEXT,
  created_at INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE INDEX IF NOT EXISTS subscriptions_owner ON subscriptions (owner) WHERE deleted_at IS NULL;
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events (id),
  subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER,
  UNIQUE (event_id, subscription_id)
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE TABLE IF NOT EXISTS pending_created (
  proposal_id TEXT PRIMARY KEY,
  event TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS announced (
  proposal_id TEXT PRIMARY KEY,
  decision_id TEXT,
  risk INTEGER,
  recommendation TEXT
);
CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, expires_at INTEGER NOT NULL, used_at INTEGER);
CREATE TABLE IF NOT EXISTS sessions (token_hash TEXT PRIMARY KEY, address TEXT NOT NULL, expires_at INTEGER NOT NULL);
`;

export type DeliveryStatus = "pending" | "delivered" | "failed" | "canceled";

export interface OutboxRow {
  id: number;
  eventId: string;
  subscriptionId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

export interface Cursor {
  /** Last indexed block whose events were turned into notifications. */
  block: number;
  /** Chain time (unix seconds) of that poll: results are found for voting periods ending after it. */
  time: number;
}

export interface Announced {
  decisionId: string | null;
  risk: number | null;
  recommendation: string | null;
}

type Row = Record<string, unknown>;

export class Store {
  readonly db: DatabaseSync;

  private constructor(db: DatabaseSync) {
    this.db = db;
  }

  static open(dataDir: string): Store {
    // The file holds subscribers' webhook secrets and bot tokens: readable by this user only.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const db = new DatabaseSync(path.join(dataDir, DATABASE_FILE));
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
    db.exec(SCHEMA);
    return new Store(db);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  /** Runs `fn` in one transaction: all of it is written or none. */
  transaction<T>(fn: () => T): T {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = fn();
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  // ---- cursor ------------------------------------------------------------------------------

  cursor(): Cursor | null {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'cursor'").get() as Row | undefined;
    return row ? (JSON.parse(String(row.value)) as Cursor) : null;
  }

  setCursor(cursor: Cursor): void {
    this.db.prepare("INSERT INTO meta (key, value) VALUES ('cursor', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify(cursor));
  }

  // ---- events and the outbox -----------------------------------------------------------------

  /** Records `event`; false when an event with its id was recorded before (then nothing is queued again). */
  addEvent(event: NotificationEvent, now = Date.now()): boolean {
    const result = this.db
      .prepare("INSERT OR IGNORE INTO events (id, type, proposal_id, json, found_at) VALUES (?, ?, ?, ?, ?)")
      .run(event.id, event.type, event.proposalId, JSON.stringify(event), now);
    return Number(result.changes) === 1;
  }

  hasEvent(id: string): boolean {
    return this.db.prepare("SELECT 1 FROM events WHERE id = ?").get(id) !== undefined;
  }

  event(id: string): NotificationEvent | null {
    const row = this.db.prepare("SELECT json FROM events WHERE id = ?").get(id) as Row | undefined;
    return row ? (JSON.parse(String(row.json)) as NotificationEvent) : null;
  }

  /** Queues one delivery; the unique (event, subscription) key makes a second call a no-op. */
  enqueue(eventId: string, subscriptionId: string, now = Date.now()): boolean {
    const result = this.db
      .prepare("INSERT OR IGNORE INTO outbox (event_id, subscription_id, next_attempt_at, created_at) VALUES (?, ?, ?, ?)")
      .run(eventId, subscriptionId, now, now);
    return Number(result.changes) === 1;
  }

  /** Pending deliveries due by `now`, oldest first, leaving out those in `exclude` (in flight). */
  dueDeliveries(now: number, limit: number, exclude: ReadonlySet<number>): OutboxRow[] {
    const rows = this.db
      .prepare("SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?")
      .all(now, limit + exclude.size) as Row[];
    return rows.map(outboxRow).filter((r) => !exclude.has(r.id)).slice(0, limit);
  }

  /** Milliseconds until the next pending delivery is due (null: none pending). */
  nextDueAt(): number | null {
    const row = this.db.prepare("SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status = 'pending'").get() as Row;
    return row.at === null ? null : Number(row.at);
  }

  markDelivered(id: number, now = Date.now()): void {
    this.db.prepare("UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, last_error = NULL WHERE id = ? AND status = 'pending'").run(now, id);
  }

  /** A failed attempt: tried again at `retryAt`, or given up (`retryAt` null). */
  markFailed(id: number, error: string, retryAt: number | null): void {
    if (retryAt === null) {
      this.db.prepare("UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ? AND status = 'pending'").run(error, id);
    } else {
      this.db.prepare("UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'pending'").run(error, retryAt, id);
    }
  }

  deliveries(filter: { subscriptionId?: string; status?: DeliveryStatus } = {}): OutboxRow[] {
    const rows = this.db
      .prepare("SELECT * FROM outbox WHERE (? IS NULL OR subscription_id = ?) AND (? IS NULL OR status = ?) ORDER BY id")
      .all(filter.subscriptionId ?? null, filter.subscriptionId ?? null, filter.status ?? null, filter.status ?? null) as Row[];
    return rows.map(outboxRow);
  }

  countByStatus(): Record<DeliveryStatus, number> {
    const out: Record<DeliveryStatus, number> = { pending: 0, delivered: 0, failed: 0, canceled: 0 };
    for (const row of this.db.prepare("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status").all() as Row[]) out[row.status as DeliveryStatus] = Number(row.n);
    return out;
  }

  // ---- proposals waiting for their analysis ---------------------------------------------------

  addPendingCreated(event: NotificationEvent, now = Date.now()): void {
    this.db.prepare("INSERT OR IGNORE INTO pending_created (proposal_id, event, first_seen_at) VALUES (?, ?, ?)").run(event.proposalId, JSON.stringify(event), now);
  }

  pendingCreated(): { event: NotificationEvent; firstSeenAt: number }[] {
    return (this.db.prepare("SELECT event, first_seen_at FROM pending_created ORDER BY first_seen_at").all() as Row[]).map((r) => ({
      event: JSON.parse(String(r.event)) as NotificationEvent,
      firstSeenAt: Number(r.first_seen_at),
    }));
  }

  isPendingCreated(proposalId: string): boolean {
    return this.db.prepare("SELECT 1 FROM pending_created WHERE proposal_id = ?").get(proposalId) !== undefined;
  }

  removePendingCreated(proposalId: string): void {
    this.db.prepare("DELETE FROM pending_created WHERE proposal_id = ?").run(proposalId);
  }

  announced(proposalId: string): Announced | null {
    const row = this.db.prepare("SELECT * FROM announced WHERE proposal_id = ?").get(proposalId) as Row | undefined;
    if (!row) return null;
    return { decisionId: row.decision_id === null ? null : String(row.decision_id), risk: row.risk === null ? null : Number(row.risk), recommendation: row.recommendation === null ? null : String(row.recommendation) };
  }

  setAnnounced(proposalId: string, a: Announced): void {
    this.db
      .prepare("INSERT INTO announced (proposal_id, decision_id, risk, recommendation) VALUES (?, ?, ?, ?) ON CONFLICT (proposal_id) DO UPDATE SET decision_id = excluded.decision_id, risk = excluded.risk, recommendation = excluded.recommendation")
      .run(proposalId, a.decisionId, a.risk, a.recommendation);
  }

  // ---- subscriptions -----------------------------------------------------------------------

  addSubscription(s: { owner: string; channel: Channel; filter: Filter; events: EventType[] | null; label: string | null }, now = Date.now()): Subscription {
    const sub: Subscription = { id: randomUUID(), owner: s.owner, channel: s.channel, filter: s.filter, events: s.events, label: s.label, createdAt: now };
    this.db
      .prepare("INSERT INTO subscriptions (id, owner, channel, filter, events, label, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(sub.id, sub.owner.toLowerCase(), JSON.stringify(sub.channel), JSON.stringify(sub.filter), sub.events ? JSON.stringify(sub.events) : null, sub.label, now);
    return sub;
  }

  subscription(id: string): Subscription | null {
    const row = this.db.prepare("SELECT * FROM subscriptions WHERE id = ?").get(id) as Row | undefined;
    return row ? subscriptionRow(row) : null;
  }

  /** Active subscriptions, of one owner or of everyone. */
  subscriptions(owner?: string): Subscription[] {
    const rows = (owner === undefined
      ? this.db.prepare("SELECT * FROM subscriptions WHERE deleted_at IS NULL ORDER BY created_at, id").all()
      : this.db.prepare("SELECT * FROM subscriptions WHERE deleted_at IS NULL AND owner = ? ORDER BY created_at, id").all(owner.toLowerCase())) as Row[];
    return rows.map(subscriptionRow);
  }

  /** Deletes an owner's subscription and cancels what it still had to send; false when it is not theirs or gone. */
  deleteSubscription(id: string, owner: string, now = Date.now()): boolean {
    return this.transaction(() => {
      const result = this.db.prepare("UPDATE subscriptions SET deleted_at = ? WHERE id = ? AND owner = ? AND deleted_at IS NULL").run(now, id, owner.toLowerCase());
      if (Number(result.changes) !== 1) return false;
      this.db.prepare("UPDATE outbox SET status = 'canceled' WHERE subscription_id = ? AND status = 'pending'").run(id);
      return true;
    });
  }

  // ---- sign-in ------------------------------------------------------------------------------

  /** Records a fresh nonce valid until `expiresAt`; expired ones are pruned first. False when too many are outstanding. */
  issueNonce(nonce: string, expiresAt: number, maxOutstanding: number, now = Date.now()): boolean {
    return this.transaction(() => {
      this.db.prepare("DELETE FROM nonces WHERE expires_at <= ?").run(now);
      const row = this.db.prepare("SELECT COUNT(*) AS n FROM nonces WHERE used_at IS NULL").get() as Row;
      if (Number(row.n) >= maxOutstanding) return false;
      this.db.prepare("INSERT INTO nonces (nonce, expires_at) VALUES (?, ?)").run(nonce, expiresAt);
      return true;
    });
  }

  /** Uses a nonce up: true only for a known, unused, unexpired one, and only once. */
  consumeNonce(nonce: string, now = Date.now()): boolean {
    const result = this.db.prepare("UPDATE nonces SET used_at = ? WHERE nonce = ? AND used_at IS NULL AND expires_at > ?").run(now, nonce, now);
    return Number(result.changes) === 1;
  }

  /** A new session for `address`; returns the token (only its hash is stored). */
  createSession(address: string, expiresAt: number, now = Date.now()): string {
    const token = randomBytes(32).toString("base64url");
    this.db.prepare("DELETE FROM sessions WHERE expires_at <= ?").run(now);
    this.db.prepare("INSERT INTO sessions (token_hash, address, expires_at) VALUES (?, ?, ?)").run(tokenHash(token), address, expiresAt);
    return token;
  }

  /** The address a session token belongs to, or null (unknown or expired). */
  sessionAddress(token: string, now = Date.now()): { address: string; expiresAt: number } | null {
    const row = this.db.prepare("SELECT address, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?").get(tokenHash(token), now) as Row | undefined;
    return row ? { address: String(row.address), expiresAt: Number(row.expires_at) } : null;
  }

  deleteSession(token: string): void {
    this.db.prepare("DELETE FROM sessions WHERE token_hash = ?").run(tokenHash(token));
  }
}

const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

function outboxRow(r: Row): OutboxRow {
  return {
    id: Number(r.id),
    eventId: String(r.event_id),
    subscriptionId: String(r.subscription_id),
    status: String(r.status) as DeliveryStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    lastError: r.last_error === null ? null : String(r.last_error),
  };
}

function subscriptionRow(r: Row): Subscription {
  return {
    id: String(r.id),
    owner: String(r.owner),
    channel: JSON.parse(String(r.channel)) as Channel,
    filter: JSON.parse(String(r.filter)) as Filter,
    events: r.events === null ? null : (JSON.parse(String(r.events)) as EventType[]),
    label: r.label === null ? null : String(r.label),
    createdAt: Number(r.created_at),
  };
}
