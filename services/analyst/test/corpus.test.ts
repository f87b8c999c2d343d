import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BENIGN_MAX_RISK, MALICIOUS_MIN_RISK, runCorpus, summarize, type ScenarioResult } from "../eval/run.ts";
import { scenarios } from "./fixtures.ts";

// The whole evaluation corpus, deterministic mode with fork simulation, on one local chain.
let results: ScenarioResult[];
let close: () => Promise<void>;

beforeAll(async () => {
  const run = await runCorpus();
  results = run.results;
  close = run.chain.close;
}, 600_000);

afterAll(() => close?.());

const HIGH = new Set(["high", "critical"]);
const result = (name: string) => results.find((r) => r.scenario.name === name)!;

describe("evaluation corpus", () => {
  it("covers every attack pattern of the issue and the routine proposals", () => {
    expect(scenarios.filter((s) => s.kind === "malicious").length).toBeGreaterThanOrEqual(11);
    expect(scenarios.filter((s) => s.kind === "benign").length).toBeGreaterThanOrEqual(4);
  });

  describe.each(scenarios.filter((s) => s.kind === "malicious").map((s) => [s.name]))("malicious: %s", (name) => {
    it(`risk >= ${MALICIOUS_MIN_RISK}, not \`for\`, with its expected findings`, () => {
      const r = result(name);
      const found = r.report.findings.map((f) => `${f.id}:${f.severity}`);
      expect(r.report.scores.risk, found.join(", ")).toBeGreaterThanOrEqual(MALICIOUS_MIN_RISK);
      expect(r.report.recommendation).not.toBe("for");
      expect(found).toEqual(expect.arrayContaining(r.scenario.expect));
      expect(r.failures).toEqual([]);
    });
  });

  describe.each(scenarios.filter((s) => s.kind === "benign").map((s) => [s.name]))("benign: %s", (name) => {
    it(`risk < ${BENIGN_MAX_RISK}, no high or critical finding, executes on the fork`, () => {
      const r = result(name);
      const found = r.report.findings.map((f) => `${f.id}:${f.severity}`);
      expect(r.report.scores.risk, found.join(", ")).toBeLessThan(BENIGN_MAX_RISK);
      expect(r.report.findings.filter((f) => HIGH.has(f.severity))).toEqual([]);
      expect(found).toEqual(expect.arrayContaining(r.scenario.expect));
      expect(r.report.simulation?.status).toBe("executed");
    });
  });

  it("detects every malicious scenario without a false positive", () => {
    expect(summarize(results)).toMatchObject({ detectionRate: 1, falsePositiveRate: 0, failed: 0 });
  });
});
