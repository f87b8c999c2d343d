// Makes sure subgraph/build matches the deployment: when the build is missing, was made for other
// addresses or start block, or is older than the schema, mappings or ABIs, runs the subgraph's own
// npm build (manifest from the deployment file, codegen, graph build).
import { spawn } from "node:child_process";
import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";

import { treasuryAssetSources, type Deployment } from "@ai-dao/deployment";
import { repoRoot } from "@ai-dao/service-kit";
import type { Logger } from "pino";
import YAML from "yaml";

import { dataSourceContracts } from "./app.ts";

export { repoRoot };
export const subgraphDir = path.join(repoRoot, "subgraph");
export const defaultBuildDir = path.join(subgraphDir, "build");

async function mtime(file: string): Promise<number> {
  return stat(file).then((s) => s.mtimeMs, () => 0);
}

async function newestSource(): Promise<number> {
  const files = [path.join(subgraphDir, "schema.graphql"), path.join(subgraphDir, "package.json")];
  for (const dir of ["src", "scripts"]) {
    for (const name of await readdir(path.join(subgraphDir, dir)).catch(() => [] as string[])) files.push(path.join(subgraphDir, dir, name));
  }
  for (const name of await readdir(path.join(repoRoot, "artifacts/contracts")).catch(() => [] as string[])) {
    files.push(path.join(repoRoot, "artifacts/contracts", name));
  }
  return Math.max(...(await Promise.all(files.map(mtime))));
}

/** Why the build in `buildDir` does not fit `deployment`, or undefined when it does. */
export async function staleReason(buildDir: string, deployment: Deployment): Promise<string | undefined> {
  const manifestFile = path.join(buildDir, "subgraph.yaml");
  const builtAt = await mtime(manifestFile);
  if (!builtAt) return "no build yet";
  const manifest = YAML.parse(await readFile(manifestFile, "utf8")) as { dataSources: { name: string; source: { address: string; startBlock: number } }[] };
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
  if ((await newestSource()) > builtAt) return "the schema, mappings or ABIs changed since the last build";
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
  logger.info({ seconds: Math.round((Date.now() - started) / 1000) }, "subgraph built");
}
