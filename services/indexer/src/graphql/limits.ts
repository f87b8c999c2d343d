// What one request may cost, checked before any work is done, and how the work of many requests
// shares one event loop:
// - queryCost: graph-node's complexity estimate (a list field's `first`, default 100, plus `first`
//   times its selection's cost; single references pass their selection's cost through), with
//   fragments followed and `first` read from variables too;
// - Scheduler: every store statement of a query runs through it; when the event loop has been busy
//   for one slice, statements wait in one queue per query, served round-robin between I/O polls, so
//   a large answer cannot hold the loop while a small one waits, and a query past its time limit
//   stops between statements;
// - ClientGate: at most N queries at once per remote address, a few more waiting briefly.
import {
  BREAK,
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  visit,
} from "graphql";

/** Graph-node's default `first`. */
const DEFAULT_FIRST = 100;

function intArgument(node: ValueNode | undefined, variables: Record<string, unknown> | undefined, fallback: number): number {
  if (!node) return fallback;
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) {
    const value = variables?.[node.name.value];
    if (typeof value === "number" && Number.isFinite(value)) return value;
    if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  }
  return fallback;
}

/**
 * The estimated number of entities a query may return: for a list field, `first` (its default when
 * absent) plus `first` times the cost of its selection; a single reference adds its selection's cost;
 * scalars cost nothing; fragments are followed. `first` given by a variable is read from
 * `variables`. Unknown fields count nothing (validation reports them).
 */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | undefined): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation;
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    else if (def.kind === Kind.OPERATION_DEFINITION && (!operationName || def.name?.value === operationName)) operation ??= def;
  }
  if (!operation) return 0;
  const root = operation.operation === "query" ? schema.getQueryType() : undefined;
  if (!root) return 0;

  const cost = (type: GraphQLNamedType, set: SelectionSetNode, seen: ReadonlySet<string>): number => {
    if (!isObjectType(type)) return 0;
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (!sel.selectionSet || sel.name.value.startsWith("__")) continue;
        const field: GraphQLField<unknown, unknown> | undefined = type.getFields()[sel.name.value];
        if (!field) continue;
        const inner = cost(getNamedType(field.type), sel.selectionSet, seen);
        if (!isListType(getNullableType(field.type))) {
          total += inner;
          continue;
        }
        const firstDefault = field.args.find((a) => a.name === "first")?.defaultValue;
        const first = intArgument(
          sel.arguments?.find((a) => a.name.value === "first")?.value,
          variables,
          typeof firstDefault === "number" ? firstDefault : DEFAULT_FIRST,
        );
        total += first + first * inner;
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const on = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : type;
        if (on) total += cost(on, sel.selectionSet, seen);
      } else {
        const name = sel.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue;
        const on = schema.getType(fragment.typeCondition.name.value);
        if (on) total += cost(on, fragment.selectionSet, new Set([...seen, name]));
      }
    }
    return total;
  };
  return cost(root, operation.selectionSet, new Set());
}

// --- filter sizes, before GraphQL coerces them ---------------------------------------------------
// graphql-js checks every object of a filter list against the whole filter type (hundreds of
// fields), so a 1,000-branch `or` costs 100+ ms before a resolver could refuse it. These checks
// run on the raw variables and on the document's literals first, with the same limits and wording
// as QueryCompiler.checkFilter.

export interface FilterLimits {
  maxInList: number;
  maxFilterBranches: number;
}

export function listTooLong(key: string, count: number, limit: number): GraphQLError {
  return new GraphQLError(`\`${key}\` lists ${count} values; the limit is ${limit}`, { extensions: { code: "FILTER_LIST_TOO_LONG", limit, count } });
}

export function tooManyBranches(count: number, limit: number): GraphQLError {
  return new GraphQLError(`The \`where\` filter has more than ${limit} \`and\`/\`or\` branches (${count} so far); the limit is ${limit}`, {
    extensions: { code: "FILTER_TOO_MANY_BRANCHES", limit },
  });
}

/** Refuses raw JSON variables holding a list or an `and`/`or` over the limits. */
export function checkVariables(value: unknown, limits: FilterLimits, key = "variables", counts = { branches: 0 }, depth = 0): void {
  if (depth > 64) throw new GraphQLError("The variables are nested more than 64 levels deep", { extensions: { code: "VARIABLES_TOO_DEEP" } });
  if (Array.isArray(value)) {
    if (key === "and" || key === "or") {
      counts.branches += value.length;
      if (counts.branches > limits.maxFilterBranches) throw tooManyBranches(counts.branches, limits.maxFilterBranches);
    } else if (value.length > limits.maxInList) throw listTooLong(key, value.length, limits.maxInList);
    for (const item of value) checkVariables(item, limits, key, counts, depth + 1);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) checkVariables(v, limits, k, counts, depth + 1);
  }
}

/** The same for list literals in the query text. */
export function checkLiterals(document: DocumentNode, limits: FilterLimits): GraphQLError | undefined {
  let counts = 0;
  let error: GraphQLError | undefined;
  visit(document, {
    ObjectField(node) {
      if (error || node.value.kind !== Kind.LIST) return;
      const n = node.value.values.length;
      if (node.name.value === "and" || node.name.value === "or") {
        counts += n;
        if (counts > limits.maxFilterBranches) error = tooManyBranches(counts, limits.maxFilterBranches);
      } else if (n > limits.maxInList) error = listTooLong(node.name.value, n, limits.maxInList);
      if (error) return BREAK;
    },
    Argument(node) {
      if (error || node.value.kind !== Kind.LIST) return;
      if (node.value.values.length > limits.maxInList) error = listTooLong(node.name.value, node.value.values.length, limits.maxInList);
      if (error) return BREAK;
    },
  });
  return error;
}

// --- time slicing -------------------------------------------------------------------------------

/** What the scheduler needs of a query's context. */
export interface Timed {
  /** performance.now() after which the query's statements are refused. */
  deadline: number;
  timeLimitMs: number;
  timedOut?: boolean;
}

export class QueryTimeoutError extends GraphQLError {
  constructor(limitMs: number) {
    super(`The query ran longer than the limit of ${limitMs} ms and was stopped; ask for fewer entities with \`first\`, or split it`, {
      extensions: { code: "QUERY_TIMEOUT", limitMs },
    });
  }
}

interface Task {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs store statements for many queries on one event loop. Within a slice (`sliceMs` of busy loop)
 * a statement runs at once; after that, statements wait in their query's queue and are served one
 * per query in turn, one round per turn of the event loop, polling I/O (new requests) between.
 */
export class Scheduler {
  private readonly sliceMs: number;
  private sliceStart = 0;
  private sliceOpen = false;
  private readonly queues = new Map<Timed, Task[]>();
  private draining = false;

  constructor(sliceMs = 8) {
    this.sliceMs = sliceMs;
  }

  private withinSlice(): boolean {
    const now = performance.now();
    if (!this.sliceOpen) {
      this.sliceOpen = true;
      this.sliceStart = now;
      setImmediate(() => {
        this.sliceOpen = false;
      });
    }
    return now - this.sliceStart < this.sliceMs;
  }

  private static check(ctx: Timed): void {
    if (ctx.timedOut || performance.now() > ctx.deadline) {
      ctx.timedOut = true;
      throw new QueryTimeoutError(ctx.timeLimitMs);
    }
  }

  /**
   * Runs `fn` for the query `ctx`: now, or later in its turn (then a promise). It never throws: a
   * stopped query or a failing `fn` gives a rejected promise. The executor completing a list stops
   * at an item that throws at once and leaves the items before it unwatched, so a throw here (the
   * time limit reached in the middle of a list) would end as an unhandled rejection, which stops
   * the process.
   */
  run<T>(ctx: Timed, fn: () => T): T | Promise<T> {
    try {
      Scheduler.check(ctx);
      if (this.queues.size === 0 && this.withinSlice()) return fn();
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<T>((resolve, reject) => {
      let queue = this.queues.get(ctx);
      if (!queue) this.queues.set(ctx, (queue = []));
      queue.push({ run: fn, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => this.drain());
      }
    });
  }

  private drain(): void {
    const start = performance.now();
    this.sliceOpen = true;
    this.sliceStart = start;
    // One task of each waiting query per turn of the event loop. What a task's answer sets off
    // (graphql-js completing its rows, a batch handing out its entities) runs right after this
    // turn, outside any timing here: serving more tasks in the same turn would let that work pile
    // up unsliced (a batch answering the 100 lists of a level at once).
    for (const [ctx, queue] of [...this.queues]) {
      const task = queue.shift()!;
      if (queue.length === 0) this.queues.delete(ctx);
      try {
        Scheduler.check(ctx);
        task.resolve(task.run());
      } catch (error) {
        task.reject(error);
      }
      if (performance.now() - start >= this.sliceMs) break;
    }
    setImmediate(() => {
      this.sliceOpen = false;
      if (this.queues.size > 0) this.drain();
      else this.draining = false;
    });
  }
}

// --- per-client concurrency ---------------------------------------------------------------------

export class TooManyRequestsError extends Error {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.name = "TooManyRequestsError";
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** At most `maxActive` requests at once per client; up to `maxQueued` more wait up to `waitMs`. */
export class ClientGate {
  private readonly clients = new Map<string, { active: number; waiting: (() => void)[] }>();
  readonly maxActive: number;
  readonly maxQueued: number;
  readonly waitMs: number;

  constructor(maxActive: number, maxQueued: number, waitMs: number) {
    this.maxActive = maxActive;
    this.maxQueued = maxQueued;
    this.waitMs = waitMs;
  }

  /** Resolves with a release function once `client` may run a request; rejects with {@link TooManyRequestsError}. */
  async acquire(client: string): Promise<() => void> {
    let state = this.clients.get(client);
    if (!state) this.clients.set(client, (state = { active: 0, waiting: [] }));
    const entry = state;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = entry.waiting.shift();
      if (next) next();
      else if (--entry.active === 0) this.clients.delete(client);
    };
    if (entry.active < this.maxActive) {
      entry.active++;
      return release;
    }
    if (entry.waiting.length >= this.maxQueued) {
      throw new TooManyRequestsError(
        `Too many queries from this client: ${this.maxActive} running and ${this.maxQueued} waiting is the limit; wait for answers before sending more`,
        1,
      );
    }
    return new Promise((resolve, reject) => {
      const go = () => {
        clearTimeout(timer);
        resolve(release);
      };
      const timer = setTimeout(() => {
        const i = entry.waiting.indexOf(go);
        if (i >= 0) entry.waiting.splice(i, 1);
        reject(
          new TooManyRequestsError(
            `Too many queries from this client: waited ${this.waitMs} ms behind its ${this.maxActive} running queries; wait for answers before sending more`,
            Math.max(1, Math.ceil(this.waitMs / 1000)),
          ),
        );
      }, this.waitMs);
      entry.waiting.push(go);
    });
  }

  /** Requests running now for `client` (tests). */
  active(client: string): number {
    return this.clients.get(client)?.active ?? 0;
  }
}
