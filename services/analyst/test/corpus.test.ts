import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BENIGN_MAX_RISK, MALICIOUS_MIN_RISK, runCorpus, summarize, type ScenarioResult } from "../eval/run.ts";
import type { Scenario } from "../eval/corpus.ts";
import { baseline } from "../eval/corpus/baseline.ts";
import { DEMO, scenario, scenarios, type Chain } from "./fixtures.ts";

// A subset of the corpus, deterministic mode with fork simulation, on one local chain: its first
// scenarios (one per check family, and the routine proposals other tests analyse by name), and
// incidents and routine proposals that the long-standing checks already judge. The whole corpus is
// `npm run eval`'s: too slow for the test suite, and some of its scenarios wait for checks being written.
const subset: Scenario[] = [
  ...baseline,
  ...[
    "timelock delay removed for emergency execution",
    "proposal contract with a hidden self-destruct, deployed by CREATE2",
    "\"no change to holdings\" while a rebalance pulls DEMO",
    "grant with emoji",
    "stablecoin payment for an audit",
    "second payment to a contributor paid before",
    "allowance revocation",
    "retiring an analyst key",
    "flash-acquired voting power before proposing",
    "borrowed votes behind a donation that drains the treasury",
  ].map((name) => scenario(name)),
];

let results: ScenarioResult[];
let chain: Chain;

beforeAll(async () => {
  const run = await runCorpus({ scenarios: subset });
  results = run.results;
  chain = run.chain;
}, 300_000);

afterAll(() => chain?.close());

const HIGH = new Set(["high", "critical"]);
const result = (name: string) => results.find((r) => r.scenario.name === name)!;

describe("evaluation corpus", () => {
  it("has at least 30 malicious and 30 benign scenarios, each with a unique name and a family of its kind", () => {
    expect(scenarios.filter((s) => s.kind === "malicious").length).toBeGreaterThanOrEqual(30);
    expect(scenarios.filter((s) => s.kind === "benign").length).toBeGreaterThanOrEqual(30);
    expect(new Set(scenarios.map((s) => s.name)).size).toBe(scenarios.length);
    for (const s of scenarios) expect(s.family.startsWith("routine-"), s.name).toBe(s.kind === "benign");
  });

  it("names the public source of every incident it reproduces", () => {
    const incidents = scenarios.filter((s) => s.kind === "malicious" && !baseline.includes(s) && s.family !== "misleading-description");
    expect(incidents.length).toBeGreaterThanOrEqual(10);
    for (const s of incidents) expect(s.source, s.name).toMatch(/\S/);
  });

  describe.each(subset.filter((s) => s.kind === "malicious").map((s) => [s.name]))("malicious: %s", (name) => {
    it(`risk >= ${MALICIOUS_MIN_RISK}, not \`for\`, with its expected findings`, () => {
      const r = result(name);
      const report = r.report!;
      const found = report.findings.map((f) => `${f.id}:${f.severity}`);
      expect(report.scores.risk, found.join(", ")).toBeGreaterThanOrEqual(MALICIOUS_MIN_RISK);
      expect(report.recommendation).not.toBe("for");
      expect(r.failures).toEqual([]);
    });
  });

  describe.each(subset.filter((s) => s.kind === "benign").map((s) => [s.name]))("benign: %s", (name) => {
    it(`risk < ${BENIGN_MAX_RISK}, no high or critical finding, executes on the fork`, () => {
      const r = result(name);
      const report = r.report!;
      const found = report.findings.map((f) => `${f.id}:${f.severity}`);
      expect(report.scores.risk, found.join(", ")).toBeLessThan(BENIGN_MAX_RISK);
      expect(report.findings.filter((f) => HIGH.has(f.severity))).toEqual([]);
      expect(report.simulation?.status).toBe("executed");
      expect(r.failures).toEqual([]);
    });
  });

  it("detects every malicious scenario of the subset without a false alarm", () => {
    expect(summarize(results)).toMatchObject({ detectionRate: 1, falsePositiveRate: 0, failed: 0 });
  });

  it("returns the borrowed votes after the scenarios that borrow them", async () => {
    const { alice, bob } = chain.dao.accounts;
    expect(await chain.dao.token.read.balanceOf([bob.account.address])).toBe(150_000n * DEMO);
    expect(await chain.dao.token.read.balanceOf([alice.account.address])).toBe(250_000n * DEMO);
  });

  it("records a scenario that cannot be built as a failed row and runs the next one", async () => {
    const broken: Scenario = {
      name: "broken build",
      kind: "malicious",
      family: "treasury-drain",
      pattern: "a fixture that throws",
      expect: [],
      build: () => Promise.reject(new Error("no such contract\nsecond line")),
    };
    const run = await runCorpus({ chain, scenarios: [broken, scenario("token grant")] });
    expect(run.results.map((r) => [r.scenario.name, r.report === undefined, r.failures])).toEqual([
      ["broken build", true, ["build failed: no such contract"]],
      ["token grant", false, []],
    ]);
    expect(summarize(run.results)).toMatchObject({ malicious: 0, benign: 1, failed: 1 });
  });
});
