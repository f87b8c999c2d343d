// The watcher against the real in-process chain: descriptions whose bytes do not survive a text
// decoder (a byte-order mark, invalid UTF-8, a NUL), a proposal whose analysis throws, and an RPC
// outage. Ids must be the chain's; one bad item must never stop the stream.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import {
  concat,
  encodeAbiParameters,
  keccak256,
  parseAbiParameters,
  parseEther,
  toFunctionSelector,
  toHex,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DecisionKind, Recommendation } from "@ai-dao/protocol";
import { getDecisions, verifyDecision } from "@ai-dao/protocol";
import { PublishJournal } from "../src/publish/journal.ts";
import { createMetrics } from "../src/server/metrics.ts";
import { handleProposalEvent, publishFailure, type AnalystService } from "../src/server/service.ts";
import { ProposalWatcher } from "../src/watch/watcher.ts";
import { setupChain, type Chain } from "./fixtures.ts";
import { analystWallet } from "./support/analyst-key.ts";

const logger = pino({ level: "silent" });
const utf8 = (s: string) => new TextEncoder().encode(s);

let chain: Chain;
let service: AnalystService;
let dataDir: string;

beforeAll(async () => {
  chain = await setupChain();
  dataDir = await mkdtemp(path.join(tmpdir(), "analyst-watcher-"));
  service = {
    client: chain.dao.publicClient as never,
    deployment: chain.dao.deployment,
    judge: undefined,
    publisher: {
      publicClient: chain.dao.publicClient as never,
      wallet: analystWallet(chain.connection),
      decisionLog: chain.dao.deployment.contracts.decisionLog,
      fromBlock: 0n,
      journal: new PublishJournal(dataDir),
    },
    logger,
    metrics: createMetrics(),
  };
});

afterAll(async () => {
  await chain?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function watcher(options: { client?: PublicClient; handle?: ConstructorParameters<typeof ProposalWatcher>[0]["handle"]; s?: AnalystService } = {}) {
  const s = options.s ?? service;
  return new ProposalWatcher({
    client: options.client ?? (chain.dao.publicClient as never),
    governor: chain.dao.deployment.contracts.governor,
    chainId: chain.dao.deployment.chainId,
    startBlock: BigInt(chain.dao.deployment.startBlock),
    dataDir,
    logger,
    handle: options.handle ?? ((e) => handleProposalEvent(s, e)),
    onFailure: async (failed) => {
      await publishFailure(s, failed);
    },
  });
}

/** Proposes with the description as raw bytes (`string` and `bytes` encode alike) and returns the id the Governor computes. */
async function proposeBytes(descriptionBytes: Hex, value = parseEther("1")): Promise<bigint> {
  const { governor, accounts } = chain.dao;
  const targets = [accounts.erin.account.address] as Address[];
  const data = concat([
    toFunctionSelector("propose(address[],uint256[],bytes[],string)"),
    encodeAbiParameters(parseAbiParameters("address[], uint256[], bytes[], bytes"), [targets, [value], ["0x"], descriptionBytes]),
  ]);
  const hash = await accounts.alice.sendTransaction({ to: governor.address, data, account: accounts.alice.account, chain: null });
  const receipt = await chain.dao.publicClient.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  const id = await governor.read.hashProposal([targets, [value], ["0x"], keccak256(descriptionBytes)]);
  expect(await governor.read.proposalSnapshot([id])).toBeGreaterThan(0n); // the chain knows it under this id
  return id;
}

async function published(proposalId: bigint) {
  const decisions = await getDecisions(chain.dao.publicClient as never, { decisionLog: chain.dao.deployment.contracts.decisionLog, fromBlock: 0n, proposalId, kind: DecisionKind.Analysis });
  return decisions.map((d) => ({ decision: d, report: verifyDecision(d).report as any }));
}

describe("descriptions whose bytes a text decoder would change", () => {
  it("analyses a BOM, an invalid-UTF-8 and a NUL proposal under the chain's ids, and the next proposal normally", async () => {
    const cases = {
      bom: toHex(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8("# Pay erin 1 ETH\n\nFor the docs.")])),
      invalid: toHex(new Uint8Array([...utf8("Pay erin 1 ETH "), 0xff, 0xfe, 0xc3, 0x28, ...utf8(" for the docs")])),
      nul: toHex(utf8("Pay erin 1 ETH for the docs.\u0000 Also 9 ETH")),
      normal: toHex(utf8("Pay erin 1 ETH for the docs, second part.")),
    };
    const ids: Record<string, bigint> = {};
    for (const [name, bytes] of Object.entries(cases)) ids[name] = await proposeBytes(bytes);

    expect(await watcher().tick()).toBe(4);

    for (const [name, bytes] of Object.entries(cases)) {
      const reports = await published(ids[name]!);
      expect(reports, name).toHaveLength(1);
      const { report, decision } = reports[0]!;
      expect(report.status, name).toBe("analysed");
      expect(report.schemaVersion).toBe(3);
      expect(report.proposal.proposalId, name).toBe(ids[name]!.toString());
      expect(decision.proposalId).toBe(ids[name]);
      expect(report.proposal.descriptionHash, name).toBe(keccak256(bytes));
      expect(report.proposal.descriptionInfo.byteLength).toBe((bytes.length - 2) / 2);
      expect(report.findings.map((f: { id: string }) => f.id)).not.toContain("analysis/failed");
    }
    const findingIds = async (name: string) => (await published(ids[name]!))[0]!.report.findings.map((f: { id: string; severity: string }) => `${f.id}:${f.severity}`);
    expect(await findingIds("bom")).toContain("description-characters/invisible:critical");
    expect(await findingIds("invalid")).toContain("description-characters/invalid-utf8:critical");
    expect((await published(ids.invalid!))[0]!.report.proposal.descriptionInfo.invalidUtf8Sequences).toBeGreaterThanOrEqual(2);
    expect(await findingIds("nul")).toEqual(expect.arrayContaining(["description-characters/control:critical", "description-hidden/after-nul:critical"]));
    const normal = await findingIds("normal");
    expect(normal.filter((f: string) => f.startsWith("description-"))).toEqual([]);
    expect(normal).toContain("treasury-outflow/recipient:low");
  });
});

describe("a proposal whose analysis throws", () => {
  it("is retried, reported as failed after three attempts (across a restart), and the stream goes on", async () => {
    const bad = await proposeBytes(toHex(utf8("Pay erin 1 ETH; this one breaks the analyser.")));
    const next = await proposeBytes(toHex(utf8("Pay erin 1 ETH for the translations.")));
    let calls = 0;
    const handle: ConstructorParameters<typeof ProposalWatcher>[0]["handle"] = async (e) => {
      if (e.proposalId === bad) {
        calls++;
        throw new Error("analyser crashed on this proposal\n  request body: {secret}");
      }
      return handleProposalEvent(service, e);
    };

    await expect(watcher({ handle }).tick()).rejects.toThrow(/analyser crashed/);
    await expect(watcher({ handle }).tick()).rejects.toThrow(/analyser crashed/); // a new instance: the count survives restarts
    expect(await published(next)).toHaveLength(0); // behind the bad one, not yet handled
    const state = JSON.parse(await readFile(path.join(dataDir, `watcher-31337-${chain.dao.deployment.contracts.governor.toLowerCase()}.json`), "utf8"));
    expect(Object.values(state.attempts)).toEqual([{ count: 2, lastError: "analyser crashed on this proposal" }]);

    expect(await watcher({ handle }).tick()).toBe(1); // third attempt fails: reported; the next one analysed
    expect(calls).toBe(3);

    const [failed] = await published(bad);
    expect(failed!.report).toMatchObject({
      schemaVersion: 3,
      status: "failed",
      riskFloor: 100,
      scores: { risk: 100 },
      recommendation: "needs-review",
      proposal: { proposalId: bad.toString() },
      failure: { reason: "analyser crashed on this proposal", attempts: 3, event: { name: "ProposalCreated" } },
      provenance: { trigger: "created" },
    });
    expect(failed!.report.findings).toEqual([
      expect.objectContaining({ id: "analysis/failed", severity: "critical", title: "Analysis failed: analyser crashed on this proposal" }),
    ]);
    expect(failed!.decision.risk).toBe(100);
    expect(failed!.decision.recommendation).toBe(Recommendation.NeedsReview);
    expect(failed!.decision.reportJson).not.toContain("secret");

    const [analysed] = await published(next);
    expect(analysed!.report.status).toBe("analysed");
    expect(analysed!.report.proposal.proposalId).toBe(next.toString());

    expect(await watcher({ handle }).tick()).toBe(0); // moved on for good
    expect(calls).toBe(3);
    expect(await published(bad)).toHaveLength(1);
  });
});

describe("an RPC outage", () => {
  it("backs off without counting attempts or publishing failures, then analyses normally", async () => {
    const id = await proposeBytes(toHex(utf8("Pay erin 1 ETH for the video tutorials.")));
    let down = false;
    const real = chain.dao.publicClient as unknown as PublicClient;
    const flaky = new Proxy(real, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (down) return Promise.reject(Object.assign(new Error("HTTP request failed.\n\nURL: http://127.0.0.1:8545\nRequest body: {...}"), { shortMessage: "HTTP request failed." }));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const flakyService = { ...service, client: flaky };
    let outageTicks = 5;
    const handle: ConstructorParameters<typeof ProposalWatcher>[0]["handle"] = async (e) => {
      if (outageTicks > 0) {
        outageTicks--;
        down = true; // the RPC goes away while this proposal is being analysed
      }
      return handleProposalEvent(flakyService, e);
    };
    for (let i = 0; i < 5; i++) {
      down = false;
      await expect(watcher({ client: flaky, handle, s: flakyService }).tick()).rejects.toThrow(/HTTP request failed/);
    }
    down = false;
    expect(await published(id)).toHaveLength(0); // five failed ticks, more than three attempts: nothing published
    const state = JSON.parse(await readFile(path.join(dataDir, `watcher-31337-${chain.dao.deployment.contracts.governor.toLowerCase()}.json`), "utf8"));
    expect(state.attempts).toEqual({});

    expect(await watcher({ client: flaky, handle, s: flakyService }).tick()).toBe(1);
    const reports = await published(id);
    expect(reports.map((r) => r.report.status)).toEqual(["analysed"]);
  });
});
