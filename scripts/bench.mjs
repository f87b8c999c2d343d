// `npm run bench`: runs the gas benchmark and every workspace's `bench` script, then prints one
// summary table of the figures they wrote to bench/results/<part>.json and saves bench/summary.json.
import { spawnSync } from "node:child_process";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const resultsDir = path.join(root, "bench", "results");
await rm(resultsDir, { recursive: true, force: true });
await mkdir(resultsDir, { recursive: true });

const steps = [
  ["npx", ["hardhat", "run", "bench/gas.ts"]],
  ["npm", ["run", "bench", "--workspaces", "--if-present"]],
];
const broken = [];
for (const [command, args] of steps) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) broken.push(`${command} ${args.join(" ")}`);
}

const parts = [];
for (const file of (await readdir(resultsDir)).filter((f) => f.endsWith(".json")).sort()) {
  parts.push(JSON.parse(await readFile(path.join(resultsDir, file), "utf8")));
}

// A figure with a target says so in its note ("target ≤ 0.4", "target ≥ 3", "target < 200 ms").
const targetOf = (note) => /\btarget ([≤≥<>]=?) ?([\d.,]+)/.exec(note ?? "");
const met = (value, [, op, bound]) => {
  const b = Number(bound.replaceAll(",", ""));
  return op === "≤" ? value <= b : op === "≥" ? value >= b : op === "<" ? value < b : value > b;
};
const rows = parts.flatMap((part) =>
  part.figures.map((f) => {
    const target = targetOf(f.note);
    return { part: part.part, name: f.name, value: f.value, unit: f.unit, note: f.note ?? "", target: target ? `${target[1]} ${target[2]}${met(f.value, target) ? "" : "  NOT MET"}` : "" };
  }),
);
const format = (value) => (Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(2));
console.log("\nBenchmark summary\n");
const widths = [17, 60, 14, 10];
console.log(["part", "figure", "value", "unit", "target"].map((h, i) => h.padEnd(widths[i] ?? 0)).join(" "));
for (const row of rows) {
  console.log(
    [row.part.padEnd(widths[0]), row.name.padEnd(widths[1]), format(row.value).padStart(widths[2]), row.unit.padEnd(widths[3]), row.target].join(" ").trimEnd(),
  );
}
const missed = rows.filter((row) => row.target.endsWith("NOT MET"));
console.log(missed.length === 0 ? "\nEvery figure with a target meets it." : `\n${missed.length} figure(s) miss their target: ${missed.map((r) => `${r.part} ${r.name}`).join("; ")}`);
const summary = { measuredAt: new Date().toISOString(), node: process.version, rows };
await writeFile(path.join(root, "bench", "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
console.log("\nWrote bench/summary.json");
if (broken.length > 0) {
  console.error(`failed: ${broken.join("; ")}`);
  process.exit(1);
}
