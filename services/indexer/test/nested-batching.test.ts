// Nested references and lists are loaded in batches (one statement per entity type, list and
// level of the answer): the answers must be exactly those of looking each parent up on its own, at
// the latest block and at earlier ones (time travel), with deleted and changed entities along the way.
import { graphql } from "graphql";
import { beforeAll, describe, expect, inject, it } from "vitest";

import { buildGraphQLSchema, untimedContext } from "../src/graphql/schema.ts";
import { EntityStore, referenceIndexName } from "../src/store/store.ts";
import { loadSubgraph } from "../src/subgraph.ts";
import type { EntityData } from "../src/runtime/values.ts";
import { account, blockPtr, writeBlock } from "./store-fixtures.ts";

const buildDir = inject("buildDir");

const ACCOUNTS = 20;
const PROPOSALS = 5;

/**
 * Block 1: accounts and proposals. Blocks 2 to 6: the votes on one proposal each, from two thirds
 * of the accounts (weights with ties), every voter rewritten (votes cast, a new delegate or none).
 * Block 5 also deletes the last account (others still point at it). Block 7 renames a proposal.
 */
function fillStore(store: EntityStore): number {
  const votesCast = new Array<number>(ACCOUNTS).fill(0);
  writeBlock(store, 1, {
    Account: Array.from({ length: ACCOUNTS }, (_, i) => [account(i), { id: account(i), votesCast: 0, delegate: account((i + 1) % ACCOUNTS) }]),
    Proposal: Array.from({ length: PROPOSALS }, (_, p) => [String(p), { id: String(p), title: `Proposal ${p}` }]),
  });
  for (let b = 2; b < 2 + PROPOSALS; b++) {
    const p = b - 2;
    const votes: [string, EntityData][] = [];
    const accounts: [string, EntityData | null][] = [];
    for (let i = 0; i < ACCOUNTS - 1; i++) {
      if ((i + b) % 3 === 0) continue;
      votes.push([`${p}-${i}`, { id: `${p}-${i}`, proposal: String(p), voter: account(i), support: i % 3, weight: BigInt(i % 4) * 10n ** 18n, reason: "" }]);
      votesCast[i]! += 1;
      accounts.push([account(i), { id: account(i), votesCast: votesCast[i]!, delegate: (i + b) % 5 === 0 ? null : account((i + b) % ACCOUNTS) }]);
    }
    if (b === 5) accounts.push([account(ACCOUNTS - 1), null]);
    writeBlock(store, b, { Vote: votes, Account: accounts });
  }
  writeBlock(store, 7, { Proposal: [["0", { id: "0", title: "Proposal 0, renamed" }]] });
  return 7;
}

/** Calls `ran` with the SQL of every statement run on `store` (prepared statements are cached, so runs are seen, not preparations). */
function spyStatements(store: EntityStore, ran: (sql: string) => void): void {
  const prepare = store.db.prepare.bind(store.db);
  store.db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    return new Proxy(statement, {
      get(target, key) {
        const value = Reflect.get(target, key) as unknown;
        if (typeof value !== "function") return value;
        if (key === "all" || key === "get") {
          return (...args: unknown[]) => {
            ran(sql);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
  }) as typeof store.db.prepare;
}

/** Counts the statements run on the entity tables. */
function countEntityStatements(store: EntityStore): { count: number } {
  const counter = { count: 0 };
  spyStatements(store, (sql) => {
    if (sql.includes("entity_")) counter.count++;
  });
  return counter;
}

describe("nested references in batches", () => {
  let store: EntityStore;
  let statements: { count: number };
  let run: (source: string) => Promise<any>;

  beforeAll(async () => {
    const subgraph = await loadSubgraph(buildDir);
    store = EntityStore.memory(subgraph.schema);
    fillStore(store);
    statements = countEntityStatements(store);
    const schema = buildGraphQLSchema(subgraph.schema, { store, deployment: "test" });
    run = async (source) => {
      const result = await graphql({ schema, source, contextValue: untimedContext() });
      if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join("; "));
      return result.data;
    };
  });

  /** The same answer built one parent at a time: a request per proposal, per vote and per account. */
  const reference = async (at: string) => {
    const account = async (id: string, depth: number): Promise<unknown> => {
      const { account: a } = await run(`{ account(id: "${id}"${at}) { id votesCast delegate { id } } }`);
      if (!a) return null;
      if (depth === 0) return { id: a.id, votesCast: a.votesCast, delegate: a.delegate && { id: a.delegate.id } };
      return { id: a.id, votesCast: a.votesCast, delegate: a.delegate && (await account(a.delegate.id, depth - 1)) };
    };
    const { proposals } = await run(`{ proposals(first: 100, orderBy: id${at}) { id title } }`);
    const answer = [];
    for (const p of proposals) {
      const { proposal } = await run(`{ proposal(id: "${p.id}"${at}) { votes(first: 1000, orderBy: weight, orderDirection: desc) { id weight support } } }`);
      const votes = [];
      for (const v of proposal.votes) {
        const { vote } = await run(`{ vote(id: "${v.id}"${at}) { voter { id } proposal { id title } } }`);
        votes.push({ ...v, voter: await account(vote.voter.id, 1), proposal: vote.proposal });
      }
      answer.push({ ...p, votes });
    }
    return { proposals: answer };
  };

  const nested = (at: string) =>
    `{ proposals(first: 100, orderBy: id${at}) { id title votes(first: 1000, orderBy: weight, orderDirection: desc) { id weight support voter { id votesCast delegate { id votesCast delegate { id } } } proposal { id title } } } }`;

  for (const [label, at] of [
    ["the latest block", ""],
    ["block 7", ", block: { number: 7 }"],
    ["block 5 (an account deleted)", ", block: { number: 5 }"],
    ["block 4", ", block: { number: 4 }"],
    ["block 1 (no votes yet)", ", block: { number: 1 }"],
  ] as const) {
    it(`answers as one parent at a time at ${label}`, async () => {
      statements.count = 0;
      const batched = await run(nested(at));
      const ran = statements.count;
      expect(batched).toEqual(await reference(at));
      const votes = batched.proposals.reduce((n: number, p: { votes: unknown[] }) => n + p.votes.length, 0);
      // One for the proposals, one for the votes of all of them, then the references in batches:
      // one per entity type and level (a batch waits for its turn behind the lists of its level,
      // so a busy scheduler handing them out one per turn does not split it). Loose: twice that.
      expect(ran).toBeGreaterThan(0);
      expect(ran).toBeLessThanOrEqual(2 * 6);
      if (votes > 0) expect(ran).toBeLessThan(votes);
    });
  }

  it("sees the history it was built from", async () => {
    const latest = await run(nested(""));
    expect(latest.proposals[0].title).toBe("Proposal 0, renamed");
    expect((await run(nested(", block: { number: 6 }"))).proposals[0].title).toBe("Proposal 0");
    // After block 5 the last account is gone: those delegating to it show no delegate.
    const pointing = latest.proposals.flatMap((p: any) => p.votes).filter((v: any) => v.voter.delegate === null);
    expect(pointing.length).toBeGreaterThan(0);
    const before = await run(`{ account(id: "${account(ACCOUNTS - 1)}", block: { number: 4 }) { id } }`);
    expect(before.account).toEqual({ id: account(ACCOUNTS - 1) });
    expect((await run(`{ account(id: "${account(ACCOUNTS - 1)}") { id } }`)).account).toBeNull();
  });

  /** Lists at two levels, with per-parent `first`, `skip`, `where` and `orderBy` (nested too). */
  const lists = (at: string, first: number) =>
    `{ accounts(first: ${first}, orderBy: id${at}) { id votes(first: 3, skip: 1, orderBy: weight, orderDirection: desc, where: { support_in: [0, 2] }) { id weight support proposal { id votes(first: 4, orderBy: voter__votesCast, orderDirection: desc) { id voter { id } } } } ` +
    `delegators(first: 5, where: { votesCast_gt: 0 }) { id votesCast } byTitle: votes(first: 2, orderBy: proposal__title) { id } } }`;

  /** The same lists built one parent at a time: a request per account and per proposal. */
  const listsReference = async (at: string, first: number) => {
    const { accounts } = await run(`{ accounts(first: ${first}, orderBy: id${at}) { id } }`);
    const answer = [];
    for (const { id } of accounts) {
      const { account: a } = await run(
        `{ account(id: "${id}"${at}) { id votes(first: 3, skip: 1, orderBy: weight, orderDirection: desc, where: { support_in: [0, 2] }) { id weight support proposal { id } } ` +
          `delegators(first: 5, where: { votesCast_gt: 0 }) { id votesCast } byTitle: votes(first: 2, orderBy: proposal__title) { id } } }`,
      );
      const votes = [];
      for (const v of a.votes) {
        const { proposal } = await run(`{ proposal(id: "${v.proposal.id}"${at}) { id votes(first: 4, orderBy: voter__votesCast, orderDirection: desc) { id voter { id } } } }`);
        votes.push({ ...v, proposal });
      }
      answer.push({ id: a.id, votes, delegators: a.delegators, byTitle: a.byTitle });
    }
    return { accounts: answer };
  };

  // Each parent's list is a subquery of its own inside the batch; a root collection filtered by the
  // back reference is a statement of another shape (ORDER BY … LIMIT on the table itself), so it
  // checks `first`/`skip`/`where`/`orderBy` per parent independently of the list statement.
  for (const [label, at] of [
    ["the latest block", ""],
    ["block 4", ", block: { number: 4 }"],
    ["block 2", ", block: { number: 2 }"],
  ] as const) {
    it(`answers each parent's list as the collection filtered by its reference at ${label}`, async () => {
      const args = [
        `first: 3, skip: 1, orderBy: weight, orderDirection: desc, where: { support_in: [0, 2] }`,
        `first: 2, orderBy: proposal__title, orderDirection: desc`,
        `first: 1000, skip: 2`,
        `first: 0`,
      ];
      for (const a of args) {
        const batched = await run(`{ accounts(first: 100, orderBy: id${at}) { id votes(${a}) { id weight } delegators(first: 2, skip: 1, where: { votesCast_gt: 0 }) { id } } }`);
        expect(batched.accounts.length).toBeGreaterThan(0);
        for (const account of batched.accounts) {
          const where = a.includes("where:") ? a.replace("where: {", `where: { voter: "${account.id}",`) : `${a}, where: { voter: "${account.id}" }`;
          const { votes } = await run(`{ votes(${where}${at}) { id weight } }`);
          expect(account.votes, `${account.id} votes(${a})`).toEqual(votes);
          const { accounts: delegators } = await run(`{ accounts(first: 2, skip: 1, where: { delegate: "${account.id}", votesCast_gt: 0 }${at}) { id } }`);
          expect(account.delegators, `${account.id} delegators`).toEqual(delegators);
        }
      }
    });
  }

  for (const [label, at] of [
    ["the latest block", ""],
    ["block 4", ", block: { number: 4 }"],
  ] as const) {
    it(`answers a level of lists with a bounded number of statements, as one parent at a time, at ${label}`, async () => {
      const counts: number[] = [];
      for (const first of [5, ACCOUNTS]) {
        statements.count = 0;
        const batched = await run(lists(at, first));
        counts.push(statements.count);
        expect(batched).toEqual(await listsReference(at, first));
        if (first === ACCOUNTS) {
          const parents = batched.accounts.length + batched.accounts.reduce((n: number, a: { votes: unknown[] }) => n + a.votes.length, 0);
          expect(parents).toBeGreaterThan(2 * 7);
        }
      }
      // Accounts, then one statement per list field of the level (votes, delegators, byTitle), the
      // proposals referenced, their votes, the voters: 7 statements whatever the number of parents
      // (loose: twice that, for a loaded machine), where one per parent would be over a hundred.
      for (const count of counts) {
        expect(count).toBeGreaterThan(0);
        expect(count).toBeLessThanOrEqual(2 * 7);
      }
    });
  }
});

/**
 * A page of at least WHOLE_LIST_FIRST children is counted first: when every parent's list fits, the
 * lists are read by one statement (through the reference's index in id order, else a join); when
 * one does not, each list is chosen by its own ORDER BY … LIMIT. Either way a parent's list is the
 * root collection filtered by its reference.
 */
describe("whole lists read by one statement when every one fits", () => {
  let store: EntityStore;
  let run: (source: string) => Promise<any>;
  const ran: string[] = [];
  /** Proposal "big" has 150 votes (50 with support 1), "small" 3, "none" none. */
  const VOTES = 150;

  beforeAll(async () => {
    const subgraph = await loadSubgraph(buildDir);
    store = EntityStore.memory(subgraph.schema);
    writeBlock(store, 1, {
      Account: Array.from({ length: VOTES }, (_, i) => [account(i), { id: account(i), votesCast: 1 }]),
      Proposal: ["big", "small", "none"].map((id) => [id, { id, title: id }]),
    });
    const vote = (p: string, i: number): [string, EntityData] => [`${p}-${i}`, { id: `${p}-${i}`, proposal: p, voter: account(i), support: i % 3, weight: BigInt((i * 7) % 11), reason: `r${i}` }];
    // Block 2: 100 votes on "big" and the 3 on "small"; block 3: the other 50 on "big".
    writeBlock(store, 2, { Vote: [...Array.from({ length: 100 }, (_, i) => vote("big", i)), ...[0, 1, 2].map((i) => vote("small", i))] });
    writeBlock(store, 3, { Vote: Array.from({ length: VOTES - 100 }, (_, i) => vote("big", 100 + i)) });
    spyStatements(store, (sql) => ran.push(sql));
    const schema = buildGraphQLSchema(subgraph.schema, { store, deployment: "test" });
    run = async (source) => {
      const result = await graphql({ schema, source, contextValue: untimedContext() });
      if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join("; "));
      return result.data;
    };
  });

  it("reads a parent's id for its lists even when the selection does not ask for it", async () => {
    const withIds = await run(`{ proposals(orderBy: id) { id title votes(first: 5, orderBy: id) { id weight } } }`);
    const without = await run(`{ proposals(orderBy: id) { title votes(first: 5, orderBy: id) { weight } } }`);
    expect(withIds.proposals[0].votes).toHaveLength(5);
    expect(without).toEqual({
      proposals: withIds.proposals.map((p: { title: string; votes: { weight: string }[] }) => ({ title: p.title, votes: p.votes.map((v) => ({ weight: v.weight })) })),
    });
  });

  // The three ways a level's lists are read: each list chosen by its own ORDER BY … LIMIT
  // ("subquery"); whole lists joined to their parents and sorted ("join"); whole lists in id order
  // read through the reference's index ("index").
  const planOf = (sql: string) =>
    !sql.includes("entity_Vote") ? undefined
    : sql.startsWith("SELECT j.key AS __parent") ? (sql.includes("LIMIT ? OFFSET ?") ? "subquery" : "join")
    : sql.includes(`"proposal" IN (SELECT value FROM json_each(?))`) ? "index"
    : undefined;
  for (const [label, args, at, plan] of [
    ["first: 100 when one list has 150", "first: 100, orderBy: weight, orderDirection: desc", "", "subquery"],
    ["first: 1000 when every list fits", "first: 1000, orderBy: weight, orderDirection: desc", "", "join"],
    ["first: 150, exactly the longest list", "first: 150", "", "index"],
    ["first: 1000 in descending id order", "first: 1000, orderDirection: desc", "", "index"],
    ["first: 100 in id order with a filter that leaves 50", "first: 100, where: { support: 1 }", "", "index"],
    ["first: 100 with a filter that leaves 50", "first: 100, orderBy: reason, where: { support: 1 }", "", "join"],
    ["first: 100 at block 2, before the list grew past it", "first: 100, orderBy: weight", ", block: { number: 2 }", "join"],
    ["first: 100 in id order at block 2", "first: 100", ", block: { number: 2 }", "index"],
    ["first: 100 at block 3", "first: 100, orderBy: weight", ", block: { number: 3 }", "subquery"],
    ["first: 100 in id order at block 3", "first: 100", ", block: { number: 3 }", "subquery"],
    ["skip: 1 (never counted)", "first: 1000, skip: 1", "", "subquery"],
  ] as const) {
    it(`${label}: read by ${plan}, each list as the collection filtered by its reference`, async () => {
      ran.length = 0;
      const batched = await run(`{ proposals(orderBy: id${at}) { id votes(${args}) { id weight support reason voter { id } } } }`);
      const lists = ran.map(planOf).filter((p) => p !== undefined);
      expect(lists.length).toBeGreaterThan(0);
      expect(new Set(lists), ran.join("\n")).toEqual(new Set([plan]));
      expect(batched.proposals.map((p: { id: string }) => p.id)).toEqual(["big", "none", "small"]);
      for (const proposal of batched.proposals) {
        const where = args.includes("where:") ? args.replace("where: {", `where: { proposal: "${proposal.id}",`) : `${args}, where: { proposal: "${proposal.id}" }`;
        const { votes } = await run(`{ votes(${where}${at}) { id weight support reason voter { id } } }`);
        expect(proposal.votes, `${proposal.id} votes(${args})`).toEqual(votes);
      }
      const big = batched.proposals[0].votes.length;
      expect(big).toBe(label.startsWith("skip") ? VOTES - 1 : label.includes("filter") ? 50 : at.includes("2") ? 100 : Math.min(VOTES, Number(/first: (\d+)/.exec(args)![1])));
    });
  }

  it("reads whole lists in id order from the reference's index without sorting them", async () => {
    ran.length = 0;
    await run(`{ proposals(orderBy: id) { id votes(first: 1000) { weight reason voter { id } } } }`);
    const sql = ran.find((statement) => planOf(statement) === "index")!;
    const steps = (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(JSON.stringify(["big", "small"]), 3, 3) as { detail: string }[]).map((r) => r.detail);
    expect(steps.join("\n")).toContain(`USING INDEX ${referenceIndexName("Vote", "proposal")} (proposal=?)`);
    expect(steps.join("\n")).not.toContain("TEMP B-TREE");
  });
});

/**
 * Whole lists read through the reference's index come ordered by the parents' ids as SQLite
 * compares text (UTF-8 bytes), which is not JavaScript's order (UTF-16 code units): a character
 * past U+FFFF sorts before U+FF61 in JavaScript and after it in SQLite.
 */
describe("whole lists of parents whose ids JavaScript and SQLite order differently", () => {
  const parents = ["\u{1F600}", "\uFF61", "b", "a", "\u00E4", "a\u0000b", "A"];
  let query: (source: string) => Promise<any>;
  let run: (source: string) => Promise<any>;

  beforeAll(async () => {
    const subgraph = await loadSubgraph(buildDir);
    const store = EntityStore.memory(subgraph.schema);
    store.transaction(() => {
      store.writeChanges(
        1,
        new Map<string, Map<string, EntityData | null>>([
          ["Account", new Map(Array.from({ length: 5 }, (_, i) => [account(i), { id: account(i) }]))],
          ["Proposal", new Map(parents.map((id, i) => [id, { id, title: `p${i}` }]))],
          // Parent i has i + 1 votes, so a list given to the wrong parent has the wrong length.
          ["Vote", new Map(parents.flatMap((p, i) => Array.from({ length: i + 1 }, (_, n): [string, EntityData] => [`${p}-${n}`, { id: `${p}-${n}`, proposal: p, voter: account(n % 5), support: n % 3, weight: BigInt(n), reason: `${p}/${n}` }])))],
        ]),
      );
      store.setCursor(blockPtr(1));
    });
    const ran: string[] = [];
    spyStatements(store, (sql) => ran.push(sql));
    const schema = buildGraphQLSchema(subgraph.schema, { store, deployment: "test" });
    query = async (source) => {
      const result = await graphql({ schema, source, contextValue: untimedContext() });
      if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join("; "));
      return result.data;
    };
    run = async (source) => {
      ran.length = 0;
      const data = await query(source);
      expect(ran.some((sql) => sql.includes(`"proposal" IN (SELECT value FROM json_each(?))`)), "read through the reference's index").toBe(true);
      return data;
    };
  });

  for (const direction of ["asc", "desc"]) {
    it(`gives each parent its own list (${direction})`, async () => {
      const batched = await run(`{ proposals(orderBy: title) { id votes(first: 100, orderDirection: ${direction}) { id reason voter { id } } } }`);
      expect(batched.proposals.map((p: { id: string }) => p.id)).toEqual(parents);
      for (const proposal of batched.proposals) {
        const { votes } = await query(`{ votes(first: 100, orderDirection: ${direction}, where: { proposal: ${JSON.stringify(proposal.id)} }) { id reason voter { id } } }`);
        expect(proposal.votes).toEqual(votes);
        expect(proposal.votes.map((v: { reason: string }) => v.reason.slice(0, proposal.id.length))).toEqual(proposal.votes.map(() => proposal.id));
        expect(proposal.votes).toHaveLength(parents.indexOf(proposal.id) + 1);
        const ids = proposal.votes.map((v: { id: string }) => v.id);
        const sorted = [...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
        expect(ids).toEqual(direction === "asc" ? sorted : sorted.reverse());
      }
    });
  }
});
