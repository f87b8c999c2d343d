// The query side of the store: `where` and `orderBy` compiled to SQL over the block-range tables
// (QueryCompiler), and the statements that read entities at a block (EntityReader): a collection,
// one entity by id, many by id in one statement, and the child lists of many parents in one
// statement. Prepared statements are cached by SQL text. Nothing here knows about requests or
// time limits; the GraphQL side runs these through its scheduler.
import { GraphQLError } from "graphql";

import type { EntityDef, FieldDef, SubgraphSchema } from "../schema.ts";
import { type Plain, decodeBigIntText, decodeField, encodeScalar } from "../runtime/values.ts";
import { type EntityStore, q, tableName } from "./store.ts";

/** SQLite's limit on bound parameters in one statement (SQLITE_MAX_VARIABLE_NUMBER). */
export const SQLITE_MAX_PARAMS = 32_766;

/** An entity as a query answers it: its data plus the block the query is answered at. */
export type Row = Record<string, Plain> & { __block: number };

/** The collection arguments of a plural field or a list field. */
export interface CollectionArgs {
  skip?: number;
  first?: number;
  orderBy?: string;
  orderDirection?: string;
  where?: Record<string, unknown>;
}

// --- filters ------------------------------------------------------------------------------------

const comparison = ["", "_not", "_gt", "_lt", "_gte", "_lte", "_in", "_not_in"];
export const stringOps = [
  "_contains",
  "_contains_nocase",
  "_not_contains",
  "_not_contains_nocase",
  "_starts_with",
  "_starts_with_nocase",
  "_not_starts_with",
  "_not_starts_with_nocase",
  "_ends_with",
  "_ends_with_nocase",
  "_not_ends_with",
  "_not_ends_with_nocase",
];

/** The suffix filters graph-node generates for a field. */
export function filterOps(field: FieldDef): string[] {
  if (field.list) return ["", "_not", "_contains", "_contains_nocase", "_not_contains", "_not_contains_nocase"];
  if (field.kind === "enum") return ["", "_not", "_in", "_not_in"];
  switch (field.scalar) {
    case "Boolean":
      return ["", "_not", "_in", "_not_in"];
    case "String":
    case "ID":
      return field.kind === "scalar" && field.scalar === "ID" ? comparison : [...comparison, ...stringOps];
    case "Bytes":
      return [...comparison, "_contains", "_not_contains"];
    default:
      return comparison;
  }
}

/** Longest operator suffix first, so `_not_in` wins over `_in`. */
const allOps = [...new Set([...comparison, ...stringOps])].filter(Boolean).sort((a, b) => b.length - a.length);

export interface Sql {
  sql: string;
  params: (string | number | null)[];
}

/** A filter value as the column stores it; list elements as json_each yields them. */
function columnValue(field: FieldDef, value: unknown, element = false): string | number | null {
  if (value === null || value === undefined) return null;
  if (element) {
    if (field.scalar === "Int") return Number(value);
    if (field.scalar === "Boolean") return value ? 1 : 0;
    if (field.scalar === "Bytes") return String(value).toLowerCase();
    return String(value);
  }
  if (field.kind === "enum") return String(value);
  return encodeScalar(field.scalar, value as Plain);
}

export class QueryCompiler {
  private readonly schema: SubgraphSchema;

  constructor(schema: SubgraphSchema) {
    this.schema = schema;
  }

  entity(name: string): EntityDef {
    return this.schema.entities.get(name)!;
  }

  /** WHERE clause for `filter` on table alias `t` of `def` at `block`. */
  filter(def: EntityDef, filter: Record<string, unknown> | undefined, block: number, t: string): Sql {
    const parts: string[] = [];
    const params: Sql["params"] = [];
    const add = (s: Sql) => {
      parts.push(s.sql);
      params.push(...s.params);
    };
    for (const [key, value] of Object.entries(filter ?? {})) {
      if (value === undefined) continue;
      if (key === "and" || key === "or") {
        const list = (value as Record<string, unknown>[] | null) ?? [];
        if (list.length === 0) continue;
        const subs = list.map((f) => this.filter(def, f, block, t));
        add({ sql: `(${subs.map((s) => `(${s.sql})`).join(key === "and" ? " AND " : " OR ")})`, params: subs.flatMap((s) => s.params) });
        continue;
      }
      if (key === "_change_block") {
        add({ sql: `${t}.block_from >= ?`, params: [Number((value as { number_gte: number }).number_gte)] });
        continue;
      }
      if (key.endsWith("_") && def.field.has(key.slice(0, -1))) {
        add(this.nestedFilter(def, def.field.get(key.slice(0, -1))!, value as Record<string, unknown>, block, t));
        continue;
      }
      let fieldName = key;
      let op = "";
      if (!def.field.has(key)) {
        const suffix = allOps.find((o) => key.endsWith(o) && def.field.has(key.slice(0, -o.length)));
        if (!suffix) throw new GraphQLError(`Type \`${def.name}_filter\` has no filter \`${key}\``);
        fieldName = key.slice(0, -suffix.length);
        op = suffix;
      }
      add(this.fieldFilter(def.field.get(fieldName)!, op, value, t));
    }
    return { sql: parts.length ? parts.join(" AND ") : "1", params };
  }

  private nestedFilter(def: EntityDef, field: FieldDef, sub: Record<string, unknown>, block: number, t: string): Sql {
    const target = this.entity(field.type);
    const alias = `${t}_${field.name}`;
    const inner = this.filter(target, sub, block, alias);
    const targetTable = tableName(target.name);
    if (field.derivedFrom) {
      const back = target.field.get(field.derivedFrom)!;
      if (back.list) {
        return {
          sql: `EXISTS (SELECT 1 FROM ${targetTable} ${alias}, json_each(${alias}.${q(back.name)}) je WHERE je.value = ${t}."id" AND ${atBlock(alias)} AND ${inner.sql})`,
          params: [block, block, ...inner.params],
        };
      }
      return {
        sql: `EXISTS (SELECT 1 FROM ${targetTable} ${alias} WHERE ${alias}.${q(back.name)} = ${t}."id" AND ${atBlock(alias)} AND ${inner.sql})`,
        params: [block, block, ...inner.params],
      };
    }
    if (field.list) {
      return {
        sql: `EXISTS (SELECT 1 FROM json_each(${t}.${q(field.name)}) je, ${targetTable} ${alias} WHERE ${alias}."id" = je.value AND ${atBlock(alias)} AND ${inner.sql})`,
        params: [block, block, ...inner.params],
      };
    }
    return {
      sql: `EXISTS (SELECT 1 FROM ${targetTable} ${alias} WHERE ${alias}."id" = ${t}.${q(field.name)} AND ${atBlock(alias)} AND ${inner.sql})`,
      params: [block, block, ...inner.params],
    };
  }

  private fieldFilter(field: FieldDef, op: string, value: unknown, t: string): Sql {
    if (field.derivedFrom) throw new GraphQLError(`derived field \`${field.name}\` can only be filtered with \`${field.name}_\``);
    const col = `${t}.${q(field.name)}`;
    if (field.list) {
      const values = (value as unknown[] | null) ?? [];
      const nocase = op.endsWith("_nocase");
      const contains = (v: unknown) =>
        nocase
          ? { sql: `EXISTS (SELECT 1 FROM json_each(${col}) WHERE lower(value) = lower(?))`, params: [columnValue(field, v, true)] }
          : { sql: `EXISTS (SELECT 1 FROM json_each(${col}) WHERE value = ?)`, params: [columnValue(field, v, true)] };
      if (op === "" || op === "_not") {
        if (value === null) return { sql: `${col} IS ${op === "_not" ? "NOT " : ""}NULL`, params: [] };
        const json = JSON.stringify(values.map((v) => columnValue(field, v, true)));
        return { sql: op === "" ? `${col} = ?` : `${col} != ?`, params: [json] };
      }
      const subs = values.map(contains);
      const all = subs.length ? subs.map((s) => s.sql).join(" AND ") : "1";
      const params = subs.flatMap((s) => s.params);
      return op.startsWith("_not") ? { sql: `NOT (${all})`, params } : { sql: `(${all})`, params };
    }
    const v = (x: unknown) => columnValue(field, x);
    switch (op) {
      case "":
        return value === null ? { sql: `${col} IS NULL`, params: [] } : { sql: `${col} = ?`, params: [v(value)] };
      case "_not":
        return value === null ? { sql: `${col} IS NOT NULL`, params: [] } : { sql: `${col} != ?`, params: [v(value)] };
      case "_gt":
        return { sql: `${col} > ?`, params: [v(value)] };
      case "_lt":
        return { sql: `${col} < ?`, params: [v(value)] };
      case "_gte":
        return { sql: `${col} >= ?`, params: [v(value)] };
      case "_lte":
        return { sql: `${col} <= ?`, params: [v(value)] };
      case "_in":
      case "_not_in": {
        const list = (value as unknown[] | null) ?? [];
        if (list.length === 0) return { sql: op === "_in" ? "0" : "1", params: [] };
        return { sql: `${col} ${op === "_in" ? "IN" : "NOT IN"} (${list.map(() => "?").join(", ")})`, params: list.map(v) };
      }
    }
    // String operators (on Bytes: the hex digits).
    let needle = String(value);
    if (field.scalar === "Bytes") needle = needle.toLowerCase().replace(/^0x/, "");
    const nocase = op.endsWith("_nocase");
    const negate = op.startsWith("_not_");
    const base = op.replace(/^_not/, "").replace(/_nocase$/, "");
    const c = nocase ? `lower(${col})` : col;
    const p = nocase ? needle.toLowerCase() : needle;
    let sql: string;
    let params: Sql["params"];
    if (base === "_contains") {
      sql = `instr(${c}, ?) > 0`;
      params = [p];
    } else if (base === "_starts_with") {
      sql = `substr(${c}, 1, ?) = ?`;
      params = [p.length, p];
    } else if (base === "_ends_with") {
      sql = `(? = 0 OR substr(${c}, -?) = ?)`;
      params = [p.length, p.length, p];
    } else throw new GraphQLError(`unknown filter ${op}`);
    return negate ? { sql: `NOT (${sql})`, params } : { sql, params };
  }

  /** ORDER BY for `orderBy` (a field or `ref__field`), with id as the tie-breaker. */
  order(def: EntityDef, orderBy: string | undefined, direction: string | undefined, block: number, t: string): Sql {
    const dir = direction === "desc" ? "DESC" : "ASC";
    const nulls = dir === "ASC" ? "NULLS LAST" : "NULLS FIRST";
    if (!orderBy) return { sql: `${t}."id" ${dir}`, params: [] };
    const [first, nested] = orderBy.split("__") as [string, string | undefined];
    const field = def.field.get(first);
    if (!field) throw new GraphQLError(`\`${orderBy}\` is not a field of ${def.name}`);
    if (nested === undefined) {
      if (field.list || field.derivedFrom) throw new GraphQLError(`cannot order ${def.name} by list field \`${first}\``);
      return { sql: `${t}.${q(first)} ${dir} ${nulls}, ${t}."id" ${dir}`, params: [] };
    }
    if (field.kind !== "entity" || field.list || field.derivedFrom) throw new GraphQLError(`cannot order ${def.name} by \`${orderBy}\`: \`${first}\` is not a single reference`);
    const target = this.entity(field.type);
    if (!target.field.has(nested) || target.field.get(nested)!.list || target.field.get(nested)!.derivedFrom) {
      throw new GraphQLError(`\`${nested}\` is not an orderable field of ${target.name}`);
    }
    const alias = `${t}_o`;
    return {
      sql: `(SELECT ${alias}.${q(nested)} FROM ${tableName(target.name)} ${alias} WHERE ${alias}."id" = ${t}.${q(first)} AND ${atBlock(alias)}) ${dir} ${nulls}, ${t}."id" ${dir}`,
      params: [block, block],
    };
  }
}

export function atBlock(alias: string): string {
  return `${alias}.block_from <= ? AND (${alias}.block_to IS NULL OR ${alias}.block_to > ?)`;
}

/** Most ids in one lookup statement (each statement is a unit the scheduler cannot split). */
export const BATCH_IDS = 500;

/**
 * Rows the child lists of one statement may hold, counted as `first` per parent: parents are
 * taken in groups so that one statement (a unit the scheduler cannot split) stays short.
 */
export const CHILD_ROWS_PER_STATEMENT = 20_000;

/** A row as the reader's statements give it: its cells in the order of the select list. */
type Cells = unknown[];

/** The columns a statement reads, and how each is decoded for an answer. */
interface ReadList {
  sql: string;
  fields: readonly FieldDef[];
  decoders: ((value: unknown) => Plain)[];
  /** A row as a query answers it from the cells `values[from]` on, in the read list's order. */
  make: (values: Cells, from: number, block: number) => Row;
}

/** A GraphQL name (letters, digits, underscores) that is no special key of an object literal. */
const plainName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The function making a list's rows: an object literal with the block and the fields in the read
 * list's order, so every row of a list has one shape from the start (no property added one by
 * one). Made from the field names, which are GraphQL names; the generic loop otherwise.
 */
function rowMaker(fields: readonly FieldDef[], decoders: ((value: unknown) => Plain)[]): ReadList["make"] {
  if (fields.every((f) => plainName.test(f.name) && !f.name.startsWith("__"))) {
    const body = `return { __block: block, ${fields.map((f, i) => `${f.name}: d[${i}](values[from + ${i}])`).join(", ")} };`;
    return new Function("d", `return function row(values, from, block) { ${body} };`)(decoders) as ReadList["make"];
  }
  return (values, from, block) => {
    const answer = { __block: block } as Row;
    for (let i = 0; i < fields.length; i++) answer[fields[i]!.name] = decoders[i]!(values[from + i]);
    return answer;
  };
}

/**
 * How a column is decoded for a GraphQL answer. BigInt, Int8 and Timestamp become their decimal
 * text straight from the sortable encoding (the answer shows them as strings; a bigint would be
 * made only to be printed again); everything else as the write path decodes it.
 */
function answerDecoder(field: FieldDef): (value: unknown) => Plain {
  if (!field.list && (field.scalar === "BigInt" || field.scalar === "Int8" || field.scalar === "Timestamp")) {
    return (value) => (value === null || value === undefined ? null : decodeBigIntText(value as string));
  }
  // Cells these columns give as they are answered (text for String, ID and Bytes, a number for
  // Int), without the general decoding's checks; anything else (NULL, a text read as bytes) takes it.
  if (!field.list && (field.scalar === "String" || field.scalar === "ID" || field.scalar === "Bytes")) {
    return (value) => (typeof value === "string" ? value : decodeField(field, value));
  }
  if (!field.list && field.scalar === "Int") return (value) => (typeof value === "number" ? value : decodeField(field, value));
  return (value) => decodeField(field, value);
}

/** A statement ready to run: its SQL was compiled (and refused, if it had to be) when it was made. */
export type Query<T> = () => T;

export class EntityReader {
  private readonly store: EntityStore;
  private readonly compiler: QueryCompiler;
  private readonly statements = new Map<string, ReturnType<EntityStore["db"]["prepare"]>>();
  private readonly selectLists = new Map<string, ReadList>();
  private nulGeneration = 0;

  constructor(store: EntityStore, compiler: QueryCompiler) {
    this.store = store;
    this.compiler = compiler;
  }

  /**
   * The columns a statement reads: every stored field of `def`, or, for a list, the fields its
   * selection asks for (`columns`; the id when it asks for none, as a select list cannot be
   * empty). Cached by entity type and column set.
   */
  private readList(def: EntityDef, columns?: ReadonlySet<string>): ReadList {
    // A text column found to hold a NUL since: its reads take the NUL-safe form from now on.
    if (this.nulGeneration !== this.store.nulGeneration) {
      this.selectLists.clear();
      this.nulGeneration = this.store.nulGeneration;
    }
    const key = columns ? `${def.name}:${[...columns].sort().join(",")}` : def.name;
    let list = this.selectLists.get(key);
    if (!list) {
      const asked = columns ? def.stored.filter((f) => columns.has(f.name)) : def.stored;
      const fields = asked.length > 0 ? asked : def.stored.filter((f) => f.name === "id");
      const decoders = fields.map(answerDecoder);
      list = { sql: this.store.selectList(def, "t", fields), fields, decoders, make: rowMaker(fields, decoders) };
      if (this.selectLists.size >= 500) this.selectLists.clear();
      this.selectLists.set(key, list);
    }
    return list;
  }

  private selectList(def: EntityDef): string {
    return this.readList(def).sql;
  }

  /**
   * A row as a query answers it: the columns read (from `values[from]` on, in the read list's
   * order), decoded, and the block of the answer.
   */
  private row(list: ReadList, values: Cells, from: number, block: number): Row {
    return list.make(values, from, block);
  }

  /** Runs one statement; SQLite's own refusals become GraphQL errors that say what to change. */
  private statement<T>(sql: string, params: Sql["params"], run: (stmt: ReturnType<EntityStore["db"]["prepare"]>) => T): T {
    if (params.length > SQLITE_MAX_PARAMS) {
      throw new GraphQLError(
        `The query needs ${params.length} SQL parameters; the store's limit is ${SQLITE_MAX_PARAMS}: use fewer values in \`_in\` filters or fewer \`or\` branches`,
        { extensions: { code: "QUERY_TOO_LARGE", limit: SQLITE_MAX_PARAMS } },
      );
    }
    try {
      let stmt = this.statements.get(sql);
      if (!stmt) {
        stmt = this.store.db.prepare(sql);
        // Rows as arrays of cells: node:sqlite builds no keyed object per row (half the cost of
        // reading 10,000 votes), and the answer's object is the only one made per row.
        stmt.setReturnArrays(true);
        // Filters with literal-free SQL repeat (nested lists, lookups by id): keep their statements.
        if (this.statements.size >= 500) this.statements.clear();
        this.statements.set(sql, stmt);
      }
      return run(stmt);
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      const message = (error as Error).message;
      if (/too many SQL variables|Expression tree is too large|too many terms|parser stack overflow|string or blob too big|LIKE or GLOB pattern too complex/i.test(message)) {
        throw new GraphQLError(`The query is too large for the store (${message}); use smaller filters or split it`, { extensions: { code: "QUERY_TOO_LARGE" } });
      }
      throw error;
    }
  }

  /** Rows of `def` at `block` matching `args`, plus an extra condition (stored list fields). */
  collection(def: EntityDef, args: CollectionArgs, block: number, extra?: Sql, columns?: ReadonlySet<string>): Query<Row[]> {
    const first = args.first ?? 100;
    const skip = args.skip ?? 0;
    const where = this.compiler.filter(def, args.where, block, "t");
    const order = this.compiler.order(def, args.orderBy, args.orderDirection, block, "t");
    const params = [block, block, ...where.params, ...(extra?.params ?? []), ...order.params, first, skip];
    // The select list when the statement runs (a column may have been found to hold a NUL since).
    return () => {
      const list = this.readList(def, columns);
      const sql = `SELECT ${list.sql} FROM ${tableName(def.name)} t WHERE ${atBlock("t")} AND ${where.sql}${extra ? ` AND ${extra.sql}` : ""} ORDER BY ${order.sql} LIMIT ? OFFSET ?`;
      return this.statement(sql, params, (stmt) => stmt.all(...params) as unknown as Cells[]).map((row) => this.row(list, row, 0, block));
    };
  }

  /** The version of one entity valid at `block`, or null. */
  byId(def: EntityDef, id: string, block: number): Row | null {
    // The version valid at `block` is the one that started last at or before it: walking the
    // (id, block_from) index backwards finds it at once, however many versions the entity has.
    const sql = `SELECT ${this.selectList(def)} FROM ${tableName(def.name)} t WHERE t."id" = ? AND ${atBlock("t")} ORDER BY t.block_from DESC LIMIT 1`;
    const row = this.statement(sql, [id, block, block], (stmt) => stmt.get(id, block, block) as unknown as Cells | undefined);
    return row ? this.row(this.readList(def), row, 0, block) : null;
  }

  /**
   * The versions of many entities of `def` valid at `block` (at most {@link BATCH_IDS}), in the
   * order of `ids` (null where there is none): for each id the newest version starting at or before
   * `block`, found by walking the (id, block_from) index backwards, as `byId` does for one. One
   * statement text per table.
   */
  manyById(def: EntityDef, ids: string[], block: number): (Row | null)[] {
    const t = tableName(def.name);
    const sql =
      `SELECT j.key AS __key, ${this.selectList(def)} FROM json_each(?) j JOIN ${t} t ON t.vid = ` +
      `(SELECT v.vid FROM ${t} v WHERE v."id" = j.value AND ${atBlock("v")} ORDER BY v.block_from DESC LIMIT 1)`;
    const params = [JSON.stringify(ids), block, block];
    const found: (Row | null)[] = ids.map(() => null);
    const list = this.readList(def);
    for (const row of this.statement(sql, params, (stmt) => stmt.all(...params) as unknown as Cells[])) found[Number(row[0])] = this.row(list, row, 1, block);
    return found;
  }

  /**
   * The `@derivedFrom` lists of many parents at once: the entities of `def` whose reference `back`
   * (single or list) holds a parent's id, with `args` applied to each parent's list on its own.
   * Each parent's list is its own `ORDER BY … LIMIT … OFFSET` subquery (the order a single list
   * uses, ending in the id, so it is total), run once per parent: SQLite keeps only `skip + first`
   * rows of each while it reads them, where ranking every child of every parent with a window
   * function sorted them all (20,000 votes to keep 5 per account). The rows kept are read and put
   * back in each parent's order by the outer ORDER BY. The answer is a function of a batch of
   * parent ids (at most {@link childBatchSize}), giving one list each.
   *
   * A page that usually holds whole lists (`first` of at least {@link WHOLE_LIST_FIRST}, no `skip`)
   * is first counted: when no parent has more children than `first`, the lists are the children
   * themselves, read by one statement without choosing each list's rows first. In the default
   * order (by id) and through a single reference, that statement walks the reference's index,
   * which holds each parent's children in id order, so nothing is sorted (`proposals { votes(first:
   * 1000) }` reads its 10,000 votes in about two thirds of the time of a join sorted by parent and
   * id); the rows come parent after parent, each parent taking as many as it was counted. Other
   * orders join the parents and sort. The count reads the reference's index only, and it and the
   * read run in one go, so no write comes between them.
   */
  children(def: EntityDef, back: FieldDef, args: CollectionArgs, block: number, columns?: ReadonlySet<string>): (parents: string[]) => Row[][] {
    const first = args.first ?? 100;
    const skip = args.skip ?? 0;
    const where = this.compiler.filter(def, args.where, block, "v");
    const inner = this.compiler.order(def, args.orderBy, args.orderDirection, block, "v");
    const outer = this.compiler.order(def, args.orderBy, args.orderDirection, block, "t");
    const link = (t: string) => (back.list ? `EXISTS (SELECT 1 FROM json_each(${t}.${q(back.name)}) b WHERE b.value = j.value)` : `${t}.${q(back.name)} = j.value`);
    const table = tableName(def.name);
    const whole = skip === 0 && first >= WHOLE_LIST_FIRST ? this.compiler.filter(def, args.where, block, "t") : undefined;
    // Each parent's children counted by its own walk of the index (no grouping to sort).
    const count = whole && `SELECT j.key, (SELECT count(*) FROM ${table} v WHERE ${link("v")} AND ${atBlock("v")} AND ${where.sql}) FROM json_each(?) j`;
    // In id order through a single reference: the reference's index gives the children ordered by
    // the parent they refer to, then by id, without a sort.
    const byReference = whole && !back.list && args.orderBy === undefined;
    const descending = args.orderDirection === "desc";
    const dir = descending ? "DESC" : "ASC";
    // The statements reading the rows, made again when the select list changes (a column found to
    // hold a NUL since they were made).
    let made: { list: ReadList; sql: string; indexed: string | undefined; join: string | undefined } | undefined;
    const reads = () => {
      const list = this.readList(def, columns);
      if (made?.list !== list) {
        made = {
          list,
          sql:
            `SELECT j.key AS __parent, ${list.sql} FROM json_each(?) j JOIN ${table} t ON t.vid IN ` +
            `(SELECT v.vid FROM ${table} v WHERE ${link("v")} AND ${atBlock("v")} AND ${where.sql} ORDER BY ${inner.sql} LIMIT ? OFFSET ?) ` +
            `ORDER BY j.key, ${outer.sql}`,
          indexed: whole && `SELECT ${list.sql} FROM ${table} t WHERE t.${q(back.name)} IN (SELECT value FROM json_each(?)) AND ${atBlock("t")} AND ${whole.sql} ORDER BY t.${q(back.name)} ${dir}, t."id" ${dir}`,
          join: whole && `SELECT j.key AS __parent, ${list.sql} FROM json_each(?) j JOIN ${table} t ON ${link("t")} AND ${atBlock("t")} AND ${whole.sql} ORDER BY j.key, ${outer.sql}`,
        };
      }
      return made;
    };
    return (parents) => {
      const ids = JSON.stringify(parents);
      const lists: Row[][] = parents.map(() => []);
      const { list, sql, indexed, join } = reads();
      if (whole && count && join && indexed) {
        const countParams = [block, block, ...where.params, ids];
        const counts = this.statement(count, countParams, (stmt) => stmt.all(...countParams) as unknown as Cells[]);
        if (counts.every((c) => Number(c[1]) <= first)) {
          // The parents in the order SQLite gives their children: by their ids' UTF-8 bytes, as it
          // compares text. Only for distinct, well-formed ids, each read as JSON gave it.
          const order = byReference && new Set(parents).size === parents.length ? byteOrder(parents, descending) : undefined;
          if (order) {
            const params = [ids, block, block, ...whole.params];
            const rows = this.statement(indexed, params, (stmt) => stmt.all(...params) as unknown as Cells[]);
            // Each parent's rows follow the ones before, as many as it was counted; the count and
            // the read ran in one go, so they saw the same rows.
            const sizes = new Array<number>(parents.length).fill(0);
            for (const [key, n] of counts) sizes[Number(key)] = Number(n);
            if (sizes.reduce((a, b) => a + b, 0) !== rows.length) throw new Error(`the lists ${back.name} of ${parents.length} ${def.name} parents were counted with other rows than they were read with`);
            let next = 0;
            for (const i of order) {
              const own = new Array<Row>(sizes[i]!);
              for (let k = 0; k < own.length; k++) own[k] = list.make(rows[next++]!, 0, block);
              lists[i] = own;
            }
            return lists;
          }
          const params = [ids, block, block, ...whole.params, ...outer.params];
          for (const row of this.statement(join, params, (stmt) => stmt.all(...params) as unknown as Cells[])) lists[Number(row[0])]!.push(this.row(list, row, 1, block));
          return lists;
        }
      }
      const params = [ids, block, block, ...where.params, ...inner.params, first, skip, ...outer.params];
      for (const row of this.statement(sql, params, (stmt) => stmt.all(...params) as unknown as Cells[])) lists[Number(row[0])]!.push(this.row(list, row, 1, block));
      return lists;
    };
  }
}

/**
 * The positions of `ids` in the order SQLite sorts them as text (BINARY: their UTF-8 bytes, a
 * shorter prefix first), or the reverse; undefined when an id is not a string that UTF-8 holds
 * as it is (a lone surrogate).
 */
function byteOrder(ids: readonly unknown[], descending: boolean): number[] | undefined {
  const bytes: Buffer[] = [];
  for (const id of ids) {
    if (typeof id !== "string") return undefined;
    const encoded = Buffer.from(id, "utf8");
    if (encoded.toString("utf8") !== id) return undefined;
    bytes.push(encoded);
  }
  const order = ids.map((_, i) => i).sort((a, b) => Buffer.compare(bytes[a]!, bytes[b]!));
  return descending ? order.reverse() : order;
}

/** The smallest `first` for which {@link EntityReader.children} counts the lists before reading them. */
export const WHOLE_LIST_FIRST = 100;

/** How many parents' lists one {@link EntityReader.children} statement answers for a given `first`. */
export function childBatchSize(first: number): number {
  return Math.max(1, Math.min(BATCH_IDS, Math.floor(CHILD_ROWS_PER_STATEMENT / Math.max(1, first))));
}
