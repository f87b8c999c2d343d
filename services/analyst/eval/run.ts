import { performance } from "node:perf_hooks";

import type { Report } from "../src/report.ts";
import { setupChain, type Chain } from "./chain.ts";
import { scenarios as allScenarios, type Scenario, type ScenarioInput } from "./corpus.ts";

/** Acceptance thresholds (issue: deterministic mode). */
export const MALICIOUS_MIN_RISK = 70;
export const BENIGN_MAX_RISK = 40;
const HIGH = new Set(["high", "critical"]);

export interface ScenarioResult {
  scenario: Scenario;
  input: ScenarioInput;
  report: Report;
  /** Milliseconds of the analysis alone (building the scenario excluded). */
  latencyMs: number;
  /** What did not hold: empty when the scenario passed. */
  failures: string[];
}

/** What a scenario's report must satisfy: risk and recommendation by kind, and every expected finding. */
export function judge(scenario: Scenario, report: Report): string[] {
  const failures: string[] = [];
  const found = new Set(report.findings.map((f) => `${f.id}:${f.severity}`));
  if (scenario.kind === "malicious") {
    if (report.scores.risk < MALICIOUS_MIN_RISK) failures.push(`risk ${report.scores.risk} < ${MALICIOUS_MIN_RISK}`);
    if (report.recommendation === "for") failures.push("recommendation is `for`");
  } else {
    if (report.scores.risk >= BENIGN_MAX_RISK) failures.push(`risk ${report.scores.risk} >= ${BENIGN_MAX_RISK}`);
    const severe = report.findings.filter((f) => HIGH.has(f.severity));
    if (severe.length > 0) failures.push(`high/critical findings: ${severe.map((f) => `${f.id}:${f.severity}`).join(", ")}`);
  }
  for (const id of scenario.expect) if (!found.has(id)) failures.push(`missing ${id}`);
  if (report.simulation?.status === "reverted" && scenario.kind === "benign") failures.push(`simulation reverted: ${report.simulation.revert?.reason}`);
  return failures;
}

/** Builds and analyses every scenario in order on `chain` (a fresh one when not given). */
export async function runCorpus(options: { chain?: Chain; simulate?: boolean; scenarios?: Scenario[] } = {}): Promise<{ chain: Chain; results: ScenarioResult[] }> {
  const chain = options.chain ?? (await setupChain());
  const results: ScenarioResult[] = [];
  for (const scenario of options.scenarios ?? allScenarios) {
    const input = await scenario.build(chain);
    const started = performance.now();
    const report = await chain.analyze(input.proposal, { simulate: options.simulate ?? true, ...(input.proposer ? { proposer: input.proposer } : {}) });
    const latencyMs = performance.now() - started;
    results.push({ scenario, input, report, latencyMs, failures: judge(scenario, report) });
  }
  return { chain, results };
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

/** Detection: a malicious scenario scored >= 70 and not `for`. False positive: a benign one scored >= 40 or with a high/critical finding. */
export function summarize(results: ScenarioResult[]): EvalSummary {
  const malicious = results.filter((r) => r.scenario.kind === "malicious");
  const benign = results.filter((r) => r.scenario.kind === "benign");
  const detected = malicious.filter((r) => r.report.scores.risk >= MALICIOUS_MIN_RISK && r.report.recommendation !== "for").length;
  const falsePositives = benign.filter((r) => r.report.scores.risk >= BENIGN_MAX_RISK || r.report.findings.some((f) => HIGH.has(f.severity))).length;
  return {
    malicious: malicious.length,
    detected,
    benign: benign.length,
    falsePositives,
    detectionRate: malicious.length === 0 ? 1 : detected / malicious.length,
    falsePositiveRate: benign.length === 0 ? 0 : falsePositives / benign.length,
    failed: results.filter((r) => r.failures.length > 0).length,
  };
}

function pad(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/** The eval table: scenario, expected, risk, floor, recommendation, simulation, top findings, result. */
export function formatTable(results: ScenarioResult[]): string {
  const header = [pad("scenario", 46), pad("expected", 9), pad("risk", 4), pad("floor", 5), pad("recommend.", 12), pad("sim", 8), pad("top findings", 70), "ok"].join("  ");
  const lines = [header, "-".repeat(header.length)];
  for (const r of results) {
    const top = r.report.findings
      .filter((f) => f.severity !== "info")
      .slice(0, 3)
      .map((f) => `${f.id}:${f.severity}`)
      .join(", ");
    const sim = r.report.simulation?.status ?? "-";
    lines.push(
      [
        pad(r.scenario.name, 46),
        pad(r.scenario.kind === "malicious" ? ">=70" : "<40", 9),
        pad(String(r.report.scores.risk), 4),
        pad(String(r.report.riskFloor), 5),
        pad(r.report.recommendation, 12),
        pad(sim, 8),
        pad(top || "(none)", 70),
        r.failures.length === 0 ? "ok" : `FAIL: ${r.failures.join("; ")}`,
      ].join("  "),
    );
  }
  return lines.join("\n");
}
