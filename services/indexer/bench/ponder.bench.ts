// Side by side with Ponder (issue 17): the generated history of history.ts (200 proposals, 20,000
// votes, delegations, 200 decisions) on Hardhat's chain behind a loopback JSON-RPC endpoint in this
// process; this indexer (`node src/main.ts`) and the Ponder app of bench/ponder (`ponder start`,
// PGlite) each back-fill it from empty as their own child process, in turn, BENCH_ROUNDS times:
// time to caught up, events/s, CPU seconds and peak RSS of each process; then, each alone, three
// equivalent queries over HTTP GraphQL (BENCH_QUERY_RUNS runs each, p50/p95). Both must agree on
// the counts of proposals, votes, accounts and decisions, every proposal's tallies and the
// delegates' votes, or the benchmark fails. Writes bench/results/indexer-vs-ponder.json at the
// repository root; README.md, "Side by side with Ponder".
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { cpus, loadavg } from "node:os";
import path from "node:path";

import { expect, inject, it } from "vitest";

import { repoRoot } from "../src/build.ts";
import { startChain, tempDir } from "../test/helpers.ts";
import { generateHistory } from "./history.ts";
import { QUERY_RUNS, QUERY_WARMUP, percentile, timeRuns } from "./latency.ts";

const PROPOSALS = Number(process.env.BENCH_PROPOSALS ?? 200);
const VOTERS = Number(process.env.BENCH_VOTERS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CAUGHT_UP_TIMEOUT_MS = 900_000;

const indexerDir = path.join(import.meta.dirname, "..");
const ponderDir = path.join(import.meta.dirname, "ponder");
const ponderBin = path.join(repoRoot, "node_modules/ponder/dist/esm/bin/ponder.js");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The process and its descendants (Ponder may start workers of its own). */
function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${pids[i]}/task`)) {
        const children = readFileSync(`/proc/${pids[i]}/task/${task}/children`, "utf8").trim();
        if (children) pids.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** CPU seconds (user + system) and peak RSS (VmHWM, MB) of a process tree, from /proc. */
function usage(pid: number): { cpuSeconds: number; peakRssMb: number } {
  let ticks = 0;
  let hwmKb = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      hwmKb += Number(hwm?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return { cpuSeconds: ticks / 100, peakRssMb: hwmKb / 1024 };
}

async function graphql(url: string, text: string): Promise<any> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: text }) });
  const body = (await res.json()) as { data?: any; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`GraphQL errors from ${url}: ${body.errors.map((e) => e.message).join("; ")}`);
  return body.data;
}

interface Running {
  child: ChildProcess;
  url: string;
  output: string[];
  /** Events the indexer handled so far (its own count, from its /metrics). */
  events: () => Promise<number>;
  /** Block the indexer has indexed up to: -1 while it has none, null while it does not answer. */
  block: () => Promise<number | null>;
}

function spawnLogged(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): { child: ChildProcess; output: string[] } {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return { child, output };
}

const metric = (text: string, name: string) =>
  text
    .split("\n")
    .filter((line) => line.startsWith(name) && !line.startsWith("#"))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);

async function startOurs(env: { rpcUrl: string; deploymentFile: string; dataDir: string }): Promise<Running> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { child, output } = spawnLogged(process.execPath, ["--disable-warning=ExperimentalWarning", "src/main.ts"], {
    cwd: indexerDir,
    env: {
      ...process.env,
      RPC_URL: env.rpcUrl,
      DEPLOYMENT_FILE: env.deploymentFile,
      SUBGRAPH_BUILD_DIR: inject("buildDir"),
      INDEXER_DATA_DIR: env.dataDir,
      INDEXER_PORT: String(port),
      INDEXER_POLL_INTERVAL_MS: "50",
      LOG_LEVEL: "warn",
    },
  });
  const url = `${base}/subgraphs/name/dao`;
  return {
    child,
    url,
    output,
    events: async () => metric(await (await fetch(`${base}/metrics`)).text(), "indexer_events_processed"),
    block: async () => {
      let res: Response;
      try {
        res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ _meta { block { number } } }" }) });
      } catch {
        return null;
      }
      const body = (await res.json().catch(() => ({}))) as { data?: { _meta?: { block: { number: number } } } };
      return body.data?._meta?.block.number ?? -1;
    },
  };
}

async function startPonder(env: { rpcUrl: string; deploymentFile: string; dataDir: string }): Promise<Running> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { child, output } = spawnLogged(process.execPath, [ponderBin, "--root", ponderDir, "--log-level", process.env.BENCH_PONDER_LOG_LEVEL ?? "warn", "start", "--schema", "bench", "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: ponderDir,
    env: { ...process.env, BENCH_PONDER_RPC_URL: env.rpcUrl, BENCH_PONDER_DEPLOYMENT: env.deploymentFile, BENCH_PONDER_DATA_DIR: env.dataDir, CI: "true" },
  });
  return {
    child,
    url: `${base}/graphql`,
    output,
    events: async () => metric(await (await fetch(`${base}/metrics`)).text(), "ponder_indexing_completed_events"),
    block: async () => {
      let res: Response;
      try {
        res = await fetch(`${base}/status`);
      } catch {
        return null;
      }
      const status = (await res.json().catch(() => ({}))) as Record<string, { block: { number: number } } | undefined>;
      return status.local?.block.number ?? -1;
    },
  };
}

async function stop(running: Running): Promise<void> {
  if (running.child.exitCode !== null) return;
  const exited = new Promise((resolve) => running.child.once("exit", resolve));
  running.child.kill("SIGTERM");
  const timer = setTimeout(() => running.child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

interface Fill {
  /** From spawning the process to caught up. */
  seconds: number;
  /** From its HTTP server's first answer (the indexing starts about then) to caught up. */
  indexingSeconds: number;
  events: number;
  cpuSeconds: number;
  peakRssMb: number;
}

/** Starts an indexer on an empty data directory and waits until it has indexed `head`. */
async function backfill(start: typeof startOurs, head: bigint, env: { rpcUrl: string; deploymentFile: string }, name: string) {
  const dataDir = await tempDir(`bench-${name}-`);
  const started = performance.now();
  const running = await start({ ...env, dataDir });
  const exited = new Promise<never>((_, reject) =>
    running.child.once("exit", (code) => reject(new Error(`${name} exited (${code}) before catching up:\n${running.output.join("").slice(-4000)}`))),
  );
  exited.catch(() => undefined);
  const deadline = Date.now() + CAUGHT_UP_TIMEOUT_MS;
  let servingAt: number | undefined;
  try {
    for (;;) {
      const block = await Promise.race([running.block(), exited]);
      if (block !== null) servingAt ??= performance.now();
      if (block !== null && block >= Number(head)) break;
      if (Date.now() > deadline) throw new Error(`${name} did not catch up in ${CAUGHT_UP_TIMEOUT_MS / 1000} s (at block ${block} of ${head}):\n${running.output.join("").slice(-4000)}`);
      await sleep(25);
    }
  } catch (error) {
    await stop(running);
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const caughtUp = performance.now();
  const seconds = (caughtUp - started) / 1000;
  const indexingSeconds = (caughtUp - servingAt!) / 1000;
  const { cpuSeconds, peakRssMb } = usage(running.child.pid!);
  const fill: Fill = { seconds, indexingSeconds, events: await running.events(), cpuSeconds, peakRssMb };
  return { running, dataDir, fill };
}

type Side = "ours" | "ponder";

/**
 * The three equivalent queries: the subgraph's GraphQL and Ponder's for the same answer. Names:
 * one proposal's votes by weight, top delegates, proposals with their votes nested.
 */
function queries(proposalId: string): Record<string, Record<Side, string>> {
  return {
    "votes by weight": {
      ours: `{ proposal(id: "${proposalId}") { id votes(first: 1000, orderBy: weight, orderDirection: desc) { voter { id } support weight reason } } }`,
      ponder: `{ proposal(id: "${proposalId}") { id votes(limit: 1000, orderBy: "weight", orderDirection: "desc") { items { voter support weight reason } } } }`,
    },
    "top delegates": {
      ours: `{ accounts(first: 100, orderBy: delegatedVotes, orderDirection: desc, where: { delegatedVotes_gt: "0" }) { id delegatedVotes delegatorCount delegators(first: 10) { id balance } votes(first: 5, orderBy: timestamp, orderDirection: desc) { proposal { id title } support weight } } }`,
      ponder: `{ accounts(limit: 100, orderBy: "delegatedVotes", orderDirection: "desc", where: { delegatedVotes_gt: "0" }) { items { id delegatedVotes delegatorCount delegators(limit: 10) { items { id balance } } votes(limit: 5, orderBy: "timestamp", orderDirection: "desc") { items { proposal { id title } support weight } } } } }`,
    },
    "nested proposals with votes": {
      ours: `{ proposals(first: 100, orderBy: createdTimestamp, orderDirection: desc) { id proposalId title status createdTimestamp voteStart voteEnd forVotes againstVotes abstainVotes eta votes(first: 1000) { voter { id } support weight reason } } }`,
      ponder: `{ proposals(limit: 100, orderBy: "createdTimestamp", orderDirection: "desc") { items { id proposalId title status createdTimestamp voteStart voteEnd forVotes againstVotes abstainVotes eta votes(limit: 1000) { items { voter support weight reason } } } } }`,
    },
  };
}

/** Every row of a subgraph entity list, paged by id. */
async function allOurs(url: string, list: string, fields: string): Promise<any[]> {
  const rows: any[] = [];
  let last = "";
  for (;;) {
    const page = (await graphql(url, `{ ${list}(first: 1000, orderBy: id, orderDirection: asc, where: { id_gt: ${JSON.stringify(last)} }) { id ${fields} } }`))[list] as any[];
    rows.push(...page);
    if (page.length < 1000) return rows;
    last = page[page.length - 1].id;
  }
}

/** Every row of a Ponder table, paged with its cursor. */
async function allPonder(url: string, list: string, fields: string): Promise<any[]> {
  const rows: any[] = [];
  let after: string | null = null;
  for (;;) {
    const cursor: string = after ? `, after: ${JSON.stringify(after)}` : "";
    const page = (await graphql(url, `{ ${list}(limit: 1000, orderBy: "id", orderDirection: "asc"${cursor}) { items { id ${fields} } pageInfo { hasNextPage endCursor } } }`))[list];
    rows.push(...page.items);
    if (!page.pageInfo.hasNextPage) return rows;
    after = page.pageInfo.endCursor;
  }
}

/** What both must agree on: counts, every proposal's tallies, every delegate's votes. */
async function summary(side: Side, url: string) {
  const all = side === "ours" ? allOurs : allPonder;
  const proposals = await all(url, "proposals", "forVotes againstVotes abstainVotes voterCount decisionCount");
  const votes = await all(url, "votes", "weight");
  const accounts = await all(url, "accounts", "balance delegatedVotes delegatorCount votesCast");
  const decisions = await all(url, "decisions", "risk");
  const tallies = Object.fromEntries(
    proposals.map((p) => [p.id, `${p.forVotes}/${p.againstVotes}/${p.abstainVotes} from ${p.voterCount} voters, ${p.decisionCount} decisions`]),
  );
  const delegates = accounts
    .filter((a) => BigInt(a.delegatedVotes) > 0n)
    .map((a) => `${a.id.toLowerCase()} ${a.delegatedVotes} ${a.delegatorCount}`)
    .sort();
  const balances = accounts.map((a) => `${a.id.toLowerCase()} ${a.balance} ${a.votesCast}`).sort();
  return {
    counts: { proposals: proposals.length, votes: votes.length, accounts: accounts.length, decisions: decisions.length },
    voteWeight: votes.reduce((sum, v) => sum + BigInt(v.weight), 0n).toString(),
    tallies,
    delegates,
    balances,
  };
}

async function measureQueries(side: Side, url: string, proposalId: string) {
  const latencies: Record<string, number[]> = {};
  const sizes: Record<string, number> = {};
  for (const [name, texts] of Object.entries(queries(proposalId))) {
    sizes[name] = JSON.stringify(await graphql(url, texts[side])).length; // checks it answers
    latencies[name] = await timeRuns(() => graphql(url, texts[side]));
  }
  return { latencies, sizes };
}

it("indexes the same history as Ponder and agrees with it", async () => {
  const chain = await startChain();
  const history = await generateHistory(chain, { proposals: PROPOSALS, voters: VOTERS });
  const { head } = history;
  console.log(`generated ${PROPOSALS} proposals, ${history.votes} votes and ${history.decisions} decisions up to block ${head}`);
  const work = await tempDir("bench-ponder-");
  const deploymentFile = path.join(work, `${chain.dao.deployment.chainId}.json`);
  await writeFile(deploymentFile, JSON.stringify(chain.dao.deployment, null, 2));
  const env = { rpcUrl: chain.rpc.url, deploymentFile };
  const proposalId = history.ids[0]!.toString();

  const fills: Record<Side, Fill[]> = { ours: [], ponder: [] };
  const measured: Partial<Record<Side, Awaited<ReturnType<typeof measureQueries>> & { summary: Awaited<ReturnType<typeof summary>>; peakRssMb: number }>> = {};
  const starters: Record<Side, typeof startOurs> = { ours: startOurs, ponder: startPonder };
  const load: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const side of ["ours", "ponder"] as const) {
      load.push(loadavg()[0]!);
      const { running, dataDir, fill } = await backfill(starters[side], head, env, side);
      fills[side].push(fill);
      console.log(`round ${round}, ${side}: caught up with block ${head} in ${fill.seconds.toFixed(1)} s (${fill.indexingSeconds.toFixed(1)} s after its server answered), ${fill.events} events, ${fill.cpuSeconds.toFixed(1)} s CPU, peak RSS ${Math.round(fill.peakRssMb)} MB`);
      try {
        if (round === ROUNDS) {
          const answers = await measureQueries(side, running.url, proposalId);
          measured[side] = { ...answers, summary: await summary(side, running.url), peakRssMb: usage(running.child.pid!).peakRssMb };
        }
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${side}'s last output:\n${running.output.join("").slice(-4000)}`);
      } finally {
        await stop(running);
        await rm(dataDir, { recursive: true, force: true });
      }
    }
  }
  await chain.rpc.stop();
  await rm(work, { recursive: true, force: true });

  // Agreement: the same counts, tallies and delegates from both.
  const ours = measured.ours!;
  const ponder = measured.ponder!;
  console.log(`counts: ours ${JSON.stringify(ours.summary.counts)}, Ponder ${JSON.stringify(ponder.summary.counts)}`);
  expect(ours.summary.counts.proposals).toBe(PROPOSALS);
  expect(ours.summary.counts.votes).toBe(history.votes);
  expect(ours.summary.counts.decisions).toBe(history.decisions);
  expect(ponder.summary.counts, "counts").toEqual(ours.summary.counts);
  expect(ponder.summary.voteWeight, "total vote weight").toBe(ours.summary.voteWeight);
  expect(ponder.summary.tallies, "tallies").toEqual(ours.summary.tallies);
  expect(ponder.summary.delegates, "delegates").toEqual(ours.summary.delegates);
  expect(ponder.summary.balances, "balances").toEqual(ours.summary.balances);

  // Figures: the fastest back-fill of each (the least disturbed by other work on the machine, as in
  // indexer.bench.ts), p50/p95 of the queries, ours / Ponder.
  const best = (side: Side) => fills[side].reduce((a, b) => (b.indexingSeconds < a.indexingSeconds ? b : a));
  const pick = (key: keyof Fill) => ({ ours: best("ours")[key], ponder: best("ponder")[key] });
  const seconds = pick("seconds");
  const indexing = pick("indexingSeconds");
  const events = pick("events");
  // The same history for both: events/s over the same count (ours; Ponder handles fewer event
  // kinds), from each server's first answer to caught up, so the ratio is the inverse ratio of the
  // indexing times. Start-up (Node, the WASM; Ponder's build of its app, PGlite) is in the time to
  // caught up.
  const rate = { ours: events.ours / indexing.ours, ponder: events.ours / indexing.ponder };
  const cpu = pick("cpuSeconds");
  const rss = { ours: ours.peakRssMb, ponder: ponder.peakRssMb };
  const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
  const each = (side: Side) => fills[side].map((f) => `${f.seconds.toFixed(1)} (${f.indexingSeconds.toFixed(1)})`).join(", ");
  const machine = `${cpus().length} cores, load average ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)} at the back-fills' starts`;
  const figures = [
    { name: "events/s, ours / Ponder", value: ratio(rate.ours, rate.ponder), unit: "×", note: `target ≥ 3; ${Math.round(rate.ours)} vs ${Math.round(rate.ponder)} events/s over the same ${events.ours} events (Ponder's own count: ${events.ponder}), from each server's first answer to caught up, the fastest of ${ROUNDS} from-empty back-fills each, in turn; ${machine}` },
    { name: "time to caught up, ours / Ponder", value: ratio(seconds.ours, seconds.ponder), unit: "×", note: "from spawning each process (start-up included) to caught up, the same back-fills" },
    { name: "time to caught up, ours", value: Number(seconds.ours.toFixed(1)), unit: "s", note: `from spawning the process to _meta showing block ${head}; each back-fill: ${each("ours")} s (in brackets: after its server answered)` },
    { name: "time to caught up, Ponder", value: Number(seconds.ponder.toFixed(1)), unit: "s", note: `from spawning \`ponder start\` (PGlite) to /status showing block ${head}; each back-fill: ${each("ponder")} s` },
    { name: "back-fill CPU, ours / Ponder", value: ratio(cpu.ours, cpu.ponder), unit: "×", note: `${cpu.ours.toFixed(1)} vs ${cpu.ponder.toFixed(1)} s user + system of each process tree, start to caught up (the same back-fills; each: ours ${fills.ours.map((f) => f.cpuSeconds.toFixed(1)).join(", ")} s, Ponder ${fills.ponder.map((f) => f.cpuSeconds.toFixed(1)).join(", ")} s)` },
    { name: "peak RSS, ours / Ponder", value: ratio(rss.ours, rss.ponder), unit: "×", note: `target ≤ 0.5; ${Math.round(rss.ours)} vs ${Math.round(rss.ponder)} MB VmHWM of each process tree over its last back-fill and the queries` },
  ];
  for (const name of Object.keys(ours.latencies)) {
    const o = ours.latencies[name]!;
    const p = ponder.latencies[name]!;
    figures.push(
      { name: `${name} p50, ours / Ponder`, value: ratio(percentile(o, 50), percentile(p, 50)), unit: "×", note: `${percentile(o, 50).toFixed(1)} vs ${percentile(p, 50).toFixed(1)} ms; ${QUERY_RUNS} runs each over HTTP GraphQL after ${QUERY_WARMUP} untimed, answers ${ours.sizes[name]} vs ${ponder.sizes[name]} bytes` },
      { name: `${name} p95, ours / Ponder`, value: ratio(percentile(o, 95), percentile(p, 95)), unit: "×", note: `target ≤ 1; ${percentile(o, 95).toFixed(1)} vs ${percentile(p, 95).toFixed(1)} ms` },
    );
  }
  for (const f of figures) console.log(`${f.name.padEnd(44)} ${String(f.value).padStart(8)} ${f.unit.padEnd(3)} ${f.note}`);
  const out = path.join(repoRoot, "bench/results");
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, "indexer-vs-ponder.json"), `${JSON.stringify({ part: "indexer-vs-ponder", figures }, null, 2)}\n`);
});
