import { canonicalHash, reportBytes, type GuardAction, type GuardReason, type GuardReport } from "@ai-dao/reports";
import type { Hex } from "viem";

// The guard report's schema is defined in @ai-dao/reports, next to the analyst's reports, so the
// web app and auditors read it with the same definitions the executor writes it with.
export { GUARD_REPORT_SCHEMA_VERSION, type GuardAction, type GuardReason, type GuardReport } from "@ai-dao/reports";

export const EXECUTOR_NAME = "@ai-dao/executor";
export const EXECUTOR_VERSION = "0.1.0";

/** The exact bytes to publish and their keccak256 (canonical JSON, RFC 8785). */
export function serializeGuardReport(report: GuardReport): { json: string; bytes: Uint8Array; reportHash: Hex } {
  return reportBytes(report);
}

/** Identifies a decision so the same refusal is published once, not on every poll. */
export function guardKey(proposalId: string, action: GuardAction, reason: GuardReason, fingerprint: unknown): string {
  return `${proposalId}:${action}:${reason}:${canonicalHash(fingerprint ?? null).slice(2, 18)}`;
}
