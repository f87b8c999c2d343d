import { canonicalHash, type GuardAction, type GuardReason, type GuardReport, type ReportEncoding } from "@ai-dao/reports";
import { publishedReportBytes } from "@ai-dao/reports/node";
import type { Hex } from "viem";

// The guard report's schema is defined in @ai-dao/reports, next to the analyst's reports, so the
// web app and auditors read it with the same definitions the executor writes it with.
export { GUARD_REPORT_SCHEMA_VERSION, type GuardAction, type GuardReason, type GuardReport } from "@ai-dao/reports";

export const EXECUTOR_NAME = "@ai-dao/executor";
export const EXECUTOR_VERSION = "0.1.0";

/**
 * The report's canonical JSON (RFC 8785) and the exact bytes to publish: that JSON compressed with
 * raw DEFLATE (encoding DeflateRaw), with `reportHash = keccak256(bytes)`.
 */
export function serializeGuardReport(report: GuardReport): { json: string; encoding: ReportEncoding; bytes: Uint8Array; reportHash: Hex } {
  return publishedReportBytes(report);
}

/** Identifies a decision so the same refusal is published once, not on every poll. */
export function guardKey(proposalId: string, action: GuardAction, reason: GuardReason, fingerprint: unknown): string {
  return `${proposalId}:${action}:${reason}:${canonicalHash(fingerprint ?? null).slice(2, 18)}`;
}
