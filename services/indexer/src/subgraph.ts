// The built subgraph as graph-node reads it: build/subgraph.yaml, the schema, and per data source
// its address, start block, ABI, compiled mapping and event handlers.
import { readFile } from "node:fs/promises";
import path from "node:path";

import { type Abi, type AbiEvent, type Hex, keccak256, toEventSelector, toHex } from "viem";
import YAML from "yaml";

import { MappingModule } from "./runtime/host.ts";
import { type SubgraphSchema, parseSubgraphSchema } from "./schema.ts";

export interface EventHandler {
  /** The manifest's signature, e.g. `VoteCast(indexed address,uint256,uint8,uint256,string)`. */
  signature: string;
  handler: string;
  topic0: Hex;
  abiEvent: AbiEvent;
}

export interface DataSource {
  name: string;
  network: string;
  address: Hex;
  startBlock: number;
  abi: Abi;
  wasmFile: string;
  mapping: MappingModule;
  /** By topic0. */
  handlers: Map<Hex, EventHandler>;
}

export interface Subgraph {
  buildDir: string;
  network: string;
  schema: SubgraphSchema;
  dataSources: DataSource[];
  /** Hash of the manifest, schema and mapping WASM: changes whenever the build does. */
  deployment: Hex;
  startBlock: number;
  /**
   * The manifest declares `features: [nonFatalErrors]`: a handler that fails is skipped (its changes
   * discarded, the error recorded) and indexing goes on, as graph-node does.
   */
  nonFatalErrors: boolean;
}

export class ManifestError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "ManifestError";
  }
}

interface ManifestDataSource {
  kind: string;
  name: string;
  network: string;
  source: { address: string; abi: string; startBlock?: number };
  mapping: {
    apiVersion: string;
    file: string;
    abis: { name: string; file: string }[];
    eventHandlers?: { event: string; handler: string; receipt?: boolean; topic1?: unknown }[];
    blockHandlers?: unknown[];
    callHandlers?: unknown[];
  };
}

/** Overrides of a data source's address and start block (tests run the same build on their own chain). */
export type DataSourceOverrides = Record<string, { address: string; startBlock: number }>;

/**
 * Loads `buildDir/subgraph.yaml` (graph build's output) and compiles every data source's WASM,
 * refusing anything the embedded indexer cannot run: unknown host imports (by name), block or call
 * handlers, templates, receipts.
 */
export async function loadSubgraph(buildDir: string, overrides: DataSourceOverrides = {}): Promise<Subgraph> {
  const manifestFile = path.join(buildDir, "subgraph.yaml");
  const manifestText = await readFile(manifestFile, "utf8");
  const manifest = YAML.parse(manifestText) as {
    schema: { file: string };
    dataSources: ManifestDataSource[];
    templates?: unknown[];
    features?: string[];
  };
  if (manifest.templates?.length) throw new ManifestError(manifestFile, "data source templates are not supported by the embedded indexer");
  const schemaText = await readFile(path.join(buildDir, manifest.schema.file), "utf8");
  const schema = parseSubgraphSchema(schemaText);
  const hashParts: Uint8Array[] = [new TextEncoder().encode(manifestText), new TextEncoder().encode(schemaText)];

  const dataSources: DataSource[] = [];
  for (const ds of manifest.dataSources) {
    if (ds.kind !== "ethereum/contract" && ds.kind !== "ethereum") {
      throw new ManifestError(manifestFile, `data source ${ds.name}: kind ${ds.kind} is not supported`);
    }
    if (ds.mapping.blockHandlers?.length || ds.mapping.callHandlers?.length) {
      throw new ManifestError(manifestFile, `data source ${ds.name}: block and call handlers are not supported by the embedded indexer`);
    }
    const abiRef = ds.mapping.abis.find((a) => a.name === ds.source.abi);
    if (!abiRef) throw new ManifestError(manifestFile, `data source ${ds.name}: ABI ${ds.source.abi} is not listed`);
    const abi = JSON.parse(await readFile(path.join(buildDir, abiRef.file), "utf8")) as Abi;
    const events = abi.filter((item): item is AbiEvent => item.type === "event");
    const handlers = new Map<Hex, EventHandler>();
    for (const h of ds.mapping.eventHandlers ?? []) {
      if (h.receipt) throw new ManifestError(manifestFile, `${ds.name}.${h.handler}: receipts are not supported by the embedded indexer`);
      if (h.topic1 !== undefined) throw new ManifestError(manifestFile, `${ds.name}.${h.handler}: topic filters are not supported`);
      const canonical = h.event.replaceAll("indexed ", "").replaceAll(" ", "");
      const topic0 = keccak256(toHex(canonical));
      const abiEvent = events.find((e) => toEventSelector(e) === topic0);
      if (!abiEvent) throw new ManifestError(manifestFile, `${ds.name}: event ${h.event} is not in ABI ${ds.source.abi}`);
      handlers.set(topic0, { signature: h.event, handler: h.handler, topic0, abiEvent });
    }
    const override = overrides[ds.name];
    const address = (override?.address ?? ds.source.address).toLowerCase() as Hex;
    const wasmFile = path.join(buildDir, ds.mapping.file);
    const wasm = await readFile(wasmFile);
    hashParts.push(wasm);
    const mapping = MappingModule.fromModule(await WebAssembly.compile(wasm), { name: ds.name, address, network: ds.network });
    dataSources.push({
      name: ds.name,
      network: ds.network,
      address,
      startBlock: override?.startBlock ?? ds.source.startBlock ?? 0,
      abi,
      wasmFile,
      mapping,
      handlers,
    });
  }
  if (dataSources.length === 0) throw new ManifestError(manifestFile, "no data sources");
  const all = new Uint8Array(hashParts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of hashParts) {
    all.set(part, offset);
    offset += part.length;
  }
  return {
    buildDir,
    network: dataSources[0]!.network,
    schema,
    dataSources,
    deployment: keccak256(all),
    startBlock: Math.min(...dataSources.map((d) => d.startBlock)),
    nonFatalErrors: manifest.features?.includes("nonFatalErrors") ?? false,
  };
}
