// `npm run eval`: runs the corpus on a local in-process chain in deterministic mode (with fork
// simulation) and prints one row per scenario, the detection rate and the false-positive rate.
// Exits 1 when any scenario misses its expectation.
import { formatTable, runCorpus, summarize } from "./run.ts";

const simulate = !process.argv.includes("--no-simulation");
const { chain, results } = await runCorpus({ simulate });
await chain.close();
const s = summarize(results);
process.stdout.write(`${formatTable(results)}\n\n`);
process.stdout.write(
  `detection rate ${(s.detectionRate * 100).toFixed(1)}% (${s.detected}/${s.malicious} malicious at risk >= 70, not \`for\`)\n` +
    `false-positive rate ${(s.falsePositiveRate * 100).toFixed(1)}% (${s.falsePositives}/${s.benign} benign at risk >= 40 or with a high/critical finding)\n` +
    `${results.length - s.failed} passed, ${s.failed} failed\n`,
);
process.exit(s.failed === 0 ? 0 : 1);
