import { recommendations, type Recommendation } from "@ai-dao/reports";

import { severityRank, type Finding, type Severity } from "./checks/types.ts";

export { recommendations, type Recommendation };

/** Lowest risk for the most severe finding, and the highest "several findings" may push it within its tier. */
export const SEVERITY_FLOOR: Record<Severity, { base: number; cap: number }> = {
  critical: { base: 80, cap: 100 },
  high: { base: 60, cap: 79 },
  medium: { base: 30, cap: 59 },
  low: { base: 10, cap: 29 },
  info: { base: 0, cap: 0 },
};

/** What each further finding adds on top of the base of the most severe one. */
export const EXTRA_PER_FINDING: Record<Severity, number> = { critical: 10, high: 10, medium: 5, low: 1, info: 0 };

/** The lowest risk of an inconclusive report (a check that applies could not run): the medium base. */
export const INCONCLUSIVE_FLOOR = SEVERITY_FLOOR.medium.base;

/**
 * The risk floor (0–100): the base of the most severe finding (critical 80, high 60, medium 30,
 * low 10, info 0) plus 10 per further critical/high finding, 5 per medium, 1 per low, capped below
 * the next tier (high stays <= 79, medium <= 59, low <= 29; critical up to 100); an inconclusive
 * report is at least {@link INCONCLUSIVE_FLOOR}. Model output may raise the risk later, never lower
 * it below this floor.
 */
export function riskFloor(findings: readonly Finding[], inconclusive = false): number {
  const least = inconclusive ? INCONCLUSIVE_FLOOR : 0;
  if (findings.length === 0) return least;
  const sorted = [...findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const top = sorted[0]!.severity;
  const extra = sorted.slice(1).reduce((sum, f) => sum + EXTRA_PER_FINDING[f.severity], 0);
  return Math.max(least, Math.min(SEVERITY_FLOOR[top].base + extra, SEVERITY_FLOOR[top].cap));
}

/** The most severe finding's severity, or null when there are none. */
export function topSeverity(findings: readonly Finding[]): Severity | null {
  let top: Severity | null = null;
  for (const f of findings) if (top === null || severityRank(f.severity) > severityRank(top)) top = f.severity;
  return top;
}

/**
 * The deterministic recommendation: `against` with any critical finding; `needs-review` with a high
 * one (a person must look before voting); `abstain` with a medium one (the deterministic analysis
 * alone cannot vouch for it, nor object); `for` when at most low/info findings remain. An
 * inconclusive report (a check that applies could not run) is at least `needs-review`.
 */
export function recommend(findings: readonly Finding[], inconclusive = false): Recommendation {
  switch (topSeverity(findings)) {
    case "critical":
      return "against";
    case "high":
      return "needs-review";
    case "medium":
      return inconclusive ? "needs-review" : "abstain";
    default:
      return inconclusive ? "needs-review" : "for";
  }
}
