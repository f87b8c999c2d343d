// The partial unique index on current versions: the write path's lookups use it (query plans), a
// store written before it existed opens with every row kept and gains it, and time travel still
// answers from the older versions. The references' block-range index: derived lists read it, and
// a store written with the (reference, block_from) index before it gets it instead.
import { rm } from "node:fs/promises";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";

import { graphql } from "graphql";
import { describe, expect, inject, it } from "vitest";

import { buildGraphQLSchema, untimedContext } from "../src/graphql/schema.ts";
import { DATABASE_FILE, EntityStore, STORE_LAYOUT_VERSION, currentIndexName, referenceIndexName, tableName } from "../src/store/store.ts";
import { tempDir } from "./helpers.ts";
import { TEST_IDENTITY, account, subgraphAndTempDir, writeBlock } from "./store-fixtures.ts";

const buildDir = inject("buildDir");

/** Ten accounts, each rewritten at block `b` (votesCast = b, delegating to another one). */
function writeAccounts(store: EntityStore, b: number): void {
  writeBlock(store, b, { Account: Array.from({ length: 10 }, (_, i) => [account(i), { id: account(i), votesCast: b, delegate: account((i + b) % 10) }]) });
}

function writeHistory(store: EntityStore, blocks: number): void {
  for (let b = 1; b <= blocks; b++) writeAccounts(store, b);
}

const plan = (db: DatabaseSync, sql: string, params: (string | number)[]) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join("; ");

describe("current versions", () => {
  const env = subgraphAndTempDir(buildDir, "indexer-layout-");

  it("finds and closes the current version through the partial unique index", () => {
    const store = EntityStore.memory(env.subgraph.schema, TEST_IDENTITY);
    for (const entity of env.subgraph.schema.entities.values()) {
      const sql = store.versionSql(entity);
      const index = currentIndexName(entity.name);
      expect(plan(store.db, sql.current, ["x"]), entity.name).toContain(`USING INDEX ${index} (id=?)`);
      expect(plan(store.db, sql.close, [1, "x"]), entity.name).toContain(`USING INDEX ${index} (id=?)`);
    }
    writeHistory(store, 5);
    expect(store.current("Account", account(3))).toMatchObject({ id: account(3), votesCast: 5 });
    expect(store.counts().Account).toEqual({ current: 10, versions: 50 });
    // A second current version of an id is refused by the index.
    expect(() => store.db.prepare(`INSERT INTO ${tableName("Account")} (block_from, block_to, "id") VALUES (9, NULL, ?)`).run(account(1))).toThrow(/UNIQUE/);
    store.close();
  });

  it("reads a derived list through the reference's block-range index, one parent at a time", async () => {
    const store = EntityStore.memory(env.subgraph.schema, TEST_IDENTITY);
    writeHistory(store, 5);
    const statements: string[] = [];
    const prepare = store.db.prepare.bind(store.db);
    store.db.prepare = ((sql: string) => {
      statements.push(sql);
      return prepare(sql);
    }) as typeof store.db.prepare;
    const schema = buildGraphQLSchema(env.subgraph.schema, { store, deployment: "test" });
    const result = await graphql({ schema, source: `{ accounts { id delegators(first: 2, orderBy: votesCast) { id } } }`, contextValue: untimedContext() });
    expect(result.errors).toBeUndefined();
    const list = statements.find((sql) => sql.includes("json_each(?) j JOIN"))!;
    // Each parent's own subquery, with the versions not valid at the block skipped in the index.
    const found = plan(store.db, list, [JSON.stringify([account(1)]), 5, 5, 2, 0]);
    expect(found).toContain("CORRELATED LIST SUBQUERY");
    expect(found).toContain(`USING INDEX ${referenceIndexName("Account", "delegate")} (delegate=?)`);
    store.close();
  });

  it.each([
    { layout: 1, index: "entity_Account_delegate", columns: `"delegate", block_from` },
    { layout: 2, index: "entity_Account_delegate_range", columns: `"delegate", block_to, block_from` },
  ])("replaces the reference indexes of a layout $layout store", async ({ layout, index: oldIndex, columns }) => {
    const layoutDir = await tempDir(`indexer-layout-${layout}-`);
    const written = EntityStore.open(layoutDir, env.subgraph.schema, TEST_IDENTITY);
    writeHistory(written, 3);
    written.close();
    const old = new DatabaseSync(path.join(layoutDir, DATABASE_FILE));
    old.exec(`DROP INDEX "${referenceIndexName("Account", "delegate")}"`);
    old.exec(`CREATE INDEX "${oldIndex}" ON ${tableName("Account")} (${columns})`);
    old.exec(`PRAGMA user_version = ${layout}`);
    old.close();

    const store = EntityStore.open(layoutDir, env.subgraph.schema, TEST_IDENTITY, () => {
      throw new Error("the store must not be moved aside");
    });
    const indexes = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?").all("entity_Account") as { name: string }[]).map((r) => r.name);
    expect(indexes).toContain(referenceIndexName("Account", "delegate"));
    expect(indexes).not.toContain(oldIndex);
    const columnsNow = (store.db.prepare("SELECT name FROM pragma_index_info(?)").all(referenceIndexName("Account", "delegate")) as { name: string }[]).map((r) => r.name);
    expect(columnsNow).toEqual(["delegate", "id", "block_to", "block_from"]);
    expect(store.layoutVersion()).toBe(STORE_LAYOUT_VERSION);
    expect(store.counts().Account).toEqual({ current: 10, versions: 30 });
    store.close();
    await rm(layoutDir, { recursive: true, force: true });
  });

  it("adds the index to a store written before it existed, keeping every row", async () => {
    const file = path.join(env.dir, DATABASE_FILE);
    const written = EntityStore.open(env.dir, env.subgraph.schema, TEST_IDENTITY);
    writeHistory(written, 4);
    written.close();
    // The layout before: no index on current versions, user_version 0.
    const old = new DatabaseSync(file);
    for (const entity of env.subgraph.schema.entities.values()) old.exec(`DROP INDEX "${currentIndexName(entity.name)}"`);
    old.exec("PRAGMA user_version = 0");
    old.close();

    const store = EntityStore.open(env.dir, env.subgraph.schema, TEST_IDENTITY, () => {
      throw new Error("the store must not be moved aside");
    });
    expect(store.layoutVersion()).toBe(STORE_LAYOUT_VERSION);
    const indexes = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?").all(currentIndexName("Account")) as unknown[]).length;
    expect(indexes).toBe(1);
    expect(store.counts().Account).toEqual({ current: 10, versions: 40 });
    expect(store.cursor()?.number).toBe(4);

    // Indexing goes on from the cursor, and time travel reads the older versions.
    writeAccounts(store, 5);
    expect(store.current("Account", account(2))).toMatchObject({ votesCast: 5 });
    const schema = buildGraphQLSchema(env.subgraph.schema, { store, deployment: "test" });
    const at = async (block: number) =>
      (await graphql({ schema, source: `{ accounts(block: { number: ${block} }, orderBy: id) { id votesCast delegate { id votesCast } } }`, contextValue: untimedContext() })).data;
    for (const block of [1, 3, 5]) {
      const data = (await at(block)) as { accounts: { id: string; votesCast: number; delegate: { id: string; votesCast: number } }[] };
      expect(data.accounts).toHaveLength(10);
      data.accounts.forEach((a, i) => {
        expect(a).toEqual({ id: account(i), votesCast: block, delegate: { id: account((i + block) % 10), votesCast: block } });
      });
    }
    store.close();
  });
});
