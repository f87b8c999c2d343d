import { describe, expect, it } from "vitest";

import { computeMetrics, formatMetrics, isAlarm, isFlagged, matchesExpectation, metricsByFamily, type Outcome } from "../eval/run.ts";

// The evaluation's arithmetic on hand-made outcomes: no chain, no analysis.
const outcome = (kind: Outcome["kind"], family: string, flagged: boolean, alarm = flagged): Outcome => ({ kind, family, flagged, alarm });

describe("eval metrics", () => {
  it("counts flagged malicious as true positives and flagged benign as false positives", () => {
    const m = computeMetrics([
      outcome("malicious", "a", true),
      outcome("malicious", "a", true),
      outcome("malicious", "a", false),
      outcome("malicious", "b", false),
      outcome("benign", "routine-x", true),
      outcome("benign", "routine-x", false, true),
      outcome("benign", "routine-x", false),
      outcome("benign", "routine-x", false),
    ]);
    expect(m).toMatchObject({ scenarios: 8, malicious: 4, benign: 4, tp: 2, fn: 2, fp: 1, tn: 3, falseAlarms: 2 });
    expect(m.precision).toBe(2 / 3);
    expect(m.recall).toBe(1 / 2);
    expect(m.f1).toBeCloseTo(4 / 7, 12);
    expect(m.falseAlarmRate).toBe(1 / 2);
  });

  it("gives an exact F1 when precision and recall are equal", () => {
    const m = computeMetrics([outcome("malicious", "a", true), outcome("malicious", "a", false), outcome("benign", "routine-x", true)]);
    expect([m.precision, m.recall, m.f1]).toEqual([1 / 2, 1 / 2, 1 / 2]);
  });

  it("reports a rate with a zero denominator as null, never as 0 or 1", () => {
    expect(computeMetrics([])).toMatchObject({ scenarios: 0, precision: null, recall: null, f1: null, falseAlarmRate: null });
    // Only benign, none flagged: nothing to be precise or to recall.
    expect(computeMetrics([outcome("benign", "routine-x", false)])).toMatchObject({ precision: null, recall: null, f1: null, falseAlarmRate: 0 });
    // Only malicious, none flagged: recall 0, precision undefined.
    expect(computeMetrics([outcome("malicious", "a", false)])).toMatchObject({ precision: null, recall: 0, f1: null, falseAlarmRate: null });
    // Only benign, flagged: precision 0, recall undefined.
    expect(computeMetrics([outcome("benign", "routine-x", true)])).toMatchObject({ precision: 0, recall: null, f1: null, falseAlarmRate: 1 });
    // Precision and recall both 0: F1 is 0, not a division by zero.
    expect(computeMetrics([outcome("malicious", "a", false), outcome("benign", "routine-x", true)])).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  it("groups by family, attack families first, and marks families mixing both kinds", () => {
    const { overall, families } = metricsByFamily([
      outcome("malicious", "treasury-drain", true),
      outcome("benign", "routine-grant", false),
      outcome("malicious", "treasury-drain", false),
      outcome("malicious", "odd", true),
      outcome("benign", "odd", false),
    ]);
    expect(families.map((f) => [f.family, f.kind, f.tp, f.fn, f.fp, f.tn])).toEqual([
      ["treasury-drain", "malicious", 1, 1, 0, 0],
      ["odd", "mixed", 1, 0, 0, 1],
      ["routine-grant", "benign", 0, 0, 0, 1],
    ]);
    expect(families[0]).toMatchObject({ precision: 1, recall: 1 / 2, falseAlarmRate: null });
    expect(families[2]).toMatchObject({ precision: null, recall: null, falseAlarmRate: 0 });
    expect(overall).toMatchObject({ tp: 2, fn: 1, fp: 0, tn: 2, precision: 1, recall: 2 / 3, f1: 0.8 });
  });

  it("prints null rates as a dash", () => {
    const table = formatMetrics(metricsByFamily([outcome("malicious", "a", false), outcome("benign", "routine-x", false, true)]));
    const [row] = table.split("\n").filter((line) => line.startsWith("a "));
    expect(row).toMatch(/ - +0\.000 +- +-$/);
    expect(table).toContain("1/1 (1.000)");
  });
});

describe("eval decisions", () => {
  const report = (risk: number, recommendation: "for" | "against" | "abstain" | "needs-review", severities: string[] = []) =>
    ({ scores: { risk }, recommendation, findings: severities.map((severity) => ({ severity })) }) as never;

  it("flags at risk 70 unless the recommendation is `for`", () => {
    expect(isFlagged(report(70, "against"))).toBe(true);
    expect(isFlagged(report(69, "against"))).toBe(false);
    expect(isFlagged(report(90, "for"))).toBe(false);
  });

  it("raises an alarm at risk 40 or with any high or critical finding", () => {
    expect(isAlarm(report(40, "abstain"))).toBe(true);
    expect(isAlarm(report(39, "for", ["medium", "low"]))).toBe(false);
    expect(isAlarm(report(10, "for", ["high"]))).toBe(true);
  });

  it("matches an expectation by id and severity, by id alone, or by check", () => {
    const findings = [
      { id: "access-control/ownership", severity: "high" },
      { id: "description-claims/look-alike", severity: "critical" },
    ];
    expect(matchesExpectation("access-control/ownership:high", findings)).toBe(true);
    expect(matchesExpectation("access-control/ownership:critical", findings)).toBe(false);
    expect(matchesExpectation("access-control/ownership", findings)).toBe(true);
    expect(matchesExpectation("access-control/owner", findings)).toBe(false);
    expect(matchesExpectation("description-claims/*", findings)).toBe(true);
    expect(matchesExpectation("description/*", findings)).toBe(false);
    expect(matchesExpectation("counterparty-control/*", findings)).toBe(false);
  });
});
