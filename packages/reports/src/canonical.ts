import canonicalize from "canonicalize";
import { keccak256, stringToBytes, type Hex } from "viem";

/** RFC 8785 (JCS) canonical JSON of any JSON value. Throws on values JSON cannot represent. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError("value cannot be serialised as JSON");
  return text;
}

/** keccak256 of the UTF-8 bytes of the canonical JSON of `value`. */
export function canonicalHash(value: unknown): Hex {
  return keccak256(stringToBytes(canonicalJson(value)));
}

/**
 * The exact bytes to publish to the DecisionLog for `value` (its canonical JSON as UTF-8) and
 * `reportHash = keccak256(bytes)`. Key order in `value` does not matter.
 */
export function reportBytes(value: unknown): { json: string; bytes: Uint8Array; reportHash: Hex } {
  const json = canonicalJson(value);
  const bytes = stringToBytes(json);
  return { json, bytes, reportHash: keccak256(bytes) };
}
