// The host functions a mapping imports, by name, as graph-node provides them: store, log,
// crypto, typeConversion, bigInt, bigDecimal, json, dataSource, ens and ethereum.encode. Each runs
// on the instance that called it (its memory, its store, its log).
import { type Hex, bytesToHex, encodeAbiParameters, hexToBytes, keccak256 } from "viem";

import { type MappingInstance, parseJson, utf8Strict } from "./memory.ts";
import { type Decimal, type EntityData, decimal, decimalToString, parseDecimal } from "./values.ts";

const LogLevel = { CRITICAL: 0, ERROR: 1, WARNING: 2, INFO: 3, DEBUG: 4 } as const;

export type HostFn = (...args: never[]) => unknown;

/** Lossy UTF-8 keeping a leading BOM (TextDecoder drops one by default; graph-node keeps it). */
const utf8Lossy = new TextDecoder("utf-8", { ignoreBOM: true });

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
function base58(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = "";
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

/** Every host function by name. `h` is the instance the call runs in. */
export function hostFunctions(h: MappingInstance) {
  const bigIntOp = (f: (a: bigint, b: bigint) => bigint) => (a: number, b: number) => h.writeBigInt(f(h.readBigInt(a), h.readBigInt(b)));
  const decimalOp = (f: (a: Decimal, b: Decimal) => Decimal) => (a: number, b: number) =>
    h.writeBigDecimal(f(h.readBigDecimal(a), h.readBigDecimal(b)));
  const load = (type: number, id: number, inBlock: boolean) => {
    const typeName = h.readName(type);
    const key = h.readString(id);
    const store = h.dataStore;
    if (store) {
      const data = store.getData(typeName, key, inBlock);
      return data ? h.writeEntityData(store.entityDef(typeName), data) : 0;
    }
    const entity = inBlock ? h.store.getInBlock(typeName, key) : h.store.get(typeName, key);
    return entity ? h.writeEntity(entity) : 0;
  };
  return {
    abort(message: number, file: number, line: number, column: number) {
      const text = message ? h.readString(message) : "abort";
      throw new Error(`mapping aborted: ${text} (${file ? h.readString(file) : "?"}:${line}:${column})`);
    },
    "store.get": (type: number, id: number) => load(type, id, false),
    "store.get_in_block": (type: number, id: number) => load(type, id, true),
    "store.set": (type: number, id: number, data: number) => {
      const typeName = h.readName(type);
      const key = h.readString(id);
      const store = h.dataStore;
      if (store) {
        let fields: EntityData | undefined;
        try {
          fields = h.readEntityData(data, store.entityDef(typeName));
        } catch {
          // Refused: the Entity path below fails with graph-node's error for it.
        }
        if (fields) return store.setData(typeName, key, fields);
      }
      h.store.set(typeName, key, h.readEntity(data));
    },
    "store.remove": (type: number, id: number) => {
      h.store.remove(h.readName(type), h.readString(id));
    },
    "log.log": (level: number, message: number) => {
      const text = h.readString(message);
      if (level === LogLevel.CRITICAL) throw new Error(`critical: ${text}`);
      h.log(level, text);
    },
    "crypto.keccak256": (bytes: number) => h.writeBytes(hexToBytes(keccak256(h.readBytes(bytes)))),
    // graph-node: lossy UTF-8 (a leading BOM kept), trailing NULs trimmed.
    "typeConversion.bytesToString": (bytes: number) => h.writeString(utf8Lossy.decode(h.readBytes(bytes)).replace(/\u0000+$/, "")),
    "typeConversion.bytesToHex": (bytes: number) => h.writeString(bytesToHex(h.readBytes(bytes))),
    "typeConversion.bigIntToString": (value: number) => h.writeString(h.readBigInt(value).toString()),
    "typeConversion.bigIntToHex": (value: number) => {
      const v = h.readBigInt(value);
      return h.writeString(v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);
    },
    "typeConversion.stringToH160": (text: number) => {
      const s = h.readString(text);
      const hex = s.startsWith("0x") ? s.slice(2) : s;
      if (!/^[0-9a-fA-F]{40}$/.test(hex)) throw new Error(`stringToH160: not an address: ${s}`);
      return h.writeBytes(hexToBytes(`0x${hex}`));
    },
    "typeConversion.bytesToBase58": (bytes: number) => h.writeString(base58(h.readBytes(bytes))),
    "bigInt.plus": bigIntOp((a, b) => a + b),
    "bigInt.minus": bigIntOp((a, b) => a - b),
    "bigInt.times": bigIntOp((a, b) => a * b),
    "bigInt.dividedBy": bigIntOp((a, b) => {
      if (b === 0n) throw new Error("attempted to divide BigInt by zero");
      return a / b;
    }),
    "bigInt.mod": bigIntOp((a, b) => {
      if (b === 0n) throw new Error("attempted to compute BigInt modulo zero");
      return a % b;
    }),
    "bigInt.bitOr": bigIntOp((a, b) => a | b),
    "bigInt.bitAnd": bigIntOp((a, b) => a & b),
    "bigInt.pow": (a: number, exp: number) => h.writeBigInt(h.readBigInt(a) ** BigInt(exp)),
    "bigInt.leftShift": (a: number, bits: number) => h.writeBigInt(h.readBigInt(a) << BigInt(bits)),
    "bigInt.rightShift": (a: number, bits: number) => h.writeBigInt(h.readBigInt(a) >> BigInt(bits)),
    "bigInt.fromString": (text: number) => {
      const s = h.readString(text);
      if (!/^-?\d+$/.test(s)) throw new Error(`BigInt.fromString: not an integer: ${s}`);
      return h.writeBigInt(BigInt(s));
    },
    "bigInt.dividedByDecimal": (a: number, b: number) =>
      h.writeBigDecimal(decimal.dividedBy({ digits: h.readBigInt(a), exp: 0 }, h.readBigDecimal(b))),
    "bigDecimal.plus": decimalOp(decimal.plus),
    "bigDecimal.minus": decimalOp(decimal.minus),
    "bigDecimal.times": decimalOp(decimal.times),
    "bigDecimal.dividedBy": decimalOp(decimal.dividedBy),
    "bigDecimal.equals": (a: number, b: number) => (decimal.equals(h.readBigDecimal(a), h.readBigDecimal(b)) ? 1 : 0),
    "bigDecimal.toString": (a: number) => h.writeString(decimalToString(h.readBigDecimal(a))),
    "bigDecimal.fromString": (text: number) => h.writeBigDecimal(parseDecimal(h.readString(text))),
    "json.fromBytes": (bytes: number) => h.writeJson(parseJson(utf8Strict.decode(h.readBytes(bytes)))),
    "json.try_fromBytes": (bytes: number) => h.jsonResult(h.readBytes(bytes)),
    "json.toI64": (text: number) => {
      const s = h.readString(text);
      const v = BigInt(s);
      if (v < -(2n ** 63n) || v >= 2n ** 63n) throw new Error(`json.toI64: out of range: ${s}`);
      return v;
    },
    "json.toU64": (text: number) => {
      const s = h.readString(text);
      const v = BigInt(s);
      if (v < 0n || v >= 2n ** 64n) throw new Error(`json.toU64: out of range: ${s}`);
      return v;
    },
    "json.toF64": (text: number) => {
      const s = h.readString(text);
      const v = Number(s);
      if (Number.isNaN(v)) throw new Error(`json.toF64: not a number: ${s}`);
      return v;
    },
    "json.toBigInt": (text: number) => {
      const s = h.readString(text);
      if (!/^-?\d+$/.test(s)) throw new Error(`json.toBigInt: not an integer: ${s}`);
      return h.writeBigInt(BigInt(s));
    },
    // graph-node: ethabi's encode of the one token, so a tuple with dynamic members starts with its offset (0x20).
    "ethereum.encode": (token: number) => {
      let encoded: Hex;
      try {
        const { param, value } = h.readEthValue(token);
        encoded = encodeAbiParameters([param], [value]);
      } catch {
        return 0;
      }
      return h.writeBytes(hexToBytes(encoded));
    },
    "dataSource.address": () => h.writeBytes(hexToBytes(h.module.info.address)),
    "dataSource.network": () => h.writeString(h.module.info.network),
    // Static data sources have an empty context.
    "dataSource.context": () => h.writeEntity(new Map()),
    // graph-node answers null when it holds no ENS data, as here.
    "ens.nameByHash": () => 0,
  } satisfies Record<string, HostFn>;
}
