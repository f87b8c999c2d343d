// Whether a queue-time re-analysis says something the latest published analysis does not. Only
// then is it published: a proposal whose analysis did not change keeps its first decision, and
// the DecisionLog does not pay for the same report twice.
import { canonicalJson, readDecisionReport, type PublishedReportBody } from "@ai-dao/reports";
import type { PublishedDecision } from "@ai-dao/protocol";

/**
 * What an analysis decides, as canonical JSON: `status`, `scores.risk`, `riskFloor`,
 * `recommendation`, and the findings as sorted `id:severity` pairs (a finding's id and severity,
 * not its wording or evidence). Timestamps, blocks, provenance, simulation details and text are left out.
 */
export function analysisGist(report: { status?: string; scores: { risk: number }; riskFloor?: number; recommendation?: string; findings: readonly { id: string; severity: string }[] }): string {
  return canonicalJson({
    status: report.status ?? "analysed",
    risk: report.scores.risk,
    riskFloor: report.riskFloor ?? null,
    recommendation: report.recommendation ?? null,
    findings: report.findings.map((f) => `${f.id}:${f.severity}`).sort(),
  });
}

/**
 * Whether `next` differs from the published decision `latest` (see {@link analysisGist}). No
 * published analysis, or one that cannot be read (corrupt, unknown version, another kind), counts
 * as changed: fail closed, publish.
 */
export function analysisChanged(latest: Pick<PublishedDecision, "reportBytes" | "encoding"> | undefined, next: PublishedReportBody): boolean {
  if (latest === undefined) return true;
  const read = readDecisionReport("Analysis", latest.reportBytes, latest.encoding);
  // Versions 2 and 3 decide alike (3 only drops the checks' names from coverage), so a version 2
  // analysis with the same gist is not worth publishing again. Version 1 had no `status`.
  if (read.kind !== "analysis-failed" && !(read.kind === "analysis" && read.version !== 1)) return true;
  return analysisGist(read.report) !== analysisGist(next);
}
