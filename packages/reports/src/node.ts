// Writing compressed reports: Node only (zlib), for the publishers (analyst and executor). Readers
// everywhere use `decodeReport` from the package's main entry.
import { deflateRawSync, constants } from "node:zlib";

import { keccak256, type Hex } from "viem";

import { reportBytes } from "./canonical.ts";
import { REPORT_DICTIONARY_1 } from "./dictionary.ts";
import { ReportEncoding } from "./encoding.ts";

/**
 * The bytes to publish for a report's canonical JSON: its UTF-8 bytes compressed with raw DEFLATE
 * at the maximum level (9, zlib's default window and memory level) against the report dictionary
 * (encoding `DeflateRawDictionary1`), and the encoding to record. The output is deterministic for
 * the same input and the same zlib.
 */
export function encodeReport(canonicalJson: string): { encoding: ReportEncoding; bytes: Uint8Array } {
  const compressed = deflateRawSync(Buffer.from(canonicalJson, "utf8"), { level: constants.Z_BEST_COMPRESSION, dictionary: REPORT_DICTIONARY_1 });
  return { encoding: ReportEncoding.DeflateRawDictionary1, bytes: new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength) };
}

/**
 * What a publisher sends to the DecisionLog for `value`: its canonical JSON, the encoding, the
 * encoded bytes and `reportHash = keccak256(bytes)` of exactly those bytes. Key order in `value` does not matter.
 */
export function publishedReportBytes(value: unknown): { json: string; encoding: ReportEncoding; bytes: Uint8Array; reportHash: Hex } {
  const { json } = reportBytes(value);
  const { encoding, bytes } = encodeReport(json);
  return { json, encoding, bytes, reportHash: keccak256(bytes) };
}
