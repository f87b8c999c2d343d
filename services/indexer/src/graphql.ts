// The GraphQL schema graph-node would serve for schema.graphql, resolved against the block-range
// store: singular and plural root fields, first/skip/orderBy/orderDirection/where (suffix filters,
// nested `field_` filters, and/or, _change_block), `block: { number | hash | number_gte }`, `_meta`,
// and the same collection arguments on list fields (stored and @derivedFrom).
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLError,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigArgumentMap,
  GraphQLID,
  GraphQLInputObjectType,
  type GraphQLInputFieldConfig,
  type GraphQLInputType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  Kind,
} from "graphql";

import { BatchLoader } from "./batch.ts";
import { Scheduler, type Timed, listTooLong, tooManyBranches } from "./limits.ts";
import type { EntityDef, FieldDef, Scalar, SubgraphSchema } from "./schema.ts";
import { type BlockPtr, type EntityStore, q, tableName } from "./store.ts";
import { type Plain, encodeScalar } from "./values.ts";

export interface QueryLimits {
  /** Largest `first` (graph-node: 1000). */
  maxFirst: number;
  /** Largest `skip` (graph-node: 5000). */
  maxSkip: number;
  /** Entities one request may load in all, across nested lists. */
  maxEntities: number;
  /** Most values in one `_in`/`_not_in` (or list `_contains`) filter. */
  maxInList: number;
  /** Most `and`/`or` branches in one `where`, counted over all its levels. */
  maxFilterBranches: number;
  /** Deepest nesting of `and`/`or` and nested `field_` filters in one `where`. */
  maxFilterDepth: number;
}

export const defaultLimits: QueryLimits = { maxFirst: 1000, maxSkip: 5000, maxEntities: 100_000, maxInList: 1000, maxFilterBranches: 100, maxFilterDepth: 8 };

/** SQLite's limit on bound parameters in one statement (SQLITE_MAX_VARIABLE_NUMBER). */
export const SQLITE_MAX_PARAMS = 32_766;

export interface QueryContext extends Timed {
  loaded: number;
}

/** A context for running a query outside the HTTP server (tests): no time limit. */
export function untimedContext(): QueryContext {
  return { loaded: 0, deadline: Number.POSITIVE_INFINITY, timeLimitMs: Number.POSITIVE_INFINITY };
}

/** Row handed between resolvers: entity data plus the block the query is answered at. */
type Row = Record<string, Plain> & { __block: number };

// --- scalars ------------------------------------------------------------------------------------

function scalarInput(name: string, check: (value: string) => boolean, description: string) {
  const parse = (value: unknown): string => {
    const text = typeof value === "number" && Number.isInteger(value) ? String(value) : value;
    if (typeof text !== "string" || !check(text)) throw new GraphQLError(`${name} cannot represent ${JSON.stringify(value)}: ${description}`);
    return text;
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: (value) => (typeof value === "bigint" ? value.toString() : String(value)),
    parseValue: parse,
    parseLiteral(ast) {
      if (ast.kind === Kind.STRING || ast.kind === Kind.INT) return parse(ast.value);
      throw new GraphQLError(`${name} cannot represent a non-string value`);
    },
  });
}

const isInteger = (s: string) => /^-?\d+$/.test(s);
const BigIntScalar = scalarInput("BigInt", isInteger, "an integer of any size, as a decimal string");
const BigDecimalScalar = scalarInput("BigDecimal", (s) => /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s), "a decimal number, as a string");
const BytesScalar = scalarInput("Bytes", (s) => /^0x([0-9a-fA-F]{2})*$/.test(s), "0x-prefixed hex with an even number of digits");
const Int8Scalar = scalarInput("Int8", isInteger, "a 64-bit integer (serialized as a decimal string)");
const TimestampScalar = scalarInput("Timestamp", isInteger, "microseconds since the Unix epoch (serialized as a decimal string)");

function scalarType(scalar: Scalar): GraphQLScalarType {
  switch (scalar) {
    case "ID":
      return GraphQLID;
    case "String":
      return GraphQLString;
    case "Int":
      return GraphQLInt;
    case "Boolean":
      return GraphQLBoolean;
    case "BigInt":
      return BigIntScalar;
    case "BigDecimal":
      return BigDecimalScalar;
    case "Bytes":
      return BytesScalar;
    case "Int8":
      return Int8Scalar;
    case "Timestamp":
      return TimestampScalar;
  }
}

// --- filters ------------------------------------------------------------------------------------

const comparison = ["", "_not", "_gt", "_lt", "_gte", "_lte", "_in", "_not_in"];
const stringOps = [
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
function filterOps(field: FieldDef): string[] {
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

interface Sql {
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
  private readonly limits: QueryLimits;

  constructor(schema: SubgraphSchema, limits: QueryLimits) {
    this.schema = schema;
    this.limits = limits;
  }

  entity(name: string): EntityDef {
    return this.schema.entities.get(name)!;
  }

  /**
   * Refuses a `where` over the limits before any SQL is built: too many values in one list filter,
   * too many `and`/`or` branches, nesting too deep.
   */
  checkFilter(where: unknown, depth = 1, counts = { branches: 0 }): void {
    if (where === null || typeof where !== "object") return;
    if (depth > this.limits.maxFilterDepth) {
      throw new GraphQLError(`The \`where\` filter is nested more than ${this.limits.maxFilterDepth} levels deep; the limit is ${this.limits.maxFilterDepth}`, {
        extensions: { code: "FILTER_TOO_DEEP", limit: this.limits.maxFilterDepth },
      });
    }
    for (const [key, value] of Object.entries(where as Record<string, unknown>)) {
      if (key === "and" || key === "or") {
        const list = Array.isArray(value) ? value : [];
        counts.branches += list.length;
        if (counts.branches > this.limits.maxFilterBranches) throw tooManyBranches(counts.branches, this.limits.maxFilterBranches);
        for (const item of list) this.checkFilter(item, depth + 1, counts);
      } else if (Array.isArray(value)) {
        if (value.length > this.limits.maxInList) throw listTooLong(key, value.length, this.limits.maxInList);
      } else if (key.endsWith("_") && value !== null && typeof value === "object") {
        this.checkFilter(value, depth + 1, counts);
      }
    }
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

  checkPaging(first: number, skip: number): void {
    if (first < 0 || first > this.limits.maxFirst) {
      throw new GraphQLError(`The \`first\` argument must be between 0 and ${this.limits.maxFirst}, but is ${first}`);
    }
    if (skip < 0 || skip > this.limits.maxSkip) {
      throw new GraphQLError(`The \`skip\` argument must be between 0 and ${this.limits.maxSkip}, but is ${skip}`);
    }
  }
}

function atBlock(alias: string): string {
  return `${alias}.block_from <= ? AND (${alias}.block_to IS NULL OR ${alias}.block_to > ?)`;
}

// --- schema -------------------------------------------------------------------------------------

export interface GraphQLOptions {
  store: EntityStore;
  /** The deployment id shown in `_meta`. */
  deployment: string;
  limits?: Partial<QueryLimits>;
  /** Shares the event loop between queries (one per server); a private one when absent. */
  scheduler?: Scheduler;
}

interface CollectionArgs {
  skip?: number;
  first?: number;
  orderBy?: string;
  orderDirection?: string;
  where?: Record<string, unknown>;
}

export function buildGraphQLSchema(subgraph: SubgraphSchema, options: GraphQLOptions): GraphQLSchema {
  const { store } = options;
  const limits = { ...defaultLimits, ...options.limits };
  const compiler = new QueryCompiler(subgraph, limits);

  const enums = new Map<string, GraphQLEnumType>();
  for (const [name, values] of subgraph.enums) {
    enums.set(name, new GraphQLEnumType({ name, values: Object.fromEntries(values.map((v) => [v, { value: v }])) }));
  }
  const OrderDirection = new GraphQLEnumType({ name: "OrderDirection", values: { asc: { value: "asc" }, desc: { value: "desc" } } });
  const ErrorPolicy = new GraphQLEnumType({
    name: "_SubgraphErrorPolicy_",
    values: {
      allow: { value: "allow", description: "Data will be returned even if the subgraph has indexing errors" },
      deny: { value: "deny", description: "If the subgraph has indexing errors, data will be omitted. The default." },
    },
  });
  const BlockHeight = new GraphQLInputObjectType({
    name: "Block_height",
    fields: { hash: { type: BytesScalar }, number: { type: GraphQLInt }, number_gte: { type: GraphQLInt } },
  });
  const BlockChangedFilter = new GraphQLInputObjectType({ name: "BlockChangedFilter", fields: { number_gte: { type: new GraphQLNonNull(GraphQLInt) } } });
  const BlockType = new GraphQLObjectType({
    name: "_Block_",
    fields: {
      hash: { type: BytesScalar, description: "The hash of the block" },
      number: { type: new GraphQLNonNull(GraphQLInt), description: "The block number" },
      timestamp: { type: GraphQLInt, description: "Integer representation of the timestamp stored in blocks for the chain" },
      parentHash: { type: BytesScalar, description: "The hash of the parent block" },
    },
  });
  const MetaType = new GraphQLObjectType({
    name: "_Meta_",
    description: "The type for the top-level _meta field",
    fields: {
      block: { type: new GraphQLNonNull(BlockType) },
      deployment: { type: new GraphQLNonNull(GraphQLString), description: "The deployment ID" },
      hasIndexingErrors: { type: new GraphQLNonNull(GraphQLBoolean), description: "If `true`, the subgraph encountered indexing errors at some past block" },
    },
  });

  const objectTypes = new Map<string, GraphQLObjectType>();
  const filterTypes = new Map<string, GraphQLInputObjectType>();
  const orderTypes = new Map<string, GraphQLEnumType>();

  const fieldType = (field: FieldDef): GraphQLOutputType => {
    let base: GraphQLOutputType =
      field.kind === "enum" ? enums.get(field.type)! : field.kind === "entity" ? objectTypes.get(field.type)! : scalarType(field.scalar);
    if (field.list) base = new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(base)));
    else if (field.nonNull) base = new GraphQLNonNull(base);
    return base;
  };
  const inputBase = (field: FieldDef): GraphQLInputType =>
    field.kind === "enum" ? enums.get(field.type)! : field.kind === "entity" ? GraphQLString : scalarType(field.scalar);

  const collectionArgs = (def: EntityDef): GraphQLFieldConfigArgumentMap => ({
    skip: { type: GraphQLInt, defaultValue: 0 },
    first: { type: GraphQLInt, defaultValue: 100 },
    orderBy: { type: orderTypes.get(def.name)! },
    orderDirection: { type: OrderDirection },
    where: { type: filterTypes.get(def.name)! },
  });

  /** Rows of `def` at `block` matching `args`, plus an extra condition (derived or list fields). */
  const scheduler = options.scheduler ?? new Scheduler();
  const statements = new Map<string, ReturnType<typeof store.db.prepare>>();
  const selectLists = new Map<string, string>();
  const selectList = (def: EntityDef) => {
    let list = selectLists.get(def.name);
    if (!list) selectLists.set(def.name, (list = store.selectList(def, "t")));
    return list;
  };

  /** Runs one statement; SQLite's own refusals become GraphQL errors that say what to change. */
  const statement = <T>(sql: string, params: Sql["params"], run: (stmt: ReturnType<typeof store.db.prepare>) => T): T => {
    if (params.length > SQLITE_MAX_PARAMS) {
      throw new GraphQLError(
        `The query needs ${params.length} SQL parameters; the store's limit is ${SQLITE_MAX_PARAMS}: use fewer values in \`_in\` filters or fewer \`or\` branches`,
        { extensions: { code: "QUERY_TOO_LARGE", limit: SQLITE_MAX_PARAMS } },
      );
    }
    try {
      let stmt = statements.get(sql);
      if (!stmt) {
        stmt = store.db.prepare(sql);
        // Filters with literal-free SQL repeat (nested lists, lookups by id): keep their statements.
        if (statements.size >= 500) statements.clear();
        statements.set(sql, stmt);
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
  };

  const collection = (def: EntityDef, args: CollectionArgs, block: number, ctx: QueryContext, extra?: Sql): Row[] | Promise<Row[]> => {
    const first = args.first ?? 100;
    const skip = args.skip ?? 0;
    compiler.checkPaging(first, skip);
    compiler.checkFilter(args.where);
    const where = compiler.filter(def, args.where, block, "t");
    const order = compiler.order(def, args.orderBy, args.orderDirection, block, "t");
    const sql = `SELECT ${selectList(def)} FROM ${tableName(def.name)} t WHERE ${atBlock("t")} AND ${where.sql}${extra ? ` AND ${extra.sql}` : ""} ORDER BY ${order.sql} LIMIT ? OFFSET ?`;
    const params = [block, block, ...where.params, ...(extra?.params ?? []), ...order.params, first, skip];
    return scheduler.run(ctx, () => {
      const rows = statement(sql, params, (stmt) => stmt.all(...params) as Record<string, unknown>[]);
      ctx.loaded += rows.length;
      if (ctx.loaded > limits.maxEntities) {
        throw new GraphQLError(`The query loads more than ${limits.maxEntities} entities; ask for fewer with \`first\` or split it`);
      }
      return rows.map((row) => ({ ...store.decodeRow(def, row), __block: block }));
    });
  };

  const byId = (def: EntityDef, id: string, block: number, ctx: QueryContext): Row | null | Promise<Row | null> =>
    scheduler.run(ctx, () => {
      // The version valid at `block` is the one that started last at or before it: walking the
      // (id, block_from) index backwards finds it at once, however many versions the entity has.
      const sql = `SELECT ${selectList(def)} FROM ${tableName(def.name)} t WHERE t."id" = ? AND ${atBlock("t")} ORDER BY t.block_from DESC LIMIT 1`;
      const row = statement(sql, [id, block, block], (stmt) => stmt.get(id, block, block) as Record<string, unknown> | undefined);
      if (!row) return null;
      ctx.loaded += 1;
      return { ...store.decodeRow(def, row), __block: block };
    });

  /** Most ids in one batched lookup statement (each statement is a unit the scheduler cannot split). */
  const BATCH_IDS = 500;

  /**
   * The versions of many entities of `def` valid at `block`, in the order of `ids` (null where there
   * is none): for each id the newest version starting at or before `block`, found by walking the
   * (id, block_from) index backwards, as `byId` does for one. One statement text per table.
   */
  const manyById = async (def: EntityDef, ids: string[], block: number, ctx: QueryContext): Promise<(Row | null)[]> => {
    const t = tableName(def.name);
    const sql =
      `SELECT j.key AS __key, ${selectList(def)} FROM json_each(?) j JOIN ${t} t ON t.vid = ` +
      `(SELECT v.vid FROM ${t} v WHERE v."id" = j.value AND ${atBlock("v")} ORDER BY v.block_from DESC LIMIT 1)`;
    const found: (Row | null)[] = ids.map(() => null);
    for (let start = 0; start < ids.length; start += BATCH_IDS) {
      const slice = ids.slice(start, start + BATCH_IDS);
      const params = [JSON.stringify(slice), block, block];
      const rows = await scheduler.run(ctx, () => statement(sql, params, (stmt) => stmt.all(...params) as Record<string, unknown>[]));
      for (const row of rows) found[start + Number(row.__key)] = { ...store.decodeRow(def, row), __block: block };
    }
    return found;
  };

  /** Per request: one loader per entity type and block, so each level of references is one lookup. */
  const loaders = new WeakMap<QueryContext, Map<string, BatchLoader<string, Row | null>>>();
  const loader = (def: EntityDef, block: number, ctx: QueryContext): BatchLoader<string, Row | null> => {
    let byType = loaders.get(ctx);
    if (!byType) loaders.set(ctx, (byType = new Map()));
    const key = `${def.name}@${block}`;
    let found = byType.get(key);
    if (!found) byType.set(key, (found = new BatchLoader((ids) => manyById(def, ids, block, ctx))));
    return found;
  };

  /**
   * A single reference: from the request's loader, at once when it is already in. A batch answers
   * many resolvers at the same moment; each goes on through the scheduler, so completing thousands
   * of them still yields the event loop to other queries every slice.
   */
  const reference = (def: EntityDef, id: string, block: number, ctx: QueryContext): Row | null | Promise<Row | null> => {
    const entities = loader(def, block, ctx);
    const count = (row: Row | null) => {
      if (row) ctx.loaded += 1;
      return row;
    };
    const known = entities.peek(id);
    return known ? count(known.value) : entities.load(id).then((row) => scheduler.run(ctx, () => count(row)));
  };

  /**
   * Loads the single references a list's selection asks for (`votes { voter { id } }`) before the
   * list is answered, for all the lists of a level in one batch: the items' own resolvers then find
   * them in the loader and answer without a promise each.
   */
  const withReferences = (def: EntityDef, rows: Row[] | Promise<Row[]>, block: number, info: GraphQLResolveInfo, ctx: QueryContext): Row[] | Promise<Row[]> => {
    const fields = new Set<FieldDef>();
    for (const node of info.fieldNodes) {
      for (const selection of node.selectionSet?.selections ?? []) {
        if (selection.kind !== Kind.FIELD) continue;
        const field = def.field.get(selection.name.value);
        if (field && field.kind === "entity" && !field.list && !field.derivedFrom) fields.add(field);
      }
    }
    if (fields.size === 0) return rows;
    const prefetch = (list: Row[]): Row[] | Promise<Row[]> => {
      const pending: Promise<unknown>[] = [];
      for (const field of fields) {
        const entities = loader(subgraph.entities.get(field.type)!, block, ctx);
        for (const row of list) {
          const id = row[field.name];
          if (id !== null && id !== undefined && !entities.peek(String(id))) pending.push(entities.load(String(id)));
        }
      }
      // The lists of a level wait for one batch; each is then answered in its turn (see `reference`).
      return pending.length === 0 ? list : Promise.all(pending).then(() => scheduler.run(ctx, () => list));
    };
    return rows instanceof Promise ? rows.then(prefetch) : prefetch(rows);
  };

  for (const def of subgraph.entities.values()) {
    orderTypes.set(
      def.name,
      new GraphQLEnumType({
        name: `${def.name}_orderBy`,
        values: Object.fromEntries(
          def.fields.flatMap((f) => {
            if (f.list || f.derivedFrom) return [];
            const own: [string, { value: string }][] = [[f.name, { value: f.name }]];
            if (f.kind !== "entity") return own;
            const target = subgraph.entities.get(f.type)!;
            return [
              ...own,
              ...target.fields.filter((g) => !g.list && !g.derivedFrom).map((g): [string, { value: string }] => [`${f.name}__${g.name}`, { value: `${f.name}__${g.name}` }]),
            ];
          }),
        ),
      }),
    );
    filterTypes.set(
      def.name,
      new GraphQLInputObjectType({
        name: `${def.name}_filter`,
        fields: (): Record<string, GraphQLInputFieldConfig> => {
          const fields: Record<string, GraphQLInputFieldConfig> = {};
          for (const f of def.fields) {
            if (!f.derivedFrom) {
              for (const op of filterOps(f)) {
                const many = op === "_in" || op === "_not_in" || f.list;
                const base = inputBase(f);
                fields[`${f.name}${op}`] = { type: many ? new GraphQLList(new GraphQLNonNull(base)) : base };
              }
              if (f.kind === "entity" && !f.list) {
                for (const op of stringOps) fields[`${f.name}${op}`] = { type: GraphQLString };
              }
            }
            if (f.kind === "entity") fields[`${f.name}_`] = { type: filterTypes.get(f.type)! };
          }
          fields._change_block = { type: BlockChangedFilter, description: "Filter for the block changed event." };
          fields.and = { type: new GraphQLList(filterTypes.get(def.name)!) };
          fields.or = { type: new GraphQLList(filterTypes.get(def.name)!) };
          return fields;
        },
      }),
    );
  }

  for (const def of subgraph.entities.values()) {
    objectTypes.set(
      def.name,
      new GraphQLObjectType({
        name: def.name,
        fields: () =>
          Object.fromEntries(
            def.fields.map((f): [string, GraphQLFieldConfig<Row, QueryContext>] => {
              const type = fieldType(f);
              if (f.kind !== "entity") return [f.name, { type }];
              const target = subgraph.entities.get(f.type)!;
              if (f.derivedFrom) {
                const back = target.field.get(f.derivedFrom);
                if (!back) throw new Error(`${def.name}.${f.name}: @derivedFrom field ${f.derivedFrom} is not a field of ${target.name}`);
                return [
                  f.name,
                  {
                    type,
                    args: f.list ? collectionArgs(target) : {},
                    resolve: (parent, args: CollectionArgs, ctx, info) => {
                      const extra: Sql = back.list
                        ? { sql: `EXISTS (SELECT 1 FROM json_each(t.${q(back.name)}) WHERE value = ?)`, params: [String(parent.id)] }
                        : { sql: `t.${q(back.name)} = ?`, params: [String(parent.id)] };
                      const rows = collection(target, f.list ? args : { first: 1 }, parent.__block, ctx, extra);
                      if (f.list) return withReferences(target, rows, parent.__block, info, ctx);
                      return rows instanceof Promise ? rows.then((r) => r[0] ?? null) : (rows[0] ?? null);
                    },
                  },
                ];
              }
              if (f.list) {
                return [
                  f.name,
                  {
                    type,
                    args: collectionArgs(target),
                    resolve: (parent, args: CollectionArgs, ctx, info) => {
                      const ids = (parent[f.name] as string[] | null) ?? [];
                      if (ids.length === 0) return [];
                      const rows = collection(target, args, parent.__block, ctx, { sql: `t."id" IN (${ids.map(() => "?").join(", ")})`, params: ids.map(String) });
                      return withReferences(target, rows, parent.__block, info, ctx);
                    },
                  },
                ];
              }
              return [
                f.name,
                {
                  type,
                  resolve: (parent, _args, ctx) => {
                    const id = parent[f.name];
                    return id === null || id === undefined ? null : reference(target, String(id), parent.__block, ctx);
                  },
                },
              ];
            }),
          ),
      }),
    );
  }

  /** The block number a root field is answered at. */
  const resolveBlock = (block: { number?: number | null; hash?: string | null; number_gte?: number | null } | undefined): number => {
    const cursor = store.cursor();
    const latest = cursor?.number ?? -1;
    if (!block) return latest;
    if (block.hash) {
      const ptr = store.blockByHash(block.hash);
      if (!ptr) throw new GraphQLError(`no block with hash ${block.hash} is known to the indexer`);
      return ptr.number;
    }
    if (block.number !== undefined && block.number !== null) {
      if (block.number < 0) throw new GraphQLError("`block.number` must not be negative");
      if (block.number > latest) {
        throw new GraphQLError(
          `subgraph has only indexed up to block number ${latest} and data for block number ${block.number} is therefore not yet available`,
        );
      }
      return block.number;
    }
    if (block.number_gte !== undefined && block.number_gte !== null) {
      if (block.number_gte > latest) {
        throw new GraphQLError(
          `subgraph has only indexed up to block number ${latest} and data for block number ${block.number_gte} is therefore not yet available`,
        );
      }
      return latest;
    }
    return latest;
  };

  /**
   * graph-node's `subgraphError: deny` (the default): a failed subgraph answers no data, and one that
   * skipped handlers after errors (nonFatalErrors) answers none at or after the first such block.
   */
  const checkErrors = (policy: string | undefined, block: number) => {
    if (policy === "allow") return;
    if (store.indexingError()) {
      throw new GraphQLError("indexing_error: the subgraph failed to index a block; query with `subgraphError: allow` for the data up to the failure");
    }
    const first = store.firstSkippedErrorBlock();
    if (first !== undefined && first <= block) {
      throw new GraphQLError(
        `indexing_error: the subgraph skipped handlers that failed at block ${first} and later; query with \`subgraphError: allow\` for the data, or at a block before ${first}`,
      );
    }
  };

  const rootArgs = {
    block: { type: BlockHeight, description: "The block at which the query should be executed. Can either be a `{ hash: Bytes }` value containing a block hash, a `{ number: Int }` containing the block number, or a `{ number_gte: Int }` containing the minimum block number. In the case of `number_gte`, the query will be executed on the latest block only if the subgraph has progressed to or past the minimum block number. Defaults to the latest block when omitted." },
    subgraphError: { type: new GraphQLNonNull(ErrorPolicy), defaultValue: "deny", description: "Set to `allow` to receive data even if the subgraph has skipped over errors while syncing." },
  };

  const queryFields: Record<string, GraphQLFieldConfig<unknown, QueryContext>> = {};
  for (const def of subgraph.entities.values()) {
    queryFields[def.singular] = {
      type: objectTypes.get(def.name)!,
      args: { id: { type: new GraphQLNonNull(GraphQLID) }, ...rootArgs },
      resolve: (_root, args: { id: string; block?: never; subgraphError?: string }, ctx) => {
        const block = resolveBlock(args.block);
        checkErrors(args.subgraphError, block);
        const id = def.field.get("id")!.scalar === "Bytes" ? args.id.toLowerCase() : args.id;
        return byId(def, id, block, ctx);
      },
    };
    queryFields[def.plural] = {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(objectTypes.get(def.name)!))),
      args: { ...collectionArgs(def), ...rootArgs },
      resolve: (_root, args: CollectionArgs & { block?: never; subgraphError?: string }, ctx, info) => {
        const block = resolveBlock(args.block);
        checkErrors(args.subgraphError, block);
        return withReferences(def, collection(def, args, block, ctx), block, info, ctx);
      },
    };
  }
  queryFields._meta = {
    type: MetaType,
    description: "Access to subgraph metadata",
    args: { block: { type: BlockHeight } },
    resolve: (_root, args: { block?: { number?: number; hash?: string; number_gte?: number } }) => {
      const number = resolveBlock(args.block);
      const cursor = store.cursor();
      const ptr: BlockPtr | undefined = number === cursor?.number ? cursor : store.blockByNumber(number);
      return {
        block: ptr ? { number: ptr.number, hash: ptr.hash, timestamp: ptr.timestamp, parentHash: ptr.parentHash } : { number, hash: null, timestamp: null, parentHash: null },
        deployment: options.deployment,
        hasIndexingErrors: store.hasIndexingErrors(),
      };
    },
  };

  return new GraphQLSchema({ query: new GraphQLObjectType({ name: "Query", fields: queryFields }) });
}
