import { toHex } from "viem";
import { describe, expect, it } from "vitest";

import { publishedReportBytes } from "@ai-dao/reports/node";
import { ReportEncoding } from "@ai-dao/protocol";
import { analysisChanged, analysisGist } from "../src/publish/changed.ts";
import type { PublishedReportBody } from "../src/report.ts";
import { failedReport } from "../src/failure.ts";

/** A published analysis as the DecisionLog event carries it. */
function onChain(report: unknown) {
  const { encoding, bytes } = publishedReportBytes(report);
  return { encoding, reportBytes: toHex(bytes) };
}

describe("analysisChanged: what makes a queue-time re-analysis worth publishing", () => {
  const base = failedReport({
    chainId: 31337,
    failed: {
      trigger: "created",
      proposalId: 7n,
      proposal: null,
      proposer: null,
      reason: "the RPC timed out",
      attempts: 3,
      event: { name: "ProposalCreated", blockNumber: 12n, transactionHash: `0x${"ab".repeat(32)}`, logIndex: 0 },
    },
  }) as PublishedReportBody;

  it("no published analysis, or an unreadable one, counts as changed", () => {
    expect(analysisChanged(undefined, base)).toBe(true);
    expect(analysisChanged({ encoding: ReportEncoding.DeflateRaw, reportBytes: "0x07" }, base)).toBe(true);
    expect(analysisChanged({ encoding: ReportEncoding.Json, reportBytes: toHex('{"schemaVersion":9}') }, base)).toBe(true);
  });

  it("timestamps, provenance and wording do not count; risk, floor, recommendation and findings do", () => {
    const latest = onChain(base);
    const requeued = { ...base, provenance: { ...base.provenance, trigger: "queued" }, blockNumber: "999" } as PublishedReportBody;
    expect(analysisChanged(latest, requeued)).toBe(false);
    expect(analysisChanged(latest, { ...base, findings: base.findings.map((f) => ({ ...f, title: `${f.title} (again)` })) } as PublishedReportBody)).toBe(false);
    expect(analysisChanged(latest, { ...base, scores: { ...base.scores, risk: 99 } } as PublishedReportBody)).toBe(true);
    expect(analysisChanged(latest, { ...base, recommendation: "against" } as PublishedReportBody)).toBe(true);
    expect(analysisChanged(latest, { ...base, findings: base.findings.map((f) => ({ ...f, severity: "high" })) } as PublishedReportBody)).toBe(true);
    expect(analysisChanged(latest, { ...base, findings: [...base.findings, { ...base.findings[0]!, id: "other/finding" }] } as PublishedReportBody)).toBe(true);
  });

  it("a version 2 analysis on chain is compared like a version 3 one", () => {
    const v2 = { ...base, schemaVersion: 2 };
    expect(analysisChanged(onChain(v2), base)).toBe(false);
    expect(analysisChanged(onChain(v2), { ...base, scores: { ...base.scores, risk: 99 } } as PublishedReportBody)).toBe(true);
  });

  it("finding order does not matter", () => {
    const a = { scores: { risk: 10 }, riskFloor: 5, recommendation: "for", findings: [{ id: "a", severity: "low" }, { id: "b", severity: "info" }] };
    expect(analysisGist(a)).toBe(analysisGist({ ...a, findings: [...a.findings].reverse() }));
  });
});
