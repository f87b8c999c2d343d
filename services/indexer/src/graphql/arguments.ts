// The arguments every collection takes (`first`, `skip`, `where`), checked against the query
// limits before any SQL is built, and the context one request carries through its resolvers.
import { GraphQLError } from "graphql";

import { type Timed, listTooLong, tooManyBranches } from "./limits.ts";

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

export interface QueryContext extends Timed {
  loaded: number;
}

/** A context for running a query outside the HTTP server (tests): no time limit. */
export function untimedContext(): QueryContext {
  return { loaded: 0, deadline: Number.POSITIVE_INFINITY, timeLimitMs: Number.POSITIVE_INFINITY };
}

/**
 * Refuses a `where` over the limits before any SQL is built: too many values in one list filter,
 * too many `and`/`or` branches, nesting too deep.
 */
export function checkFilter(limits: QueryLimits, where: unknown, depth = 1, counts = { branches: 0 }): void {
  if (where === null || typeof where !== "object") return;
  if (depth > limits.maxFilterDepth) {
    throw new GraphQLError(`The \`where\` filter is nested more than ${limits.maxFilterDepth} levels deep; the limit is ${limits.maxFilterDepth}`, {
      extensions: { code: "FILTER_TOO_DEEP", limit: limits.maxFilterDepth },
    });
  }
  for (const [key, value] of Object.entries(where as Record<string, unknown>)) {
    if (key === "and" || key === "or") {
      const list = Array.isArray(value) ? value : [];
      counts.branches += list.length;
      if (counts.branches > limits.maxFilterBranches) throw tooManyBranches(counts.branches, limits.maxFilterBranches);
      for (const item of list) checkFilter(limits, item, depth + 1, counts);
    } else if (Array.isArray(value)) {
      if (value.length > limits.maxInList) throw listTooLong(key, value.length, limits.maxInList);
    } else if (key.endsWith("_") && value !== null && typeof value === "object") {
      checkFilter(limits, value, depth + 1, counts);
    }
  }
}

/** Refuses a `first` or `skip` out of range, with graph-node's wording. */
export function checkPaging(limits: QueryLimits, first: number, skip: number): void {
  if (first < 0 || first > limits.maxFirst) {
    throw new GraphQLError(`The \`first\` argument must be between 0 and ${limits.maxFirst}, but is ${first}`);
  }
  if (skip < 0 || skip > limits.maxSkip) {
    throw new GraphQLError(`The \`skip\` argument must be between 0 and ${limits.maxSkip}, but is ${skip}`);
  }
}
