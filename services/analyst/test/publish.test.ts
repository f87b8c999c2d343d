import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { hexToBytes, keccak256, toHex, type PublicClient } from "viem";
import { beforeAll, describe, expect, it } from "vitest";

import { analyzeProposal } from "../src/analyze.ts";
import type { ProposalInput as Proposal } from "../src/proposal.ts";
import { getDecisions, ReportEncoding, verifyDecision } from "@ai-dao/protocol";
import { PublishJournal } from "../src/publish/journal.ts";
import { publishAnalysis, type Publisher } from "../src/publish/publisher.ts";
import { reportCid } from "../src/publish/cid.ts";
import { serializeReport, type Report } from "../src/report.ts";
import type { Trigger } from "@ai-dao/reports";
import { delegateAll, propose } from "@ai-dao/testkit";
import { proposalOf, setupChain, type Chain } from "./fixtures.ts";
import { analystWallet } from "./support/analyst-key.ts";

let chain: Chain;
let cases: { benign: Record<string, Proposal>; malicious: Record<string, Proposal> };
let dataDir: string;

beforeAll(async () => {
  chain = await setupChain();
  // Corpus scenarios under the names these tests use.
  cases = {
    benign: {
      "1% ETH grant to an EOA": await proposalOf(chain, "grant that matches its description"),
      "1% DEMO grant to an EOA": await proposalOf(chain, "token grant"),
      "analyst registration": await proposalOf(chain, "routine analyst registration"),
    },
    malicious: { "drain 60% of the treasury ETH": await proposalOf(chain, "treasury drain, harmless description") },
  };
  await delegateAll(chain.dao, chain.connection);
  dataDir = await mkdtemp(path.join(tmpdir(), "analyst-publish-"));
});

function publisher(publicClient: PublicClient = chain.dao.publicClient as never): Publisher {
  return {
    publicClient,
    wallet: analystWallet(chain.connection),
    decisionLog: chain.dao.deployment.contracts.decisionLog,
    fromBlock: BigInt(chain.dao.deployment.startBlock),
    // a fresh journal object each time, as after a restart
    journal: new PublishJournal(dataDir),
  };
}

async function proposeAndAnalyze(name: string, trigger: Trigger): Promise<Report> {
  const proposal = { ...cases.benign[name]!, description: `${cases.benign[name]!.description} (${trigger} ${Math.random()})` };
  await propose(chain.dao, chain.dao.accounts.alice.account.address, proposal);
  return analyzeProposal({ client: chain.dao.publicClient as never, deployment: chain.dao.deployment, proposal, trigger });
}

describe("publishing to the DecisionLog", () => {
  it("a published analysis verifies from the chain alone", async () => {
    const report = await proposeAndAnalyze("1% ETH grant to an EOA", "created");
    const result = await publishAnalysis(publisher(), report);
    expect(result.status).toBe("published");

    // from here on, only the chain
    const events = await getDecisions(chain.dao.publicClient as never, {
      decisionLog: chain.dao.deployment.contracts.decisionLog,
      fromBlock: 0n,
      proposalId: BigInt(report.proposal.proposalId),
    });
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event!.kind).toBe(0);
    expect(event!.actor.toLowerCase()).toBe(chain.dao.accounts.analyst.account.address.toLowerCase());
    const verified = verifyDecision(event!);
    expect(verified.ok).toBe(true);
    expect(keccak256(event!.reportBytes)).toBe(event!.reportHash);
    expect(verified.report).toEqual(JSON.parse(serializeReport(report).json));
    expect(event!.reportJson).toBe(serializeReport(report).json);
    // The bytes on chain are the canonical JSON compressed with raw DEFLATE, recorded as such.
    expect(event!.encoding).toBe(ReportEncoding.DeflateRawDictionary1);
    expect(event!.reportBytes).toBe(toHex(serializeReport(report).bytes));
    expect(hexToBytes(event!.reportBytes).length).toBeLessThan(event!.reportJson.length / 2);
    expect(event!.risk).toBe(report.scores.risk);
    expect((verified.report as Report).provenance!.trigger).toBe("created");
    // the contract stores this decision as the proposal's latest analysis, with its risk
    const [latestId, storedRisk] = await chain.dao.decisionLog.read.latestDecision([BigInt(report.proposal.proposalId), 0]);
    expect(latestId).toBe(event!.decisionId);
    expect(storedRisk).toBe(report.scores.risk);
    // CIDv1 raw sha2-256, base32, of the bytes on chain
    expect(result.cid).toBe(reportCid(hexToBytes(event!.reportBytes)));
    expect(result.cid).toMatch(/^bafkrei[a-z2-7]{52}$/);
  });

  it("publishing twice for the same proposal and trigger publishes once; another trigger publishes again", async () => {
    const report = await proposeAndAnalyze("1% DEMO grant to an EOA", "created");
    const first = await publishAnalysis(publisher(), report);
    const again = await publishAnalysis(publisher(), report);
    expect(first.status).toBe("published");
    expect(again.status).toBe("already-published");
    expect(again.decision.decisionId).toBe(first.decision.decisionId);

    const queued = await publishAnalysis(publisher(), { ...report, provenance: { ...report.provenance!, trigger: "queued" } });
    expect(queued.status).toBe("published");
    const events = await getDecisions(chain.dao.publicClient as never, { decisionLog: chain.dao.deployment.contracts.decisionLog, fromBlock: 0n, proposalId: BigInt(report.proposal.proposalId) });
    expect(events).toHaveLength(2);
  });

  it("after a crash between signing and broadcasting, a restart sends the same transaction once", async () => {
    const report = await proposeAndAnalyze("analyst registration", "created");
    const real = chain.dao.publicClient as unknown as PublicClient;
    const flaky = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === "sendRawTransaction") return async () => Promise.reject(new Error("connection reset"));
        return Reflect.get(target, prop, receiver);
      },
    });
    await expect(publishAnalysis(publisher(flaky), report)).rejects.toThrow(/connection reset/);
    const journal = new PublishJournal(dataDir);
    const key = `${report.proposal.proposalId}:Analysis:created`;
    const pending = await journal.get(key);
    expect(pending?.txHash).toMatch(/^0x[0-9a-f]{64}$/);

    const result = await publishAnalysis(publisher(), report);
    expect(result.status).toBe("published");
    expect(result.decision.txHash).toBe(pending!.txHash);
    expect(await new PublishJournal(dataDir).get(key)).toBeUndefined();
    const events = await getDecisions(real, { decisionLog: chain.dao.deployment.contracts.decisionLog, fromBlock: 0n, proposalId: BigInt(report.proposal.proposalId) });
    expect(events).toHaveLength(1);
  });

  it("previews are never published", async () => {
    const report = await proposeAndAnalyze("1% ETH grant to an EOA", "preview");
    await expect(publishAnalysis(publisher(), report)).rejects.toThrow(/only reports with trigger/);
  });
});
