// The direct executor (src/graphql/execute.ts) answers byte for byte as graphql-js does: plain
// selections, aliases, variables, time travel and `_meta` directly; fragments, directives,
// `__typename` and every error (refused arguments, the entity limit, a missing non-null
// reference) by handing the whole operation to graphql-js.
import { type ExecutionArgs, execute, parse } from "graphql";
import { beforeAll, describe, expect, inject, it } from "vitest";

import { directExecute } from "../src/graphql/execute.ts";
import { buildGraphQLSchema, untimedContext } from "../src/graphql/schema.ts";
import { EntityStore } from "../src/store/store.ts";
import { loadSubgraph } from "../src/subgraph.ts";
import type { EntityData } from "../src/runtime/values.ts";
import { account, writeBlock } from "./store-fixtures.ts";

const buildDir = inject("buildDir");


/** Block 1: accounts and proposals; blocks 2 to 4: votes, voters rewritten; block 4 deletes account 9, which voted. */
function fillStore(store: EntityStore): void {
  writeBlock(store, 1, {
    Account: Array.from({ length: 10 }, (_, i) => [account(i), { id: account(i), votesCast: 0, delegate: account((i + 1) % 10) }]),
    Proposal: Array.from({ length: 3 }, (_, p) => [String(p), { id: String(p), title: `Proposal ${p}`, status: "CREATED" }]),
  });
  for (let b = 2; b <= 4; b++) {
    const p = b - 2;
    writeBlock(store, b, {
      Vote: Array.from({ length: 10 }, (_, i): [string, EntityData] => [`${p}-${i}`, { id: `${p}-${i}`, proposal: String(p), voter: account(i), support: i % 3, weight: BigInt(i % 4) * 10n ** 18n, reason: `r${i}` }]),
      Account: [...Array.from({ length: 9 }, (_, i): [string, EntityData] => [account(i), { id: account(i), votesCast: p + 1, delegate: i % 4 === 0 ? null : account(9) }]), ...(b === 4 ? [[account(9), null] as [string, null]] : [])],
    });
  }
}

describe("the direct executor", () => {
  let run: (source: string, variables?: Record<string, unknown>, maxEntities?: number) => Promise<{ direct: string; graphqlJs: string; fellBack: boolean }>;

  beforeAll(async () => {
    const subgraph = await loadSubgraph(buildDir);
    const store = EntityStore.memory(subgraph.schema);
    fillStore(store);
    const schemas = new Map<number, ReturnType<typeof buildGraphQLSchema>>();
    const schemaWith = (maxEntities: number) => {
      if (!schemas.has(maxEntities)) schemas.set(maxEntities, buildGraphQLSchema(subgraph.schema, { store, deployment: "test", limits: { maxEntities } }));
      return schemas.get(maxEntities)!;
    };
    run = async (source, variables = {}, maxEntities = 100_000) => {
      const args = (): ExecutionArgs => ({ schema: schemaWith(maxEntities), document: parse(source), contextValue: untimedContext(), variableValues: variables });
      let fellBack = false;
      const direct = directExecute((a) => {
        fellBack = true;
        return execute(a);
      });
      return { direct: JSON.stringify(await direct(args())), graphqlJs: JSON.stringify(await execute(args())), fellBack };
    };
  });

  // Account 9 voted and is deleted at block 4: at the latest block a vote's voter (non-null) can be
  // missing, which is an error (below), so the latest block's query asks for the proposal instead.
  const nested = (at: string, reference: string) =>
    `{ proposals(orderBy: id${at}) { id title status votes(first: 4, skip: 1, orderBy: weight, orderDirection: desc) { id weight support reason ${reference} } } }`;

  for (const [label, source] of [
    ["the latest block", nested("", "proposal { id title }")],
    ["block 3", nested(", block: { number: 3 }", "voter { id votesCast delegate { id } }")],
    ["block 1", nested(", block: { number: 1 }", "voter { id }")],
  ] as const) {
    it(`answers nested lists and references directly at ${label}`, async () => {
      const { direct, graphqlJs, fellBack } = await run(source);
      expect(direct).toBe(graphqlJs);
      expect(fellBack).toBe(false);
      expect(direct).toContain('"data"');
    });
  }

  it("answers aliases, variables, single entities and _meta directly", async () => {
    const source = `query Q($first: Int!, $id: ID!, $where: Vote_filter) { a: votes(first: $first, where: $where, orderBy: id) { id w: weight } one: account(id: $id) { id votesCast } missing: proposal(id: "9") { id } _meta { block { number hash } deployment hasIndexingErrors } }`;
    const { direct, graphqlJs, fellBack } = await run(source, { first: 5, id: account(2), where: { support_in: [0, 2], weight_gt: "0" } });
    expect(direct).toBe(graphqlJs);
    expect(fellBack).toBe(false);
  });

  for (const [label, source, variables, maxEntities] of [
    ["a refused `first`", `{ votes(first: 5000) { id } }`, {}, undefined],
    ["a missing non-null reference (a deleted voter)", `{ votes(orderBy: id) { id voter { id } } }`, {}, undefined],
    ["the entity limit", `{ proposals { votes(first: 100) { id voter { id } } } }`, {}, 12],
    ["a variable of the wrong type", `query Q($first: Int) { votes(first: $first) { id } }`, { first: "many" }, undefined],
    ["a fragment", `{ proposals { ...P } } fragment P on Proposal { id title }`, {}, undefined],
    ["a directive", `{ proposals { id title @include(if: false) } }`, {}, undefined],
    ["__typename", `{ proposals { __typename id } }`, {}, undefined],
    ["a response key given twice", `{ proposals { id id } }`, {}, undefined],
    ["an alias named like an object's prototype", `{ __proto__: proposals { id } }`, {}, undefined],
  ] as const) {
    it(`leaves ${label} to graphql-js, with the same answer`, async () => {
      const { direct, graphqlJs, fellBack } = await run(source, variables, maxEntities);
      expect(direct).toBe(graphqlJs);
      expect(fellBack).toBe(true);
    });
  }
});
