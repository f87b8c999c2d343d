import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";

import { getAddress, keccak256, parseEther, toHex, type PublicClient } from "viem";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DecisionKind, ProposalState, Recommendation, ReportEncoding, Support } from "@ai-dao/protocol";
import { canonicalJson, type Report } from "@ai-dao/reports";
import { publishedReportBytes } from "@ai-dao/reports/node";
import { endVoting, delegateAll, propose, startVoting } from "@ai-dao/testkit";
import { createDrafter, DRAFT_SYSTEM_PROMPT } from "../src/draft/draft.ts";
import { createModelJudge } from "../src/model/client.ts";
import { SYSTEM_PROMPT } from "../src/model/prompt.ts";
import { getDecisions, verifyDecision } from "@ai-dao/protocol";
import { PublishJournal } from "../src/publish/journal.ts";
import { createAnalystServer, listen } from "../src/server/http.ts";
import { createMetrics } from "../src/server/metrics.ts";
import { handleProposalEvent, type AnalystService } from "../src/server/service.ts";
import { ProposalWatcher } from "../src/watch/watcher.ts";
import { setupChain, type Chain } from "./fixtures.ts";
import { analystWallet } from "./support/analyst-key.ts";
import { startMessagesApi, type MessagesApi } from "@ai-dao/testkit/messages-api";

const logger = pino({ level: "silent" });
const genericJudgement = { claims: [], undisclosedEffects: [], risk: 10, benefit: 50, confidence: 0.7, recommendation: "for", reasoning: "Looks routine." };

let chain: Chain;
let api: MessagesApi;
let service: AnalystService;
let dataDir: string;
let server: Server;
let base: string;
let bareServer: Server;
let bareBase: string;

function watcher(client: PublicClient = chain.dao.publicClient as never, pollMs = 2_000) {
  return new ProposalWatcher({
    client,
    governor: chain.dao.deployment.contracts.governor,
    chainId: chain.dao.deployment.chainId,
    startBlock: BigInt(chain.dao.deployment.startBlock),
    dataDir,
    logger,
    pollMs,
    handle: (e) => handleProposalEvent(service, e),
  });
}

const analyses = (proposalId: bigint) =>
  getDecisions(chain.dao.publicClient as never, { decisionLog: chain.dao.deployment.contracts.decisionLog, fromBlock: 0n, proposalId, kind: DecisionKind.Analysis });

beforeAll(async () => {
  chain = await setupChain();
  await delegateAll(chain.dao, chain.connection);
  api = await startMessagesApi({ fallback: { json: genericJudgement } });
  dataDir = await mkdtemp(path.join(tmpdir(), "analyst-service-"));
  const wallet = analystWallet(chain.connection);
  service = {
    client: chain.dao.publicClient as never,
    deployment: chain.dao.deployment,
    judge: createModelJudge({ apiKey: "test", baseURL: api.url, maxRetries: 2, timeoutMs: 5_000 }),
    publisher: { publicClient: chain.dao.publicClient as never, wallet, decisionLog: chain.dao.deployment.contracts.decisionLog, fromBlock: 0n, journal: new PublishJournal(dataDir) },
    logger,
    metrics: createMetrics(),
  };
  const drafter = createDrafter(service, { maxOutflowBps: 500, allowPropose: true });
  server = createAnalystServer({ service, corsOrigins: ["http://localhost:5173"], draft: drafter });
  base = `http://127.0.0.1:${await listen(server, 0)}`;
  bareServer = createAnalystServer({ service: { ...service, judge: undefined, publisher: undefined, metrics: createMetrics() }, corsOrigins: [] });
  bareBase = `http://127.0.0.1:${await listen(bareServer, 0)}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  bareServer?.closeAllConnections();
  await Promise.all([new Promise((r) => server?.close(r)), new Promise((r) => bareServer?.close(r)), api?.close()]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });

let watchedId: bigint;

describe("watcher", () => {
  it("analyses and publishes a new proposal once, across restarts and a lost cursor", async () => {
    const { alice, erin } = chain.dao.accounts;
    const proposal = { targets: [erin.account.address], values: [parseEther("1")], calldatas: ["0x" as const], description: "Grant 1 ETH to erin for the docs" };
    watchedId = await propose(chain.dao, alice.account.address, proposal);

    expect(await watcher().tick()).toBe(1);
    let published = await analyses(watchedId);
    expect(published).toHaveLength(1);
    const report = verifyDecision(published[0]!).report as { provenance: { trigger: string }; mode: string; governance: { proposer?: { address: string } } };
    expect(report.provenance.trigger).toBe("created");
    expect(report.mode).toBe("model");
    expect(report.governance.proposer?.address.toLowerCase()).toBe(alice.account.address.toLowerCase());

    expect(await watcher().tick()).toBe(0); // restart: persisted cursor
    await rm(path.join(dataDir, `watcher-${chain.dao.deployment.chainId}-${chain.dao.deployment.contracts.governor.toLowerCase()}.json`));
    expect(await watcher().tick()).toBe(1); // cursor lost: the event is handled again...
    published = await analyses(watchedId);
    expect(published).toHaveLength(1); // ...but the chain says it is published already
  });

  it("analyses again when the proposal is queued", async () => {
    const { governor, accounts } = chain.dao;
    await startVoting(chain.dao, chain.connection, watchedId);
    await governor.write.castVote([watchedId, Support.For], { account: accounts.alice.account });
    await governor.write.castVote([watchedId, Support.For], { account: accounts.bob.account });
    await endVoting(chain.dao, chain.connection, watchedId);
    await governor.write.queue([watchedId]);
    expect(await governor.read.state([watchedId])).toBe(ProposalState.Queued);

    // The queue-time analysis says what the first one said (same risk, floor, recommendation and findings): nothing is published.
    expect(await watcher().tick()).toBe(1);
    let published = await analyses(watchedId);
    expect(published.map((d) => (verifyDecision(d).report as { provenance: { trigger: string } }).provenance.trigger)).toEqual(["created"]);
    expect(await service.metrics.registry.getSingleMetricAsString("analyst_decisions_published_total")).toMatch(/kind="Analysis",status="unchanged"} 1/);

    // Another publisher's later analysis of the proposal says something else: the queue-time analysis differs from it and is published.
    const first = verifyDecision(published[0]!).report as Report;
    const other = publishedReportBytes({ ...first, scores: { ...first.scores, risk: first.scores.risk + 5 } });
    await chain.dao.decisionLog.write.publish(
      [watchedId, DecisionKind.Analysis, first.scores.risk + 5, Recommendation.For, other.encoding, other.reportHash, toHex(other.bytes)],
      { account: chain.dao.accounts.executor.account },
    );
    await rm(path.join(dataDir, `watcher-${chain.dao.deployment.chainId}-${chain.dao.deployment.contracts.governor.toLowerCase()}.json`));
    expect(await watcher().tick()).toBe(2); // created (already published: skipped) and queued
    published = await analyses(watchedId);
    expect(published.map((d) => (verifyDecision(d).report as { provenance: { trigger: string } }).provenance.trigger)).toEqual(["created", "created", "queued"]);
    expect(published.map((d) => d.encoding)).toEqual([ReportEncoding.DeflateRawDictionary1, ReportEncoding.DeflateRawDictionary1, ReportEncoding.DeflateRawDictionary1]);
  });

  it("keeps running through RPC errors, backing off", async () => {
    const real = chain.dao.publicClient as unknown as PublicClient;
    let failures = 3;
    const flaky = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === "getBlockNumber" && failures > 0) {
          return async () => {
            failures--;
            throw new Error("connect ECONNREFUSED 127.0.0.1:8545");
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    const w = watcher(flaky, 20);
    let sawErrors = 0;
    w.start();
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      sawErrors = Math.max(sawErrors, w.status.consecutiveErrors);
      if (failures === 0 && w.status.lastTickAt !== null && w.status.consecutiveErrors === 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await w.stop();
    expect(sawErrors).toBeGreaterThanOrEqual(2);
    expect(w.status.consecutiveErrors).toBe(0);
    expect(w.status.lastTickAt).not.toBeNull();
  });
});

describe("HTTP API", () => {
  it("GET /health", async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", mode: "model", model: "claude-sonnet-5-5", chainId: 31337, publishing: true, block: expect.stringMatching(/^\d+$/) });
    expect(await (await fetch(`${bareBase}/health`)).json()).toMatchObject({ mode: "deterministic", model: null, publishing: false });
  });

  it("GET /proposals/:id/report returns the latest published analysis with its exact bytes", async () => {
    const res = await fetch(`${base}/proposals/${watchedId}/report`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { report: { provenance: { trigger: string } }; reportJson: string; reportHash: string; txHash: string; decisionId: string; blockNumber: string; cid: string };
    expect(publishedReportBytes(body.report).reportHash).toBe(body.reportHash); // the hash of the compressed bytes on chain
    expect(canonicalJson(JSON.parse(body.reportJson))).toBe(body.reportJson);
    expect(JSON.parse(body.reportJson)).toEqual(body.report);
    expect(body.report.provenance.trigger).toBe("queued");
    expect(body.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(body.cid).toMatch(/^bafkrei/);

    const missing = await fetch(`${base}/proposals/123/report`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "no analysis published for proposal 123" });
    expect((await fetch(`${base}/proposals/0xabc/report`)).status).toBe(400);
  });

  it("POST /analyze previews without publishing; bad bodies get clear errors", async () => {
    const before = (await getDecisions(chain.dao.publicClient as never, { decisionLog: chain.dao.deployment.contracts.decisionLog, fromBlock: 0n })).length;
    const body = { targets: [chain.dao.accounts.erin.account.address], values: ["1000000000000000000"], calldatas: ["0x"], description: "Grant 1 ETH to erin" };
    const res = await post(`${bareBase}/analyze`, body);
    expect(res.status).toBe(200);
    const out = (await res.json()) as { report: { mode: string; provenance: { trigger: string } }; reportJson: string; reportHash: string; cid: string };
    expect(out.report.mode).toBe("deterministic");
    expect(out.report.provenance.trigger).toBe("preview");
    expect(publishedReportBytes(JSON.parse(out.reportJson)).reportHash).toBe(out.reportHash); // what publishing it would send
    const after = (await getDecisions(chain.dao.publicClient as never, { decisionLog: chain.dao.deployment.contracts.decisionLog, fromBlock: 0n })).length;
    expect(after).toBe(before);

    const bad = await post(`${bareBase}/analyze`, { ...body, values: ["-1"] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { details: string[] }).details.join("\n")).toMatch(/values\[0\]/);
    expect((await post(`${bareBase}/analyze`, "{not json")).status).toBe(400);
    expect((await post(`${bareBase}/analyze`, body, { "content-type": "text/plain" })).status).toBe(415);
    expect((await post(`${bareBase}/analyze`, { ...body, description: "x".repeat(300_000) })).status).toBe(413);
    expect((await fetch(`${bareBase}/analyze`)).status).toBe(405);
  });

  it("answers 400 with a clear message for inputs that used to cause a 500", async () => {
    const body = { targets: [chain.dao.accounts.erin.account.address], values: ["1000000000000000000"], calldatas: ["0x"], description: "Grant 1 ETH to erin" };
    const cases: [Response, RegExp][] = [
      [await post(`${bareBase}/analyze`, { ...body, values: ["1e18"] }), /values\[0\]: not a decimal string/],
      [await post(`${bareBase}/analyze`, { ...body, description: "Grant \ud800 1 ETH" }), /description: contains a lone UTF-16 surrogate/],
      [await post(`${bareBase}/analyze`, { ...body, targets: ["0x9965507d1A55bcC2695C58ba16FB37d819B0A4dc"] }), /targets\[0\]: bad EIP-55 checksum/],
      [await post(`${bareBase}/analyze`, { ...body, proposer: "0x70997970C51812dc3A010C7d01b50e0d17dc79c8" }), /proposer: bad EIP-55 checksum/],
      [await fetch(`${bareBase}/proposals/${2n ** 256n}/report`), /below 2\^256: larger than uint256/],
      [await fetch(`${bareBase}/proposals/${"9".repeat(78)}/report`), /larger than uint256/],
      [await fetch(`${bareBase}/proposals/%ZZ/report`), /not valid percent-encoding/],
    ];
    for (const [res, message] of cases) {
      const out = (await res.json()) as { error: string; details?: string[] };
      expect(res.status, JSON.stringify(out)).toBe(400);
      expect([out.error, ...(out.details ?? [])].join("\n")).toMatch(message);
    }
    const exact = await post(`${bareBase}/analyze`, { ...body, description: undefined, descriptionBytes: "0xefbbbf4772616e74" });
    expect(exact.status).toBe(200);
    const report = ((await exact.json()) as { report: { proposal: { descriptionHash: string } } }).report;
    expect(report.proposal.descriptionHash).toBe(keccak256("0xefbbbf4772616e74"));
  });

  it("CORS for the web app's origin only", async () => {
    const ok = await fetch(`${base}/health`, { headers: { origin: "http://localhost:5173" } });
    expect(ok.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const preflight = await fetch(`${base}/analyze`, { method: "OPTIONS", headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    const other = await fetch(`${base}/health`, { headers: { origin: "http://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("GET /metrics is Prometheus text", async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/analyst_http_requests_total\{route="health",status="200"\} \d+/);
  });

  it("POST /draft answers 503 without a model", async () => {
    const res = await post(`${bareBase}/draft`, { intent: "Send 1 ETH to erin" });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toMatch(/ANTHROPIC_API_KEY/);
  });
});

describe("drafting", () => {
  it("drafts from an intent, builds the calldata, and has it analysed in a separate model context", async () => {
    const erin = chain.dao.accounts.erin.account.address;
    api.reset();
    api.script({
      json: {
        actions: [{ template: "treasury-eth-transfer", recipient: erin, amountWei: "1000000000000000000" }],
        title: "Grant 1 ETH to erin",
        summary: "Sends 1 ETH from the treasury to erin.",
        rationale: "DRAFTER-RATIONALE-MARKER",
      },
    });
    const res = await post(`${base}/draft`, { intent: "Pay erin 1 ETH for the docs rewrite" });
    const out = (await res.json()) as any;
    expect(res.status, JSON.stringify(out)).toBe(200);
    expect(out.proposal).toMatchObject({ targets: [getAddress(erin)], values: ["1000000000000000000"], calldatas: ["0x"] });
    expect(out.proposal.description).toMatch(/^# Grant 1 ETH to erin/);
    expect(out.analysis.report.mode).toBe("model");
    expect(out.proposed).toBeNull();

    expect(api.requests).toHaveLength(2);
    const [drafting, analysis] = api.requests.map((r) => r.body);
    expect(drafting.system).toBe(DRAFT_SYSTEM_PROMPT);
    expect(analysis.system).toBe(SYSTEM_PROMPT);
    expect(analysis.messages).toHaveLength(1);
    expect(JSON.stringify(analysis)).not.toContain("DRAFTER-RATIONALE-MARKER");
  });

  it("refuses drafts beyond the guardrails", async () => {
    const erin = chain.dao.accounts.erin.account.address;
    api.script({
      json: {
        actions: [
          { template: "treasury-eth-transfer", recipient: erin, amountWei: parseEther("50").toString() },
          { template: "erc20-transfer", token: chain.destructible, recipient: erin, amount: "1" },
        ],
        title: "Big grant",
        summary: "Sends 50 ETH.",
        rationale: "as asked",
      },
    });
    const res = await post(`${base}/draft`, { intent: "Send erin half the treasury" });
    expect(res.status).toBe(422);
    const out = (await res.json()) as { error: string; details: string[] };
    expect(out.error).toMatch(/guardrails/);
    expect(out.details.join("\n")).toMatch(/above the cap of 5\.00%/);
    expect(out.details.join("\n")).toMatch(/not an allowed target/);
  });

  it("proposes with the analyst key when asked and publishes a Draft decision", async () => {
    const erin = chain.dao.accounts.erin.account.address;
    const analyst = chain.dao.accounts.analyst.account.address;
    api.script({
      json: {
        actions: [{ template: "treasury-eth-transfer", recipient: erin, amountWei: parseEther("2").toString() }],
        title: "Grant 2 ETH to erin",
        summary: "Sends 2 ETH from the treasury to erin.",
        rationale: "as asked",
      },
    });
    const res = await post(`${base}/draft`, { intent: "Pay erin 2 ETH", propose: true });
    const out = (await res.json()) as any;
    expect(res.status, JSON.stringify(out)).toBe(200);
    expect(out.proposal.description.toLowerCase()).toMatch(new RegExp(`#proposer=${analyst.toLowerCase()}$`));
    const proposalId = BigInt(out.proposalId);
    expect(await chain.dao.governor.read.state([proposalId])).toBe(ProposalState.Pending);
    expect(out.proposed.txHash).toMatch(/^0x[0-9a-f]{64}$/);

    const drafts = await getDecisions(chain.dao.publicClient as never, { decisionLog: chain.dao.deployment.contracts.decisionLog, fromBlock: 0n, proposalId, kind: DecisionKind.Draft });
    expect(drafts).toHaveLength(1);
    const verified = verifyDecision(drafts[0]!);
    expect(verified.ok).toBe(true);
    expect(verified.report).toMatchObject({ kind: "draft", intent: "Pay erin 2 ETH", analysis: { reportHash: out.analysis.reportHash } });
  });
});
