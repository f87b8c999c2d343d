import { deflateRawSync } from "node:zlib";

import { toHex } from "viem";
import { describe, expect, it } from "vitest";

import { canonicalJson } from "@ai-dao/reports";
import { publishedReportBytes } from "@ai-dao/reports/node";
import { readGuard, toAnalysis } from "../src/watcher.ts";

// Publishers compress their reports; the subgraph cannot inflate them, so the notifier reads them.
describe("compressed reports", () => {
  const guard = {
    schemaVersion: 1,
    kind: "execution-guard",
    executor: { name: "@ai-dao/executor", version: "0.1.0", address: "0x0000000000000000000000000000000000000009" },
    chainId: 31337,
    governor: "0x0000000000000000000000000000000000000001",
    proposalId: "7",
    action: "queue",
    decision: "hold",
    reason: "analysis-missing",
    summary: "No analysis has been published.",
    blockNumber: "12",
    evidence: { risk: 100 },
  };

  it("reads a compressed guard decision, and counts a corrupt one as unreadable (a refusal)", () => {
    const { bytes } = publishedReportBytes(guard);
    const read = { decision: "hold", action: "queue", reason: "analysis-missing", summary: "No analysis has been published." };
    expect(readGuard(toHex(bytes), "DEFLATE_RAW_DICTIONARY_1")).toEqual(read);
    expect(readGuard(toHex(bytes), "JSON")).toBeNull();
    expect(readGuard(toHex(bytes), "DEFLATE_RAW")).toBeNull();
    expect(readGuard(`${toHex(bytes)}00`, "DEFLATE_RAW_DICTIONARY_1")).toBeNull();
    // Published before the report dictionary: plain raw DEFLATE.
    expect(readGuard(toHex(deflateRawSync(canonicalJson(guard))), "DEFLATE_RAW")).toEqual(read);
  });

  it("takes a compressed analysis' summary and finding count from its bytes", () => {
    const report = { schemaVersion: 1, summary: "Pays dave.", findings: [{ id: "a", severity: "info", title: "A" }], scores: { risk: 12 }, riskFloor: 5, recommendation: "for" };
    const { bytes } = publishedReportBytes(report);
    const fields = { id: "3", decisionId: "3", proposalId: "7", kind: "ANALYSIS", risk: 12, recommendation: "FOR", summary: null, findingCount: null, block: "1", timestamp: "1", tx: "0x" } as const;
    expect(toAnalysis({ ...fields, encoding: "DEFLATE_RAW_DICTIONARY_1", report: toHex(bytes) } as never)).toMatchObject({ risk: 12, recommendation: "for", summary: "Pays dave.", findingCount: 1 });
    expect(toAnalysis({ ...fields, encoding: "DEFLATE_RAW", report: "0x07" } as never)).toMatchObject({ summary: null, findingCount: null });
  });
});
