import { stringToBytes, stringToHex, toHex } from "viem";
import { describe, expect, it } from "vitest";

import {
  canonicalJson,
  draftReportSchema,
  failedReportSchema,
  guardReportSchema,
  MAX_REPORT_BYTES,
  publishedReportSchema,
  readDecisionReport,
  REPORT_SCHEMA_VERSION,
  reportSchema,
  reportV2Schema,
  type DecisionReport,
} from "../src/index.ts";
import { draftReport, failedReport, failedReportV2, guardReport, modelReport, modelReportV2, v1Report } from "./fixtures.ts";

function unreadableReason(result: DecisionReport): string {
  expect(result.kind).toBe("unreadable");
  return result.kind === "unreadable" ? result.reason : "";
}

describe("schemas", () => {
  it("accept the reports the parts write", () => {
    expect(reportSchema.parse(modelReport)).toEqual(modelReport);
    expect(failedReportSchema.parse(failedReport)).toEqual(failedReport);
    expect(publishedReportSchema.parse(failedReport).status).toBe("failed");
    expect(guardReportSchema.parse(guardReport)).toEqual(guardReport);
    expect(draftReportSchema.parse(draftReport)).toEqual(draftReport);
  });

  it("refuse unknown fields and out-of-range scores when writing", () => {
    expect(reportSchema.safeParse({ ...modelReport, extra: 1 }).success).toBe(false);
    expect(reportSchema.safeParse({ ...modelReport, scores: { risk: 101 } }).success).toBe(false);
    expect(failedReportSchema.safeParse({ ...failedReport, scores: { risk: 99 } }).success).toBe(false);
    expect(guardReportSchema.safeParse({ ...guardReport, decision: "allow" }).success).toBe(false);
    expect(reportSchema.safeParse({ ...modelReport, intentVsEffect: { claims: [{ claim: "x", status: "probably", evidence: [], explanation: "" }], undisclosedEffects: [] } }).success).toBe(false);
  });

  it("write version 3, whose coverage entries carry no name", () => {
    expect(REPORT_SCHEMA_VERSION).toBe(3);
    const named = { ...modelReport, coverage: [{ check: "treasury-outflow", name: "Treasury outflow", status: "ran" }] };
    const result = reportSchema.safeParse(named);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["coverage", 0]);
    expect(publishedReportSchema.safeParse(named).success).toBe(false);
    expect(reportSchema.safeParse({ ...modelReport, schemaVersion: 2 }).success).toBe(false);
    expect(failedReportSchema.safeParse(failedReportV2).success).toBe(false);
  });

  it("keep version 2 strict too: its coverage entries need their name", () => {
    expect(reportV2Schema.parse(modelReportV2)).toEqual(modelReportV2);
    expect(reportV2Schema.safeParse({ ...modelReportV2, coverage: modelReport.coverage }).success).toBe(false);
    expect(reportV2Schema.safeParse({ ...modelReportV2, extra: 1 }).success).toBe(false);
  });
});

describe("readDecisionReport", () => {
  it("reads a version 3 analysis from bytes, hex, text or a value", () => {
    const json = canonicalJson(modelReport);
    for (const input of [stringToBytes(json), stringToHex(json), json, modelReport]) {
      const result = readDecisionReport("Analysis", input);
      expect(result.kind).toBe("analysis");
      if (result.kind !== "analysis" || result.version !== 3) throw new Error("expected version 3");
      expect(result.report.intentVsEffect?.claims[0]?.status).toBe("unsupported");
      expect(result.report.coverage?.[0]).toEqual({ check: "treasury-outflow", status: "ran" });
      expect(result.json).toBe(input === modelReport ? null : json);
    }
  });

  it("still reads a version 2 analysis published with the checks' names", () => {
    const json = canonicalJson(modelReportV2);
    for (const input of [stringToBytes(json), json, modelReportV2]) {
      const result = readDecisionReport("Analysis", input);
      if (result.kind !== "analysis" || result.version !== 2) throw new Error(`expected version 2, got ${result.kind}`);
      expect(result.report.coverage?.map((c) => c.name)).toEqual(["Treasury outflow", "Running the proposal on a copy of the chain"]);
    }
    const failed = readDecisionReport("Analysis", canonicalJson(failedReportV2));
    expect(failed.kind).toBe("analysis-failed");
    if (failed.kind === "analysis-failed") expect(failed.report.schemaVersion).toBe(2);
  });

  it("refuses a coverage entry in the shape of the other version", () => {
    expect(unreadableReason(readDecisionReport("Analysis", { ...modelReport, coverage: modelReportV2.coverage }))).toMatch(/schema version 3 \(coverage\.0: /);
    expect(unreadableReason(readDecisionReport("Analysis", { ...modelReportV2, coverage: modelReport.coverage }))).toMatch(/schema version 2 \(coverage\.0\.name: /);
  });

  it("accepts the kind in every form the parts use", () => {
    const hex = stringToHex(canonicalJson(guardReport));
    for (const kind of ["ExecutionGuard", "EXECUTION_GUARD", 2, undefined] as const) expect(readDecisionReport(kind, hex).kind).toBe("execution-guard");
    expect(readDecisionReport("DRAFT", draftReport).kind).toBe("draft");
    expect(readDecisionReport(1, draftReport).kind).toBe("draft");
    expect(readDecisionReport(0, modelReport).kind).toBe("analysis");
  });

  it("reads a failed analysis as such, never as a verdict", () => {
    const result = readDecisionReport("ANALYSIS", canonicalJson(failedReport));
    expect(result.kind).toBe("analysis-failed");
    if (result.kind === "analysis-failed") expect(result.report.failure.reason).toBe("the node timed out");
  });

  it("reads version 1 tolerantly: only the fixed fields are checked, odd optional sections dropped", () => {
    const result = readDecisionReport("Analysis", { ...v1Report, model: "claude-old", intentVsEffect: [{ claim: "x" }], unknownField: { a: 1 } });
    if (result.kind !== "analysis" || result.version !== 1) throw new Error(`expected version 1, got ${result.kind}`);
    expect(result.report.scores.risk).toBe(10);
    expect(result.report.model).toBe("claude-old");
    expect(result.report.intentVsEffect).toBeUndefined();
    expect(result.report.unknownField).toEqual({ a: 1 });
    expect(readDecisionReport("Analysis", { findings: [], scores: { risk: 12 } }).kind).toBe("analysis");
  });

  it("reports version 1 without findings or risk as unreadable", () => {
    expect(unreadableReason(readDecisionReport("Analysis", { ...v1Report, findings: undefined }))).toMatch(/schema version 1 \(findings: /);
    expect(unreadableReason(readDecisionReport("Analysis", { ...v1Report, scores: { risk: "low" } }))).toMatch(/scores\.risk/);
    expect(unreadableReason(readDecisionReport("Analysis", { ...v1Report, findings: [{ id: "x", severity: "apocalyptic", title: "t" }] }))).toMatch(/severity/);
    expect(unreadableReason(readDecisionReport("Analysis", { ...v1Report, status: "failed" }))).toMatch(/failed-analysis report without schema version 2/);
  });

  it("names the problem of a version 2 or 3 report that does not match", () => {
    expect(unreadableReason(readDecisionReport("Analysis", { ...modelReport, riskFloor: 300 }))).toMatch(/schema version 3 \(riskFloor: /);
    expect(unreadableReason(readDecisionReport("Analysis", { ...modelReportV2, riskFloor: 300 }))).toMatch(/schema version 2 \(riskFloor: /);
    expect(unreadableReason(readDecisionReport("Analysis", { ...failedReport, failure: undefined }))).toMatch(/failed-analysis report .*failure/);
    expect(unreadableReason(readDecisionReport("Analysis", { ...failedReportV2, failure: undefined }))).toMatch(/failed-analysis report .*failure/);
    expect(unreadableReason(readDecisionReport("Analysis", { ...modelReport, schemaVersion: 4 }))).toBe("analysis schema version 4 is not one this reader knows (1, 2 or 3)");
    expect(unreadableReason(readDecisionReport("ExecutionGuard", { ...guardReport, schemaVersion: 2 }))).toMatch(/version 2 is not one/);
    expect(unreadableReason(readDecisionReport("ExecutionGuard", { ...guardReport, reason: "vibes" }))).toMatch(/reason/);
    expect(unreadableReason(readDecisionReport("Draft", { ...draftReport, proposal: {} }))).toMatch(/draft report/);
  });

  it("refuses a report of another kind than its decision", () => {
    expect(unreadableReason(readDecisionReport("Analysis", guardReport))).toBe("the report says it is an execution-guard decision, but it was published as an analysis");
    expect(unreadableReason(readDecisionReport("ExecutionGuard", modelReport))).toBe("the report says it is an analysis, but it was published as an execution-guard decision");
    expect(unreadableReason(readDecisionReport("Draft", guardReport))).toMatch(/published as a draft/);
    expect(unreadableReason(readDecisionReport("Vote" as never, modelReport))).toMatch(/unknown decision kind/);
  });

  it("never throws on garbage", () => {
    const garbage: unknown[] = [
      "",
      "   ",
      "not json",
      "null",
      "[]",
      "42",
      '"text"',
      "{",
      "0x",
      "0xzz",
      "0x123",
      toHex(new Uint8Array([0xff, 0xfe, 0x00])),
      new Uint8Array([0xc3, 0x28]),
      null,
      undefined,
      42,
      [],
      { __proto__: { schemaVersion: 2 } },
      JSON.parse('{"__proto__":{"schemaVersion":2},"findings":"no"}'),
      { schemaVersion: { toString: null } },
      { schemaVersion: 2, status: "analysed", findings: new Array(5).fill(null) },
      "[".repeat(100_000) + "]".repeat(100_000),
      `{"a":${"[".repeat(20_000)}${"]".repeat(20_000)},"findings":[],"scores":{"risk":1}}`,
    ];
    for (const input of garbage) {
      for (const kind of ["Analysis", "ExecutionGuard", "Draft", undefined] as const) {
        const result = readDecisionReport(kind, input);
        if (result.kind !== "analysis") expect(result.kind).toBe("unreadable");
      }
    }
    expect(unreadableReason(readDecisionReport("Analysis", "not json"))).toBe("the report is not JSON");
    expect(unreadableReason(readDecisionReport("Analysis", ""))).toBe("the report is empty");
    expect(unreadableReason(readDecisionReport("Analysis", "null"))).toBe("the report is not a JSON object (it is null)");
    expect(unreadableReason(readDecisionReport("Analysis", new Uint8Array([0xc3, 0x28])))).toBe("the report bytes are not valid UTF-8 text");
    expect(unreadableReason(readDecisionReport("Analysis", "0x123"))).toBe("the report bytes are not valid hex");
  });

  it("refuses huge input before parsing it", () => {
    const huge = `{"findings":[],"scores":{"risk":1},"pad":"${"a".repeat(MAX_REPORT_BYTES)}"}`;
    const started = performance.now();
    expect(unreadableReason(readDecisionReport("Analysis", huge))).toMatch(/more than the/);
    expect(unreadableReason(readDecisionReport("Analysis", stringToBytes(huge)))).toMatch(/bytes, more than the/);
    expect(unreadableReason(readDecisionReport("Analysis", stringToHex(huge)))).toMatch(/bytes, more than the/);
    expect(performance.now() - started).toBeLessThan(2000);
    // Just under the limit is read: a large report the platform could have written.
    const large = { ...modelReport, notes: ["n".repeat(MAX_REPORT_BYTES - 10_000)] };
    expect(readDecisionReport("Analysis", canonicalJson(large)).kind).toBe("analysis");
  });
});
