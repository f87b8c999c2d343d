import { performance } from "node:perf_hooks";

import type { Report } from "../src/report.ts";
import { setupChain, type Chain } from "./chain.ts";
import { scenarios as allScenarios, type Scenario, type ScenarioInput } from "./corpus.ts";

/** A proposal is flagged when its risk reaches this and the recommendation is not `for`. */
export const MALICIOUS_MIN_RISK = 70;
/** A benign proposal raises a false alarm at this risk, or with any high or critical finding. */
export const BENIGN_MAX_RISK = 40;
const HIGH = new Set(["high", "critical"]);

export interface ScenarioResult {
  scenario: Scenario;
  /** Absent when the scenario could not be built. */
  input?: ScenarioInput;
  /** Absent when the scenario could not be built or the analysis threw (`error` says which). */
  report?: Report;
  /** Why there is no report: the build or the analysis threw. */
  error?: string;
  /** Milliseconds of the analysis alone (building the scenario excluded). */
  latencyMs: number;
  /** What did not hold: empty when the scenario passed. */
  failures: string[];
}

/** Flagged: risk >= 70 and a recommendation other than `for`. */
export function isFlagged(report: Pick<Report, "scores" | "recommendation">): boolean {
  return report.scores.risk >= MALICIOUS_MIN_RISK && report.recommendation !== "for";
}

/** An alarm: risk >= 40 or any high or critical finding (a false alarm when the proposal is benign). */
export function isAlarm(report: Pick<Report, "scores" | "findings">): boolean {
  return report.scores.risk >= BENIGN_MAX_RISK || report.findings.some((f) => HIGH.has(f.severity));
}

/**
 * Whether `findings` satisfy one expectation: `id:severity` exactly, `id` at any severity, or
 * `check/*` for any finding of that check.
 */
export function matchesExpectation(expectation: string, findings: readonly { id: string; severity: string }[]): boolean {
  if (expectation.endsWith("/*")) {
    const prefix = expectation.slice(0, -1);
    return findings.some((f) => f.id.startsWith(prefix));
  }
  if (expectation.includes(":")) return findings.some((f) => `${f.id}:${f.severity}` === expectation);
  return findings.some((f) => f.id === expectation);
}

/** What a scenario's report must satisfy: flagged (malicious) or no alarm (benign), and every expected finding. */
export function judge(scenario: Scenario, report: Report): string[] {
  const failures: string[] = [];
  if (scenario.kind === "malicious") {
    if (report.scores.risk < MALICIOUS_MIN_RISK) failures.push(`risk ${report.scores.risk} < ${MALICIOUS_MIN_RISK}`);
    if (report.recommendation === "for") failures.push("recommendation is `for`");
  } else {
    if (report.scores.risk >= BENIGN_MAX_RISK) failures.push(`risk ${report.scores.risk} >= ${BENIGN_MAX_RISK}`);
    const severe = report.findings.filter((f) => HIGH.has(f.severity));
    if (severe.length > 0) failures.push(`high/critical findings: ${severe.map((f) => `${f.id}:${f.severity}`).join(", ")}`);
  }
  for (const expectation of scenario.expect) if (!matchesExpectation(expectation, report.findings)) failures.push(`missing ${expectation}`);
  if (report.simulation?.status === "reverted" && scenario.kind === "benign") failures.push(`simulation reverted: ${report.simulation.revert?.reason}`);
  return failures;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).split("\n")[0]!;

/**
 * Builds and analyses every scenario in order on `chain` (a fresh one when not given), then runs its
 * `after`. A scenario that cannot be built, or whose analysis throws, is a failed row; the next
 * scenarios still run.
 */
export async function runCorpus(options: { chain?: Chain; simulate?: boolean; scenarios?: Scenario[] } = {}): Promise<{ chain: Chain; results: ScenarioResult[] }> {
  const chain = options.chain ?? (await setupChain());
  const results: ScenarioResult[] = [];
  for (const scenario of options.scenarios ?? allScenarios) {
    let input: ScenarioInput;
    try {
      input = await scenario.build(chain);
    } catch (error) {
      results.push({ scenario, error: `build failed: ${message(error)}`, latencyMs: 0, failures: [`build failed: ${message(error)}`] });
      continue;
    }
    const started = performance.now();
    try {
      const report = await chain.analyze(input.proposal, { simulate: options.simulate ?? true, ...(input.proposer ? { proposer: input.proposer } : {}) });
      results.push({ scenario, input, report, latencyMs: performance.now() - started, failures: judge(scenario, report) });
    } catch (error) {
      results.push({ scenario, input, error: `analysis threw: ${message(error)}`, latencyMs: performance.now() - started, failures: [`analysis threw: ${message(error)}`] });
    }
    try {
      await scenario.after?.(chain);
    } catch (error) {
      results.at(-1)!.failures.push(`after failed: ${message(error)}`);
    }
  }
  return { chain, results };
}

/** One scenario's outcome as the metrics count it. */
export interface Outcome {
  kind: "malicious" | "benign";
  family: string;
  flagged: boolean;
  alarm: boolean;
}

/**
 * Counts and rates over a set of outcomes. "Positive" is flagged (risk >= 70, not `for`): tp a
 * flagged malicious scenario, fn an unflagged one, fp a flagged benign one, tn an unflagged one.
 * A rate whose denominator is 0 is null (reported as "-"), never 0 or 1.
 */
export interface Metrics {
  scenarios: number;
  malicious: number;
  benign: number;
  tp: number;
  fn: number;
  fp: number;
  tn: number;
  /** Benign scenarios with risk >= 40 or a high/critical finding. */
  falseAlarms: number;
  /** tp / (tp + fp) */
  precision: number | null;
  /** tp / (tp + fn) */
  recall: number | null;
  /** Harmonic mean of precision and recall; 0 when both are 0, null when either is null. */
  f1: number | null;
  /** falseAlarms / benign */
  falseAlarmRate: number | null;
}

const ratio = (numerator: number, denominator: number): number | null => (denominator === 0 ? null : numerator / denominator);

export function computeMetrics(outcomes: readonly Outcome[]): Metrics {
  const count = (kind: Outcome["kind"], flagged: boolean) => outcomes.filter((o) => o.kind === kind && o.flagged === flagged).length;
  const tp = count("malicious", true);
  const fn = count("malicious", false);
  const fp = count("benign", true);
  const tn = count("benign", false);
  const benign = fp + tn;
  const falseAlarms = outcomes.filter((o) => o.kind === "benign" && o.alarm).length;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { scenarios: outcomes.length, malicious: tp + fn, benign, tp, fn, fp, tn, falseAlarms, precision, recall, f1, falseAlarmRate: ratio(falseAlarms, benign) };
}

export interface FamilyMetrics extends Metrics {
  family: string;
  kind: "malicious" | "benign" | "mixed";
}

const KIND_ORDER = { malicious: 0, mixed: 1, benign: 2 } as const;

/** Metrics per family (attack families first, then mixed, then routine ones; each in corpus order), and over all outcomes. */
export function metricsByFamily(outcomes: readonly Outcome[]): { overall: Metrics; families: FamilyMetrics[] } {
  const families = [...new Set(outcomes.map((o) => o.family))]
    .map((family): FamilyMetrics => {
      const members = outcomes.filter((o) => o.family === family);
      const kinds = new Set(members.map((o) => o.kind));
      return { family, kind: kinds.size > 1 ? "mixed" : members[0]!.kind, ...computeMetrics(members) };
    })
    .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  return { overall: computeMetrics(outcomes), families };
}

/** The outcomes of the results that have a report; build and analysis errors are not counted (they fail the run). */
export function outcomesOf(results: readonly ScenarioResult[]): Outcome[] {
  return results.flatMap((r) => (r.report ? [{ kind: r.scenario.kind, family: r.scenario.family, flagged: isFlagged(r.report), alarm: isAlarm(r.report) }] : []));
}

export interface EvalSummary {
  malicious: number;
  detected: number;
  benign: number;
  falsePositives: number;
  detectionRate: number;
  falsePositiveRate: number;
  failed: number;
}

/** Detection: a malicious scenario flagged. False positive: a benign one with an alarm. (The benchmark's two figures.) */
export function summarize(results: ScenarioResult[]): EvalSummary {
  const m = computeMetrics(outcomesOf(results));
  return {
    malicious: m.malicious,
    detected: m.tp,
    benign: m.benign,
    falsePositives: m.falseAlarms,
    detectionRate: m.recall ?? 1,
    falsePositiveRate: m.falseAlarmRate ?? 0,
    failed: results.filter((r) => r.failures.length > 0).length,
  };
}

function pad(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/** The per-scenario table: scenario, family, expected, risk, floor, recommendation, simulation, top findings, result. */
export function formatTable(results: ScenarioResult[]): string {
  const header = [pad("scenario", 46), pad("family", 22), pad("expected", 8), pad("risk", 4), pad("floor", 5), pad("recommend.", 12), pad("sim", 8), pad("top findings", 70), "ok"].join("  ");
  const lines = [header, "-".repeat(header.length)];
  for (const r of results) {
    const top = (r.report?.findings ?? [])
      .filter((f) => f.severity !== "info")
      .slice(0, 3)
      .map((f) => `${f.id}:${f.severity}`)
      .join(", ");
    lines.push(
      [
        pad(r.scenario.name, 46),
        pad(r.scenario.family, 22),
        pad(r.scenario.kind === "malicious" ? "flag" : "no alarm", 8),
        pad(r.report ? String(r.report.scores.risk) : "-", 4),
        pad(r.report ? String(r.report.riskFloor) : "-", 5),
        pad(r.report?.recommendation ?? "-", 12),
        pad(r.report?.simulation?.status ?? "-", 8),
        pad(r.report ? top || "(none)" : (r.error ?? "-"), 70),
        r.failures.length === 0 ? "ok" : `FAIL: ${r.failures.join("; ")}`,
      ].join("  "),
    );
  }
  return lines.join("\n");
}

const rate = (value: number | null) => (value === null ? "-" : value.toFixed(3));

/** The metrics table: one row per family, then the overall row. */
export function formatMetrics(metrics: { overall: Metrics; families: FamilyMetrics[] }): string {
  const header = [pad("family", 24), pad("kind", 9), pad("n", 3), pad("TP", 3), pad("FN", 3), pad("FP", 3), pad("TN", 3), pad("precision", 9), pad("recall", 6), pad("F1", 5), "false alarms"].join("  ");
  const row = (family: string, kind: string, m: Metrics) =>
    [
      pad(family, 24),
      pad(kind, 9),
      pad(String(m.scenarios), 3),
      pad(String(m.tp), 3),
      pad(String(m.fn), 3),
      pad(String(m.fp), 3),
      pad(String(m.tn), 3),
      pad(rate(m.precision), 9),
      pad(rate(m.recall), 6),
      pad(rate(m.f1), 5),
      m.benign === 0 ? "-" : `${m.falseAlarms}/${m.benign} (${rate(m.falseAlarmRate)})`,
    ].join("  ");
  return [header, "-".repeat(header.length), ...metrics.families.map((f) => row(f.family, f.kind, f)), "-".repeat(header.length), row("overall", "all", metrics.overall)].join("\n");
}

/** The JSON written to `eval/results.json`: the definitions, the metrics and one row per scenario. */
export function resultsJson(results: readonly ScenarioResult[], options: { simulate: boolean; only?: readonly string[] }) {
  return {
    definitions: {
      flagged: `risk >= ${MALICIOUS_MIN_RISK} and recommendation not "for"`,
      falseAlarm: `benign scenario with risk >= ${BENIGN_MAX_RISK} or any high or critical finding`,
      precision: "tp / (tp + fp), positives being flagged scenarios; null when nothing was flagged",
      recall: "tp / (tp + fn); null for a family without malicious scenarios",
      f1: "2 * precision * recall / (precision + recall); null when either is null",
      falseAlarmRate: "falseAlarms / benign; null for a family without benign scenarios",
    },
    mode: "deterministic",
    simulate: options.simulate,
    ...(options.only && options.only.length > 0 ? { only: options.only } : {}),
    ...metricsByFamily(outcomesOf(results)),
    passed: results.filter((r) => r.failures.length === 0).length,
    failed: results.filter((r) => r.failures.length > 0).length,
    scenarios: results.map((r) => ({
      name: r.scenario.name,
      kind: r.scenario.kind,
      family: r.scenario.family,
      pattern: r.scenario.pattern,
      source: r.scenario.source ?? null,
      expect: r.scenario.expect,
      risk: r.report?.scores.risk ?? null,
      riskFloor: r.report?.riskFloor ?? null,
      recommendation: r.report?.recommendation ?? null,
      simulation: r.report?.simulation?.status ?? null,
      flagged: r.report ? isFlagged(r.report) : null,
      alarm: r.report ? isAlarm(r.report) : null,
      findings: (r.report?.findings ?? []).map((f) => `${f.id}:${f.severity}`),
      error: r.error ?? null,
      failures: r.failures,
      latencyMs: Math.round(r.latencyMs * 10) / 10,
    })),
  };
}
