// What one client may ask of the GraphQL server: every abusive request gets a clear refusal before
// it costs much, and a normal query keeps answering while other clients flood. The server runs on
// the real subgraph build over a store filled with a synthetic history (no chain needed).
import { request } from "node:http";

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { QueryTimeoutError, Scheduler } from "../src/graphql/limits.ts";
import { type RunningServer, type ServerLimits, serve } from "../src/graphql/server.ts";
import { EntityStore } from "../src/store/store.ts";
import { type Subgraph, loadSubgraph } from "../src/subgraph.ts";
import type { EntityData } from "../src/runtime/values.ts";
import { quietLogger } from "./helpers.ts";

const buildDir = inject("buildDir");

const ACCOUNTS = 200;
const PROPOSALS = 20;
const VOTES_PER_PROPOSAL = 100;

/** A synthetic history: accounts, proposals, and votes of the first 100 accounts on each proposal. */
function fillStore(subgraph: Subgraph): EntityStore {
  const store = EntityStore.memory(subgraph.schema);
  const account = (i: number) => `0x${i.toString(16).padStart(40, "0")}`;
  const changes = new Map<string, Map<string, EntityData | null>>([
    ["Account", new Map()],
    ["Proposal", new Map()],
    ["Vote", new Map()],
  ]);
  for (let i = 0; i < ACCOUNTS; i++) changes.get("Account")!.set(account(i), { id: account(i), votesCast: i < VOTES_PER_PROPOSAL ? PROPOSALS : 0 });
  for (let p = 0; p < PROPOSALS; p++) {
    changes.get("Proposal")!.set(String(p), { id: String(p), title: `Proposal ${p}`, description: `# Proposal ${p}`, voterCount: VOTES_PER_PROPOSAL });
    for (let v = 0; v < VOTES_PER_PROPOSAL; v++) {
      const id = `${p}-${v}`;
      changes.get("Vote")!.set(id, { id, proposal: String(p), voter: account(v), support: v % 3, weight: BigInt(v + 1) * 10n ** 18n, reason: "" });
    }
  }
  store.transaction(() => {
    store.writeChanges(1, changes);
    store.setCursor({ number: 1, hash: `0x${"11".repeat(32)}`, parentHash: `0x${"00".repeat(32)}`, timestamp: 1 });
  });
  return store;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** POST from a given loopback address (each address is one client for the per-client limit). */
function post(url: string, body: string | Buffer, options: { from?: string; headers?: Record<string, string>; chunked?: boolean } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        localAddress: options.from ?? "127.0.0.1",
        headers: { "content-type": "application/json", ...(options.chunked ? {} : { "content-length": String(Buffer.byteLength(body)) }), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
      },
    );
    // The server may answer (413) and close before the whole body is sent.
    req.on("error", (error) => {
      if ((error as NodeJS.ErrnoException).code !== "EPIPE" && (error as NodeJS.ErrnoException).code !== "ECONNRESET") reject(error);
    });
    if (options.chunked) {
      const buffer = Buffer.from(body);
      for (let i = 0; i < buffer.length; i += 1 << 20) req.write(buffer.subarray(i, i + (1 << 20)));
      req.end();
    } else req.end(body);
  });
}

const gql = (url: string, query: string, variables?: Record<string, unknown>, from?: string) =>
  post(url, JSON.stringify({ query, ...(variables ? { variables } : {}) }), from ? { from } : {});

/** The nested query from the report: every level within `first` ≤ 1000 and depth ≤ 10. */
const FLOOD = `{ accounts(first: 1000) { id votes(first: 1000) { id proposal { id votes(first: 1000) { id voter { id votes(first: 1000) { id proposal { id title } } } } } } } }`;
const NORMAL = `{ proposals(first: 10, orderBy: id) { id title voterCount votes(first: 5, orderBy: id) { voter { id } support weight } } }`;

describe("query limits", () => {
  let subgraph: Subgraph;
  let store: EntityStore;
  const servers: RunningServer[] = [];
  let url: string;

  const start = async (limits: Partial<ServerLimits> = {}, corsOrigins?: string[]) => {
    const server = await serve({ subgraph, store, logger: quietLogger(), port: 0, limits, ...(corsOrigins ? { corsOrigins } : {}) });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    subgraph = await loadSubgraph(buildDir);
    store = fillStore(subgraph);
    url = (await start()).url;
  });

  afterAll(async () => {
    for (const server of servers) await server.close();
    store?.close();
  });

  it("answers the normal query", async () => {
    const reply = await gql(url, NORMAL);
    expect(reply.status).toBe(200);
    expect(reply.body.errors).toBeUndefined();
    expect(reply.body.data.proposals).toHaveLength(10);
    expect(reply.body.data.proposals[0].votes).toHaveLength(5);
  });

  it("refuses the nested flood query by its cost before running it", async () => {
    const started = performance.now();
    const reply = await gql(url, FLOOD);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(reply.body.data).toBeUndefined();
    expect(reply.body.errors).toHaveLength(1);
    expect(reply.body.errors[0].message).toMatch(/^The query's cost is \d+, over the limit of 500000/);
    expect(reply.body.errors[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: 500_000 });
    expect(reply.body.errors[0].extensions.cost).toBeGreaterThan(1e12);
  });

  it("counts `first` given by variables and inside fragments", async () => {
    const viaVariables = await gql(url, `query ($n: Int!) { accounts(first: $n) { votes(first: $n) { id } } }`, { n: 1000 });
    expect(viaVariables.body.errors?.[0]?.message).toMatch(/cost is 1001000, over the limit/);
    const viaFragment = await gql(url, `fragment V on Account { votes(first: 1000) { id } } { accounts(first: 1000) { ...V } }`);
    expect(viaFragment.body.errors?.[0]?.message).toMatch(/cost is 1001000, over the limit/);
    // The subgraph README's auditor query (100 proposals × 1000 votes) stays within the default.
    const auditor = await gql(url, `{ proposals(first: 100) { id votes(first: 1000) { voter { id } support weight reason } } }`);
    expect(auditor.body.errors).toBeUndefined();
    expect(auditor.body.data.proposals).toHaveLength(PROPOSALS);
  });

  it("refuses an `id_in` of 32,766 ids, and says why at every size", async () => {
    const ids = Array.from({ length: 32_766 }, (_, i) => `0x${i.toString(16).padStart(40, "0")}`);
    const big = await gql(url, `query ($ids: [ID!]) { accounts(where: { id_in: $ids }) { id } }`, { ids });
    expect(big.status).toBe(413);
    expect(big.body.errors[0].message).toMatch(/^The request body is \d+ bytes; the limit is 256000$/);
    const inline = await gql(url, `{ accounts(where: { id_in: [${ids.map((id) => `"${id}"`).join(",")}] }) { id } }`);
    expect(inline.status).toBe(413);

    const over = await gql(url, `query ($ids: [ID!]) { accounts(where: { id_in: $ids }) { id } }`, { ids: ids.slice(0, 1001) });
    expect(over.status).toBe(400);
    expect(over.body.errors?.[0]?.message).toBe("`ids` lists 1001 values; the limit is 1000");
    const overInline = await gql(url, `{ accounts(where: { id_in: [${ids.slice(0, 1001).map((_, i) => i).join(",")}] }) { id } }`);
    expect(overInline.body.errors?.[0]?.message).toBe("`id_in` lists 1001 values; the limit is 1000");
    const within = await gql(url, `query ($ids: [ID!]) { accounts(first: 1000, where: { id_in: $ids }) { id } }`, { ids: ids.slice(0, 1000) });
    expect(within.body.errors).toBeUndefined();
    expect(within.body.data.accounts).toHaveLength(ACCOUNTS);

    // With the list limits lifted, SQLite's own parameter limit is still a clear error.
    const lifted = await start({ maxBodyBytes: 50_000_000, maxVariablesBytes: 50_000_000, maxInList: 1_000_000 });
    const raw = await gql(lifted.url, `query ($ids: [ID!]) { accounts(where: { id_in: $ids }) { id } }`, { ids });
    expect(raw.body.errors?.[0]?.message).toMatch(/^The query needs 327\d\d SQL parameters; the store's limit is 32766: use fewer values in `_in` filters/);
  });

  it("refuses an `or` of 1,000 branches and filters nested too deep", async () => {
    const or = Array.from({ length: 1000 }, (_, i) => `{voterCount:${i}}`).join(",");
    const reply = await gql(url, `{ proposals(where: { or: [${or}] }) { id } }`);
    expect(reply.body.errors?.[0]?.message).toBe("The `where` filter has more than 100 `and`/`or` branches (1000 so far); the limit is 100");
    const viaVariables = await gql(url, `query ($w: Proposal_filter) { proposals(where: $w) { id } }`, { w: { or: Array.from({ length: 1000 }, (_, i) => ({ voterCount: i })) } });
    expect(viaVariables.body.errors?.[0]?.message).toMatch(/more than 100 `and`\/`or` branches/);
    let deep: Record<string, unknown> = { voterCount: 1 };
    for (let i = 0; i < 20; i++) deep = { and: [deep] };
    const nested = await gql(url, `query ($w: Proposal_filter) { proposals(where: $w) { id } }`, { w: deep });
    expect(nested.body.errors?.[0]?.message).toBe("The `where` filter is nested more than 8 levels deep; the limit is 8");
    const fine = await gql(url, `{ proposals(where: { or: [{ title: "Proposal 1" }, { title: "Proposal 2" }] }) { id } }`);
    expect(fine.body.data.proposals.map((p: { id: string }) => p.id).sort()).toEqual(["1", "2"]);

    // With the branch limit lifted, SQLite's refusal is still a clear error, never "Unexpected error.".
    const lifted = await start({ maxFilterBranches: 100_000 });
    const raw = await gql(lifted.url, `{ proposals(where: { or: [${or}] }) { id } }`);
    if (raw.body.errors) expect(raw.body.errors[0].message).not.toMatch(/Unexpected error/);
    else expect(raw.body.data.proposals).toHaveLength(PROPOSALS);
  });

  it("refuses a 20 MB body before reading it, with or without a content-length", async () => {
    const variables = { pad: "x".repeat(20_000_000) };
    const body = JSON.stringify({ query: "{ proposals { id } }", variables });
    const declared = await post(url, body);
    expect(declared.status).toBe(413);
    expect(declared.body.errors[0]).toMatchObject({ message: `The request body is ${Buffer.byteLength(body)} bytes; the limit is 256000`, extensions: { code: "BODY_TOO_LARGE" } });
    const chunked = await post(url, body, { chunked: true });
    expect(chunked.status).toBe(413);
    expect(chunked.body.errors[0].message).toBe("The request body is larger than the limit of 256000 bytes");
    // Variables over their own limit inside a body that fits.
    const vars = await gql(url, "{ proposals { id } }", { pad: "x".repeat(200_000) });
    expect(vars.status).toBe(413);
    expect(vars.body.errors[0].message).toMatch(/^The variables are \d+ bytes of JSON; the limit is 128000$/);
    expect((await gql(url, NORMAL)).body.data.proposals).toHaveLength(10);
  });

  it("answers CORS for allowed origins only: never `null`, nothing for others", async () => {
    const withOrigin = (origin: string) => post(url, JSON.stringify({ query: "{ governors { id } }" }), { headers: { origin } });
    const allowed = await withOrigin("http://localhost:5173");
    expect(allowed.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
    for (const origin of ["null", "http://evil.example", "http://localhost:5174"]) {
      const reply = await withOrigin(origin);
      expect(reply.status).toBe(200);
      expect(reply.headers["access-control-allow-origin"], origin).toBeUndefined();
    }
    const preflight = (origin: string) =>
      fetch(url, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });
    const ok = await preflight("http://127.0.0.1:5173");
    expect(ok.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:5173");
    expect(ok.headers.get("access-control-allow-methods")).toMatch(/POST/);
    for (const origin of ["null", "http://evil.example"]) {
      const refused = await preflight(origin);
      expect(refused.headers.get("access-control-allow-origin")).toBeNull();
      expect(refused.headers.get("access-control-allow-methods")).toBeNull();
    }
  });

  it("stops a query at its time limit with one clear error", async () => {
    const slow = await start({ timeLimitMs: 1 });
    const reply = await gql(slow.url, `{ accounts(first: 200) { id votes(first: 20) { id proposal { id title } } } }`);
    expect(reply.body.data).toBeUndefined();
    expect(reply.body.errors).toEqual([
      { message: "The query ran longer than the limit of 1 ms and was stopped; ask for fewer entities with `first`, or split it", extensions: { code: "QUERY_TIMEOUT", limitMs: 1 } },
    ]);
  });

  it("stopped at any moment of its run, a query answers with the time limit and leaves no unhandled failure behind", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const query = `{ accounts(first: 200) { id votes(first: 20) { id proposal { id title } } } }`;
      for (let limitMs = 1; limitMs <= 60; limitMs += 3) {
        const server = await start({ timeLimitMs: limitMs });
        const reply = await gql(server.url, query);
        if (reply.body.errors) expect(reply.body.errors[0].extensions).toEqual({ code: "QUERY_TIMEOUT", limitMs });
        else expect(reply.body.data.accounts).toHaveLength(ACCOUNTS);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it("limits the queries one client runs at once (429) without slowing the others", async () => {
    const gated = await start({ maxConcurrentPerClient: 2, maxQueuedPerClient: 2, queueWaitMs: 10_000 });
    const client = "127.0.0.2";
    // The client's two running queries, held here until the burst is in, so the outcome does not
    // depend on how fast a query is answered.
    const held = [await gated.gate.acquire(client), await gated.gate.acquire(client)];
    const heavy = `{ accounts(first: 200) { id votes(first: 100) { id proposal { id title votes(first: 20) { id voter { id } } } } } }`;
    const answered: unknown[] = [];
    const burst = Array.from({ length: 10 }, async () => {
      const reply = await gql(gated.url, heavy, undefined, client);
      answered.push(reply);
      return reply;
    });
    const normal = await gql(gated.url, NORMAL, undefined, "127.0.0.3");
    expect(normal.body.data.proposals).toHaveLength(10);
    // Two wait in the queue; the other eight are refused at once.
    await expect.poll(() => answered.length, { timeout: 5_000 }).toBe(8);
    for (const release of held) release();
    const replies = await Promise.all(burst);
    const refused = replies.filter((r) => r.status === 429);
    expect(refused).toHaveLength(8);
    for (const r of refused) {
      expect(r.body.errors[0]).toMatchObject({
        message: "Too many queries from this client: 2 running and 2 waiting is the limit; wait for answers before sending more",
        extensions: { code: "TOO_MANY_REQUESTS" },
      });
      expect(r.headers["retry-after"]).toBe("1");
    }
    // The two queued ones ran once the running ones ended, and answered in full.
    const ran = replies.filter((r) => r.status === 200);
    expect(ran).toHaveLength(2);
    for (const r of ran) expect(r.body.data.accounts).toHaveLength(ACCOUNTS);
    expect(gated.gate.active(client)).toBe(0);
  });

  it("keeps answering a normal query while four other clients flood it", async () => {
    const or = JSON.stringify({ query: `query ($w: Proposal_filter) { proposals(where: $w) { id } }`, variables: { w: { or: Array.from({ length: 1000 }, (_, i) => ({ voterCount: i })) } } });
    const idIn = JSON.stringify({ query: `query ($ids: [ID!]) { accounts(where: { id_in: $ids }) { id } }`, variables: { ids: Array.from({ length: 5000 }, (_, i) => String(i)) } });
    let running = true;
    const refusals = { flood: 0, filter: 0, tooMany: 0 };
    const flooder = async (from: string) => {
      let i = 0;
      while (running) {
        const kind = i++ % 3;
        const reply = kind === 0 ? await gql(url, FLOOD, undefined, from) : kind === 1 ? await post(url, or, { from }) : await post(url, idIn, { from });
        if (reply.status === 429) refusals.tooMany++;
        else if (kind === 0 && reply.body.errors?.[0]?.extensions?.code === "QUERY_TOO_COMPLEX") refusals.flood++;
        else if ((kind === 1 || kind === 2) && /limit is/.test(reply.body.errors?.[0]?.message ?? "")) refusals.filter++;
      }
    };
    const flooders = ["127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14"].flatMap((from) => [flooder(from), flooder(from), flooder(from)]);
    const latencies: number[] = [];
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      const reply = await gql(url, NORMAL, undefined, "127.0.0.20");
      latencies.push(performance.now() - t);
      expect(reply.status).toBe(200);
      expect(reply.body.data.proposals).toHaveLength(10);
    }
    running = false;
    await Promise.all(flooders);
    expect(refusals.flood).toBeGreaterThan(0);
    expect(refusals.filter).toBeGreaterThan(0);
    latencies.sort((a, b) => a - b);
    console.log(`normal query under flood: p50 ${latencies[10]!.toFixed(1)} ms, max ${latencies[19]!.toFixed(1)} ms; refusals ${JSON.stringify(refusals)}`);
  });
});

describe("the scheduler", () => {
  // A throw at once in the middle of a list would leave the list's earlier items unwatched by the
  // executor (an unhandled rejection stops the process): a stopped query is a rejected promise.
  it("answers a query past its time limit, or a failing statement, with a rejected promise, never a throw", async () => {
    const scheduler = new Scheduler();
    const late = { deadline: performance.now() - 1, timeLimitMs: 1 };
    let ran = false;
    const stopped = scheduler.run(late, () => (ran = true));
    expect(stopped).toBeInstanceOf(Promise);
    await expect(stopped).rejects.toBeInstanceOf(QueryTimeoutError);
    expect(ran).toBe(false);
    expect(late).toMatchObject({ timedOut: true });

    const failing = scheduler.run({ deadline: performance.now() + 60_000, timeLimitMs: 60_000 }, () => {
      throw new Error("disk I/O error");
    });
    await expect(failing).rejects.toThrow("disk I/O error");
  });
});
