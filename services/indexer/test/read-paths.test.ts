// The read paths of a nested list: rows made from arrays of cells with each cell under its own
// field, whatever columns a selection reads and in whatever order; text columns read without the
// NUL check until one holds a U+0000, then with it (written while statements were already made,
// found when an older store is opened, kept when it is opened again); leaves answered as
// graphql-js answers them.
import path from "node:path";
import { DatabaseSync } from "node:sqlite";

import { type ExecutionArgs, execute, graphql, parse } from "graphql";
import { describe, expect, inject, it } from "vitest";

import { directExecute } from "../src/graphql/execute.ts";
import { buildGraphQLSchema, untimedContext } from "../src/graphql/schema.ts";
import { QueryCompiler, EntityReader } from "../src/store/query.ts";
import { DATABASE_FILE, EntityStore, STORE_LAYOUT_VERSION } from "../src/store/store.ts";
import type { EntityData } from "../src/runtime/values.ts";
import { TEST_IDENTITY, account, subgraphAndTempDir, writeBlock } from "./store-fixtures.ts";

const buildDir = inject("buildDir");

/** Block 1: three accounts and two proposals; block 2: four votes, reasons without a NUL. */
function fill(store: EntityStore): void {
  writeBlock(store, 1, {
    Account: Array.from({ length: 3 }, (_, i) => [account(i), { id: account(i), votesCast: i, isAnalyst: i === 1, delegate: null }]),
    Proposal: Array.from({ length: 2 }, (_, p) => [String(p), { id: String(p), title: `Proposal ${p}`, status: "CREATED", forVotes: 10n ** 20n + BigInt(p), voterCount: p }]),
  });
  writeBlock(store, 2, {
    Vote: Array.from({ length: 4 }, (_, v): [string, EntityData] => [
      `v${v}`,
      { id: `v${v}`, proposal: String(v % 2), voter: account(v % 3), support: v % 3, choice: "FOR", weight: BigInt(v) * 10n ** 18n - 1n, reason: `reason ${v}`, params: "0x", timestamp: BigInt(1000 + v) },
    ]),
  });
}

const nested = `{ proposals(orderBy: id) { id title status forVotes voterCount votes(first: 100) { voter { id isAnalyst votesCast } support choice weight reason timestamp } } }`;

describe("read paths", () => {
  const env = subgraphAndTempDir(buildDir, "indexer-read-paths-");

  it("makes each row from its cells with every field in its place, whatever columns are read", () => {
    const store = EntityStore.memory(env.subgraph.schema, TEST_IDENTITY);
    fill(store);
    const reader = new EntityReader(store, new QueryCompiler(env.subgraph.schema));
    const vote = env.subgraph.schema.entities.get("Vote")!;
    const whole = store.current("Vote", "v3")!;
    for (const columns of [undefined, new Set(["reason", "voter"]), new Set(["weight", "support", "id"]), new Set(["timestamp"]), new Set<string>()]) {
      const [row] = reader.collection(vote, { where: { id: "v3" } }, 2, undefined, columns)();
      const names = columns && columns.size > 0 ? [...columns] : columns ? ["id"] : vote.stored.map((f) => f.name);
      expect(Object.keys(row!).sort()).toEqual(["__block", ...names].sort());
      expect(row!.__block).toBe(2);
      for (const name of names) {
        const field = vote.field.get(name)!;
        // BigInt cells are answered as their decimal text, the rest as the write path reads them.
        const expected = field.scalar === "BigInt" && whole[name] !== null ? String(whole[name]) : whole[name];
        expect(row![name], name).toEqual(expected);
      }
    }
    // The lists of many parents: each parent's rows, each cell under its field.
    const lists = reader.children(vote, vote.field.get("proposal")!, { first: 100 }, 2, new Set(["reason", "weight", "voter"]))(["1", "0"]);
    expect(lists.map((l) => l.map((r) => [r.reason, r.weight, r.voter]))).toEqual([
      [
        ["reason 1", "999999999999999999", account(1)],
        ["reason 3", "2999999999999999999", account(0)],
      ],
      [
        ["reason 0", "-1", account(0)],
        ["reason 2", "1999999999999999999", account(2)],
      ],
    ]);
  });

  it("reads a text column without the NUL check until one of its cells holds a U+0000", async () => {
    const store = EntityStore.memory(env.subgraph.schema, TEST_IDENTITY);
    fill(store);
    const schema = buildGraphQLSchema(env.subgraph.schema, { store, deployment: "test" });
    const vote = env.subgraph.schema.entities.get("Vote")!;
    const reason = vote.field.get("reason")!;
    expect(store.mayHoldNul(vote, reason)).toBe(false);
    expect(store.selectList(vote, "t", [reason])).toBe(`t."reason"`);
    const reasons = async () => {
      const result = await graphql({ schema, source: `{ proposals(orderBy: id) { votes(first: 100) { id reason } } }`, contextValue: untimedContext() });
      expect(result.errors).toBeUndefined();
      return (result.data as { proposals: { votes: { id: string; reason: string }[] }[] }).proposals.flatMap((p) => p.votes.map((v) => v.reason));
    };
    expect(await reasons()).toEqual(["reason 0", "reason 2", "reason 1", "reason 3"]);
    // The statements above were made without the check; the NUL written now is still read whole.
    writeBlock(store, 3, { Vote: [["v4", { id: "v4", proposal: "0", voter: account(0), support: 1, choice: "FOR", weight: 1n, reason: "before\u0000after", params: "0x", timestamp: 5n }]] });
    expect(store.mayHoldNul(vote, reason)).toBe(true);
    expect(store.selectList(vote, "t", [reason])).toContain("CASE WHEN instr");
    expect(await reasons()).toEqual(["reason 0", "reason 2", "before\u0000after", "reason 1", "reason 3"]);
    // Through the direct executor too, and in the write path's own read of a current version.
    const direct = directExecute(execute);
    const args = (): ExecutionArgs => ({ schema, document: parse(`{ votes(where: { id: "v4" }) { reason } }`), contextValue: untimedContext() });
    expect(JSON.stringify(await direct(args()))).toBe(JSON.stringify(await execute(args())));
    expect(JSON.stringify(await direct(args()))).toContain("before\\u0000after");
    writeBlock(store, 4, { Proposal: [["7", { id: "7", title: "a\u0000b", status: "CREATED" }]] });
    expect(store.current("Proposal", "7")?.title).toBe("a\u0000b");
  });

  it("finds the columns holding a NUL whenever a store is opened, even ones another build wrote without noting them", () => {
    const layoutDir = path.join(env.dir, "older");
    const file = path.join(layoutDir, DATABASE_FILE);
    const written = EntityStore.open(layoutDir, env.subgraph.schema, TEST_IDENTITY);
    fill(written);
    written.close();
    // Another build (an older one, say) writes a title with a NUL straight into the file.
    const other = new DatabaseSync(file);
    other.prepare(`UPDATE entity_Proposal SET title = ? WHERE id = ?`).run("nine\u0000more", "1");
    other.close();

    const proposal = env.subgraph.schema.entities.get("Proposal")!;
    const vote = env.subgraph.schema.entities.get("Vote")!;
    for (let open = 0; open < 2; open++) {
      const store = EntityStore.open(layoutDir, env.subgraph.schema, TEST_IDENTITY, () => {
        throw new Error("the store must not be moved aside");
      });
      expect(store.layoutVersion()).toBe(STORE_LAYOUT_VERSION);
      expect(store.mayHoldNul(proposal, proposal.field.get("title")!)).toBe(true);
      expect(store.mayHoldNul(proposal, proposal.field.get("id")!)).toBe(false);
      expect(store.mayHoldNul(vote, vote.field.get("reason")!)).toBe(false);
      const reader = new EntityReader(store, new QueryCompiler(env.subgraph.schema));
      expect(reader.byId(proposal, "1", 3)?.title).toBe("nine\u0000more");
      store.close();
    }
  });

  it("answers nested lists, references and every kind of leaf as graphql-js does", async () => {
    const store = EntityStore.memory(env.subgraph.schema, TEST_IDENTITY);
    fill(store);
    const schema = buildGraphQLSchema(env.subgraph.schema, { store, deployment: "test" });
    let fellBack = false;
    const direct = directExecute((a) => {
      fellBack = true;
      return execute(a);
    });
    const args = (): ExecutionArgs => ({ schema, document: parse(nested), contextValue: untimedContext() });
    const answer = JSON.stringify(await direct(args()));
    expect(fellBack).toBe(false);
    expect(answer).toBe(JSON.stringify(await execute(args())));
    expect(answer).toContain(`"isAnalyst":true`);
    expect(answer).toContain(`"weight":"-1"`);
    expect(answer).toContain(`"forVotes":"100000000000000000001"`);
  });
});
