import { canonicalHash, canonicalJson } from "@ai-dao/analyst";
import { stringToBytes, type Hex } from "viem";

export const GUARD_REPORT_SCHEMA_VERSION = 1;
export const EXECUTOR_NAME = "@ai-dao/executor";
export const EXECUTOR_VERSION = "0.1.0";

export type GuardAction = "queue" | "execute";
export type GuardReason = "code-drift" | "simulation-revert" | "analysis-critical" | "analysis-missing" | "analysis-inconclusive";

/** The JSON published with an EXECUTION_GUARD decision (canonical JSON, RFC 8785). */
export interface GuardReport {
  schemaVersion: typeof GUARD_REPORT_SCHEMA_VERSION;
  kind: "execution-guard";
  executor: { name: string; version: string; address: string };
  chainId: number;
  governor: string;
  proposalId: string;
  action: GuardAction;
  decision: "refuse" | "hold";
  reason: GuardReason;
  summary: string;
  blockNumber: string;
  evidence: Record<string, unknown>;
}

/** The exact bytes to publish and their keccak256. */
export function serializeGuardReport(report: GuardReport): { json: string; bytes: Uint8Array; reportHash: Hex } {
  const json = canonicalJson(report);
  return { json, bytes: stringToBytes(json), reportHash: canonicalHash(report) };
}

/** Identifies a decision so the same refusal is published once, not on every poll. */
export function guardKey(proposalId: string, action: GuardAction, reason: GuardReason, fingerprint: unknown): string {
  return `${proposalId}:${action}:${reason}:${canonicalHash(fingerprint ?? null).slice(2, 18)}`;
}
