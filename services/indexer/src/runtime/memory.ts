// AssemblyScript's memory as a mapping compiled by graph-cli lays it out, and the marshalling of
// values across it: strings, bytes, BigInt and BigDecimal, graph-ts's StoreValue, Entity,
// JSONValue and ethereum.Value, and the event a handler receives. One MappingInstance per running
// instance of a mapping (see MappingModule.runEvent).
import { type Hex, bytesToHex, hexToBytes } from "viem";

import type { AbiParameter, Entity, EventData, HostStore, MappingModule, StoreValue } from "./host.ts";
import { type HostFn, hostFunctions } from "./host-exports.ts";
import { type Decimal, decimalToString, normalizeDecimal, parseDecimal } from "./values.ts";

// graph-ts enums.
const StoreKind = { STRING: 0, INT: 1, BIGDECIMAL: 2, BOOL: 3, ARRAY: 4, NULL: 5, BYTES: 6, BIGINT: 7, INT8: 8, TIMESTAMP: 9 } as const;
const EthKind = { ADDRESS: 0, FIXED_BYTES: 1, BYTES: 2, INT: 3, UINT: 4, BOOL: 5, STRING: 6, FIXED_ARRAY: 7, ARRAY: 8, TUPLE: 9 } as const;
const JsonKind = { NULL: 0, BOOL: 1, NUMBER: 2, STRING: 3, ARRAY: 4, OBJECT: 5 } as const;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Minimal two's-complement little-endian bytes of `value` (graph-ts's BigInt layout). */
export function toSignedLE(value: bigint): Uint8Array {
  // A negative value is the bitwise complement of -value - 1, which is not negative.
  const negative = value < 0n;
  let hex = (negative ? -value - 1n : value).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  // The top bit is the sign: a magnitude that sets it needs one more byte.
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  const length = hex.length / 2;
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const byte = parseInt(hex.slice(2 * (length - 1 - i), 2 * (length - i)), 16);
    bytes[i] = negative ? ~byte & 0xff : byte;
  }
  return bytes;
}

export function fromSignedLE(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let hex = "";
  for (let i = bytes.length - 1; i >= 0; i--) hex += HEX[bytes[i]!];
  const v = BigInt(`0x${hex}`);
  return (bytes[bytes.length - 1]! & 0x80) !== 0 ? v - (1n << BigInt(8 * bytes.length)) : v;
}

/** A JSON value whose numbers keep their source text, as graph-node's JSONValue does. */
export type JsonNode = null | boolean | string | { number: string } | JsonNode[] | { object: [string, JsonNode][] };

export function parseJson(text: string): JsonNode {
  // The reviver runs bottom-up: numbers become { number: source text }, then every object becomes
  // { object: entries }, so a report's own { "number": ... } object can never pass for a number.
  const reviver = (_key: string, value: unknown, context?: { source?: string }): unknown => {
    if (typeof value === "number") return { number: context?.source ?? String(value) };
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      return { object: Object.entries(value as Record<string, unknown>) };
    }
    return value;
  };
  return JSON.parse(text, reviver as (key: string, value: unknown) => unknown) as JsonNode;
}

/** Strict UTF-8 for JSON: a BOM stays in the text, so JSON with one is refused as serde_json refuses it. */
export const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** One running instance of a mapping: memory access and object layouts. */
export class MappingInstance {
  readonly exports: Record<string, unknown>;
  private readonly memory: WebAssembly.Memory;
  private readonly classIds = new Map<string, number>();
  /** One DataView per memory buffer: `memory.grow` replaces the buffer, and then the view (see `buffer`). */
  private dataView?: DataView;

  readonly module: MappingModule;
  readonly store: HostStore;
  readonly log: (level: number, message: string) => void;

  constructor(module: MappingModule, store: HostStore, log: (level: number, message: string) => void) {
    this.module = module;
    this.store = store;
    this.log = log;
    const fns = hostFunctions(this) as unknown as Record<string, HostFn>;
    const instance = module.instantiate(module.linkImports(fns));
    this.exports = instance.exports as Record<string, unknown>;
    this.memory = this.exports.memory as WebAssembly.Memory;
  }

  start(): void {
    const start = this.exports._start as (() => void) | undefined;
    if (start) start();
  }

  /**
   * The memory's buffer. Asking the Memory object for it costs a call into the engine per read, so
   * it is kept and asked again only once `memory.grow` (by the module or by an allocation) has
   * detached it: a detached buffer's length is 0, a live one's never is.
   */
  private view(): DataView {
    if (this.dataView === undefined || this.dataView.buffer.byteLength === 0) this.dataView = new DataView(this.memory.buffer);
    return this.dataView;
  }

  private buffer(): ArrayBuffer {
    return this.view().buffer as ArrayBuffer;
  }

  private classId(typeName: string): number {
    let id = this.classIds.get(typeName);
    if (id === undefined) {
      const global = this.exports[`TypeId.${typeName}`] as WebAssembly.Global | undefined;
      if (!global) throw new Error(`the module exports no TypeId.${typeName}`);
      id = (this.exports.id_of_type as (typeId: number) => number)(global.value as number);
      this.classIds.set(typeName, id);
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
    this.view().setBigUint64(ptr, BigInt.asUintN(64, value), true);
  }

  readString(ptr: number): string {
    const byteLength = this.u32(ptr - 4);
    return Buffer.from(this.buffer(), ptr, byteLength).toString("utf16le");
  }

  writeString(text: string): number {
    // UTF-16 code units as they are (lone surrogates included), written straight into the memory.
    const ptr = this.alloc(text.length * 2, "String");
    Buffer.from(this.buffer(), ptr, text.length * 2).write(text, "utf16le");
    return ptr;
  }

  /**
   * A Uint8Array's bytes as a view of the module's memory, not a copy: valid until the next
   * allocation (`memory.grow` detaches the buffer), so callers use it before writing anything.
   */
  readBytes(ptr: number): Uint8Array {
    const dataStart = this.u32(ptr + 4);
    const byteLength = this.u32(ptr + 8);
    return new Uint8Array(this.buffer(), dataStart, byteLength);
  }

  writeBytes(bytes: Uint8Array): number {
    const buffer = this.alloc(bytes.length, "ArrayBuffer");
    new Uint8Array(this.buffer(), buffer, bytes.length).set(bytes);
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

  /** graph-ts BigDecimal: { digits: BigInt, exp: BigInt }. */
  readBigDecimal(ptr: number): Decimal {
    return normalizeDecimal({ digits: this.readBigInt(this.u32(ptr)), exp: Number(this.readBigInt(this.u32(ptr + 4))) });
  }

  writeBigDecimal(value: Decimal): number {
    const d = normalizeDecimal(value);
    const digits = this.writeBigInt(d.digits);
    const exp = this.writeBigInt(BigInt(d.exp));
    const ptr = this.alloc(8, "BigDecimal");
    this.setU32(ptr, digits);
    this.setU32(ptr + 4, exp);
    return ptr;
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
      case StoreKind.INT8:
        return { kind: "int8", value: this.view().getBigInt64(ptr + 8, true) };
      case StoreKind.TIMESTAMP:
        return { kind: "timestamp", value: this.view().getBigInt64(ptr + 8, true) };
      case StoreKind.BIGDECIMAL:
        return { kind: "bigdecimal", value: decimalToString(this.readBigDecimal(p)) };
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
        throw new Error(`unknown store value kind ${kind}`);
    }
  }

  private writeStoreValue(value: StoreValue): number {
    switch (value.kind) {
      case "string":
        return this.writeEnum(StoreKind.STRING, BigInt(this.writeString(value.value)), "StoreValue");
      case "int":
        return this.writeEnum(StoreKind.INT, BigInt(value.value >>> 0), "StoreValue");
      case "int8":
        return this.writeEnum(StoreKind.INT8, value.value, "StoreValue");
      case "timestamp":
        return this.writeEnum(StoreKind.TIMESTAMP, value.value, "StoreValue");
      case "bigdecimal":
        return this.writeEnum(StoreKind.BIGDECIMAL, BigInt(this.writeBigDecimal(parseDecimal(value.value))), "StoreValue");
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

  writeJson(value: JsonNode): number {
    if (value === null) return this.writeEnum(JsonKind.NULL, 0n, "JsonValue");
    if (typeof value === "boolean") return this.writeEnum(JsonKind.BOOL, value ? 1n : 0n, "JsonValue");
    if (typeof value === "string") return this.writeEnum(JsonKind.STRING, BigInt(this.writeString(value)), "JsonValue");
    if (Array.isArray(value)) {
      const items = value.map((v) => this.writeJson(v));
      return this.writeEnum(JsonKind.ARRAY, BigInt(this.writePointerArray(items, "ArrayJsonValue")), "JsonValue");
    }
    if ("number" in value) return this.writeEnum(JsonKind.NUMBER, BigInt(this.writeString(value.number)), "JsonValue");
    const entries = value.object.map(([key, v]) => {
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
    let parsed: JsonNode = null;
    let ok = true;
    try {
      parsed = parseJson(utf8Strict.decode(bytes));
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

  // --- ethereum.Value -------------------------------------------------------------------------

  /** An ethereum.Value as an ABI parameter (types read from the values) and viem's value. */
  readEthValue(ptr: number): { param: AbiParameter; value: unknown } {
    const kind = this.u32(ptr);
    const p = Number(this.view().getBigUint64(ptr + 8, true) & 0xffffffffn);
    switch (kind) {
      case EthKind.ADDRESS: {
        const bytes = this.readBytes(p);
        if (bytes.length !== 20) throw new Error(`an address of ${bytes.length} bytes`);
        return { param: { type: "address" }, value: bytesToHex(bytes) };
      }
      case EthKind.FIXED_BYTES: {
        const bytes = this.readBytes(p);
        if (bytes.length < 1 || bytes.length > 32) throw new Error(`fixed bytes of length ${bytes.length}`);
        return { param: { type: `bytes${bytes.length}` }, value: bytesToHex(bytes) };
      }
      case EthKind.BYTES:
        return { param: { type: "bytes" }, value: bytesToHex(this.readBytes(p)) };
      case EthKind.INT:
        return { param: { type: "int256" }, value: this.readBigInt(p) };
      case EthKind.UINT:
        return { param: { type: "uint256" }, value: this.readBigInt(p) };
      case EthKind.BOOL:
        return { param: { type: "bool" }, value: p !== 0 };
      case EthKind.STRING:
        return { param: { type: "string" }, value: this.readString(p) };
      case EthKind.ARRAY:
      case EthKind.FIXED_ARRAY: {
        const items = this.readPointerArray(p).map((v) => this.readEthValue(v));
        const element = items[0]?.param ?? { type: "uint256" };
        const suffix = kind === EthKind.ARRAY ? "[]" : `[${items.length}]`;
        return { param: { ...element, type: `${element.type}${suffix}` }, value: items.map((i) => i.value) };
      }
      case EthKind.TUPLE: {
        const items = this.readPointerArray(p).map((v) => this.readEthValue(v));
        return { param: { type: "tuple", components: items.map((i) => i.param) }, value: items.map((i) => i.value) };
      }
      default:
        throw new Error(`unknown ethereum.Value kind ${kind}`);
    }
  }

  // --- events -----------------------------------------------------------------------------------

  private writeEthValue(param: AbiParameter, value: unknown): number {
    const type = param.type;
    const array = /^(.*)\[(\d*)\]$/.exec(type);
    if (array) {
      const inner = { ...param, type: array[1]! };
      const items = (value as unknown[]).map((v) => this.writeEthValue(inner, v));
      const kind = array[2] === "" ? EthKind.ARRAY : EthKind.FIXED_ARRAY;
      return this.writeEnum(kind, BigInt(this.writePointerArray(items, "ArrayEthereumValue")), "EthereumValue");
    }
    if (type === "tuple") {
      const components = param.components ?? [];
      const items = components.map((c, i) =>
        this.writeEthValue(c, Array.isArray(value) ? value[i] : (value as Record<string, unknown>)[c.name ?? String(i)]),
      );
      return this.writeEnum(EthKind.TUPLE, BigInt(this.writePointerArray(items, "ArrayEthereumValue")), "EthereumValue");
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
    throw new Error(`event parameter type ${type} is not supported`);
  }

  private writeStruct(pointers: number[], typeName: string): number {
    const ptr = this.alloc(pointers.length * 4, typeName);
    pointers.forEach((p, i) => this.setU32(ptr + 4 * i, p));
    return ptr;
  }

  private hex(value: Hex): number {
    return this.writeBytes(hexToBytes(value));
  }

  writeEvent(event: EventData): number {
    const b = event.block;
    const block = this.writeStruct(
      [
        this.hex(b.hash),
        this.hex(b.parentHash),
        this.hex(b.unclesHash),
        this.hex(b.author),
        this.hex(b.stateRoot),
        this.hex(b.transactionsRoot),
        this.hex(b.receiptsRoot),
        this.writeBigInt(b.number),
        this.writeBigInt(b.gasUsed),
        this.writeBigInt(b.gasLimit),
        this.writeBigInt(b.timestamp),
        this.writeBigInt(b.difficulty),
        this.writeBigInt(b.totalDifficulty),
        b.size === null ? 0 : this.writeBigInt(b.size),
        b.baseFeePerGas === null ? 0 : this.writeBigInt(b.baseFeePerGas),
      ],
      "EthereumBlock",
    );
    const t = event.transaction;
    const transaction = this.writeStruct(
      [
        this.hex(t.hash),
        this.writeBigInt(t.index),
        this.hex(t.from),
        t.to === null ? 0 : this.hex(t.to),
        this.writeBigInt(t.value),
        this.writeBigInt(t.gasLimit),
        this.writeBigInt(t.gasPrice),
        this.hex(t.input),
        this.writeBigInt(t.nonce),
      ],
      "EthereumTransaction",
    );
    const params = event.params.map(({ input, value }) =>
      this.writeStruct([this.writeString(input.name ?? ""), this.writeEthValue(input, value)], "EventParam"),
    );
    return this.writeStruct(
      [
        this.hex(event.address),
        this.writeBigInt(event.logIndex),
        this.writeBigInt(event.transactionLogIndex),
        event.logType === null ? 0 : this.writeString(event.logType),
        block,
        transaction,
        this.writePointerArray(params, "ArrayEventParam"),
        0,
      ],
      "EthereumEvent",
    );
  }
}
