import { execFile } from "node:child_process";
import { readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { dataSources, subgraphDir } from "../scripts/data-sources.ts";
import { tempDeployment } from "./fixtures.ts";

const run = promisify(execFile);
const nodeArgs = ["--experimental-transform-types", "--disable-warning=ExperimentalWarning"];
const graph = path.join(subgraphDir, "node_modules/.bin/graph");

async function graphBin(): Promise<string> {
  // npm hoists graph-cli to the root node_modules; a workspace-local install also works.
  for (const candidate of [graph, path.join(subgraphDir, "../node_modules/.bin/graph")]) {
    if (await stat(candidate).then(() => true, () => false)) return candidate;
  }
  throw new Error("graph-cli not installed: run `npm install` at the repository root");
}

// The same steps as `npm run build`, against a sample deployment so no chain is needed, with the
// manifest and build output in a temporary directory.
describe("graph build", () => {
  let dir: string;
  let buildDir: string;

  beforeAll(async () => {
    const deployment = await tempDeployment(undefined, subgraphDir);
    dir = deployment.dir;
    buildDir = path.join(dir, "build");
    const manifest = path.join(dir, "subgraph.yaml");
    const options = { cwd: subgraphDir, maxBuffer: 64 * 1024 * 1024 };
    await run(process.execPath, [...nodeArgs, "scripts/abis.ts"], options);
    await run(process.execPath, [...nodeArgs, "scripts/manifest.ts", "--deployment", deployment.file, "--out", manifest], options);
    const bin = await graphBin();
    await run(bin, ["codegen", manifest, "--output-dir", "generated"], options);
    await run(bin, ["build", manifest, "--output-dir", buildDir], options);
  }, 240_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(dataSources.map((source) => source.name))("compiles the %s mapping to WASM", async (name) => {
    const wasm = await readFile(path.join(buildDir, name, `${name}.wasm`));
    expect(wasm.subarray(0, 4)).toEqual(Buffer.from([0x00, 0x61, 0x73, 0x6d]));
    expect(wasm.length).toBeGreaterThan(1000);
  });

  it("writes the built manifest and schema beside the WASM", async () => {
    const manifest = await readFile(path.join(buildDir, "subgraph.yaml"), "utf8");
    expect(manifest).toContain("0x2222222222222222222222222222222222222222");
    expect(manifest).toContain("prune: never");
    const schema = await readFile(path.join(buildDir, "schema.graphql"), "utf8");
    expect(schema).toContain("type Decision @entity(immutable: true)");
  });
});
