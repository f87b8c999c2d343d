// Values as the indexer handles them: plain JavaScript values per field (bigint for BigInt, Int8 and
// Timestamp; lowercase 0x-hex for Bytes; normalized decimal strings for BigDecimal), and graph-node's
// BigDecimal arithmetic (34 significant digits, trailing zeros stripped).
import type { FieldDef, Scalar } from "../schema.ts";

export type Plain = string | number | bigint | boolean | null | Plain[];
export type EntityData = Record<string, Plain>;

/** graph-node keeps 34 significant digits in BigDecimal results. */
export const BIG_DECIMAL_PRECISION = 34;

/** A decimal number `digits × 10^exp`. */
export interface Decimal {
  digits: bigint;
  exp: number;
}

export function normalizeDecimal(d: Decimal, precision = BIG_DECIMAL_PRECISION): Decimal {
  let { digits, exp } = d;
  if (digits === 0n) return { digits: 0n, exp: 0 };
  const negative = digits < 0n;
  let abs = negative ? -digits : digits;
  const length = abs.toString().length;
  if (length > precision) {
    const drop = length - precision;
    const divisor = 10n ** BigInt(drop);
    const rest = abs % divisor;
    abs /= divisor;
    // Round half to even, as bigdecimal's with_prec does for graph-node.
    const half = divisor / 2n;
    if (rest > half || (rest === half && abs % 2n === 1n)) abs += 1n;
    exp += drop;
  }
  while (abs !== 0n && abs % 10n === 0n) {
    abs /= 10n;
    exp += 1;
  }
  return { digits: negative ? -abs : abs, exp };
}

export function parseDecimal(text: string): Decimal {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) throw new Error(`invalid BigDecimal: ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = "", exponent = "0"] = match;
  const digits = BigInt(`${whole}${fraction}` || "0") * (sign === "-" ? -1n : 1n);
  return normalizeDecimal({ digits, exp: Number(exponent) - fraction.length });
}

export function decimalToString(d: Decimal): string {
  const { digits, exp } = normalizeDecimal(d);
  const negative = digits < 0n;
  const abs = (negative ? -digits : digits).toString();
  let text: string;
  if (exp >= 0) text = abs + "0".repeat(exp);
  else if (-exp < abs.length) text = `${abs.slice(0, abs.length + exp)}.${abs.slice(abs.length + exp)}`;
  else text = `0.${"0".repeat(-exp - abs.length)}${abs}`;
  return negative ? `-${text}` : text;
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.digits * 10n ** BigInt(a.exp - exp), b.digits * 10n ** BigInt(b.exp - exp), exp];
}

export const decimal = {
  plus(a: Decimal, b: Decimal): Decimal {
    const [x, y, exp] = align(a, b);
    return normalizeDecimal({ digits: x + y, exp });
  },
  minus(a: Decimal, b: Decimal): Decimal {
    const [x, y, exp] = align(a, b);
    return normalizeDecimal({ digits: x - y, exp });
  },
  times(a: Decimal, b: Decimal): Decimal {
    return normalizeDecimal({ digits: a.digits * b.digits, exp: a.exp + b.exp });
  },
  dividedBy(a: Decimal, b: Decimal): Decimal {
    if (b.digits === 0n) throw new Error("BigDecimal division by zero");
    // Scale the dividend so the quotient keeps more digits than the precision, then round.
    const scale = BIG_DECIMAL_PRECISION + 2 + b.digits.toString().length;
    const digits = (a.digits * 10n ** BigInt(scale)) / b.digits;
    return normalizeDecimal({ digits, exp: a.exp - b.exp - scale });
  },
  equals(a: Decimal, b: Decimal): boolean {
    const [x, y] = align(normalizeDecimal(a), normalizeDecimal(b));
    return x === y;
  },
};

// --- sortable column encodings ------------------------------------------------------------------
// SQLite has no 256-bit integers, so BigInt and BigDecimal columns hold text whose byte order is the
// numeric order: equality, range filters and ORDER BY then work on plain indexed text.

/** Sortable text of an integer of any size. */
export function encodeBigInt(value: bigint): string {
  if (value >= 0n) {
    const digits = value.toString();
    return `1${digits.length.toString().padStart(4, "0")}${digits}`;
  }
  const digits = (-value).toString();
  const complement = [...digits].map((c) => String(9 - Number(c))).join("");
  return `0${(9999 - digits.length).toString().padStart(4, "0")}${complement}`;
}

/** The decimal text of a sortable integer encoding (what {@link decodeBigInt} gives, printed). */
export function decodeBigIntText(text: string): string {
  const body = text.slice(5);
  if (text[0] === "1") return body;
  let digits = "";
  for (let i = 0; i < body.length; i++) digits += String(9 - (body.charCodeAt(i) - 48));
  return `-${digits}`;
}

export function decodeBigInt(text: string): bigint {
  const body = text.slice(5);
  if (text[0] === "1") return BigInt(body);
  return -BigInt([...body].map((c) => String(9 - Number(c))).join(""));
}

/** Sortable text of a decimal: sign, adjusted exponent, significant digits (complemented when negative). */
export function encodeDecimal(value: string): string {
  const d = parseDecimal(value);
  if (d.digits === 0n) return "1";
  const negative = d.digits < 0n;
  const digits = (negative ? -d.digits : d.digits).toString();
  const adjusted = digits.length - 1 + d.exp + 500000;
  if (!negative) return `2${adjusted.toString().padStart(7, "0")}${digits}|${value}`;
  const complement = [...digits].map((c) => String(9 - Number(c))).join("");
  return `0${(1000000 - adjusted).toString().padStart(7, "0")}${complement}~|${value}`;
}

export function decodeDecimal(text: string): string {
  if (text === "1") return "0";
  return text.slice(text.indexOf("|") + 1);
}

/** A scalar value as stored in its column. */
export function encodeScalar(scalar: Scalar, value: Plain): string | number | null {
  if (value === null) return null;
  switch (scalar) {
    case "BigInt":
    case "Int8":
    case "Timestamp":
      return encodeBigInt(BigInt(value as bigint | string));
    case "BigDecimal":
      return encodeDecimal(decimalToString(parseDecimal(String(value))));
    case "Boolean":
      return value ? 1 : 0;
    case "Int":
      return Number(value);
    case "Bytes":
      return String(value).toLowerCase();
    default:
      return String(value);
  }
}

/** UTF-8 that keeps a leading byte-order mark (TextDecoder drops one by default). */
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

export function decodeScalar(scalar: Scalar, value: unknown): Plain {
  if (value === null || value === undefined) return null;
  // Text columns are read as bytes (see EntityStore.selectList).
  if (value instanceof Uint8Array) return utf8.decode(value);
  switch (scalar) {
    case "BigInt":
    case "Int8":
    case "Timestamp":
      return decodeBigInt(value as string);
    case "BigDecimal":
      return decodeDecimal(value as string);
    case "Boolean":
      return value === 1 || value === 1n;
    case "Int":
      return Number(value);
    default:
      return value as string;
  }
}

/** A field's value as stored in its column (lists as JSON text with bigints as decimal strings). */
export function encodeField(field: FieldDef, value: Plain | undefined): string | number | null {
  if (value === undefined || value === null) return null;
  if (field.list) {
    return JSON.stringify((value as Plain[]).map((v) => (typeof v === "bigint" ? v.toString() : v)));
  }
  return encodeScalar(field.scalar, value);
}

export function decodeField(field: FieldDef, value: unknown): Plain {
  if (value === null || value === undefined) return null;
  if (field.list) {
    const items = JSON.parse(value as string) as (string | number | boolean | null)[];
    return items.map((v) =>
      v === null ? null : field.scalar === "BigInt" || field.scalar === "Int8" || field.scalar === "Timestamp" ? BigInt(v as string) : v,
    );
  }
  return decodeScalar(field.scalar, value);
}
