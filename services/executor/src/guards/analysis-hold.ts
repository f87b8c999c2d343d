import { DecisionKind, getDecisions, getLatestDecisionId, Recommendation } from "@ai-dao/protocol";
import { readDecisionReport, ReportEncoding } from "@ai-dao/reports";
import { keccak256, type Hex } from "viem";

import type { Guard, GuardContext, GuardOutcome } from "./types.ts";

interface AnalysisSummary {
  decisionId: string;
  reportHash: Hex;
  risk: number;
  critical: { id: string; title: string; severity: string }[];
  /** Why the report cannot be relied on (it says the analysis failed, or it lacks a risk or findings), or null. */
  inconclusive: string | null;
}

/**
 * The analysis guard. No analysis is not "safe": a proposal nobody has analysed, or whose analysis
 * failed or cannot be relied on, is held exactly like one with a critical finding, until a clean
 * analysis is published or an operator lifts the hold (`EXECUTOR_OVERRIDES`).
 */
export function createAnalysisHold(): Guard {
  /** Reports already read, by decision id (a published decision never changes). */
  const cache = new Map<string, AnalysisSummary>();

  async function hold(ctx: GuardContext): Promise<GuardOutcome | null> {
    const analysis = await latestAnalysis(ctx, cache);
    const held = { decision: "hold" as const, recommendation: Recommendation.NeedsReview };
    const guardian = await ctx.guardian();
    if (analysis === null) {
      return {
        ...held,
        reason: "analysis-missing",
        summary: "no analysis has been published for this proposal; waiting for the analyst's report or an operator override",
        risk: 100,
        evidence: { decisionLog: ctx.decisionLog, guardian, override: "EXECUTOR_OVERRIDES" },
        fingerprint: "no-analysis",
      };
    }
    const evidence = { analysisDecisionId: analysis.decisionId, analysisReportHash: analysis.reportHash, guardian, override: "EXECUTOR_OVERRIDES" };
    if (analysis.critical.length > 0) {
      return {
        ...held,
        reason: "analysis-critical",
        summary: `the latest analysis has ${analysis.critical.length} critical finding(s): ${analysis.critical.map((f) => f.id).join(", ")}; waiting for an operator override`,
        risk: analysis.risk,
        evidence: { ...evidence, findings: analysis.critical },
        fingerprint: analysis.decisionId,
      };
    }
    if (analysis.inconclusive !== null) {
      return {
        ...held,
        reason: "analysis-inconclusive",
        summary: `the latest analysis cannot be relied on: ${analysis.inconclusive}; waiting for a new analysis or an operator override`,
        risk: 100,
        evidence: { ...evidence, problem: analysis.inconclusive },
        fingerprint: analysis.decisionId,
      };
    }
    return null;
  }

  return {
    name: "analysis hold",
    async check(ctx) {
      const outcome = await hold(ctx);
      if (outcome === null || !ctx.overrides.has(ctx.proposal.proposalId)) return outcome;
      ctx.logger.warn({ proposalId: ctx.proposal.proposalId, reason: outcome.reason, summary: outcome.summary }, "analysis hold overridden by the operator");
      return null;
    },
  };
}

/**
 * The latest Analysis decision for the proposal, or null. Its bytes must hash to the event's hash (the
 * chain checked it before emitting) and its risk must be the one the DecisionLog stored, or it counts
 * as a critical finding: a node that serves something else is not believed.
 */
async function latestAnalysis(ctx: GuardContext, cache: Map<string, AnalysisSummary>): Promise<AnalysisSummary | null> {
  const proposalId = BigInt(ctx.proposal.proposalId);
  const q = { decisionLog: ctx.decisionLog, proposalId, kind: DecisionKind.Analysis };
  const latest = await getLatestDecisionId(ctx.client, q);
  if (latest === null) return null;
  const { decisionId } = latest;
  const cached = cache.get(decisionId.toString());
  if (cached !== undefined) return cached;
  const decision = (await getDecisions(ctx.client, { ...q, fromBlock: ctx.fromBlock })).find((d) => d.decisionId === decisionId);
  if (decision === undefined) throw new Error(`DecisionPublished event of decision ${decisionId} not found`);
  const { reportHash } = decision;
  const mismatch =
    keccak256(decision.reportBytes) !== reportHash
      ? { id: "executor/report-hash-mismatch", title: "published analysis bytes do not match their hash" }
      : decision.risk !== latest.risk
        ? { id: "executor/report-risk-mismatch", title: `published analysis risk ${decision.risk} is not the risk ${latest.risk} the DecisionLog stored` }
        : null;
  const summary: AnalysisSummary =
    mismatch !== null
      ? { decisionId: decisionId.toString(), reportHash, risk: 100, critical: [{ ...mismatch, severity: "critical" }], inconclusive: null }
      : { decisionId: decisionId.toString(), reportHash, ...readAnalysis(decision.reportBytes, decision.risk, decision.encoding) };
  ctx.logger.debug({ proposalId: ctx.proposal.proposalId, decisionId: summary.decisionId, critical: summary.critical.length }, "analysis read");
  cache.set(summary.decisionId, summary);
  return summary;
}

/**
 * The parts of a published analysis report the guard needs, read with `@ai-dao/reports`' reader
 * from its bytes in their `encoding` (the decision's; Json when not given); anything it cannot read
 * counts against the proposal. Bytes that are not a JSON report (an unknown encoding, compressed data
 * that is corrupt, followed by other bytes or inflates beyond 1 MiB, not UTF-8, not JSON, too large) are a critical finding; a failed analysis, or a JSON report that does not
 * match its schema, is inconclusive (a hold either way), at risk 100 whatever the decision's
 * `eventRisk` says.
 */
export function readAnalysis(bytes: Hex, eventRisk: number, encoding: number = ReportEncoding.Json): Pick<AnalysisSummary, "risk" | "critical" | "inconclusive"> {
  const read = readDecisionReport("Analysis", bytes, encoding);
  const criticalOf = (findings: readonly { id: string; title: string; severity: string }[]) =>
    findings.filter((f) => f.severity === "critical").map((f) => ({ id: f.id, title: f.title, severity: "critical" }));
  switch (read.kind) {
    case "analysis": {
      // A check that applied but could not run (no fork, an RPC error) leaves the analysis incomplete.
      const report = read.report as { inconclusive?: boolean; coverage?: { check: string; status: string; reason?: string }[] };
      const skipped = (report.coverage ?? []).filter((c) => c.status === "skipped").map((c) => `${c.check}${c.reason ? ` (${c.reason})` : ""}`);
      const inconclusive = report.inconclusive === true ? `the analysis is incomplete: ${skipped.length > 0 ? `not checked: ${skipped.join("; ")}` : "some checks could not run"}` : null;
      return { risk: read.report.scores.risk, critical: criticalOf(read.report.findings), inconclusive };
    }
    case "analysis-failed":
      return { risk: 100, critical: criticalOf(read.report.findings), inconclusive: "the analyst reports that the analysis failed" };
    case "unreadable":
      break;
    default:
      // The reader was asked for an analysis, so it never answers another kind; if it did, trust nothing.
      return { risk: 100, critical: [], inconclusive: `the published analysis is a ${read.kind} report` };
  }
  let value: unknown;
  try {
    value = read.json === null ? undefined : JSON.parse(read.json);
  } catch {
    value = undefined;
  }
  if (value === undefined) {
    return { risk: 100, critical: [{ id: "executor/unreadable-analysis", title: `the published analysis cannot be read: ${read.reason}`, severity: "critical" }], inconclusive: null };
  }
  // JSON that is not a report the reader accepts: say what is missing in the words operators know.
  const report = (typeof value === "object" && value !== null ? value : {}) as { status?: unknown; findings?: unknown; scores?: { risk?: unknown } };
  let inconclusive: string;
  if (report.status === "failed") inconclusive = "the analyst reports that the analysis failed";
  else if (!Array.isArray(report.findings)) inconclusive = "the report lists no findings";
  else if (typeof report.scores?.risk !== "number") inconclusive = "the report has no risk score";
  else inconclusive = read.reason;
  return { risk: Math.max(eventRisk, 100), critical: [], inconclusive };
}
