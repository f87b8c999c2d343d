// A minimal graph-node stand-in for tests: runs the compiled mapping WASM in Node with an in-memory
// store and exactly the host functions the mappings import (see README, "Notes for mapping
// authors"). Memory layouts follow AssemblyScript 0.19 (the compiler graph-cli uses) and graph-ts.
import { readFile } from "node:fs/promises";

import { type Hex, bytesToHex, hexToBytes, keccak256 } from "viem";

/** A stored field: graph-ts store value kinds. */
export type StoreValue =
  | { kind: "string"; value: string }
  | { kind: "int"; value: number }
  | { kind: "bigdecimal"; value: string }
  | { kind: "bool"; value: boolean }
  | { kind: "array"; value: StoreValue[] }
  | { kind: "null" }
  | { kind: "bytes"; value: Hex }
  | { kind: "bigint"; value: bigint };

export type Entity = Map<string, StoreValue>;

/** Entities by type, then id: shared by every data source, like graph-node's store. */
export class Store {
  readonly entities = new Map<string, Map<string, Entity>>();

  get(type: string, id: string): Entity | undefined {
    return this.entities.get(type)?.get(id);
  }

  set(type: string, id: string, entity: Entity): void {
    let table = this.entities.get(type);
    if (!table) this.entities.set(type, (table = new Map()));
    table.set(id, entity);
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

// graph-ts enums.
const StoreKind = { STRING: 0, INT: 1, BIGDECIMAL: 2, BOOL: 3, ARRAY: 4, NULL: 5, BYTES: 6, BIGINT: 7 } as const;
const EthKind = { ADDRESS: 0, FIXED_BYTES: 1, BYTES: 2, INT: 3, UINT: 4, BOOL: 5, STRING: 6, FIXED_ARRAY: 7, ARRAY: 8 } as const;
const JsonKind = { NULL: 0, BOOL: 1, NUMBER: 2, STRING: 3, ARRAY: 4, OBJECT: 5 } as const;

function toSignedLE(value: bigint): Uint8Array {
  const bytes: number[] = [];
  let v = value;
  for (;;) {
    const byte = Number(v & 0xffn);
    bytes.push(byte);
    v >>= 8n;
    if ((v === 0n && (byte & 0x80) === 0) || (v === -1n && (byte & 0x80) !== 0)) break;
  }
  return Uint8Array.from(bytes);
}

function fromSignedLE(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  if (bytes.length > 0 && (bytes[bytes.length - 1]! & 0x80) !== 0) v -= 1n << BigInt(8 * bytes.length);
  return v;
}

interface AbiInput {
  name: string;
  type: string;
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

/** One instantiated mapping (one data source). */
export class MappingInstance {
  private readonly exports: Record<string, unknown>;
  private readonly memory: WebAssembly.Memory;
  private readonly ids = new Map<string, number>();
  readonly logs: string[] = [];

  private constructor(
    instance: WebAssembly.Instance,
    private readonly abi: { type: string; name?: string; inputs?: AbiInput[] }[],
  ) {
    this.exports = instance.exports as Record<string, unknown>;
    this.memory = this.exports.memory as WebAssembly.Memory;
  }

  static async load(wasmFile: string, abiFile: string, store: Store): Promise<MappingInstance> {
    const abi = JSON.parse(await readFile(abiFile, "utf8"));
    let self: MappingInstance | undefined;
    const host = () => self!;
    const imports = {
      env: {
        abort(message: number, file: number, line: number, column: number) {
          const text = message ? host().readString(message) : "abort";
          throw new Error(`mapping aborted: ${text} (${file ? host().readString(file) : "?"}:${line}:${column})`);
        },
      },
      index: {
        "store.get": (type: number, id: number) => {
          const entity = store.get(host().readString(type), host().readString(id));
          return entity ? host().writeEntity(entity) : 0;
        },
        "store.set": (type: number, id: number, data: number) => {
          store.set(host().readString(type), host().readString(id), host().readEntity(data));
        },
        "log.log": (level: number, message: number) => {
          host().logs.push(`${level}: ${host().readString(message)}`);
        },
        "crypto.keccak256": (bytes: number) => host().writeBytes(hexToBytes(keccak256(host().readBytes(bytes)))),
      },
      conversion: {
        "typeConversion.bytesToHex": (bytes: number) => host().writeString(bytesToHex(host().readBytes(bytes))),
        "typeConversion.bigIntToString": (value: number) => host().writeString(host().readBigInt(value).toString()),
      },
      numbers: {
        "bigInt.plus": (a: number, b: number) => host().writeBigInt(host().readBigInt(a) + host().readBigInt(b)),
        "bigInt.minus": (a: number, b: number) => host().writeBigInt(host().readBigInt(a) - host().readBigInt(b)),
        "bigDecimal.toString": () => {
          throw new Error("bigDecimal.toString is not provided by the test host");
        },
      },
      json: {
        "json.try_fromBytes": (bytes: number) => host().jsonResult(host().readBytes(bytes)),
      },
    };
    const module = await WebAssembly.compile(await readFile(wasmFile));
    const instance = await WebAssembly.instantiate(module, imports as unknown as WebAssembly.Imports);
    self = new MappingInstance(instance, abi);
    (self.exports._start as () => void)();
    return self;
  }

  /** Runs `handle<name>` on an event built from the ABI's inputs of event `name`. */
  handle(name: string, event: TestEvent): void {
    const item = this.abi.find((entry) => entry.type === "event" && entry.name === name);
    if (!item) throw new Error(`no event ${name} in the ABI`);
    const handler = this.exports[`handle${name}`] as ((event: number) => void) | undefined;
    if (!handler) throw new Error(`no handler handle${name}`);
    handler(this.writeEvent(event, item.inputs ?? []));
  }

  // --- memory -----------------------------------------------------------------------------------

  private view(): DataView {
    return new DataView(this.memory.buffer);
  }

  private classId(typeName: string): number {
    let id = this.ids.get(typeName);
    if (id === undefined) {
      const typeId = (this.exports[`TypeId.${typeName}`] as WebAssembly.Global).value as number;
      id = (this.exports.id_of_type as (typeId: number) => number)(typeId);
      this.ids.set(typeName, id);
    }
    return id;
  }

  private alloc(size: number, typeName: string): number {
    return (this.exports.__new as (size: number, id: number) => number)(size, this.classId(typeName));
  }

  private u32(ptr: number): number {
    return this.view().getUint32(ptr, true);
  }

  private setU32(ptr: number, value: number): void {
    this.view().setUint32(ptr, value, true);
  }

  private setU64(ptr: number, value: bigint): void {
    this.view().setBigUint64(ptr, value, true);
  }

  readString(ptr: number): string {
    const byteLength = this.u32(ptr - 4);
    return Buffer.from(this.memory.buffer, ptr, byteLength).toString("utf16le");
  }

  writeString(text: string): number {
    const encoded = Buffer.from(text, "utf16le");
    const ptr = this.alloc(encoded.length, "String");
    new Uint8Array(this.memory.buffer, ptr, encoded.length).set(encoded);
    return ptr;
  }

  readBytes(ptr: number): Uint8Array {
    const dataStart = this.u32(ptr + 4);
    const byteLength = this.u32(ptr + 8);
    return new Uint8Array(this.memory.buffer.slice(dataStart, dataStart + byteLength));
  }

  writeBytes(bytes: Uint8Array): number {
    const buffer = this.alloc(bytes.length, "ArrayBuffer");
    new Uint8Array(this.memory.buffer, buffer, bytes.length).set(bytes);
    const ptr = this.alloc(12, "Uint8Array");
    this.setU32(ptr, buffer);
    this.setU32(ptr + 4, buffer);
    this.setU32(ptr + 8, bytes.length);
    return ptr;
  }

  readBigInt(ptr: number): bigint {
    return fromSignedLE(this.readBytes(ptr));
  }

  writeBigInt(value: bigint): number {
    return this.writeBytes(toSignedLE(value));
  }

  private readPointerArray(ptr: number): number[] {
    const dataStart = this.u32(ptr + 4);
    const length = this.u32(ptr + 12);
    return Array.from({ length }, (_, i) => this.u32(dataStart + 4 * i));
  }

  private writePointerArray(pointers: number[], typeName: string): number {
    const buffer = this.alloc(pointers.length * 4, "ArrayBuffer");
    pointers.forEach((p, i) => this.setU32(buffer + 4 * i, p));
    const ptr = this.alloc(16, typeName);
    this.setU32(ptr, buffer);
    this.setU32(ptr + 4, buffer);
    this.setU32(ptr + 8, pointers.length * 4);
    this.setU32(ptr + 12, pointers.length);
    return ptr;
  }

  /** An enum-like value: kind (i32), padding, payload (u64). */
  private writeEnum(kind: number, payload: bigint, typeName: string): number {
    const ptr = this.alloc(16, typeName);
    this.setU32(ptr, kind);
    this.setU64(ptr + 8, payload);
    return ptr;
  }

  private readStoreValue(ptr: number): StoreValue {
    const kind = this.u32(ptr);
    const payload = this.view().getBigUint64(ptr + 8, true);
    const p = Number(payload & 0xffffffffn);
    switch (kind) {
      case StoreKind.STRING:
        return { kind: "string", value: this.readString(p) };
      case StoreKind.INT:
        return { kind: "int", value: this.view().getInt32(ptr + 8, true) };
      case StoreKind.BOOL:
        return { kind: "bool", value: payload !== 0n };
      case StoreKind.ARRAY:
        return { kind: "array", value: this.readPointerArray(p).map((v) => this.readStoreValue(v)) };
      case StoreKind.NULL:
        return { kind: "null" };
      case StoreKind.BYTES:
        return { kind: "bytes", value: bytesToHex(this.readBytes(p)) };
      case StoreKind.BIGINT:
        return { kind: "bigint", value: this.readBigInt(p) };
      default:
        throw new Error(`store value kind ${kind} is not supported by the test host`);
    }
  }

  private writeStoreValue(value: StoreValue): number {
    switch (value.kind) {
      case "string":
        return this.writeEnum(StoreKind.STRING, BigInt(this.writeString(value.value)), "StoreValue");
      case "int":
        return this.writeEnum(StoreKind.INT, BigInt(value.value >>> 0), "StoreValue");
      case "bool":
        return this.writeEnum(StoreKind.BOOL, value.value ? 1n : 0n, "StoreValue");
      case "array": {
        const items = value.value.map((v) => this.writeStoreValue(v));
        return this.writeEnum(StoreKind.ARRAY, BigInt(this.writePointerArray(items, "ArrayStoreValue")), "StoreValue");
      }
      case "null":
        return this.writeEnum(StoreKind.NULL, 0n, "StoreValue");
      case "bytes":
        return this.writeEnum(StoreKind.BYTES, BigInt(this.writeBytes(hexToBytes(value.value))), "StoreValue");
      case "bigint":
        return this.writeEnum(StoreKind.BIGINT, BigInt(this.writeBigInt(value.value)), "StoreValue");
      default:
        throw new Error(`store value kind ${value.kind} is not supported by the test host`);
    }
  }

  readEntity(ptr: number): Entity {
    const entity: Entity = new Map();
    for (const entry of this.readPointerArray(this.u32(ptr))) {
      entity.set(this.readString(this.u32(entry)), this.readStoreValue(this.u32(entry + 4)));
    }
    return entity;
  }

  writeEntity(entity: Entity): number {
    const entries = [...entity].map(([key, value]) => {
      const entry = this.alloc(8, "TypedMapEntryStringStoreValue");
      const keyPtr = this.writeString(key);
      const valuePtr = this.writeStoreValue(value);
      this.setU32(entry, keyPtr);
      this.setU32(entry + 4, valuePtr);
      return entry;
    });
    const array = this.writePointerArray(entries, "ArrayTypedMapEntryStringStoreValue");
    const map = this.alloc(4, "TypedMapStringStoreValue");
    this.setU32(map, array);
    return map;
  }

  // --- JSON -------------------------------------------------------------------------------------

  private writeJson(value: unknown): number {
    if (value === null) return this.writeEnum(JsonKind.NULL, 0n, "JsonValue");
    if (typeof value === "boolean") return this.writeEnum(JsonKind.BOOL, value ? 1n : 0n, "JsonValue");
    if (typeof value === "number") return this.writeEnum(JsonKind.NUMBER, BigInt(this.writeString(String(value))), "JsonValue");
    if (typeof value === "string") return this.writeEnum(JsonKind.STRING, BigInt(this.writeString(value)), "JsonValue");
    if (Array.isArray(value)) {
      const items = value.map((v) => this.writeJson(v));
      return this.writeEnum(JsonKind.ARRAY, BigInt(this.writePointerArray(items, "ArrayJsonValue")), "JsonValue");
    }
    const entries = Object.entries(value as Record<string, unknown>).map(([key, v]) => {
      const entry = this.alloc(8, "TypedMapEntryStringJsonValue");
      const keyPtr = this.writeString(key);
      const valuePtr = this.writeJson(v);
      this.setU32(entry, keyPtr);
      this.setU32(entry + 4, valuePtr);
      return entry;
    });
    const array = this.writePointerArray(entries, "ArrayTypedMapEntryStringJsonValue");
    const map = this.alloc(4, "TypedMapStringJsonValue");
    this.setU32(map, array);
    return this.writeEnum(JsonKind.OBJECT, BigInt(map), "JsonValue");
  }

  jsonResult(bytes: Uint8Array): number {
    let parsed: unknown;
    let ok = true;
    try {
      parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch {
      ok = false;
    }
    const result = this.alloc(8, "ResultJsonValueBool");
    if (ok) {
      const inner = this.writeJson(parsed);
      const wrapped = this.alloc(4, "WrappedJsonValue");
      this.setU32(wrapped, inner);
      this.setU32(result, wrapped);
      this.setU32(result + 4, 0);
    } else {
      const wrapped = this.alloc(4, "WrappedBool");
      this.setU32(wrapped, 1);
      this.setU32(result, 0);
      this.setU32(result + 4, wrapped);
    }
    return result;
  }

  // --- events -----------------------------------------------------------------------------------

  private writeEthValue(type: string, value: unknown): number {
    if (type.endsWith("[]")) {
      const items = (value as unknown[]).map((v) => this.writeEthValue(type.slice(0, -2), v));
      return this.writeEnum(EthKind.ARRAY, BigInt(this.writePointerArray(items, "ArrayEthereumValue")), "EthereumValue");
    }
    if (type === "address") return this.writeEnum(EthKind.ADDRESS, BigInt(this.writeBytes(hexToBytes(value as Hex))), "EthereumValue");
    if (type === "bool") return this.writeEnum(EthKind.BOOL, value ? 1n : 0n, "EthereumValue");
    if (type === "string") return this.writeEnum(EthKind.STRING, BigInt(this.writeString(value as string)), "EthereumValue");
    if (type === "bytes") return this.writeEnum(EthKind.BYTES, BigInt(this.writeBytes(hexToBytes(value as Hex))), "EthereumValue");
    if (type.startsWith("bytes")) return this.writeEnum(EthKind.FIXED_BYTES, BigInt(this.writeBytes(hexToBytes(value as Hex))), "EthereumValue");
    if (type.startsWith("uint") || type.startsWith("int")) {
      const kind = type.startsWith("uint") ? EthKind.UINT : EthKind.INT;
      return this.writeEnum(kind, BigInt(this.writeBigInt(BigInt(value as bigint | number))), "EthereumValue");
    }
    throw new Error(`event parameter type ${type} is not supported by the test host`);
  }

  private writeStruct(pointers: number[], typeName: string): number {
    const ptr = this.alloc(pointers.length * 4, typeName);
    pointers.forEach((p, i) => this.setU32(ptr + 4 * i, p));
    return ptr;
  }

  private writeEvent(event: TestEvent, inputs: AbiInput[]): number {
    const zero32 = this.writeBytes(new Uint8Array(32));
    const zeroAddress = this.writeBytes(new Uint8Array(20));
    const zero = this.writeBigInt(0n);
    const block = this.writeStruct(
      [
        this.writeBytes(hexToBytes(keccak256(toSignedLE(event.block)))),
        zero32,
        zero32,
        zeroAddress,
        zero32,
        zero32,
        zero32,
        this.writeBigInt(event.block),
        zero,
        zero,
        this.writeBigInt(event.timestamp),
        zero,
        zero,
        0,
        0,
      ],
      "EthereumBlock",
    );
    const transaction = this.writeStruct(
      [this.writeBytes(hexToBytes(event.tx)), zero, zeroAddress, 0, zero, zero, zero, this.writeBytes(new Uint8Array()), zero],
      "EthereumTransaction",
    );
    const params = inputs.map((input) => {
      if (!(input.name in event.args)) throw new Error(`missing event argument ${input.name}`);
      return this.writeStruct([this.writeString(input.name), this.writeEthValue(input.type, event.args[input.name])], "EventParam");
    });
    return this.writeStruct(
      [
        this.writeBytes(hexToBytes(event.address)),
        this.writeBigInt(event.logIndex),
        this.writeBigInt(event.logIndex),
        0,
        block,
        transaction,
        this.writePointerArray(params, "ArrayEventParam"),
        0,
      ],
      "EthereumEvent",
    );
  }
}
