// What concerns a proposal, from its latest published analysis and the executor's guard decisions:
// the proposal page leads with it and asks for confirmation before Queue/Execute, the list marks it.
// Pure and fail-closed: an analysis that failed, cannot be read or is missing once voting has ended
// is a concern, never "safe".
import { GUARD_REASON_TEXT, readDecisionReport, type DecisionReport } from "@ai-dao/reports";

/** A decision as the indexer lists it (only the fields this needs). */
export interface DecisionInput {
  decisionId: string;
  kind: "ANALYSIS" | "DRAFT" | "EXECUTION_GUARD";
  /** The report's exact bytes (0x hex) or JSON text. */
  report: string;
  /** How the bytes encode the JSON (the indexer's ReportEncoding name); absent: JSON. */
  encoding?: string | null;
}

export interface ConcernFinding {
  severity: "critical" | "high";
  title: string;
}

export interface GuardConcern {
  decisionId: string;
  /** null when the executor's report cannot be read. */
  action: "queue" | "execute" | null;
  decision: "refuse" | "hold" | null;
  reason: keyof typeof GUARD_REASON_TEXT | null;
  /** One plain sentence: what the executor would not do and why. */
  text: string;
  /** Titles of the findings the executor named (analysis-critical holds). */
  findings: string[];
}

export interface Safety {
  /** True when anything below is a concern: the page leads with a warning and Queue/Execute ask to confirm. */
  concerned: boolean;
  /** The analysis' critical and high findings, critical first. */
  findings: ConcernFinding[];
  /** Plain sentences about the analysis (empty when it raises no concern). */
  analysisProblems: string[];
  /** The executor's current holds and refusals, newest first, one per action/decision/reason. */
  guards: GuardConcern[];
  /** The executor refused because a called contract's code changed: executing runs code nobody reviewed. */
  codeDrift: boolean;
  /** A short headline for the banner and the list marker. */
  headline: string;
  /** A few words for the list marker ("Held by the executor", "Critical analysis", …), or null. */
  marker: string | null;
  risk: number | null;
}

const DRIFT_CONSEQUENCE = "Executing it now would run code that nobody reviewed when they voted.";

export function plural(n: number, one: string, many: string = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function findingsOf(read: DecisionReport): ConcernFinding[] {
  if (read.kind !== "analysis" && read.kind !== "analysis-failed") return [];
  const out: ConcernFinding[] = [];
  for (const f of read.report.findings) if (f.severity === "critical" || f.severity === "high") out.push({ severity: f.severity, title: f.title });
  return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "critical" ? -1 : 1));
}

/** Why the analysis is a concern, in plain sentences; empty when it is not. */
function analysisProblemsOf(read: DecisionReport | null, findings: ConcernFinding[], votingEnded: boolean): string[] {
  if (read === null) return votingEnded ? ["No analysis of this proposal has been published, and voting has ended."] : [];
  if (read.kind === "unreadable") return [`The published analysis cannot be read (${read.reason}), so nothing it says can be relied on.`];
  if (read.kind === "analysis-failed") return [`The analysis failed (${read.report.failure.reason}): nothing was checked.`];
  if (read.kind !== "analysis") return ["What was published as this proposal's analysis is not an analysis, so nothing was checked."];
  const problems: string[] = [];
  const critical = findings.filter((f) => f.severity === "critical").length;
  const high = findings.length - critical;
  if (critical > 0) {
    const counts = [plural(critical, "critical finding"), ...(high > 0 ? [plural(high, "high-risk finding")] : [])].join(" and ");
    problems.push(`The analysis has ${counts}.`);
  }
  const risk = read.report.scores.risk;
  if (risk >= 70) problems.push(`The analysis rates its risk ${risk} out of 100.`);
  if (read.report.recommendation === "against") problems.push("The analysis recommends voting against it.");
  if (read.version !== 1 && read.report.inconclusive === true) problems.push("The analysis could not run every check that applies, so it cannot be relied on.");
  return problems;
}

function guardConcern(decisionId: string, read: DecisionReport): GuardConcern {
  if (read.kind !== "execution-guard") {
    return { decisionId, action: null, decision: null, reason: null, findings: [], text: "The executor published a decision that cannot be read, so it may be holding or refusing this proposal." };
  }
  const g = read.report;
  const findings = Array.isArray(g.evidence.findings)
    ? (g.evidence.findings as unknown[]).flatMap((f) => (typeof f === "object" && f !== null && typeof (f as { title?: unknown }).title === "string" ? [(f as { title: string }).title] : []))
    : [];
  const what = g.decision === "refuse" ? `The executor refused to ${g.action} it` : `The executor is holding it before it may ${g.action}`;
  let text = `${what} because ${GUARD_REASON_TEXT[g.reason]}.`;
  if (g.reason === "code-drift") text += ` ${DRIFT_CONSEQUENCE}`;
  return { decisionId, action: g.action, decision: g.decision, reason: g.reason, text, findings };
}

const ANALYSIS_REASONS = new Set(["analysis-critical", "analysis-missing", "analysis-inconclusive"]);

/**
 * What concerns a proposal.
 * - `analysis`: the latest published analysis (read with `readDecisionReport`), or null when none is published;
 * - `analysisDecisionId`: its decision id, so guard holds about an older analysis count as superseded;
 * - `guards`: the executor's decisions about the proposal, read with `readDecisionReport`;
 * - `votingEnded`: once voting has ended, a missing analysis is a concern.
 */
export function proposalSafety(input: {
  analysis: DecisionReport | null;
  analysisDecisionId?: string | null;
  guards: readonly { decisionId: string; read: DecisionReport }[];
  votingEnded: boolean;
}): Safety {
  const { analysis, votingEnded } = input;
  const findings = analysis ? findingsOf(analysis) : [];
  const analysisProblems = analysisProblemsOf(analysis, findings, votingEnded);
  const latestAnalysis = input.analysisDecisionId ? BigInt(input.analysisDecisionId) : null;

  const seen = new Set<string>();
  const guards: GuardConcern[] = [];
  for (const g of [...input.guards].sort((a, b) => (BigInt(b.decisionId) > BigInt(a.decisionId) ? 1 : -1))) {
    const concern = guardConcern(g.decisionId, g.read);
    // A hold about the analysis was decided on the analysis of its time; a newer analysis replaces it
    // (and is judged above on its own).
    if (concern.reason && ANALYSIS_REASONS.has(concern.reason) && latestAnalysis !== null && BigInt(g.decisionId) < latestAnalysis) continue;
    const key = `${concern.action}/${concern.decision}/${concern.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    guards.push(concern);
  }

  // Findings the executor named but the analysis at hand does not list (an older or unread analysis).
  for (const g of guards) for (const title of g.findings) if (!findings.some((f) => f.title === title)) findings.push({ severity: "critical", title });
  findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "critical" ? -1 : 1));

  const codeDrift = guards.some((g) => g.reason === "code-drift");
  const refused = guards.find((g) => g.decision === "refuse");
  const held = guards.find((g) => g.decision === "hold");
  const unreadableGuard = guards.find((g) => g.decision === null);
  const analysisBad = analysisProblems.length > 0;
  const concerned = guards.length > 0 || analysisBad;

  let headline = "";
  let marker: string | null = null;
  if (refused) {
    headline = codeDrift ? "Unsafe to execute: the executor refused it because contract code changed" : `The executor refused to ${refused.action} this proposal`;
    marker = "Refused by the executor";
  } else if (held) {
    headline = `The executor is holding this proposal for review`;
    marker = "Held by the executor";
  } else if (unreadableGuard) {
    headline = "The executor published a decision that cannot be read";
    marker = "Executor decision unreadable";
  }
  if (analysisBad) {
    const kind = analysis === null ? "missing" : analysis.kind === "analysis" ? (findings.some((f) => f.severity === "critical") ? "critical" : "risky") : "failed";
    const words = { missing: ["No analysis was published", "No analysis"], critical: ["The analysis found critical problems", "Critical analysis"], risky: ["The analysis warns against this proposal", "Risky analysis"], failed: ["The analysis failed or cannot be read", "Analysis failed"] }[kind];
    headline = headline ? `${headline}; ${words[0]!.charAt(0).toLowerCase()}${words[0]!.slice(1)}` : words[0]!;
    marker = marker ? `${marker} · ${words[1]}` : words[1]!;
  }
  const risk = analysis && (analysis.kind === "analysis" || analysis.kind === "analysis-failed") ? analysis.report.scores.risk : null;
  return { concerned, findings, analysisProblems, guards, codeDrift, headline, marker, risk };
}

/** {@link proposalSafety} from the indexer's decisions about the proposal (any order); reads every report. */
export function safetyFromDecisions(decisions: readonly DecisionInput[], votingEnded: boolean): Safety {
  let latest: DecisionInput | null = null;
  for (const d of decisions) if (d.kind === "ANALYSIS" && (latest === null || BigInt(d.decisionId) > BigInt(latest.decisionId))) latest = d;
  return proposalSafety({
    analysis: latest ? readDecisionReport("ANALYSIS", latest.report, latest.encoding ?? "JSON") : null,
    analysisDecisionId: latest?.decisionId ?? null,
    guards: decisions.filter((d) => d.kind === "EXECUTION_GUARD").map((d) => ({ decisionId: d.decisionId, read: readDecisionReport("EXECUTION_GUARD", d.report, d.encoding ?? "JSON") })),
    votingEnded,
  });
}

/**
 * {@link proposalSafety} for a row of the proposals list, which carries only the latest analysis and
 * the executor's latest few decisions. A row fetched without the analysis' report falls back to its
 * published risk and recommendation.
 */
export function rowSafety(
  row: { decisions: readonly { risk: number; recommendation: string; decisionId?: string; report?: string; encoding?: string }[]; guards?: readonly { decisionId: string; report: string; encoding?: string }[] },
  votingEnded: boolean,
): Safety {
  const analysis = row.decisions[0];
  const guards: DecisionInput[] = (row.guards ?? []).map((g) => ({ decisionId: g.decisionId, kind: "EXECUTION_GUARD", report: g.report, encoding: g.encoding ?? null }));
  if (analysis === undefined || (analysis.report !== undefined && analysis.decisionId !== undefined)) {
    return safetyFromDecisions(analysis ? [{ decisionId: analysis.decisionId!, kind: "ANALYSIS", report: analysis.report!, encoding: analysis.encoding ?? null }, ...guards] : guards, votingEnded);
  }
  const safety = safetyFromDecisions(guards, false);
  const risky = analysis.risk >= 70 || analysis.recommendation.toUpperCase() === "AGAINST";
  if (!risky) return { ...safety, risk: analysis.risk };
  const problem = analysis.risk >= 70 ? `The analysis rates its risk ${analysis.risk} out of 100.` : "The analysis recommends voting against it.";
  return {
    ...safety,
    concerned: true,
    risk: analysis.risk,
    analysisProblems: [problem],
    headline: safety.headline ? `${safety.headline}; the analysis warns against this proposal` : "The analysis warns against this proposal",
    marker: safety.marker ? `${safety.marker} · Risky analysis` : "Risky analysis",
  };
}
