// AssemblyScript's memory as a mapping compiled by graph-cli lays it out, and the marshalling of
// values across it: strings, bytes, BigInt and BigDecimal, graph-ts's StoreValue, Entity,
// JSONValue and ethereum.Value, and the event a handler receives. One MappingInstance per running
// instance of a mapping (see MappingModule.runEvent).
import { type Hex, bytesToHex, hexToBytes } from "viem";

import type { EntityDef, FieldDef } from "../schema.ts";
import type { AbiParameter, Entity, EntityDataStore, EventData, HostStore, MappingModule, StoreValue } from "./host.ts";
import { type HostFn, hostFunctions } from "./host-exports.ts";
import { type Decimal, type EntityData, type Plain, decimalToString, normalizeDecimal, parseDecimal } from "./values.ts";

// graph-ts enums.
const StoreKind = { STRING: 0, INT: 1, BIGDECIMAL: 2, BOOL: 3, ARRAY: 4, NULL: 5, BYTES: 6, BIGINT: 7, INT8: 8, TIMESTAMP: 9 } as const;
const EthKind = { ADDRESS: 0, FIXED_BYTES: 1, BYTES: 2, INT: 3, UINT: 4, BOOL: 5, STRING: 6, FIXED_ARRAY: 7, ARRAY: 8, TUPLE: 9 } as const;
const JsonKind = { NULL: 0, BOOL: 1, NUMBER: 2, STRING: 3, ARRAY: 4, OBJECT: 5 } as const;

/** The value of a hex digit's character code, or -1. */
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** Minimal two's-complement little-endian bytes of `value` (graph-ts's BigInt layout). */
export function toSignedLE(value: bigint): Uint8Array {
  // Up to six bytes a double holds exactly: no text on the way (counts, block numbers, timestamps).
  if (value >= -(2n ** 47n) && value < 2n ** 47n) {
    const n = Number(value);
    let length = 1;
    while (n >= 2 ** (8 * length - 1) || n < -(2 ** (8 * length - 1))) length++;
    const bytes = new Uint8Array(length);
    let rest = n < 0 ? n + 2 ** (8 * length) : n;
    for (let i = 0; i < length; i++) {
      bytes[i] = rest % 256;
      rest = Math.floor(rest / 256);
    }
    return bytes;
  }
  // A negative value is the bitwise complement of -value - 1, which is not negative.
  const negative = value < 0n;
  let hex = (negative ? -value - 1n : value).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  // The top bit is the sign: a magnitude that sets it needs one more byte.
  if (hexDigit(hex.charCodeAt(0)) >= 8) hex = `00${hex}`;
  const length = hex.length / 2;
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const at = hex.length - 2 - 2 * i;
    const byte = (hexDigit(hex.charCodeAt(at)) << 4) | hexDigit(hex.charCodeAt(at + 1));
    bytes[i] = negative ? ~byte & 0xff : byte;
  }
  return bytes;
}

export function fromSignedLE(bytes: Uint8Array): bigint {
  const length = bytes.length;
  if (length === 0) return 0n;
  const negative = (bytes[length - 1]! & 0x80) !== 0;
  // Up to six bytes fit a double exactly: no text on the way (counts, block numbers, timestamps).
  if (length <= 6) {
    let v = 0;
    for (let i = length - 1; i >= 0; i--) v = v * 256 + bytes[i]!;
    return BigInt(negative ? v - 2 ** (8 * length) : v);
  }
  // Six bytes at a time, most significant first.
  let v = 0n;
  let i = length - 1;
  for (; i >= 5; i -= 6) {
    const chunk = bytes[i]! * 2 ** 40 + bytes[i - 1]! * 2 ** 32 + bytes[i - 2]! * 2 ** 24 + bytes[i - 3]! * 2 ** 16 + bytes[i - 4]! * 2 ** 8 + bytes[i - 5]!;
    v = (v << 48n) | BigInt(chunk);
  }
  for (; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return negative ? v - (1n << BigInt(8 * length)) : v;
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
  /**
   * Strings by pointer and pointers by string, for the names that cross the boundary over and over
   * (entity types, field names, event parameter names). The mapping's runtime (graph-cli's `stub`)
   * never frees or moves an object and AssemblyScript strings are immutable, so a pointer read or
   * written once holds the same string for the instance's life. Undefined for another runtime.
   */
  private readonly names: Map<number, string> | undefined;
  private readonly namePointers: Map<string, number> | undefined;

  readonly module: MappingModule;
  readonly store: HostStore;
  /** The store again when it takes entity data directly (the indexer's block state), else undefined. */
  readonly dataStore: EntityDataStore | undefined;
  readonly log: (level: number, message: string) => void;

  constructor(module: MappingModule, store: HostStore, log: (level: number, message: string) => void) {
    this.module = module;
    this.store = store;
    this.dataStore = "setData" in store ? (store as EntityDataStore) : undefined;
    if (module.stubRuntime) {
      this.names = new Map();
      this.namePointers = new Map();
    }
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

  readString(ptr: number): string {
    const byteLength = this.u32(ptr - 4);
    return Buffer.from(this.buffer(), ptr, byteLength).toString("utf16le");
  }

  /** {@link readString} for names (see {@link names}). */
  readName(ptr: number): string {
    if (!this.names) return this.readString(ptr);
    let text = this.names.get(ptr);
    if (text === undefined) {
      text = this.readString(ptr);
      this.names.set(ptr, text);
    }
    return text;
  }

  /** {@link writeString} for names: one string in the memory per name, shared by every entity and event. */
  writeName(text: string): number {
    if (!this.namePointers) return this.writeString(text);
    let ptr = this.namePointers.get(text);
    if (ptr === undefined) {
      ptr = this.writeString(text);
      this.namePointers.set(text, ptr);
      this.names!.set(ptr, text);
    }
    return ptr;
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
    return this.byteArray(buffer, bytes.length);
  }

  /** A Uint8Array over the ArrayBuffer at `buffer`. */
  private byteArray(buffer: number, length: number): number {
    const ptr = this.alloc(12, "Uint8Array");
    const view = this.view();
    view.setUint32(ptr, buffer, true);
    view.setUint32(ptr + 4, buffer, true);
    view.setUint32(ptr + 8, length, true);
    return ptr;
  }

  readBigInt(ptr: number): bigint {
    return fromSignedLE(this.readBytes(ptr));
  }

  writeBigInt(value: bigint): number {
    return this.writeBytes(toSignedLE(value));
  }

  /** 0x-hex as a Uint8Array, its bytes parsed straight into the memory. */
  writeHex(value: Hex): number {
    // Odd-length hex: viem's reading of it.
    if (value.length % 2 === 1) return this.writeBytes(hexToBytes(value));
    const length = (value.length - 2) / 2;
    const buffer = this.alloc(length, "ArrayBuffer");
    const bytes = new Uint8Array(this.buffer(), buffer, length);
    for (let i = 0; i < length; i++) {
      const high = hexDigit(value.charCodeAt(2 + 2 * i));
      const low = hexDigit(value.charCodeAt(3 + 2 * i));
      // Not hex: viem's error for it.
      if (high < 0 || low < 0) return this.writeBytes(hexToBytes(value));
      bytes[i] = (high << 4) | low;
    }
    return this.byteArray(buffer, length);
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
    // One view for every read: nothing here allocates, so the buffer cannot change meanwhile.
    const view = this.view();
    const dataStart = view.getUint32(ptr + 4, true);
    const length = view.getUint32(ptr + 12, true);
    const pointers = new Array<number>(length);
    for (let i = 0; i < length; i++) pointers[i] = view.getUint32(dataStart + 4 * i, true);
    return pointers;
  }

  private writePointerArray(pointers: number[], typeName: string): number {
    const buffer = this.alloc(pointers.length * 4, "ArrayBuffer");
    const ptr = this.alloc(16, typeName);
    // After the allocations, which may grow the memory.
    const view = this.view();
    for (let i = 0; i < pointers.length; i++) view.setUint32(buffer + 4 * i, pointers[i]!, true);
    view.setUint32(ptr, buffer, true);
    view.setUint32(ptr + 4, buffer, true);
    view.setUint32(ptr + 8, pointers.length * 4, true);
    view.setUint32(ptr + 12, pointers.length, true);
    return ptr;
  }

  /** An enum-like value: kind (i32), padding, payload (u64). */
  private writeEnum(kind: number, payload: number | bigint, typeName: string): number {
    const ptr = this.alloc(16, typeName);
    const view = this.view();
    view.setUint32(ptr, kind, true);
    // A pointer or another u32 needs no BigInt: its high word is zero.
    if (typeof payload === "number") {
      view.setUint32(ptr + 8, payload, true);
      view.setUint32(ptr + 12, 0, true);
    } else view.setBigUint64(ptr + 8, BigInt.asUintN(64, payload), true);
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
        return this.writeEnum(StoreKind.STRING, this.writeString(value.value), "StoreValue");
      case "int":
        return this.writeEnum(StoreKind.INT, value.value >>> 0, "StoreValue");
      case "int8":
        return this.writeEnum(StoreKind.INT8, value.value, "StoreValue");
      case "timestamp":
        return this.writeEnum(StoreKind.TIMESTAMP, value.value, "StoreValue");
      case "bigdecimal":
        return this.writeEnum(StoreKind.BIGDECIMAL, this.writeBigDecimal(parseDecimal(value.value)), "StoreValue");
      case "bool":
        return this.writeEnum(StoreKind.BOOL, value.value ? 1 : 0, "StoreValue");
      case "array": {
        const items = value.value.map((v) => this.writeStoreValue(v));
        return this.writeEnum(StoreKind.ARRAY, this.writePointerArray(items, "ArrayStoreValue"), "StoreValue");
      }
      case "null":
        return this.writeEnum(StoreKind.NULL, 0, "StoreValue");
      case "bytes":
        return this.writeEnum(StoreKind.BYTES, this.writeHex(value.value), "StoreValue");
      case "bigint":
        return this.writeEnum(StoreKind.BIGINT, this.writeBigInt(value.value), "StoreValue");
    }
  }

  readEntity(ptr: number): Entity {
    const entity: Entity = new Map();
    for (const entry of this.readPointerArray(this.u32(ptr))) {
      entity.set(this.readName(this.u32(entry)), this.readStoreValue(this.u32(entry + 4)));
    }
    return entity;
  }

  writeEntity(entity: Entity): number {
    const entries = [...entity].map(([key, value]) => {
      const entry = this.alloc(8, "TypedMapEntryStringStoreValue");
      const keyPtr = this.writeName(key);
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

  /**
   * An entity's fields straight into entity data, as {@link readEntity} and the block state's
   * conversion give them, without the StoreValue objects and Map in between. Throws on anything
   * the field definitions refuse; the caller then takes the slow path for graph-node's error.
   */
  readEntityData(ptr: number, def: EntityDef): EntityData {
    const data: EntityData = {};
    for (const entry of this.readPointerArray(this.u32(ptr))) {
      const key = this.readName(this.u32(entry));
      const field = def.field.get(key);
      if (!field || field.derivedFrom) throw new Error(`${def.name}.${key} cannot be set`);
      data[key] = this.readPlain(this.u32(entry + 4), field.list);
    }
    return data;
  }

  private readPlain(ptr: number, list: boolean): Plain {
    const view = this.view();
    const kind = view.getUint32(ptr, true);
    const p = view.getUint32(ptr + 8, true);
    switch (kind) {
      case StoreKind.STRING:
        return this.readString(p);
      case StoreKind.INT:
        return view.getInt32(ptr + 8, true);
      case StoreKind.INT8:
      case StoreKind.TIMESTAMP:
        return view.getBigInt64(ptr + 8, true);
      case StoreKind.BIGDECIMAL:
        return decimalToString(this.readBigDecimal(p));
      case StoreKind.BOOL:
        return p !== 0 || view.getUint32(ptr + 12, true) !== 0;
      case StoreKind.ARRAY:
        if (!list) throw new Error("a list on a non-list field");
        return this.readPointerArray(p).map((v) => this.readPlain(v, false));
      case StoreKind.NULL:
        return null;
      case StoreKind.BYTES:
        return bytesToHex(this.readBytes(p)).toLowerCase();
      case StoreKind.BIGINT:
        return this.readBigInt(p);
      default:
        throw new Error(`unknown store value kind ${kind}`);
    }
  }

  /** Entity data as the Entity {@link writeEntity} writes for it (the block state's StoreValues of its fields). */
  writeEntityData(def: EntityDef, data: EntityData): number {
    const entries: number[] = [];
    for (const field of def.stored) {
      const value = data[field.name];
      if (value === undefined || value === null) continue;
      const entry = this.alloc(8, "TypedMapEntryStringStoreValue");
      const keyPtr = this.writeName(field.name);
      const valuePtr = this.writePlain(field, value);
      this.setU32(entry, keyPtr);
      this.setU32(entry + 4, valuePtr);
      entries.push(entry);
    }
    const array = this.writePointerArray(entries, "ArrayTypedMapEntryStringStoreValue");
    const map = this.alloc(4, "TypedMapStringStoreValue");
    this.setU32(map, array);
    return map;
  }

  private writePlain(field: FieldDef, value: Plain): number {
    if (value === null) return this.writeEnum(StoreKind.NULL, 0, "StoreValue");
    if (Array.isArray(value)) {
      const items = value.map((v) => this.writePlain(field, v));
      return this.writeEnum(StoreKind.ARRAY, this.writePointerArray(items, "ArrayStoreValue"), "StoreValue");
    }
    switch (field.scalar) {
      case "Bytes":
        return this.writeEnum(StoreKind.BYTES, this.writeHex(value as Hex), "StoreValue");
      case "Int":
        return this.writeEnum(StoreKind.INT, Number(value) >>> 0, "StoreValue");
      case "Int8":
        return this.writeEnum(StoreKind.INT8, BigInt(value as bigint), "StoreValue");
      case "Timestamp":
        return this.writeEnum(StoreKind.TIMESTAMP, BigInt(value as bigint), "StoreValue");
      case "BigInt":
        return this.writeEnum(StoreKind.BIGINT, this.writeBigInt(BigInt(value as bigint)), "StoreValue");
      case "BigDecimal":
        return this.writeEnum(StoreKind.BIGDECIMAL, this.writeBigDecimal(parseDecimal(String(value))), "StoreValue");
      case "Boolean":
        return this.writeEnum(StoreKind.BOOL, value ? 1 : 0, "StoreValue");
      default:
        return this.writeEnum(StoreKind.STRING, this.writeString(String(value)), "StoreValue");
    }
  }

  // --- JSON -------------------------------------------------------------------------------------

  writeJson(value: JsonNode): number {
    if (value === null) return this.writeEnum(JsonKind.NULL, 0, "JsonValue");
    if (typeof value === "boolean") return this.writeEnum(JsonKind.BOOL, value ? 1 : 0, "JsonValue");
    if (typeof value === "string") return this.writeEnum(JsonKind.STRING, this.writeString(value), "JsonValue");
    if (Array.isArray(value)) {
      const items = value.map((v) => this.writeJson(v));
      return this.writeEnum(JsonKind.ARRAY, this.writePointerArray(items, "ArrayJsonValue"), "JsonValue");
    }
    if ("number" in value) return this.writeEnum(JsonKind.NUMBER, this.writeString(value.number), "JsonValue");
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
    return this.writeEnum(JsonKind.OBJECT, map, "JsonValue");
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
      return this.writeEnum(kind, this.writePointerArray(items, "ArrayEthereumValue"), "EthereumValue");
    }
    if (type === "tuple") {
      const components = param.components ?? [];
      const items = components.map((c, i) =>
        this.writeEthValue(c, Array.isArray(value) ? value[i] : (value as Record<string, unknown>)[c.name ?? String(i)]),
      );
      return this.writeEnum(EthKind.TUPLE, this.writePointerArray(items, "ArrayEthereumValue"), "EthereumValue");
    }
    if (type === "address") return this.writeEnum(EthKind.ADDRESS, this.writeHex(value as Hex), "EthereumValue");
    if (type === "bool") return this.writeEnum(EthKind.BOOL, value ? 1 : 0, "EthereumValue");
    if (type === "string") return this.writeEnum(EthKind.STRING, this.writeString(value as string), "EthereumValue");
    if (type === "bytes") return this.writeEnum(EthKind.BYTES, this.writeHex(value as Hex), "EthereumValue");
    if (type.startsWith("bytes")) return this.writeEnum(EthKind.FIXED_BYTES, this.writeHex(value as Hex), "EthereumValue");
    if (type.startsWith("uint") || type.startsWith("int")) {
      const kind = type.startsWith("uint") ? EthKind.UINT : EthKind.INT;
      return this.writeEnum(kind, this.writeBigInt(BigInt(value as bigint | number)), "EthereumValue");
    }
    throw new Error(`event parameter type ${type} is not supported`);
  }

  private writeStruct(pointers: number[], typeName: string): number {
    const ptr = this.alloc(pointers.length * 4, typeName);
    const view = this.view();
    for (let i = 0; i < pointers.length; i++) view.setUint32(ptr + 4 * i, pointers[i]!, true);
    return ptr;
  }

  writeEvent(event: EventData): number {
    const b = event.block;
    const block = this.writeStruct(
      [
        this.writeHex(b.hash),
        this.writeHex(b.parentHash),
        this.writeHex(b.unclesHash),
        this.writeHex(b.author),
        this.writeHex(b.stateRoot),
        this.writeHex(b.transactionsRoot),
        this.writeHex(b.receiptsRoot),
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
        this.writeHex(t.hash),
        this.writeBigInt(t.index),
        this.writeHex(t.from),
        t.to === null ? 0 : this.writeHex(t.to),
        this.writeBigInt(t.value),
        this.writeBigInt(t.gasLimit),
        this.writeBigInt(t.gasPrice),
        this.writeHex(t.input),
        this.writeBigInt(t.nonce),
      ],
      "EthereumTransaction",
    );
    const params = event.params.map(({ input, value }) =>
      this.writeStruct([this.writeName(input.name ?? ""), this.writeEthValue(input, value)], "EventParam"),
    );
    return this.writeStruct(
      [
        this.writeHex(event.address),
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
