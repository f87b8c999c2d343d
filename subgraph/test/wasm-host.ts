// The subgraph tests run the compiled mappings with the embedded indexer's WASM host
// (services/indexer/src/runtime/host.ts), the same host the indexer runs in production, over a small
// in-memory store so a test can look at every entity directly.
import { readFile } from "node:fs/promises";
import path from "node:path";

import { type AbiParameter, type Entity, type EventData, type HostStore, MappingModule, type StoreValue } from "@ai-dao/indexer/host";
import { type Hex, keccak256, toHex, zeroAddress, zeroHash } from "viem";

export type { Entity, StoreValue };

/** Entities by type, then id: shared by every data source, like graph-node's store. */
export class Store implements HostStore {
  readonly entities = new Map<string, Map<string, Entity>>();

  get(type: string, id: string): Entity | undefined {
    return this.entities.get(type)?.get(id);
  }

  getInBlock(type: string, id: string): Entity | undefined {
    return this.get(type, id);
  }

  set(type: string, id: string, entity: Entity): void {
    let table = this.entities.get(type);
    if (!table) this.entities.set(type, (table = new Map()));
    table.set(id, entity);
  }

  remove(type: string, id: string): void {
    this.entities.get(type)?.delete(id);
  }

  /** An entity as a plain object (bigints stay bigints, bytes as hex, null fields omitted). */
  plain(type: string, id: string): Record<string, unknown> | undefined {
    const entity = this.get(type, id);
    if (!entity) return undefined;
    const unwrap = (value: StoreValue): unknown =>
      value.kind === "null" ? null : value.kind === "array" ? value.value.map(unwrap) : value.value;
    return Object.fromEntries([...entity].filter(([, v]) => v.kind !== "null").map(([k, v]) => [k, unwrap(v)]));
  }

  all(type: string): Record<string, unknown>[] {
    return [...(this.entities.get(type)?.keys() ?? [])].map((id) => this.plain(type, id)!);
  }
}

/** One event to hand to a handler: block and transaction context plus decoded arguments by name. */
export interface TestEvent {
  address: Hex;
  block: bigint;
  timestamp: bigint;
  tx: Hex;
  logIndex: bigint;
  args: Record<string, unknown>;
}

/** One data source's mapping with the indexer's host, fed events by name. */
export class MappingInstance {
  readonly logs: string[] = [];
  private readonly module: MappingModule;
  private readonly abi: { type: string; name?: string; inputs?: AbiParameter[] }[];
  private readonly store: Store;

  private constructor(module: MappingModule, abi: { type: string; name?: string; inputs?: AbiParameter[] }[], store: Store) {
    this.module = module;
    this.abi = abi;
    this.store = store;
  }

  static async load(wasmFile: string, abiFile: string, store: Store): Promise<MappingInstance> {
    const abi = JSON.parse(await readFile(abiFile, "utf8"));
    const name = path.basename(wasmFile, ".wasm");
    const module = await MappingModule.load(wasmFile, { name, address: zeroAddress, network: "hardhat" });
    return new MappingInstance(module, abi, store);
  }

  /** Runs `handler` (by default `handle<name>`) on an event built from the ABI's inputs of event `name`. */
  handle(name: string, event: TestEvent, handler = `handle${name}`): void {
    const item = this.abi.find((entry) => entry.type === "event" && entry.name === name);
    if (!item) throw new Error(`no event ${name} in the ABI`);
    const params = (item.inputs ?? []).map((input) => {
      if (!(input.name! in event.args)) throw new Error(`missing event argument ${input.name}`);
      return { input, value: event.args[input.name!] };
    });
    const data: EventData = {
      address: event.address,
      logIndex: event.logIndex,
      transactionLogIndex: event.logIndex,
      logType: null,
      block: {
        hash: keccak256(toHex(event.block)),
        parentHash: zeroHash,
        unclesHash: zeroHash,
        author: zeroAddress,
        stateRoot: zeroHash,
        transactionsRoot: zeroHash,
        receiptsRoot: zeroHash,
        number: event.block,
        gasUsed: 0n,
        gasLimit: 0n,
        timestamp: event.timestamp,
        difficulty: 0n,
        totalDifficulty: 0n,
        size: null,
        baseFeePerGas: null,
      },
      transaction: { hash: event.tx, index: 0n, from: zeroAddress, to: null, value: 0n, gasLimit: 0n, gasPrice: 0n, input: "0x", nonce: 0n },
      params,
    };
    this.module.runEvent(handler, data, this.store, (level, message) => this.logs.push(`${level}: ${message}`));
  }
}
