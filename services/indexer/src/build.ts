// Makes sure subgraph/build matches the deployment: when the build is missing, was made for other
// addresses or start block, or from other inputs (schema, mappings, scripts, contract ABIs: compared
// by content, not by file times, so a fresh clone or a recompile that changes nothing does not
// rebuild), runs the subgraph's own npm build (manifest from the deployment file, codegen, graph build).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { treasuryAssetSources, type Deployment } from "@ai-dao/deployment";
import { repoRoot } from "@ai-dao/service-kit";
import type { Logger } from "pino";
import YAML from "yaml";

import { dataSourceContracts } from "./app.ts";

export { repoRoot };
export const subgraphDir = path.join(repoRoot, "subgraph");
export const defaultBuildDir = path.join(subgraphDir, "build");

/** The file in a build directory that records the hash of the inputs it was built from. */
export const INPUTS_FILE = "inputs.sha256";

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
}

/**
 * SHA-256 of what a build is made from: the subgraph's schema, package.json, mappings and scripts,
 * and the ABI of every compiled contract (not its bytecode, which the subgraph does not use).
 */
export async function inputsHash(dirs: { subgraph: string; artifacts: string } = { subgraph: subgraphDir, artifacts: path.join(repoRoot, "artifacts/contracts") }): Promise<string> {
  const hash = createHash("sha256");
  const sources = [path.join(dirs.subgraph, "schema.graphql"), path.join(dirs.subgraph, "package.json"), ...(await filesUnder(path.join(dirs.subgraph, "src"))), ...(await filesUnder(path.join(dirs.subgraph, "scripts")))];
  for (const file of sources) {
    const content = await readFile(file).catch(() => Buffer.from("(missing)"));
    hash.update(`${path.relative(dirs.subgraph, file)}\0`).update(content).update("\0");
  }
  for (const file of await filesUnder(dirs.artifacts)) {
    if (!file.endsWith(".json") || file.endsWith(".dbg.json")) continue;
    const abi = (JSON.parse(await readFile(file, "utf8")) as { abi?: unknown }).abi;
    if (abi !== undefined) hash.update(`${path.relative(dirs.artifacts, file)}\0${JSON.stringify(abi)}\0`);
  }
  return hash.digest("hex");
}

/** Why the build in `buildDir` does not fit `deployment`, or undefined when it does. */
export async function staleReason(buildDir: string, deployment: Deployment): Promise<string | undefined> {
  const manifestFile = path.join(buildDir, "subgraph.yaml");
  const manifestText = await readFile(manifestFile, "utf8").catch(() => undefined);
  if (manifestText === undefined) return "no build yet";
  const manifest = YAML.parse(manifestText) as { dataSources: { name: string; source: { address: string; startBlock: number } }[] };
  // The DAO's four contracts (its flavour's data sources) and one per listed treasury asset, each at its address.
  const expected = new Map<string, string>([
    ...Object.entries(dataSourceContracts(deployment)).map(([name, key]) => [name, deployment.contracts[key]] as [string, string]),
    ...treasuryAssetSources(deployment).map((asset) => [asset.name, asset.address] as [string, string]),
  ]);
  for (const ds of manifest.dataSources) {
    const address = expected.get(ds.name);
    if (!address) return `unknown data source ${ds.name}`;
    if (ds.source.address.toLowerCase() !== address.toLowerCase()) return `${ds.name} was built for ${ds.source.address}`;
    if (ds.source.startBlock !== deployment.startBlock) return `${ds.name} was built from block ${ds.source.startBlock}`;
  }
  const built = new Set(manifest.dataSources.map((ds) => ds.name));
  for (const [name, address] of expected) if (!built.has(name)) return `${name} (${address}) is not in the build`;
  const builtFrom = (await readFile(path.join(buildDir, INPUTS_FILE), "utf8").catch(() => "")).trim();
  if (builtFrom === "") return "the build does not record what it was built from";
  if (builtFrom !== (await inputsHash())) return "the schema, mappings or ABIs changed since the last build";
  return undefined;
}

/** Builds the subgraph for `deploymentFile` when the build is stale (only the default build directory). */
export async function ensureBuild(deploymentFile: string, deployment: Deployment, logger: Logger): Promise<void> {
  const reason = await staleReason(defaultBuildDir, deployment);
  if (!reason) return;
  logger.info({ reason, deploymentFile }, "building the subgraph (npm run build -w @ai-dao/subgraph)");
  const started = Date.now();
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn("npm", ["run", "build", "-w", "@ai-dao/subgraph"], {
      cwd: repoRoot,
      env: { ...process.env, DEPLOYMENT_FILE: deploymentFile },
      // Keep stdout for JSON logs: the build's own output goes to stderr.
      stdio: ["ignore", process.stderr, process.stderr],
    });
    child.on("error", reject);
    child.on("exit", (c) => resolve(c ?? 1));
  });
  if (code !== 0) throw new Error(`the subgraph build failed (exit code ${code}); run \`npm run build -w @ai-dao/subgraph\` to see why`);
  await writeFile(path.join(defaultBuildDir, INPUTS_FILE), `${await inputsHash()}\n`);
  logger.info({ seconds: Math.round((Date.now() - started) / 1000) }, "subgraph built");
}
