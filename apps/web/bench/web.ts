// `npm run bench -w @ai-dao/web`: builds the production bundle, measures the initial JavaScript
// (gzipped) from Vite's manifest, renders the proposals list with 1,000 proposals in happy-dom,
// prints the figures and writes bench/results/web.json at the repo root.
import { spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";

const app = path.resolve(import.meta.dirname, "..");
const root = path.resolve(app, "../..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const BUDGET_KB = 300;

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, { cwd: app, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
  if (result.status !== 0) {
    process.stdout.write(result.stdout);
    throw new Error(`${path.basename(command)} ${args.join(" ")} failed`);
  }
  return result.stdout.toString();
}

// The bundle does not depend on the deployment: build without asking a chain for config.json.
run(bin("vite"), ["build", "--logLevel", "warn"], { DEPLOYMENT_FILE: path.join(app, "bench", "no-deployment.json") });

type Manifest = Record<string, { file: string; imports?: string[]; isEntry?: boolean }>;
const manifest = JSON.parse(await readFile(path.join(app, "dist/.vite/manifest.json"), "utf8")) as Manifest;

function closure(keys: string[], seen = new Set<string>()): Set<string> {
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    closure(manifest[key]?.imports ?? [], seen);
  }
  return seen;
}
async function gzippedKb(keys: Set<string>): Promise<number> {
  let bytes = 0;
  for (const key of keys) {
    const chunk = manifest[key];
    if (!chunk || !chunk.file.endsWith(".js")) continue;
    bytes += gzipSync(await readFile(path.join(app, "dist", chunk.file)), { level: 9 }).length;
  }
  return Math.round((bytes / 1024) * 10) / 10;
}

const initial = closure(["index.html"]);
const firstScreen = closure(["index.html", "src/routes/index.tsx?tsr-split=component"]);
const initialKb = await gzippedKb(initial);
const firstScreenKb = await gzippedKb(firstScreen);

const renderOut = run(bin("vitest"), ["run", "--config", "bench/vitest.config.ts", "--reporter=dot"]);
const renderFile = path.join(app, "dist", "render-bench.json");
const render = JSON.parse(await readFile(renderFile, "utf8")) as { medianMs: number; runs: number[] };
void renderOut;

const figures = [
  { name: "initial JS (gzipped)", value: initialKb, unit: "KB", note: `entry chunk and its static imports; budget ${BUDGET_KB} KB` },
  { name: "first screen JS (gzipped)", value: firstScreenKb, unit: "KB", note: "initial JS plus the proposals route's chunks" },
  { name: "render 1,000 proposals", value: render.medianMs, unit: "ms", note: `median of ${render.runs.length} renders of the proposals list in happy-dom (React 19, production build of react-dom not used)` },
];
for (const f of figures) console.log(`web: ${f.name}: ${f.value} ${f.unit} (${f.note})`);
if (initialKb > BUDGET_KB) console.log(`web: initial JS is over the ${BUDGET_KB} KB budget`);
await mkdir(path.join(root, "bench/results"), { recursive: true });
await writeFile(path.join(root, "bench/results/web.json"), `${JSON.stringify({ part: "web", figures }, null, 2)}\n`);
