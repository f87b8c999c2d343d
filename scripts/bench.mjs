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

const rows = parts.flatMap((part) =>
  part.figures.map((f) => ({ part: part.part, name: f.name, value: f.value, unit: f.unit, note: f.note ?? "" })),
);
const format = (value) => (Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(2));
console.log("\nBenchmark summary\n");
const widths = [12, 44, 14, 10];
console.log(["part", "figure", "value", "unit"].map((h, i) => h.padEnd(widths[i])).join(" "));
for (const row of rows) {
  console.log(
    [row.part.padEnd(widths[0]), row.name.padEnd(widths[1]), format(row.value).padStart(widths[2]), row.unit.padEnd(widths[3])].join(" "),
  );
}
const summary = { measuredAt: new Date().toISOString(), node: process.version, rows };
await writeFile(path.join(root, "bench", "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
console.log("\nWrote bench/summary.json");
if (broken.length > 0) {
  console.error(`failed: ${broken.join("; ")}`);
  process.exit(1);
}
