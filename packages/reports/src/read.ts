import type { z } from "zod";

import {
  analysisV1Schema,
  failedReportSchema,
  failedReportV2Schema,
  REPORT_SCHEMA_VERSION,
  reportSchema,
  reportV2Schema,
  type FailedReport,
  type FailedReportV2,
  type Report,
  type ReportV1,
  type ReportV2,
} from "./analysis.ts";
import { DRAFT_REPORT_SCHEMA_VERSION, draftReportSchema, type DraftReport } from "./draft.ts";
import { decodeReport, ReportDecodeError, ReportEncoding, toReportEncoding, type ReportEncodingInput } from "./encoding.ts";
import { GUARD_REPORT_SCHEMA_VERSION, guardReportSchema, type GuardReport } from "./guard.ts";

/**
 * Reports larger than this are not parsed. The DecisionLog stores a report in calldata, so one this
 * big would cost far more than a block's gas; a larger input is not a report the platform wrote.
 */
export const MAX_REPORT_BYTES = 2 * 1024 * 1024;

/** The DecisionLog's kinds, in the forms the parts meet them: the contract's enum, its names, the subgraph's names. */
export type DecisionKindInput = "Analysis" | "Draft" | "ExecutionGuard" | "ANALYSIS" | "DRAFT" | "EXECUTION_GUARD" | 0 | 1 | 2;
type Kind = "analysis" | "draft" | "execution-guard";

const KINDS: Record<string, Kind> = {
  Analysis: "analysis",
  ANALYSIS: "analysis",
  "0": "analysis",
  Draft: "draft",
  DRAFT: "draft",
  "1": "draft",
  ExecutionGuard: "execution-guard",
  EXECUTION_GUARD: "execution-guard",
  "2": "execution-guard",
};

const KIND_LABEL: Record<Kind, string> = { analysis: "an analysis", draft: "a draft", "execution-guard": "an execution-guard decision" };

/**
 * What a published report is. Anything but `unreadable` passed its schema; `unreadable` says why not
 * in a sentence for people. Fail closed: callers treat `unreadable` (and `analysis-failed`) as risky.
 * `json` is the report's text when the input was bytes or text that decoded as UTF-8.
 */
export type DecisionReport =
  | { kind: "analysis"; version: typeof REPORT_SCHEMA_VERSION; report: Report; json: string | null }
  | { kind: "analysis"; version: 2; report: ReportV2; json: string | null }
  | { kind: "analysis"; version: 1; report: ReportV1; json: string | null }
  | { kind: "analysis-failed"; report: FailedReport | FailedReportV2; json: string | null }
  | { kind: "execution-guard"; report: GuardReport; json: string | null }
  | { kind: "draft"; report: DraftReport; json: string | null }
  | { kind: "unreadable"; reason: string; json: string | null };

/** Bytes (a `Uint8Array` or `0x` hex, as the DecisionLog event carries them), the JSON text, or the parsed value. */
export type ReportInput = Uint8Array | string | unknown;

const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;

function unreadable(reason: string, json: string | null): DecisionReport {
  return { kind: "unreadable", reason, json };
}

/** The first few schema problems, with their paths, in one line. */
function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.map(String).join(".") : "the report"}: ${i.message}`)
    .join("; ")
    .slice(0, 500);
}

/** Bytes or text to a JSON value, or why not. */
function decode(input: ReportInput, encoding: ReportEncodingInput): { value: unknown; json: string | null } | { problem: string; json: string | null } {
  let text: string;
  let value: ReportEncoding;
  try {
    value = toReportEncoding(encoding);
  } catch (error) {
    return { problem: (error as Error).message, json: null };
  }
  if (input instanceof Uint8Array || (typeof input === "string" && input.startsWith("0x"))) {
    if (typeof input === "string" && !HEX.test(input)) return { problem: "the report bytes are not valid hex", json: null };
    const size = typeof input === "string" ? (input.length - 2) / 2 : input.length;
    if (size > MAX_REPORT_BYTES) return { problem: `the report is ${size} bytes, more than the ${MAX_REPORT_BYTES} this reader accepts`, json: null };
    try {
      text = decodeReport(value, input);
    } catch (error) {
      if (error instanceof ReportDecodeError) return { problem: error.message, json: null };
      throw error;
    }
  } else if (value !== ReportEncoding.Json) {
    return { problem: "a compressed report must be given as its bytes", json: null };
  } else if (typeof input === "string") {
    if (input.length > MAX_REPORT_BYTES) return { problem: `the report is ${input.length} characters, more than the ${MAX_REPORT_BYTES} this reader accepts`, json: null };
    text = input;
  } else {
    return { value: input, json: null };
  }
  try {
    return { value: JSON.parse(text) as unknown, json: text };
  } catch {
    return { problem: text.trim() === "" ? "the report is empty" : "the report is not JSON", json: text };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readAnalysis(value: Record<string, unknown>, json: string | null): DecisionReport {
  const version = value.schemaVersion;
  if (version === REPORT_SCHEMA_VERSION) {
    if (value.status === "failed") {
      const failed = failedReportSchema.safeParse(value);
      return failed.success ? { kind: "analysis-failed", report: failed.data, json } : unreadable(`a failed-analysis report that does not match its schema (${issues(failed.error)})`, json);
    }
    const parsed = reportSchema.safeParse(value);
    return parsed.success
      ? { kind: "analysis", version: REPORT_SCHEMA_VERSION, report: parsed.data, json }
      : unreadable(`an analysis report that does not match schema version ${REPORT_SCHEMA_VERSION} (${issues(parsed.error)})`, json);
  }
  if (version === 2) {
    if (value.status === "failed") {
      const failed = failedReportV2Schema.safeParse(value);
      return failed.success ? { kind: "analysis-failed", report: failed.data, json } : unreadable(`a failed-analysis report that does not match its schema (${issues(failed.error)})`, json);
    }
    const parsed = reportV2Schema.safeParse(value);
    return parsed.success ? { kind: "analysis", version: 2, report: parsed.data, json } : unreadable(`an analysis report that does not match schema version 2 (${issues(parsed.error)})`, json);
  }
  if (version === 1 || version === undefined) {
    if (value.status === "failed") return unreadable("a failed-analysis report without schema version 2 or later", json);
    const parsed = analysisV1Schema.safeParse(value);
    return parsed.success ? { kind: "analysis", version: 1, report: parsed.data, json } : unreadable(`an analysis report that does not match schema version 1 (${issues(parsed.error)})`, json);
  }
  return unreadable(`analysis schema version ${describe(version)} is not one this reader knows (1, 2 or 3)`, json);
}

function readGuard(value: Record<string, unknown>, json: string | null): DecisionReport {
  if (value.schemaVersion !== GUARD_REPORT_SCHEMA_VERSION) return unreadable(`execution-guard schema version ${describe(value.schemaVersion)} is not one this reader knows (1)`, json);
  const parsed = guardReportSchema.safeParse(value);
  return parsed.success ? { kind: "execution-guard", report: parsed.data, json } : unreadable(`an execution-guard report that does not match its schema (${issues(parsed.error)})`, json);
}

function readDraft(value: Record<string, unknown>, json: string | null): DecisionReport {
  if (value.schemaVersion !== DRAFT_REPORT_SCHEMA_VERSION) return unreadable(`draft schema version ${describe(value.schemaVersion)} is not one this reader knows (1)`, json);
  const parsed = draftReportSchema.safeParse(value);
  return parsed.success ? { kind: "draft", report: parsed.data, json } : unreadable(`a draft report that does not match its schema (${issues(parsed.error)})`, json);
}

function describe(value: unknown): string {
  if (value === undefined) return "(none)";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** The kind a report says it is: guard and draft reports name theirs; anything else is an analysis. */
function kindOf(value: Record<string, unknown>): Kind {
  if (value.kind === "execution-guard") return "execution-guard";
  if (value.kind === "draft") return "draft";
  return "analysis";
}

/**
 * Reads a report published to the DecisionLog (or served by the analyst) as the kind its decision
 * was published under (`kind`; `undefined` when unknown: the report's own `kind` field decides),
 * from bytes in the decision's `encoding` (default `Json`; `DeflateRaw` bytes are inflated first, and
 * `json` is then the inflated text). Never throws: an unknown encoding, compressed data that is
 * corrupt, truncated, followed by other bytes or inflates beyond 1 MiB, bytes that are not UTF-8,
 * text that is not JSON, a report that does not match its kind's schema, an unknown version, a report
 * of another kind than its decision, or input larger than {@link MAX_REPORT_BYTES} come back as
 * `unreadable` with the reason.
 */
export function readDecisionReport(kind: DecisionKindInput | undefined, input: ReportInput, encoding: ReportEncodingInput = ReportEncoding.Json): DecisionReport {
  try {
    const decoded = decode(input, encoding);
    if ("problem" in decoded) return unreadable(decoded.problem, decoded.json);
    const { value, json } = decoded;
    if (!isObject(value)) return unreadable(`the report is not a JSON object (it is ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value})`, json);
    const expected = kind === undefined ? kindOf(value) : KINDS[String(kind)];
    if (expected === undefined) return unreadable(`unknown decision kind ${describe(kind)}`, json);
    const stated = kindOf(value);
    if (stated !== expected) return unreadable(`the report says it is ${KIND_LABEL[stated]}, but it was published as ${KIND_LABEL[expected]}`, json);
    if (expected === "execution-guard") return readGuard(value, json);
    if (expected === "draft") return readDraft(value, json);
    return readAnalysis(value, json);
  } catch (error) {
    // Stack exhaustion on absurdly nested input, or anything else no schema foresaw.
    return unreadable(`the report could not be read (${error instanceof Error ? error.name : "error"})`, null);
  }
}
