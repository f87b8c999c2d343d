// Builds the subgraph once for every test file, the same steps as `npm run build` but against a
// sample deployment (no chain needed) and into a temporary directory. Tests get the directory
// with `inject("buildDir")`. Then once per attached Governor flavour the chain tests index, from a
// sample attached deployment (the WASM does not depend on addresses): `inject("flavourBuildDirs")`.
// The builds run one after another: they share graph codegen's generated/ folder.
import { execFile } from "node:child_process";
import { rm, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

import type { TestProject } from "vitest/node";

import { subgraphDir } from "../scripts/data-sources.ts";
import { sampleDeployment, tempDeployment } from "@ai-dao/testkit/deployment";
import { TESTED_FLAVOURS, sampleAttachedDeployment } from "./attached-sample.ts";

/** A listed treasury asset of the sample deployment, so the build has a TreasuryAsset0 data source. */
export const SAMPLE_ASSET = "0x5555555555555555555555555555555555555555";

declare module "vitest" {
  export interface ProvidedContext {
    buildDir: string;
    /** The build of each flavour in TESTED_FLAVOURS. */
    flavourBuildDirs: Record<string, string>;
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

/** Regenerates the subgraph's ABI files from the compiled contracts (before any build). */
export async function generateAbis(): Promise<void> {
  await run(process.execPath, [...nodeArgs, "scripts/abis.ts"], { cwd: subgraphDir });
}

/**
 * Writes `deployment` to a temporary folder inside subgraph/ and builds it there; returns the folder.
 * Builds share graph codegen's generated/ folder: run one at a time. Other parts' tests that need a
 * build (the notifier's) use this too.
 */
export async function build(deployment: object): Promise<{ dir: string; buildDir: string }> {
  // graph build wants its manifest below a node_modules, hence a directory inside subgraph/.
  const { dir, file } = await tempDeployment(deployment, subgraphDir);
  const buildDir = path.join(dir, "build");
  const manifest = path.join(dir, "subgraph.yaml");
  const options = { cwd: subgraphDir, maxBuffer: 64 * 1024 * 1024 };
  await run(process.execPath, [...nodeArgs, "scripts/manifest.ts", "--deployment", file, "--out", manifest], options);
  const bin = await graphBin();
  await run(bin, ["codegen", manifest, "--output-dir", "generated"], options);
  await run(bin, ["build", manifest, "--output-dir", buildDir], options);
  return { dir, buildDir };
}

export default async function setup(project: TestProject) {
  await generateAbis();
  const dirs: string[] = [];
  const platform = await build({ ...sampleDeployment(), treasuryAssets: [{ address: SAMPLE_ASSET, label: "test stablecoin" }] });
  dirs.push(platform.dir);
  const flavourBuildDirs: Record<string, string> = {};
  for (const flavour of TESTED_FLAVOURS) {
    const flavourBuild = await build(sampleAttachedDeployment(flavour));
    dirs.push(flavourBuild.dir);
    flavourBuildDirs[flavour] = flavourBuild.buildDir;
  }
  project.provide("buildDir", platform.buildDir);
  project.provide("flavourBuildDirs", flavourBuildDirs);
  return async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  };
}
