// No analysis is not "safe": the executor holds what nobody analysed, or whose analysis failed,
// exactly as it holds a critical finding. And it acts on the proposal the chain knows, whose
// description hash comes from the event's bytes, whatever those bytes are.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";

import { network } from "hardhat";
import { pino } from "pino";
import { deflateRawSync } from "node:zlib";

import { createPublicClient, custom, parseEther, stringToBytes, toHex, type Hex, type PublicClient } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DecisionKind, ProposalState, ReportEncoding, Support } from "@ai-dao/protocol";
import { decodeReport } from "@ai-dao/reports";
import { publishedReportBytes } from "@ai-dao/reports/node";
import { failedReportV2, modelReport, modelReportV2 } from "../../../packages/reports/test/fixtures.ts";
import { endVoting, ethTransfer, proposeBytes, startVoting, type LocalDAO } from "@ai-dao/testkit";

import { redactText, webhookRequest } from "../src/alerts.ts";
import { readAnalysis } from "../src/guards/index.ts";
import { cleanAnalysis, clientOf, decisionsOf, makeExecutor, proposeAndVote, publishAnalysis, setupDAO, tempDir } from "./helpers.ts";

const connection = await network.create();
let dao: LocalDAO;

beforeAll(async () => {
  dao = await setupDAO(connection);
  await dao.accounts.deployer.sendTransaction({ to: dao.deployment.contracts.timelock, value: parseEther("10") });
});
afterAll(async () => {
  await connection.close();
});

const state = (id: bigint) => dao.governor.read.state([id]);
const guardReports = async (id: bigint) =>
  (await decisionsOf(clientOf(connection), dao.deployment.contracts.decisionLog, id, DecisionKind.ExecutionGuard)).map((e) =>
    JSON.parse(decodeReport(e.args.encoding, e.args.report)),
  );

describe("analysis guard", () => {
  it("holds a passed proposal nobody analysed, says so on chain, and queues once a clean analysis appears", async () => {
    const id = await proposeAndVote(dao, connection, ethTransfer(dao.accounts.erin.account.address, parseEther("1"), "Pay erin 1 ETH (unanalysed)"), 1, { analysed: false });
    const executor = makeExecutor(dao, connection);
    for (let i = 0; i < 4; i++) await executor.tick();
    expect(await state(id)).toBe(ProposalState.Succeeded);
    const reports = await guardReports(id);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ action: "queue", decision: "hold", reason: "analysis-missing" });
    expect(reports[0].summary).toMatch(/no analysis has been published/);

    await publishAnalysis(dao, id);
    await executor.tickUntil(async () => (await state(id)) === ProposalState.Queued);
    expect(await guardReports(id)).toHaveLength(1);
    executor.journal.close();
  });

  it("holds a proposal whose analysis failed or cannot be relied on, until an operator override", async () => {
    const failed = await proposeAndVote(dao, connection, ethTransfer(dao.accounts.erin.account.address, 1n, "Analysis failed"), 1, { analysed: false });
    await publishAnalysis(dao, failed, cleanAnalysis(failed, { status: "failed", findings: [], scores: { risk: 100 }, recommendation: "needs-review" }), 100);
    const noRisk = await proposeAndVote(dao, connection, ethTransfer(dao.accounts.erin.account.address, 2n, "No risk score"), 1, { analysed: false });
    await publishAnalysis(dao, noRisk, { proposal: { proposalId: noRisk.toString() }, findings: [] }, 0);

    const dataDir = tempDir();
    const executor = makeExecutor(dao, connection, { dataDir });
    for (let i = 0; i < 6; i++) await executor.tick();
    expect(await state(failed)).toBe(ProposalState.Succeeded);
    expect(await state(noRisk)).toBe(ProposalState.Succeeded);
    expect((await guardReports(failed))[0]).toMatchObject({ reason: "analysis-inconclusive", evidence: { problem: "the analyst reports that the analysis failed" } });
    expect((await guardReports(noRisk))[0]).toMatchObject({ reason: "analysis-inconclusive", evidence: { problem: "the report has no risk score" } });
    executor.journal.close();

    const overridden = makeExecutor(dao, connection, { dataDir, overrides: [failed.toString()] });
    await overridden.tickUntil(async () => (await state(failed)) === ProposalState.Queued);
    expect(await state(noRisk)).toBe(ProposalState.Succeeded);
    overridden.journal.close();
  });

  it("reads what it cannot trust against the proposal", () => {
    const hex = (v: unknown) => toHex(stringToBytes(typeof v === "string" ? v : JSON.stringify(v)));
    expect(readAnalysis(hex("not json"), 0).critical[0]!.id).toBe("executor/unreadable-analysis");
    expect(readAnalysis(hex("null"), 0)).toMatchObject({ risk: 100, inconclusive: "the report lists no findings" });
    expect(readAnalysis(hex({ findings: [], scores: { risk: 12 } }), 0)).toEqual({ risk: 12, critical: [], inconclusive: null });
    // An analysis whose checks could not all run (no fork, an RPC error) is held like a failed one.
    const incomplete = cleanAnalysis(1n, { inconclusive: true, coverage: [{ check: "simulation-revert", name: "Running the proposal", status: "skipped", reason: "the fork could not be reached" }] });
    expect(readAnalysis(hex(incomplete), 0).inconclusive).toBe("the analysis is incomplete: not checked: simulation-revert (the fork could not be reached)");
    expect(readAnalysis(hex(cleanAnalysis(1n, { inconclusive: false })), 0).inconclusive).toBeNull();
    // The same in the analyst's own versions: 3 (coverage by check id only) and 2 (with the check's name).
    const v3 = { ...modelReport, inconclusive: true };
    expect(readAnalysis(hex(v3), 0)).toMatchObject({ risk: 90, inconclusive: "the analysis is incomplete: not checked: simulation (no fork simulation was requested)" });
    const v2 = { ...modelReportV2, inconclusive: true };
    expect(readAnalysis(hex(v2), 0)).toMatchObject({ risk: 90, inconclusive: "the analysis is incomplete: not checked: simulation (no fork simulation was requested)" });
    expect(readAnalysis(hex({ ...modelReport, coverage: modelReportV2.coverage }), 0)).toMatchObject({ risk: 100, critical: [], inconclusive: expect.stringMatching(/schema version 3 \(coverage\.0: /) });
    expect(readAnalysis(hex(failedReportV2), 0)).toMatchObject({ risk: 100, inconclusive: "the analyst reports that the analysis failed" });
  });

  it("reads a compressed analysis, and holds on one that is a bomb, corrupt, truncated, followed by garbage or in an unknown encoding", () => {
    const clean = publishedReportBytes(cleanAnalysis(1n, { inconclusive: false }));
    expect(readAnalysis(toHex(clean.bytes), 0, clean.encoding)).toEqual({ risk: 10, critical: [], inconclusive: null });
    const hostile: [string, Hex, number, RegExp][] = [
      ["a decompression bomb", toHex(deflateRawSync(Buffer.alloc(4 * 1024 * 1024, 0x7b), { level: 9 })), ReportEncoding.DeflateRaw, /inflates to more than 1048576 bytes/],
      ["corrupt data", "0x07ffff", ReportEncoding.DeflateRaw, /invalid block type/],
      ["truncated data", toHex(clean.bytes.subarray(0, clean.bytes.length - 3)), clean.encoding, /ends before its last block/],
      ["trailing garbage", toHex(Buffer.concat([clean.bytes, Buffer.from("{}")])), clean.encoding, /2 bytes after the end/],
      ["a dictionary report said to be plain DEFLATE", toHex(clean.bytes), ReportEncoding.DeflateRaw, /invalid distance too far back/],
      ["an unknown encoding", toHex(clean.bytes), 7, /unknown report encoding/],
      ["compressed bytes read as JSON", toHex(clean.bytes), ReportEncoding.Json, /not valid UTF-8|not JSON/],
    ];
    for (const [name, bytes, encoding, reason] of hostile) {
      const read = readAnalysis(bytes, 0, encoding);
      expect(read.risk, name).toBe(100);
      expect(read.critical[0]?.id, name).toBe("executor/unreadable-analysis");
      expect(read.critical[0]?.title, name).toMatch(reason);
    }
  });
});

describe("description bytes", () => {
  const cases: [string, Hex][] = [
    ["a byte-order mark", toHex(stringToBytes("\uFEFF# Pay erin\n\nPay erin 0.1 ETH."))],
    ["invalid UTF-8", toHex(new Uint8Array([...stringToBytes("Pay erin 0.2 ETH "), 0xff, 0xfe, 0xc3, 0x28]))],
    ["a NUL", toHex(stringToBytes("Pay erin 0.3 ETH\u0000 hidden after the NUL"))],
  ];
  it("queues and executes proposals whose descriptions do not survive a text round trip", async () => {
    const { erin, alice } = dao.accounts;
    const client = clientOf(connection);
    const ids: bigint[] = [];
    for (const [i, [, descriptionBytes]] of cases.entries()) {
      const id = await proposeBytes(dao, alice, { targets: [erin.account.address], values: [parseEther(`0.${i + 1}`)], calldatas: ["0x"], descriptionBytes });
      ids.push(id);
      await publishAnalysis(dao, id);
    }
    const executor = makeExecutor(dao, connection);
    await executor.tick();
    expect(executor.journal.allProposals().map((p) => p.proposalId)).toEqual(expect.arrayContaining(ids.map(String)));
    await startVoting(dao, connection, ids[0]!);
    for (const id of ids) {
      for (const voter of [alice, dao.accounts.bob]) await dao.governor.write.castVote([id, Support.For], { account: voter.account });
    }
    await endVoting(dao, connection, ids.at(-1)!);
    const before = await client.getBalance({ address: erin.account.address });
    await executor.tickUntil(async () => (await Promise.all(ids.map(state))).every((s) => s === ProposalState.Queued), 60);
    // Each proposal's eta comes from the delay its own analysis earned: wait for the latest.
    const etas = await Promise.all(ids.map((id) => dao.governor.read.proposalEta([id])));
    await connection.networkHelpers.time.increaseTo(etas.reduce((a, b) => (a > b ? a : b)));
    await executor.tickUntil(async () => (await Promise.all(ids.map(state))).every((s) => s === ProposalState.Executed), 60);
    expect((await client.getBalance({ address: erin.account.address })) - before).toBe(parseEther("0.6"));
    executor.journal.close();
  });
});

describe("one bad proposal", () => {
  it("does not keep the others waiting", async () => {
    const { erin } = dao.accounts;
    const poisoned = await proposeAndVote(dao, connection, ethTransfer(erin.account.address, 4n, "Poisoned"));
    const healthy = await proposeAndVote(dao, connection, ethTransfer(erin.account.address, 5n, "Healthy"));
    // The node answers every call about the poisoned proposal with an error (not a revert).
    const poisonHex = poisoned.toString(16).padStart(64, "0");
    const client = createPublicClient({
      transport: custom({
        request: async (args: { method: string; params?: unknown }) => {
          if (args.method === "eth_call" && JSON.stringify(args.params).includes(poisonHex)) throw Object.assign(new Error("missing trie node"), { code: -32000 });
          return connection.provider.request(args as never);
        },
      }),
    }) as PublicClient;
    const executor = makeExecutor(dao, connection, { client });
    await executor.tickUntil(async () => (await state(healthy)) === ProposalState.Queued);
    expect(await state(poisoned)).toBe(ProposalState.Succeeded);
    expect(await executor.metrics.registry.metrics()).toMatch(/executor_proposal_errors_total [1-9]/);
    executor.journal.close();
  });
});

describe("webhook credentials", () => {
  it("sends them as a Basic authorization header and never logs them", async () => {
    const seen: { auth: string | undefined; url: string | undefined }[] = [];
    const server = createServer(async (req: IncomingMessage, res) => {
      for await (const _ of req);
      seen.push({ auth: req.headers.authorization, url: req.url });
      res.writeHead(500).end(); // an error status: the executor logs every attempt
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const url = `http://hook-user:s3cret-token@127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T0KEN123?key=abc999`;
    let logged = "";
    const logger = pino({ level: "debug" }, new Writable({ write: (chunk, _enc, done) => ((logged += chunk), done()) }));
    const id = await proposeAndVote(dao, connection, ethTransfer(dao.accounts.erin.account.address, 3n, "Webhook"), 1, { analysed: false });
    const executor = makeExecutor(dao, connection, { logger, webhookUrl: url });
    for (let i = 0; i < 3; i++) await executor.tick();
    await executor.alerter.flush();
    await new Promise<void>((r) => server.close(() => r()));
    expect(await state(id)).toBe(ProposalState.Succeeded);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toEqual({ auth: `Basic ${Buffer.from("hook-user:s3cret-token").toString("base64")}`, url: "/hooks/T0KEN123?key=abc999" });
    expect(logged).toContain("webhook answered with an error status");
    for (const secret of ["s3cret-token", "hook-user", "T0KEN123", "abc999"]) expect(logged).not.toContain(secret);
    executor.journal.close();
  });

  it("redacts a URL from error text", () => {
    const url = "https://u:pw123@hooks.example/path/SECRET?x=1";
    expect(redactText(`Request cannot be constructed from a URL that includes credentials: ${url}`, url)).toBe(
      "Request cannot be constructed from a URL that includes credentials: https://hooks.example",
    );
    expect(webhookRequest("https://hooks.example/a").authorization).toBeNull();
  });
});
