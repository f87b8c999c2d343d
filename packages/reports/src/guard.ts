import { z } from "zod";

import { address, decimal, hash, json } from "./fields.ts";

export const GUARD_REPORT_SCHEMA_VERSION = 1;

export const guardActions = ["queue", "execute"] as const;
export type GuardAction = (typeof guardActions)[number];

/** `refuse`: the executor will not do this step; `hold`: it waits for a clean analysis or an operator. */
export const guardDecisions = ["refuse", "hold"] as const;
export type GuardDecision = (typeof guardDecisions)[number];

export const guardReasons = ["code-drift", "simulation-revert", "analysis-critical", "analysis-missing", "analysis-inconclusive"] as const;
export type GuardReason = (typeof guardReasons)[number];

/**
 * The JSON the executor publishes with an EXECUTION_GUARD decision (canonical JSON, RFC 8785).
 * `evidence` depends on `reason` and always carries `risk` (the risk published with the decision):
 * - `code-drift`: `pinnedAtBlock`, `changes[]` (`address`, `field`, `pinned`, `current`), `pinned`, `current`;
 * - `simulation-revert`: `from`, `to`, `calldata`, `simulatedAtBlock`, `revert` (`kind`, `message`, `name`, `args`, …);
 * - `analysis-missing`: `decisionLog`, `guardian`, `override`;
 * - `analysis-critical`: `analysisDecisionId`, `analysisReportHash`, `guardian`, `override`, `findings[]`;
 * - `analysis-inconclusive`: the same, with `problem` instead of `findings`.
 */
export const guardReportSchema = z.strictObject({
  schemaVersion: z.literal(GUARD_REPORT_SCHEMA_VERSION),
  kind: z.literal("execution-guard"),
  executor: z.strictObject({ name: z.string(), version: z.string(), address }),
  chainId: z.number().int().positive(),
  governor: address,
  proposalId: decimal,
  action: z.enum(guardActions),
  decision: z.enum(guardDecisions),
  reason: z.enum(guardReasons),
  /** One line for people. */
  summary: z.string(),
  blockNumber: decimal,
  evidence: z.record(z.string(), json),
});

export type GuardReport = z.output<typeof guardReportSchema>;

/** What a guard reason means, in plain words for DAO members. */
export const GUARD_REASON_TEXT: Record<GuardReason, string> = {
  "code-drift": "the code of a contract this proposal calls changed after the proposal was created",
  "simulation-revert": "running the exact call on the current chain fails (it would revert)",
  "analysis-critical": "the published analysis has a critical finding",
  "analysis-missing": "no analysis of this proposal has been published",
  "analysis-inconclusive": "the published analysis failed or cannot be relied on",
};

