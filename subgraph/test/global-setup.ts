// Builds the subgraph once for every test file, the same steps as `npm run build` but against a
// sample deployment (no chain needed) and into a temporary directory. Tests get the directory
// with `inject("buildDir")`.
import { execFile } from "node:child_process";
import { rm, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

import type { TestProject } from "vitest/node";

import { subgraphDir } from "../scripts/data-sources.ts";
import { sampleDeployment, tempDeployment } from "@ai-dao/testkit/deployment";

/** A listed treasury asset of the sample deployment, so the build has a TreasuryAsset0 data source. */
export const SAMPLE_ASSET = "0x5555555555555555555555555555555555555555";

declare module "vitest" {
  export interface ProvidedContext {
    buildDir: string;
  }
}

const run = promisify(execFile);
const nodeArgs = ["--experimental-transform-types", "--disable-warning=ExperimentalWarning"];

async function graphBin(): Promise<string> {
  // npm hoists graph-cli to the root node_modules; a workspace-local install also works.
  for (const dir of [subgraphDir, path.join(subgraphDir, "..")]) {
    const candidate = path.join(dir, "node_modules/.bin/graph");
    if (await stat(candidate).then(() => true, () => false)) return candidate;
  }
  throw new Error("graph-cli not installed: run `npm install` at the repository root");
}

export default async function setup(project: TestProject) {
  // graph build wants its manifest below a node_modules, hence a directory inside subgraph/.
  const { dir, file } = await tempDeployment({ ...sampleDeployment(), treasuryAssets: [{ address: SAMPLE_ASSET, label: "test stablecoin" }] }, subgraphDir);
  const buildDir = path.join(dir, "build");
  const manifest = path.join(dir, "subgraph.yaml");
  const options = { cwd: subgraphDir, maxBuffer: 64 * 1024 * 1024 };
  await run(process.execPath, [...nodeArgs, "scripts/abis.ts"], options);
  await run(process.execPath, [...nodeArgs, "scripts/manifest.ts", "--deployment", file, "--out", manifest], options);
  const bin = await graphBin();
  await run(bin, ["codegen", manifest, "--output-dir", "generated"], options);
  await run(bin, ["build", manifest, "--output-dir", buildDir], options);
  project.provide("buildDir", buildDir);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
