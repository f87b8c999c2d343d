import { readFile } from "node:fs/promises";
import path from "node:path";

import { describe, expect, inject, it } from "vitest";

import { dataSources, dataSourcesFor } from "../scripts/data-sources.ts";
import { TESTED_FLAVOURS, sampleAttachedDeployment } from "./attached-sample.ts";

// test/global-setup.ts ran the build against a sample deployment.
const buildDir = inject("buildDir");
const flavourBuildDirs = inject("flavourBuildDirs");

describe("graph build", () => {
  it.each(dataSources.map((source) => source.name))("compiles the %s mapping to WASM", async (name) => {
    const wasm = await readFile(path.join(buildDir, name, `${name}.wasm`));
    expect(wasm.subarray(0, 4)).toEqual(Buffer.from([0x00, 0x61, 0x73, 0x6d]));
    expect(wasm.length).toBeGreaterThan(1000);
  });

  it("needs only the host functions the embedded indexer provides, for every flavour", async () => {
    const imports = new Set<string>();
    const builds: [string, string[]][] = [
      [buildDir, dataSources.map((source) => source.name)],
      ...TESTED_FLAVOURS.map((flavour) => [flavourBuildDirs[flavour]!, dataSourcesFor(sampleAttachedDeployment(flavour)).map((source) => source.name)] as [string, string[]]),
    ];
    for (const [dir, names] of builds) {
      for (const name of names) {
        const module = await WebAssembly.compile(await readFile(path.join(dir, name, `${name}.wasm`)));
        for (const entry of WebAssembly.Module.imports(module)) imports.add(`${entry.module}.${entry.name}`);
      }
    }
    expect([...imports].sort()).toEqual([
      "conversion.typeConversion.bigIntToString",
      "conversion.typeConversion.bytesToHex",
      "env.abort",
      "ethereum.ethereum.encode",
      "index.crypto.keccak256",
      "index.log.log",
      "index.store.get",
      "index.store.set",
      "json.json.try_fromBytes",
      "numbers.bigDecimal.toString",
      "numbers.bigInt.minus",
      "numbers.bigInt.plus",
    ]);
  });

  it("writes the built manifest and schema beside the WASM", async () => {
    const manifest = await readFile(path.join(buildDir, "subgraph.yaml"), "utf8");
    expect(manifest).toContain("0x2222222222222222222222222222222222222222");
    expect(manifest).toContain("prune: never");
    expect(manifest).toMatch(/features:\s*\n\s*- nonFatalErrors/);
    const schema = await readFile(path.join(buildDir, "schema.graphql"), "utf8");
    expect(schema).toContain("type Decision @entity(immutable: true)");
    expect(schema).toContain("type CodePin @entity(immutable: true)");
    expect(schema).toContain("type RiskTierSet @entity(immutable: true)");
  });
});

