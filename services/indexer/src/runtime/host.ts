// The WASM host: runs a data source's compiled AssemblyScript mapping (graph-ts, apiVersion 0.0.9)
// in Node and provides the graph-ts host functions, the way graph-node does:
// - imports are linked by function name; a module that imports anything not provided here is
//   refused when it loads, with every missing name in the error;
// - every trigger runs in a fresh instance (graph-node instantiates per trigger), so a handler that
//   traps leaves nothing behind and the mapping's stub allocator never grows without bound;
// - `log.critical` and any trap fail the handler.
// Object layouts follow AssemblyScript's runtime as graph-cli compiles it and graph-ts's classes.
// This file: the mapping module, its triggers' data and its errors; memory.ts: memory layout and
// marshalling; host-exports.ts: the host functions.
import { readFile } from "node:fs/promises";

import type { Hex } from "viem";

import type { EntityDef } from "../schema.ts";
import { type HostFn, hostFunctions } from "./host-exports.ts";
import { MappingInstance } from "./memory.ts";
import type { EntityData } from "./values.ts";

/** A stored field as graph-ts's StoreValue carries it. */
export type StoreValue =
  | { kind: "string"; value: string }
  | { kind: "int"; value: number }
  | { kind: "int8"; value: bigint }
  | { kind: "timestamp"; value: bigint }
  | { kind: "bigdecimal"; value: string }
  | { kind: "bool"; value: boolean }
  | { kind: "array"; value: StoreValue[] }
  | { kind: "null" }
  | { kind: "bytes"; value: Hex }
  | { kind: "bigint"; value: bigint };

export type Entity = Map<string, StoreValue>;

/** What the host needs from the indexer's store during one trigger. */
export interface HostStore {
  get(type: string, id: string): Entity | undefined;
  /** Only entities written in the current block (graph-ts `store.get_in_block`). */
  getInBlock(type: string, id: string): Entity | undefined;
  set(type: string, id: string, entity: Entity): void;
  remove(type: string, id: string): void;
}

/**
 * A {@link HostStore} that also takes and gives entities as the indexer keeps them (one plain value
 * per field), so that an entity crossing the WASM boundary skips the Entity map and its StoreValue
 * objects (the indexer's BlockState; the subgraph's test store has only the Entity methods).
 */
export interface EntityDataStore extends HostStore {
  /** The entity type's definition; throws for a type the schema does not have. */
  entityDef(type: string): EntityDef;
  /** What {@link HostStore.get} (or with `inBlock`, `getInBlock`) finds, as entity data. */
  getData(type: string, id: string, inBlock: boolean): EntityData | undefined;
  /** {@link HostStore.set} of an entity whose fields were already read as entity data. */
  setData(type: string, id: string, fields: EntityData): void;
}

export interface DataSourceInfo {
  name: string;
  address: Hex;
  network: string;
}

export interface BlockData {
  hash: Hex;
  parentHash: Hex;
  unclesHash: Hex;
  author: Hex;
  stateRoot: Hex;
  transactionsRoot: Hex;
  receiptsRoot: Hex;
  number: bigint;
  gasUsed: bigint;
  gasLimit: bigint;
  timestamp: bigint;
  difficulty: bigint;
  totalDifficulty: bigint;
  size: bigint | null;
  baseFeePerGas: bigint | null;
}

export interface TransactionData {
  hash: Hex;
  index: bigint;
  from: Hex;
  to: Hex | null;
  value: bigint;
  gasLimit: bigint;
  gasPrice: bigint;
  input: Hex;
  nonce: bigint;
}

export interface AbiParameter {
  name?: string;
  type: string;
  indexed?: boolean;
  components?: readonly AbiParameter[];
}

export interface EventData {
  address: Hex;
  logIndex: bigint;
  transactionLogIndex: bigint;
  logType: string | null;
  block: BlockData;
  transaction: TransactionData;
  /** The event's ABI inputs with the decoded values (viem's decodeEventLog). */
  params: { input: AbiParameter; value: unknown }[];
}

/** A module imports host functions this host does not provide. */
export class UnsupportedHostImportsError extends Error {
  readonly dataSource: string;
  readonly names: string[];

  constructor(dataSource: string, names: string[]) {
    super(
      `data source ${dataSource}: the mapping imports host functions the embedded indexer does not provide: ${names.join(", ")}`,
    );
    this.name = "UnsupportedHostImportsError";
    this.dataSource = dataSource;
    this.names = names;
  }
}

/** A handler failed (trap, abort, log.critical or a failing host call). */
export class HandlerError extends Error {
  readonly dataSource: string;
  readonly handler: string;
  /** The block being processed, when known. */
  block: number | undefined;

  constructor(dataSource: string, handler: string, message: string) {
    super(`${dataSource}.${handler}: ${message}`);
    this.name = "HandlerError";
    this.dataSource = dataSource;
    this.handler = handler;
  }
}

/** One data source's compiled mapping. */
export class MappingModule {
  readonly info: DataSourceInfo;
  /**
   * Whether the module was compiled with AssemblyScript's `stub` runtime (graph-cli's choice), which
   * never frees or moves an object: its debug names say so. Only then may the host keep pointers
   * to the strings it wrote or read (see MappingInstance's names).
   */
  readonly stubRuntime: boolean;
  private readonly module: WebAssembly.Module;
  private readonly importNames: { module: string; name: string }[];

  private constructor(info: DataSourceInfo, module: WebAssembly.Module, importNames: { module: string; name: string }[]) {
    this.info = info;
    this.module = module;
    this.importNames = importNames;
    this.stubRuntime = WebAssembly.Module.customSections(module, "name").some((names) => Buffer.from(names).includes("~lib/rt/stub/"));
  }

  /** Compiles `wasmFile` and checks that every import is provided; throws {@link UnsupportedHostImportsError} otherwise. */
  static async load(wasmFile: string, info: DataSourceInfo): Promise<MappingModule> {
    const module = await WebAssembly.compile(await readFile(wasmFile));
    return MappingModule.fromModule(module, info);
  }

  static fromModule(module: WebAssembly.Module, info: DataSourceInfo): MappingModule {
    const imports = WebAssembly.Module.imports(module).filter((i) => i.kind === "function");
    const provided = new Set(Object.keys(hostFunctions(undefined as never)));
    const missing = [...new Set(imports.map((i) => i.name).filter((name) => !provided.has(name)))];
    if (missing.length > 0) throw new UnsupportedHostImportsError(info.name, missing.sort());
    return new MappingModule(info, module, imports);
  }

  /** The names of the host functions the module imports. */
  get imports(): string[] {
    return this.importNames.map((i) => i.name);
  }

  /** Runs `handler` on `event` in a fresh instance. Throws {@link HandlerError} when the handler fails. */
  runEvent(
    handler: string,
    event: EventData,
    store: HostStore,
    log: (level: number, message: string) => void,
    instances?: Map<MappingModule, unknown>,
  ): void {
    // `instances` lets the events of one block share an instance per data source: instantiating
    // per event, as graph-node does, leaves tens of thousands of wasm memories for the GC during a
    // back-fill. A failed handler fails the whole block, so nothing of a broken instance is kept.
    let instance = instances?.get(this) as MappingInstance | undefined;
    const fresh = !instance;
    if (!instance) {
      instance = new MappingInstance(this, store, log);
      instances?.set(this, instance);
    }
    try {
      if (fresh) instance.start();
      const fn = instance.exports[handler] as ((event: number) => void) | undefined;
      if (typeof fn !== "function") throw new Error(`the module exports no handler ${handler}`);
      fn(instance.writeEvent(event));
    } catch (error) {
      // A failed instance is never reused: the next event of the block gets a fresh one.
      instances?.delete(this);
      if (error instanceof HandlerError) throw error;
      throw new HandlerError(this.info.name, handler, (error as Error).message);
    }
  }

  /** @internal */
  instantiate(imports: WebAssembly.Imports): WebAssembly.Instance {
    return new WebAssembly.Instance(this.module, imports);
  }

  /** @internal */
  linkImports(fns: Record<string, HostFn>): WebAssembly.Imports {
    const result: Record<string, Record<string, HostFn>> = {};
    for (const { module, name } of this.importNames) (result[module] ??= {})[name] = fns[name]!;
    return result as WebAssembly.Imports;
  }
}
