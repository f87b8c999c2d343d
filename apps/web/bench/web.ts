// `npm run bench -w @ai-dao/web`: builds the production bundle, measures the initial JavaScript
// (gzipped) from Vite's manifest, then times the proposals list in Chromium (/usr/bin/chromium) on
// that build with 1,000 proposals in the index: dist/ served with a stub /config.json, a stub
// indexer answering the list's GraphQL and a stub JSON-RPC (chain id, block number, latest block).
// Then a proposal page with 1,000 votes the same way. Prints the figures and writes
// bench/results/web.json at the repo root.
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { chromium } from "playwright-core";

import { serveDist } from "../e2e/static-server.ts";

const app = path.resolve(import.meta.dirname, "..");
const root = path.resolve(app, "../..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const BUDGET_KB = 300;
const PROPOSALS = 1000;
const RUNS = 7;

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, { cwd: app, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
  if (result.status !== 0) {
    process.stdout.write(result.stdout);
    throw new Error(`${path.basename(command)} ${args.join(" ")} failed`);
  }
  return result.stdout.toString();
}

// The bundle does not depend on the deployment: build without asking a chain for config.json.
run(bin("vite"), ["build", "--logLevel", "warn"], { DEPLOYMENT_FILE: path.join(app, "bench", "no-deployment.json") });

type Manifest = Record<string, { file: string; imports?: string[]; isEntry?: boolean }>;
const manifest = JSON.parse(await readFile(path.join(app, "dist/.vite/manifest.json"), "utf8")) as Manifest;

function closure(keys: string[], seen = new Set<string>()): Set<string> {
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    closure(manifest[key]?.imports ?? [], seen);
  }
  return seen;
}
async function gzippedKb(keys: Set<string>): Promise<number> {
  let bytes = 0;
  for (const key of keys) {
    const chunk = manifest[key];
    if (!chunk || !chunk.file.endsWith(".js")) continue;
    bytes += gzipSync(await readFile(path.join(app, "dist", chunk.file)), { level: 9 }).length;
  }
  return Math.round((bytes / 1024) * 10) / 10;
}

const initial = closure(["index.html"]);
const firstScreen = closure(["index.html", "src/routes/index.tsx?tsr-split=component"]);
const initialKb = await gzippedKb(initial);
const firstScreenKb = await gzippedKb(firstScreen);

// ---- The stubs: only what the proposals list asks for ----

const NOW = BigInt(Math.floor(Date.now() / 1000));
const E18 = 10n ** 18n;
const proposer = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
/** A published analysis as the list receives it (the latest ANALYSIS decision with its report's bytes). */
const report = (risk: number) =>
  JSON.stringify({
    schemaVersion: 1,
    mode: "deterministic",
    findings: [{ id: "treasury-outflow/recipient", check: "treasury-outflow", severity: risk >= 70 ? "high" : "low", title: "Sends DEMO from the treasury", detail: "", evidence: { callIndex: 0 } }],
    riskFloor: risk,
    scores: { risk },
    recommendation: risk >= 70 ? "needs-review" : "for",
  });
/**
 * 1,000 proposals newest first (the list's order), in every state the list computes: pending,
 * active, ended with and without quorum, queued, executed, canceled; half with an analysis.
 * Position i (0-based) is titled "Proposal <i + 1> of 1000", so the 1,000th row is the oldest.
 */
const proposals = Array.from({ length: PROPOSALS }, (_, i) => {
  const created = NOW - BigInt(i) * 600n - 20n;
  const kind = i % 7;
  const voteStart = kind === 0 ? NOW + 30n : created + 10n;
  const voteEnd = kind <= 1 ? NOW + 300n : created + 310n;
  const status = kind === 4 ? "QUEUED" : kind === 5 ? "EXECUTED" : kind === 6 ? "CANCELED" : "CREATED";
  const id = String(10n ** 70n + BigInt(i) * 7919n);
  return {
    id,
    proposalId: id,
    title: `Proposal ${i + 1} of ${PROPOSALS}: fund the working group's next quarter`,
    proposer: { id: proposer },
    status,
    voteStart: String(voteStart),
    voteEnd: String(voteEnd),
    forVotes: String(BigInt((i * 37) % 300_000) * E18),
    againstVotes: String(BigInt((i * 11) % 90_000) * E18),
    abstainVotes: String(BigInt(i % 5) * 1000n * E18),
    eta: kind === 4 || kind === 5 ? String(created + 400n) : null,
    voterCount: i % 40,
    createdTimestamp: String(created),
    timelockOperation: kind === 4 ? { status: "SCHEDULED" } : kind === 5 ? { status: "EXECUTED" } : null,
    decisions: i % 2 ? [{ risk: (i * 13) % 100, recommendation: (i * 13) % 100 >= 70 ? "NEEDS_REVIEW" : "FOR", decisionId: String(i), report: report((i * 13) % 100) }] : [],
    guards: [],
  };
});

/** The proposal page's answer: an active proposal with 1,000 votes from distinct voters, heaviest first. */
const VOTES = 1000;
const detailed = proposals[1]!;
const proposalDetail = {
  ...detailed,
  description: `# ${detailed.title}\n\nPays the working group from the treasury for the next quarter.`,
  descriptionHash: `0x${"ab".repeat(32)}`,
  originalVoteEnd: detailed.voteEnd,
  extended: false,
  createdBlock: "10",
  createdTx: `0x${"cd".repeat(32)}`,
  queuedTimestamp: null,
  executedTimestamp: null,
  canceledTimestamp: null,
  actions: [{ index: 0, target: `0x${"0".repeat(39)}5`, value: String(E18), signature: null, calldata: "0x", selector: null, functionSignature: null }],
  votes: Array.from({ length: VOTES }, (_, i) => ({
    id: `${detailed.id}-${i}`,
    voter: { id: `0x${(0x1000 + i).toString(16).padStart(40, "0")}` },
    support: i % 3,
    weight: String(BigInt(VOTES - i) * 1000n * E18),
    reason: i % 4 === 0 ? `Voter ${i + 1}: the working group delivered last quarter.` : "",
    timestamp: String(NOW - BigInt(i)),
    tx: `0x${(i + 1).toString(16).padStart(64, "0")}`,
  })),
  stateChanges: [],
  extensions: [],
  allDecisions: [],
};

const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "content-type, accept", "access-control-allow-methods": "GET, POST, OPTIONS" };
async function body(req: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return JSON.parse(text || "null");
}
function stub(answer: (request: any) => unknown) {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "OPTIONS") return void res.writeHead(204, cors).end();
    body(req)
      .then((request) => res.writeHead(200, { ...cors, "content-type": "application/json" }).end(JSON.stringify(answer(request))))
      .catch((error: Error) => res.writeHead(400, cors).end(error.message));
  });
  return new Promise<{ url: string; close(): Promise<void> }>((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
      }),
    ),
  );
}

/**
 * Any query gets the same superset of top-level fields (a client reads only what it asked for), so
 * the stub follows the list's query as it changes; `proposals` honours `first` and `skip`.
 */
const indexer = await stub((request: { variables?: { first?: number; skip?: number } }) => {
  const skip = request.variables?.skip ?? 0;
  const first = request.variables?.first ?? 100;
  return {
    data: {
      _meta: { hasIndexingErrors: false, block: { number: 20 } },
      proposals: proposals.slice(skip, skip + first),
      proposal: proposalDetail,
      governors: [{ quorumNumerator: "4" }],
      tokens: [{ totalSupply: String(1_000_000n * E18) }],
      decisions: [],
      accounts: [],
    },
  };
});
const hex = (n: bigint) => `0x${n.toString(16)}`;
const latestBlock = {
  number: "0x14",
  hash: `0x${"11".repeat(32)}`,
  parentHash: `0x${"00".repeat(32)}`,
  timestamp: hex(NOW),
  nonce: "0x0000000000000000",
  difficulty: "0x0",
  gasLimit: "0x1c9c380",
  gasUsed: "0x0",
  miner: `0x${"00".repeat(20)}`,
  extraData: "0x",
  baseFeePerGas: "0x1",
  logsBloom: `0x${"00".repeat(256)}`,
  sha3Uncles: `0x${"00".repeat(32)}`,
  stateRoot: `0x${"00".repeat(32)}`,
  receiptsRoot: `0x${"00".repeat(32)}`,
  transactionsRoot: `0x${"00".repeat(32)}`,
  size: "0x0",
  totalDifficulty: "0x0",
  transactions: [],
  uncles: [],
};
const rpcAnswer = (r: { id: unknown; method: string }) => {
  const result: Record<string, unknown> = {
    eth_chainId: "0x7a69",
    eth_blockNumber: "0x14",
    eth_getBlockByNumber: latestBlock,
    eth_accounts: [],
    eth_getLogs: [],
    eth_call: `0x${"00".repeat(32)}`,
    eth_getBalance: "0x0",
  };
  return r.method in result ? { jsonrpc: "2.0", id: r.id, result: result[r.method] } : { jsonrpc: "2.0", id: r.id, error: { code: -32601, message: `${r.method} is not in the bench's stub` } };
};
const rpc = await stub((request: any) => (Array.isArray(request) ? request.map(rpcAnswer) : rpcAnswer(request)));

const address = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;
const config = {
  chainId: 31337,
  rpcUrl: rpc.url,
  indexerUrl: `${indexer.url}/subgraphs/name/dao`,
  analystUrl: "http://127.0.0.1:9", // never asked by the list
  executorUrl: "http://127.0.0.1:9",
  startBlock: 0,
  contracts: { token: address(1), governor: address(2), timelock: address(3), decisionLog: address(4) },
  token: { name: "Demo DAO", symbol: "DEMO", decimals: 18 },
  governor: { name: "DAO Governor", votingDelay: 10, votingPeriod: 300, quorumPercent: 4, proposalThreshold: "1000000000000000000000" },
  timelock: { minDelay: 60 },
};
const web = await serveDist({ port: 0, config: () => config });

// ---- Chromium: from navigation to the rows present ----

interface Target {
  /** The rows' `data-testid`. */
  row: string;
  rows: number;
  /** Text the last row must contain (null: any). */
  lastTitle: string | null;
}

/** Records performance.now() (milliseconds since the navigation started) when the target rows are first in the DOM. */
function recorder(target: Target) {
  const w = window as unknown as { __rowsAt?: number };
  const check = () => {
    if (w.__rowsAt !== undefined) return;
    const rows = document.querySelectorAll(`[data-testid=${target.row}]`);
    if (rows.length < target.rows) return;
    if (target.lastTitle !== null && !(rows[rows.length - 1]?.textContent ?? "").includes(target.lastTitle)) return;
    w.__rowsAt = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
}

const profile = await mkdtemp(path.join(tmpdir(), "web-bench-chromium-"));
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  // As e2e/harness.ts: no sandbox in containers, no GPU, nothing in the background.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length / 2)]! * 10) / 10;
};
async function measure(pathname: string, target: Target) {
  const runs: number[] = [];
  // One warm-up visit (Chromium's own start-up), then RUNS cold visits: a new context each time, so
  // nothing is cached between them, as for a first visit.
  for (let r = 0; r <= RUNS; r++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.addInitScript(recorder, target);
    await page.goto(`${web.url}${pathname}`);
    try {
      await page.waitForFunction(() => (window as unknown as { __rowsAt?: number }).__rowsAt !== undefined, undefined, { timeout: 30_000 });
    } catch (error) {
      const text = await page.locator("body").textContent().catch(() => "");
      throw new Error(`${pathname}: the rows did not appear (${(error as Error).message}); page errors: ${errors.join("; ")}; page: ${text?.slice(0, 500)}`);
    }
    const at = await page.evaluate(() => (window as unknown as { __rowsAt: number }).__rowsAt);
    if (r > 0) runs.push(Math.round(at * 10) / 10);
    await context.close();
  }
  return { p50: median(runs), runs };
}

let firstPage: { p50: number; runs: number[] };
let lastPage: { p50: number; runs: number[] };
let votesPage: { p50: number; runs: number[] };
try {
  // The list shows pages of 25 (26 asked, to know whether a next page exists).
  firstPage = await measure("/proposals", { row: "proposal-row", rows: 25, lastTitle: null });
  // Page 40 holds the 1,000th proposal (the oldest), reached by a deep link.
  lastPage = await measure(`/proposals?page=${PROPOSALS / 25}`, { row: "proposal-row", rows: 25, lastTitle: `Proposal ${PROPOSALS} of ${PROPOSALS}:` });
  // The lightest voter is the last row of the votes table.
  votesPage = await measure(`/proposals/${detailed.id}`, { row: "vote-row", rows: VOTES, lastTitle: "1,000" });
} finally {
  await browser.close();
  await Promise.all([web.close(), indexer.close(), rpc.close()]);
  await rm(profile, { recursive: true, force: true });
}

const figures = [
  { name: "initial JS (gzipped)", value: initialKb, unit: "KB", note: `entry chunk and its static imports; budget ${BUDGET_KB} KB` },
  { name: "first screen JS (gzipped)", value: firstScreenKb, unit: "KB", note: "initial JS plus the proposals route's chunks" },
  {
    name: "proposals list, first page (1,000 indexed)",
    value: firstPage.p50,
    unit: "ms",
    note: `p50 of ${RUNS} cold visits in Chromium, production build: navigation to /proposals until its 25 rows are in the DOM (runs: ${firstPage.runs.join(", ")})`,
  },
  {
    name: "proposals list, 1,000th row (page 40)",
    value: lastPage.p50,
    unit: "ms",
    note: `p50 of ${RUNS} cold visits: navigation to /proposals?page=40 until the row of the 1,000th (oldest) proposal is in the DOM (runs: ${lastPage.runs.join(", ")})`,
  },
  {
    name: "proposal page with 1,000 votes",
    value: votesPage.p50,
    unit: "ms",
    note: `p50 of ${RUNS} cold visits: navigation to a proposal until all ${VOTES} vote rows are in the DOM (runs: ${votesPage.runs.join(", ")})`,
  },
];
for (const f of figures) console.log(`web: ${f.name}: ${f.value} ${f.unit} (${f.note})`);
if (initialKb > BUDGET_KB) console.log(`web: initial JS is over the ${BUDGET_KB} KB budget`);
await mkdir(path.join(root, "bench/results"), { recursive: true });
await writeFile(path.join(root, "bench/results/web.json"), `${JSON.stringify({ part: "web", figures }, null, 2)}\n`);
