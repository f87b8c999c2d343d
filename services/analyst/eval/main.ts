// `npm run eval`: runs the corpus on a local in-process chain in deterministic mode (with fork
// simulation), prints one row per scenario, then precision, recall, F1 and false alarms per family
// and overall, and writes them to eval/results.json. Exits 1 when any scenario misses its expectation.
//
//   --no-simulation      analyse without the fork simulation
//   --only <substring>   run only the scenarios whose name contains it (case-insensitive; repeatable);
//                        results.json is then left as it is
import { writeFile } from "node:fs/promises";
import path from "node:path";

import { scenarios } from "./corpus.ts";
import { formatMetrics, formatTable, metricsByFamily, outcomesOf, resultsJson, runCorpus } from "./run.ts";

export const RESULTS_FILE = path.join(import.meta.dirname, "results.json");

function parseArgs(argv: readonly string[]): { simulate: boolean; only: string[] } {
  const only: string[] = [];
  let simulate = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--no-simulation") simulate = false;
    else if (arg === "--only") {
      const value = argv[++i];
      if (value === undefined || value.startsWith("--")) throw new Error("--only needs a substring of a scenario name");
      only.push(value.toLowerCase());
    } else if (arg.startsWith("--only=")) only.push(arg.slice("--only=".length).toLowerCase());
    else throw new Error(`unknown option ${arg} (options: --no-simulation, --only <substring>)`);
  }
  return { simulate, only };
}

let options: ReturnType<typeof parseArgs>;
try {
  options = parseArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`error: ${(error as Error).message}\n`);
  process.exit(2);
}
const selected = options.only.length === 0 ? scenarios : scenarios.filter((s) => options.only.some((o) => s.name.toLowerCase().includes(o)));
if (selected.length === 0) {
  process.stderr.write(`error: no scenario name contains ${options.only.map((o) => JSON.stringify(o)).join(" or ")}\n`);
  process.exit(2);
}

const { chain, results } = await runCorpus({ simulate: options.simulate, scenarios: selected });
await chain.close();

const metrics = metricsByFamily(outcomesOf(results));
const failed = results.filter((r) => r.failures.length > 0).length;
process.stdout.write(`${formatTable(results)}\n\n${formatMetrics(metrics)}\n\n`);
process.stdout.write(
  `flagged: risk >= 70 and not \`for\`; false alarm: a benign scenario at risk >= 40 or with a high/critical finding\n` +
    `${results.length - failed} passed, ${failed} failed (of ${results.length}: ${metrics.overall.malicious} malicious, ${metrics.overall.benign} benign)\n`,
);
if (options.only.length === 0) {
  await writeFile(RESULTS_FILE, `${JSON.stringify(resultsJson(results, { simulate: options.simulate }), null, 2)}\n`);
  process.stdout.write(`wrote ${path.relative(process.cwd(), RESULTS_FILE)}\n`);
}
process.exit(failed === 0 ? 0 : 1);
