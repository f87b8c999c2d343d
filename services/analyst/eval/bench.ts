// The analyst's benchmark: runs the evaluation corpus, then measures the deterministic analysis
// latency per proposal with and without the fork simulation, and writes bench/results/analyst.json.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";

import { repoRoot } from "@ai-dao/service-kit";
import { baseline } from "./corpus/baseline.ts";
import { votes } from "./corpus/votes.ts";
import { formatTable, runCorpus, summarize } from "./run.ts";

/** Analyses of every scenario per mode after the eval pass; the first round warms caches and is not counted. */
const ROUNDS = Number(process.env.ANALYST_BENCH_ROUNDS ?? 3);

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

// `--baseline`: only the corpus as it stood before the incident and routine sets (the first scenarios
// and the first vote scenario), to compare latency with versions that had only those.
const onlyBaseline = process.argv.includes("--baseline");
const { chain, results } = await runCorpus({ simulate: true, ...(onlyBaseline ? { scenarios: [...baseline, votes[0]!] } : {}) });
const summary = summarize(results);
process.stdout.write(`${formatTable(results)}\n\n`);

const latencies: Record<"simulated" | "offline", number[]> = { simulated: [], offline: [] };
for (let round = 0; round <= ROUNDS; round++) {
  for (const { input } of results) {
    if (input === undefined) continue;
    for (const mode of ["offline", "simulated"] as const) {
      const started = performance.now();
      await chain.analyze(input.proposal, { simulate: mode === "simulated", ...(input.proposer ? { proposer: input.proposer } : {}) });
      if (round > 0) latencies[mode].push(performance.now() - started);
    }
  }
}
await chain.close();

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), n: sorted.length };
};
const offline = stats(latencies.offline);
const simulated = stats(latencies.simulated);
const round1 = (x: number) => Math.round(x * 10) / 10;
const note = `${results.length} corpus proposals × ${ROUNDS} rounds on an in-process Hardhat chain (fork over a loopback HTTP bridge)`;
const figures = [
  { name: "analysis latency p50 (no simulation)", value: round1(offline.p50), unit: "ms", note },
  { name: "analysis latency p95 (no simulation)", value: round1(offline.p95), unit: "ms", note },
  { name: "analysis latency p50 (fork simulation)", value: round1(simulated.p50), unit: "ms", note },
  { name: "analysis latency p95 (fork simulation)", value: round1(simulated.p95), unit: "ms", note },
  { name: "eval detection rate", value: round1(summary.detectionRate * 100), unit: "%", note: `${summary.detected}/${summary.malicious} malicious scenarios at risk >= 70, not for` },
  { name: "eval false-positive rate", value: round1(summary.falsePositiveRate * 100), unit: "%", note: `${summary.falsePositives}/${summary.benign} benign scenarios at risk >= 40 or high` },
];
const out = path.join(repoRoot, "bench", "results", "analyst.json");
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify({ part: "analyst", figures }, null, 2)}\n`);

for (const f of figures) process.stdout.write(`${f.name.padEnd(42)} ${String(f.value).padStart(8)} ${f.unit}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
process.exit(summary.failed === 0 ? 0 : 1);
