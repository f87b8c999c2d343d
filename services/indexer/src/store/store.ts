// The persisted store: one SQLite table per entity type, every row one version of an entity valid
// for blocks [block_from, block_to) (block_to NULL: the current version), like graph-node's
// block-range tables. The cursor (last processed block) is written in the same transaction as that
// block's entity changes, so a crash never applies a block twice or loses one.
import { existsSync, mkdirSync, renameSync } from "node:fs";
import path from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";

import type { Hex } from "viem";

import type { EntityDef, FieldDef, SubgraphSchema } from "../schema.ts";
import { type EntityData, type Plain, decodeField, encodeField } from "../runtime/values.ts";

export interface BlockPtr {
  number: number;
  hash: Hex;
  parentHash: Hex;
  timestamp: number;
}

/** What the data belongs to: a different identity at start means a fresh database. */
export interface StoreIdentity {
  chainId: number;
  genesisHash: Hex;
  /** Data source name → address (lowercase) and start block. */
  dataSources: Record<string, { address: string; startBlock: number }>;
  /** Hash of the schema, the mapping WASM and the manifest: graph-node's deployment id. */
  deployment: string;
}

export interface IndexingError {
  message: string;
  block: number;
}

/** A handler that failed and was skipped (the manifest's `nonFatalErrors` feature). */
export interface SkippedHandlerError {
  block: number;
  dataSource: string;
  handler: string;
  /** Transaction hash and log index of the event. */
  tx: string;
  logIndex: number;
  message: string;
}

export type EntityChanges = Map<string, Map<string, EntityData | null>>;

export const DATABASE_FILE = "indexer.sqlite";

/** SQL identifier quoting. */
export const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const tableName = (entity: string) => q(`entity_${entity}`);

/** Condition for the version of a row valid at block `?` (bound twice). */
export const AT_BLOCK = "block_from <= ? AND (block_to IS NULL OR block_to > ?)";

/**
 * Layout of the entity tables, kept in SQLite's `user_version`. 0: tables and the (id, block_from)
 * index; 1: plus a partial unique index on current versions (`block_to IS NULL`); 2: references
 * indexed with the block range, (reference, block_to, block_from), instead of (reference,
 * block_from); 3: references indexed with the id before the block range, (reference, id, block_to,
 * block_from), so the entities referring to one id are found in id order. Opening an older store
 * replaces or adds what it lacks and keeps every row.
 */
export const STORE_LAYOUT_VERSION = 3;

/**
 * Whether a column holds text that may contain a U+0000 and so is read through the NUL-safe CASE
 * (String and ID columns, single references to entities with such ids included).
 */
export const isTextColumn = (f: FieldDef) => !f.list && f.kind !== "enum" && (f.scalar === "String" || f.scalar === "ID");

/** Name of the partial unique index on the current versions of `entity`. */
export const currentIndexName = (entity: string) => `entity_${entity}_current`;

/** Name of the index on the reference `field` of `entity` (layout 3). */
export const referenceIndexName = (entity: string, field: string) => `entity_${entity}_${field}_ref`;

interface TableStatements {
  current: StatementSync;
  close: StatementSync;
  insert: StatementSync;
}

/** Most current versions {@link EntityStore} keeps in memory; past it the cache starts again empty. */
export const CURRENT_CACHE_LIMIT = 100_000;

export class EntityStore {
  readonly db: DatabaseSync;
  private readonly statements = new Map<string, TableStatements>();
  private inTransaction = false;
  /**
   * Write-through cache of current versions by type and id (null: known to have none), so a
   * handler's `store.get` and the close of the version a write replaces do not ask SQLite per
   * entity. Filled by lookups and by every committed write; dropped when a transaction rolls
   * back and by a reorg's revert, so it never holds what the tables do not.
   */
  private currentCache = new Map<string, Map<string, EntityData | null>>();
  private cached = 0;
  /**
   * The text columns, by entity type, that hold (or held) a U+0000: only these are read through
   * the NUL-safe CASE (see {@link selectList}). Found by a scan at every open and noted by each
   * write here before it is made; a rollback or a reorg leaves the column here, which only costs
   * the check.
   */
  private readonly nulColumns = new Map<string, Set<string>>();
  /** Changes when a column is added to {@link nulColumns}: select lists made before are stale. */
  nulGeneration = 0;

  readonly file: string;
  readonly schema: SubgraphSchema;

  private constructor(file: string, schema: SubgraphSchema) {
    this.file = file;
    this.schema = schema;
    this.db = new DatabaseSync(file);
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
    // Up to 64 MiB of pages in SQLite's own cache (the default is 2 MiB): a nested list reads
    // thousands of rows spread over the table, each page otherwise copied again from the OS.
    this.db.exec("PRAGMA cache_size = -65536;");
    this.createTables();
  }

  /**
   * Opens (or creates) the store in `dataDir`. When the stored identity differs from `identity`
   * (another chain, a fresh local chain, other contracts or another build of the subgraph), the old
   * database is moved aside and a fresh one is started; `onReset` is told where it went.
   */
  static open(
    dataDir: string,
    schema: SubgraphSchema,
    identity: StoreIdentity,
    onReset: (reason: string, movedTo: string) => void = () => {},
  ): EntityStore {
    mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, DATABASE_FILE);
    if (existsSync(file)) {
      const existing = new EntityStore(file, schema);
      const stored = existing.identity();
      existing.db.close();
      const reason = stored ? identityDifference(stored, identity) : undefined;
      if (reason) {
        const movedTo = path.join(dataDir, `${DATABASE_FILE}.${new Date().toISOString().replaceAll(":", "-")}.old`);
        renameSync(file, movedTo);
        for (const suffix of ["-wal", "-shm"]) {
          if (existsSync(file + suffix)) renameSync(file + suffix, movedTo + suffix);
        }
        onReset(reason, movedTo);
      }
    }
    const store = new EntityStore(file, schema);
    if (!store.identity()) store.setMeta("identity", identity);
    return store;
  }

  /** A store in memory (tests of the GraphQL layer). */
  static memory(schema: SubgraphSchema, identity?: StoreIdentity): EntityStore {
    const store = new EntityStore(":memory:", schema);
    if (identity) store.setMeta("identity", identity);
    return store;
  }

  private createTables(): void {
    const layout = this.layoutVersion();
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, hash TEXT NOT NULL, parent_hash TEXT NOT NULL, timestamp INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS blocks_hash ON blocks (hash);
      CREATE TABLE IF NOT EXISTS handler_errors (id INTEGER PRIMARY KEY, block INTEGER NOT NULL, data_source TEXT NOT NULL, handler TEXT NOT NULL, tx TEXT NOT NULL, log_index INTEGER NOT NULL, message TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS handler_errors_block ON handler_errors (block);
    `);
    for (const entity of this.schema.entities.values()) {
      const table = tableName(entity.name);
      const columns = entity.stored.map((f) => `${q(f.name)} ${columnType(f)}`).join(", ");
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (vid INTEGER PRIMARY KEY, block_from INTEGER NOT NULL, block_to INTEGER, ${columns})`);
      this.db.exec(`CREATE INDEX IF NOT EXISTS ${q(`entity_${entity.name}_id`)} ON ${table} ("id", block_from)`);
      this.db.exec(`CREATE INDEX IF NOT EXISTS ${q(`entity_${entity.name}_open`)} ON ${table} (block_to)`);
      // At most one current version per id, found without reading the others (a voter has one
      // version per vote it cast). Both the handlers' loads and the close of the old version on
      // every write look it up.
      try {
        this.db.exec(`CREATE UNIQUE INDEX IF NOT EXISTS ${q(currentIndexName(entity.name))} ON ${table} ("id") WHERE block_to IS NULL`);
      } catch (error) {
        if (!/UNIQUE/i.test((error as Error).message)) throw error;
        throw new Error(`the store ${this.file} holds more than one current version of some ${entity.name}; delete the data directory to index again`, { cause: error });
      }
      for (const field of entity.stored) {
        if (field.kind === "entity" && !field.list) {
          // The entities referring to one id (a `@derivedFrom` list, a nested filter) in id order,
          // the order a list is answered in by default: its first rows are read without sorting
          // them all. Each version's block range is in the index, so the versions not valid at the
          // block (an account has one per vote it cast) are skipped without reading their rows.
          // Layout 3; the indexes of layouts 0–2 it replaces are dropped.
          for (const old of [`entity_${entity.name}_${field.name}`, `entity_${entity.name}_${field.name}_range`]) this.db.exec(`DROP INDEX IF EXISTS ${q(old)}`);
          this.db.exec(`CREATE INDEX IF NOT EXISTS ${q(referenceIndexName(entity.name, field.name))} ON ${table} (${q(field.name)}, "id", block_to, block_from)`);
        }
      }
    }
    // The text columns holding a U+0000, found by reading every text cell once at every open
    // (about 40 ms for 20,000 votes): nothing recorded by an earlier run, or by another build
    // writing the same file, is trusted. From then on the writes here note new ones.
    for (const entity of this.schema.entities.values()) {
      const text = entity.stored.filter(isTextColumn);
      if (text.length === 0) continue;
      const scan = this.db.prepare(`SELECT ${text.map((f) => `max(instr(CAST(${q(f.name)} AS BLOB), x'00') > 0)`).join(", ")} FROM ${tableName(entity.name)}`);
      scan.setReturnArrays(true);
      const found = scan.get() as unknown as unknown[];
      text.forEach((f, i) => {
        if (Number(found[i] ?? 0) > 0) this.nulSet(entity.name).add(f.name);
      });
    }
    if (layout < STORE_LAYOUT_VERSION) this.db.exec(`PRAGMA user_version = ${STORE_LAYOUT_VERSION}`);
  }

  private nulSet(entity: string): Set<string> {
    let columns = this.nulColumns.get(entity);
    if (!columns) this.nulColumns.set(entity, (columns = new Set()));
    return columns;
  }

  /** Whether the text column `field` of `entity` holds (or held) a U+0000 (see {@link selectList}). */
  mayHoldNul(entity: EntityDef, field: FieldDef): boolean {
    return this.nulColumns.get(entity.name)?.has(field.name) ?? false;
  }

  /**
   * Records the text columns of `entity` whose new values hold a U+0000 (`values` as encoded, in
   * `stored` order), before they are written: the statements reading them are made again with
   * the NUL-safe read.
   */
  private noteNuls(entity: EntityDef, values: (string | number | null)[]): void {
    const stored = entity.stored;
    for (let i = 0; i < stored.length; i++) {
      const value = values[i];
      if (typeof value !== "string" || !value.includes("\u0000")) continue;
      const field = stored[i]!;
      if (!isTextColumn(field) || this.mayHoldNul(entity, field)) continue;
      this.nulSet(entity.name).add(field.name);
      this.nulGeneration++;
      this.statements.delete(entity.name);
    }
  }

  /** The file's layout version (`user_version`): {@link STORE_LAYOUT_VERSION} once opened here. */
  layoutVersion(): number {
    return Number((this.db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version);
  }

  private table(entity: EntityDef): TableStatements {
    let statements = this.statements.get(entity.name);
    if (!statements) {
      const sql = this.versionSql(entity);
      statements = { current: this.db.prepare(sql.current), close: this.db.prepare(sql.close), insert: this.db.prepare(sql.insert) };
      this.statements.set(entity.name, statements);
    }
    return statements;
  }

  /**
   * The statements of the write path: read an entity's current version, close it at a block
   * (parameters: block, id), insert a new one. The first two read the partial unique index on
   * current versions, one entry per id, however many versions the entity has.
   */
  versionSql(entity: EntityDef): { current: string; close: string; insert: string } {
    const table = tableName(entity.name);
    const names = entity.stored.map((f) => q(f.name));
    return {
      current: `SELECT ${this.selectList(entity, table)} FROM ${table} WHERE "id" = ? AND block_to IS NULL`,
      close: `UPDATE ${table} SET block_to = ? WHERE "id" = ? AND block_to IS NULL`,
      insert: `INSERT INTO ${table} (block_from, block_to, ${names.join(", ")}) VALUES (?, NULL, ${names.map(() => "?").join(", ")})`,
    };
  }

  entity(type: string): EntityDef {
    const def = this.schema.entities.get(type);
    if (!def) throw new Error(`unknown entity type ${type}`);
    return def;
  }

  /**
   * The stored columns of `entity` (or of `fields`, a part of them) for a SELECT on table alias `t`.
   * String and ID columns holding a U+0000 are read as their bytes (SQLite hands text to Node as a
   * C string, which ends at the first U+0000), so a text keeps every character it was written
   * with; the others as text, which spares a byte array and a decoding per cell. The check is made
   * only in the text columns known to hold a NUL somewhere ({@link mayHoldNul}); the others are
   * read as they are (the check cost about 2 ms per 10,000 rows of two such columns).
   */
  selectList(entity: EntityDef, t: string, fields: readonly FieldDef[] = entity.stored): string {
    return fields
      .map((f) => {
        const column = `${t}.${q(f.name)}`;
        if (!isTextColumn(f) || !this.mayHoldNul(entity, f)) return column;
        return `CASE WHEN instr(CAST(${column} AS BLOB), x'00') > 0 THEN CAST(${column} AS BLOB) ELSE ${column} END AS ${q(f.name)}`;
      })
      .join(", ");
  }

  /** A row of `entity`'s table as entity data. */
  decodeRow(entity: EntityDef, row: Record<string, unknown>): EntityData {
    const data: EntityData = {};
    for (const field of entity.stored) data[field.name] = decodeField(field, row[field.name]);
    return data;
  }

  /** Encoded column values (in `stored` order) as entity data. */
  private decodeValues(entity: EntityDef, values: (string | number | null)[]): EntityData {
    const data: EntityData = {};
    entity.stored.forEach((field, i) => (data[field.name] = decodeField(field, values[i])));
    return data;
  }

  /** The current version of an entity (callers must not change it: it may be the cached one). */
  current(type: string, id: string): EntityData | undefined {
    const byId = this.currentCache.get(type);
    const known = byId?.get(id);
    if (known !== undefined) return known ?? undefined;
    const entity = this.entity(type);
    const row = this.table(entity).current.get(id) as Record<string, unknown> | undefined;
    const data = row ? this.decodeRow(entity, row) : undefined;
    this.remember(type, id, data ?? null);
    return data;
  }

  private remember(type: string, id: string, data: EntityData | null): void {
    let byId = this.currentCache.get(type);
    if (!byId) this.currentCache.set(type, (byId = new Map()));
    if (!byId.has(id)) {
      if (this.cached >= CURRENT_CACHE_LIMIT) {
        this.forgetCurrent();
        this.currentCache.set(type, (byId = new Map()));
      }
      this.cached++;
    }
    byId.set(id, data);
  }

  /** Empties the cache of current versions (after a rollback or a revert). */
  private forgetCurrent(): void {
    this.currentCache = new Map();
    this.cached = 0;
  }

  /** Runs `fn` in one SQLite transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    if (this.inTransaction) return fn();
    this.db.exec("BEGIN IMMEDIATE");
    this.inTransaction = true;
    try {
      const result = fn();
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      this.db.exec("ROLLBACK");
      // The cache may hold writes of the transaction undone.
      this.forgetCurrent();
      throw error;
    } finally {
      this.inTransaction = false;
    }
  }

  /**
   * Writes one block's entity changes as new versions starting at `block`. The version a change
   * replaces is closed at `block`; none is looked for where the cache knows there is none, nor
   * first for an immutable entity (written once, as graph-node's immutable tables have no block
   * range to close): its insert is tried alone, and only when the current-version index refuses
   * it (the same id written again at a later block) is the old version closed first, as before.
   */
  writeChanges(block: number, changes: EntityChanges): number {
    let count = 0;
    for (const [type, entities] of changes) {
      const entity = this.entity(type);
      const statements = this.table(entity);
      const byId = this.currentCache.get(type);
      for (const [id, data] of entities) {
        const known = byId?.get(id);
        if (data) {
          const values = entity.stored.map((f) => encodeField(f, data[f.name]));
          this.noteNuls(entity, values);
          if (known === null || (known === undefined && entity.immutable)) {
            if (!this.tryInsert(statements, block, values)) {
              statements.close.run(block, id);
              statements.insert.run(block, ...values);
            }
          } else {
            statements.close.run(block, id);
            statements.insert.run(block, ...values);
          }
          // As a read from the table would give it (a value of another kind than its field's comes
          // back as the column holds it). Immutable entities are seldom read again: only those
          // already cached are kept.
          if (!entity.immutable || known !== undefined) this.remember(type, id, this.decodeValues(entity, values));
        } else {
          if (known !== null) statements.close.run(block, id);
          if (known !== undefined || !entity.immutable) this.remember(type, id, null);
        }
        count++;
      }
    }
    return count;
  }

  /** Inserts a version; false when the current-version index refuses it (the id has one). */
  private tryInsert(statements: TableStatements, block: number, values: (string | number | null)[]): boolean {
    try {
      statements.insert.run(block, ...values);
      return true;
    } catch (error) {
      if (/UNIQUE constraint failed/i.test((error as Error).message)) return false;
      throw error;
    }
  }

  recordBlock(block: BlockPtr): void {
    this.db
      .prepare("INSERT OR REPLACE INTO blocks (number, hash, parent_hash, timestamp) VALUES (?, ?, ?, ?)")
      .run(block.number, block.hash, block.parentHash, block.timestamp);
  }

  blockByNumber(number: number): BlockPtr | undefined {
    const row = this.db.prepare("SELECT * FROM blocks WHERE number = ?").get(number) as Record<string, unknown> | undefined;
    return row ? toBlockPtr(row) : undefined;
  }

  blockByHash(hash: string): BlockPtr | undefined {
    const row = this.db.prepare("SELECT * FROM blocks WHERE hash = ?").get(hash.toLowerCase()) as Record<string, unknown> | undefined;
    return row ? toBlockPtr(row) : undefined;
  }

  /** Recorded blocks at or below `number`, newest first (reorg search). */
  blocksAtOrBelow(number: number, limit: number): BlockPtr[] {
    return (this.db.prepare("SELECT * FROM blocks WHERE number <= ? ORDER BY number DESC LIMIT ?").all(number, limit) as Record<string, unknown>[]).map(toBlockPtr);
  }

  /** Sets the cursor: call inside the transaction that wrote the block's changes. */
  setCursor(block: BlockPtr): void {
    this.recordBlock(block);
    this.setMeta("cursor", block);
  }

  cursor(): BlockPtr | undefined {
    return this.getMeta<BlockPtr>("cursor");
  }

  identity(): StoreIdentity | undefined {
    return this.getMeta<StoreIdentity>("identity");
  }

  indexingError(): IndexingError | undefined {
    return this.getMeta<IndexingError>("error");
  }

  setIndexingError(error: IndexingError): void {
    this.setMeta("error", error);
  }

  /** Records a skipped handler: call inside the transaction that writes its block. */
  addSkippedError(error: SkippedHandlerError): void {
    this.db
      .prepare("INSERT INTO handler_errors (block, data_source, handler, tx, log_index, message) VALUES (?, ?, ?, ?, ?, ?)")
      .run(error.block, error.dataSource, error.handler, error.tx, error.logIndex, error.message);
  }

  /** Skipped handlers, oldest first (at most `limit`). */
  skippedErrors(limit = 100): SkippedHandlerError[] {
    return (this.db.prepare("SELECT * FROM handler_errors ORDER BY id LIMIT ?").all(limit) as Record<string, unknown>[]).map((r) => ({
      block: Number(r.block),
      dataSource: String(r.data_source),
      handler: String(r.handler),
      tx: String(r.tx),
      logIndex: Number(r.log_index),
      message: String(r.message),
    }));
  }

  skippedErrorCount(): number {
    return Number((this.db.prepare("SELECT count(*) AS n FROM handler_errors").get() as { n: number }).n);
  }

  /** The first block where a handler was skipped, if any. */
  firstSkippedErrorBlock(): number | undefined {
    const row = this.db.prepare("SELECT min(block) AS block FROM handler_errors").get() as { block: number | null };
    return row.block ?? undefined;
  }

  /** A fatal error, or skipped handlers. */
  hasIndexingErrors(): boolean {
    return this.indexingError() !== undefined || this.firstSkippedErrorBlock() !== undefined;
  }

  /** Drops every version created after `block` and reopens those closed after it (a reorg). */
  revertTo(block: BlockPtr): void {
    this.forgetCurrent();
    this.transaction(() => {
      for (const entity of this.schema.entities.values()) {
        const table = tableName(entity.name);
        this.db.prepare(`DELETE FROM ${table} WHERE block_from > ?`).run(block.number);
        this.db.prepare(`UPDATE ${table} SET block_to = NULL WHERE block_to > ?`).run(block.number);
      }
      this.db.prepare("DELETE FROM blocks WHERE number > ?").run(block.number);
      this.db.prepare("DELETE FROM handler_errors WHERE block > ?").run(block.number);
      this.setCursor(block);
    });
  }

  /** Row counts per entity type (current versions and all versions). */
  counts(): Record<string, { current: number; versions: number }> {
    const result: Record<string, { current: number; versions: number }> = {};
    for (const entity of this.schema.entities.values()) {
      const row = this.db
        .prepare(`SELECT count(*) AS versions, sum(block_to IS NULL) AS current FROM ${tableName(entity.name)}`)
        .get() as { versions: number; current: number | null };
      result[entity.name] = { current: row.current ?? 0, versions: row.versions };
    }
    return result;
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  private setMeta(key: string, value: unknown): void {
    this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").run(key, JSON.stringify(value));
  }

  private getMeta<T>(key: string): T | undefined {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }
}

function columnType(field: FieldDef): string {
  if (field.list) return "TEXT";
  switch (field.scalar) {
    case "Int":
    case "Boolean":
      return "INTEGER";
    default:
      return "TEXT";
  }
}

function toBlockPtr(row: Record<string, unknown>): BlockPtr {
  return { number: Number(row.number), hash: row.hash as Hex, parentHash: row.parent_hash as Hex, timestamp: Number(row.timestamp) };
}

/** Why two identities differ, or undefined when they are the same. */
export function identityDifference(stored: StoreIdentity, wanted: StoreIdentity): string | undefined {
  if (stored.chainId !== wanted.chainId) return `chain id ${stored.chainId} → ${wanted.chainId}`;
  if (stored.genesisHash !== wanted.genesisHash) return `genesis ${stored.genesisHash} → ${wanted.genesisHash} (a fresh chain)`;
  if (JSON.stringify(stored.dataSources) !== JSON.stringify(wanted.dataSources)) return "contract addresses or start blocks changed";
  if (stored.deployment !== wanted.deployment) return `subgraph build changed (${stored.deployment.slice(0, 10)} → ${wanted.deployment.slice(0, 10)})`;
  return undefined;
}

export type { Plain };
