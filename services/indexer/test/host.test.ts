// The WASM host refuses, when a module loads, any import it does not provide, naming each one.
import { readdir } from "node:fs/promises";
import path from "node:path";

import { describe, expect, inject, it } from "vitest";

import { MappingModule, UnsupportedHostImportsError } from "../src/runtime/host.ts";
import { loadSubgraph } from "../src/subgraph.ts";

const buildDir = inject("buildDir");

/** A minimal WASM module that imports the given functions (type () -> ()). */
function moduleImporting(imports: [string, string][]): Uint8Array<ArrayBuffer> {
  const name = (s: string) => [s.length, ...Buffer.from(s)];
  const entries = imports.flatMap(([mod, fn]) => [...name(mod), ...name(fn), 0x00, 0x00]);
  const importSection = [imports.length, ...entries];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x02, importSection.length, ...importSection,
  ]);
}

describe("WASM host", () => {
  it("names every unsupported host import when the module loads", async () => {
    const module = await WebAssembly.compile(moduleImporting([["index", "store.get"], ["index", "ipfs.cat"], ["ethereum", "ethereum.call"]]));
    let error: unknown;
    try {
      MappingModule.fromModule(module, { name: "Probe", address: "0x0000000000000000000000000000000000000001", network: "hardhat" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsupportedHostImportsError);
    expect((error as UnsupportedHostImportsError).names).toEqual(["ethereum.call", "ipfs.cat"]);
    expect((error as Error).message).toMatch(/data source Probe: .*ethereum\.call, ipfs\.cat/);
  });

  it("loads every data source of the real build", async () => {
    const subgraph = await loadSubgraph(buildDir);
    expect(subgraph.dataSources.map((d) => d.name).sort()).toEqual((await readdir(buildDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort());
    for (const ds of subgraph.dataSources) {
      expect(ds.handlers.size).toBeGreaterThan(0);
      expect(ds.mapping.imports).toContain("store.set");
      expect(path.isAbsolute(ds.wasmFile)).toBe(true);
      // graph-cli compiles with the stub runtime, which lets the host reuse the names it wrote.
      expect(ds.mapping.stubRuntime).toBe(true);
    }
  });

  it("does not take a module without the stub runtime's names for one", async () => {
    const module = await WebAssembly.compile(moduleImporting([["index", "store.get"]]));
    expect(MappingModule.fromModule(module, { name: "Probe", address: "0x0000000000000000000000000000000000000001", network: "hardhat" }).stubRuntime).toBe(false);
  });
});
