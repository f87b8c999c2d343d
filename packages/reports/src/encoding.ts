// How a report's canonical JSON is carried in the DecisionLog's bytes: as they are (`Json`),
// compressed with raw DEFLATE (`DeflateRaw`), or compressed with raw DEFLATE against the report
// dictionary (`DeflateRawDictionary1`, ./dictionary.ts), which publishers use. The DecisionLog
// records the encoding with each decision; reading is the same everywhere (Node, browser,
// services): pako's inflater, bounded and strict (below). Writing (zlib, maximum level) is in ./node.ts.
import { Inflate } from "pako";
import { hexToBytes, isHex } from "viem";

import { REPORT_DICTIONARY_1 } from "./dictionary.ts";

/** IDecisionLog.ReportEncoding: how a decision's report bytes encode its canonical JSON. */
export const ReportEncoding = { Json: 0, DeflateRaw: 1, DeflateRawDictionary1: 2 } as const;
export type ReportEncoding = (typeof ReportEncoding)[keyof typeof ReportEncoding];
export type ReportEncodingName = keyof typeof ReportEncoding;
/** The encodings' names, indexed by their number. */
export const reportEncodingNames = ["Json", "DeflateRaw", "DeflateRawDictionary1"] as const satisfies readonly ReportEncodingName[];

/**
 * The most a compressed report may inflate to: 1 MiB. The DecisionLog takes at most 32 KiB of bytes
 * and the platform's reports are a few KB of JSON, so anything larger is a decompression bomb, not a
 * report; decoding stops as soon as the output passes the limit.
 */
export const MAX_DECODED_REPORT_BYTES = 1024 * 1024;

/** The name of a report encoding number; a number outside the enum throws a RangeError. */
export function reportEncodingName(value: number | bigint): ReportEncodingName {
  const name = typeof value === "bigint" ? (value >= 0n && value < BigInt(reportEncodingNames.length) ? reportEncodingNames[Number(value)] : undefined) : reportEncodingNames[value];
  if (name === undefined) throw new RangeError(`${value} is not a ReportEncoding (0 to ${reportEncodingNames.length - 1})`);
  return name;
}

/** The encodings' names in the subgraph's ReportEncoding enum, indexed by their number. */
export const reportEncodingGraphNames = ["JSON", "DEFLATE_RAW", "DEFLATE_RAW_DICTIONARY_1"] as const;
export type ReportEncodingGraphName = (typeof reportEncodingGraphNames)[number];

/** The encodings in the forms the parts meet them: the contract's number, its name, the subgraph's name. */
export type ReportEncodingInput = ReportEncoding | ReportEncodingName | ReportEncodingGraphName | number | bigint | string;

const ENCODINGS: Record<string, ReportEncoding> = Object.fromEntries(
  reportEncodingNames.flatMap((name, value) => [
    [String(value), value as ReportEncoding],
    [name, value as ReportEncoding],
    [reportEncodingGraphNames[value]!, value as ReportEncoding],
  ]),
);

/** Why report bytes could not be decoded into text: an unknown encoding, bad compressed data, a bomb, not UTF-8. */
export class ReportDecodeError extends Error {
  override name = "ReportDecodeError";
}

/** The encoding's number, or a ReportDecodeError for a value that is not one. */
export function toReportEncoding(encoding: ReportEncodingInput): ReportEncoding {
  const value = Object.hasOwn(ENCODINGS, String(encoding)) ? ENCODINGS[String(encoding)] : undefined;
  if (value === undefined) throw new ReportDecodeError(`unknown report encoding ${JSON.stringify(String(encoding)).slice(0, 40)}`);
  return value;
}

/** `0x` hex or bytes to bytes; a ReportDecodeError for hex that is not. */
export function bytesOf(input: Uint8Array | string): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (!isHex(input, { strict: true }) || input.length % 2 !== 0) throw new ReportDecodeError("the report bytes are not valid hex");
  return hexToBytes(input);
}

/**
 * Raw DEFLATE to bytes with pako (a port of zlib, the same in Node and the browser, synchronous),
 * with `dictionary` as the preset dictionary when given: refused when the data is corrupt or ends
 * early, when other bytes follow the final block (Node's own stream ignores them, browsers refuse
 * them: here they are refused everywhere), and as soon as the output passes `maxOutput` bytes, so
 * a bomb never inflates further than that.
 */
function inflateRaw(raw: Uint8Array, maxOutput: number, dictionary?: Uint8Array): Uint8Array {
  const inflater = new Inflate({ raw: true, chunkSize: 64 * 1024, ...(dictionary ? { dictionary } : {}) });
  let stream: { avail_in: number } | undefined;
  let size = 0;
  const onStart = inflater.onStart.bind(inflater);
  inflater.onStart = (strm) => {
    stream = strm;
    onStart(strm);
  };
  const onData = inflater.onData.bind(inflater);
  inflater.onData = (chunk) => {
    size += chunk.length;
    if (size > maxOutput) throw new ReportDecodeError(`the compressed report inflates to more than ${maxOutput} bytes`);
    onData(chunk);
  };
  inflater.push(raw, true);
  // zlib's Z_BUF_ERROR (-5) here means the input ran out before the final block.
  if (inflater.err === -5 || !inflater.ended) throw new ReportDecodeError("the compressed report is unreadable: it ends before its last block");
  if (inflater.err !== 0) throw new ReportDecodeError(`the compressed report is unreadable: ${inflater.msg || `zlib error ${inflater.err}`}`);
  const trailing = stream?.avail_in ?? 0;
  if (trailing > 0) throw new ReportDecodeError(`the compressed report is unreadable: ${trailing} bytes after the end of the compressed data`);
  return inflater.result;
}

/**
 * The UTF-8 bytes of a report's JSON from its published bytes and encoding. Throws a
 * ReportDecodeError for an unknown encoding, compressed data that is corrupt, truncated or followed
 * by other bytes, or that inflates beyond {@link MAX_DECODED_REPORT_BYTES}.
 */
export function decodeReportBytes(encoding: ReportEncodingInput, bytes: Uint8Array | string): Uint8Array {
  const value = toReportEncoding(encoding);
  const raw = bytesOf(bytes);
  if (value === ReportEncoding.Json) return raw;
  return inflateRaw(raw, MAX_DECODED_REPORT_BYTES, value === ReportEncoding.DeflateRawDictionary1 ? REPORT_DICTIONARY_1 : undefined);
}

/**
 * The report bytes as one plain raw DEFLATE stream, for an inflater without preset dictionaries (a
 * browser's `DecompressionStream("deflate-raw")`, `zlib.inflateRawSync`, Python's `zlib`): a
 * `DeflateRawDictionary1` report gets the dictionary in front as a stored (uncompressed) block, so
 * the stream inflates to the dictionary followed by the report. `skip` is how many leading bytes
 * of the inflated output to drop (the dictionary's length; 0 for the other encodings, `Json`'s
 * bytes are returned as they are).
 */
export function plainDeflateRaw(encoding: ReportEncodingInput, bytes: Uint8Array | string): { stream: Uint8Array; skip: number } {
  const value = toReportEncoding(encoding);
  const raw = bytesOf(bytes);
  if (value !== ReportEncoding.DeflateRawDictionary1) return { stream: raw, skip: 0 };
  const dictionary = REPORT_DICTIONARY_1;
  // A stored block: a header byte (not the last block, type 00, padded to the byte), LEN and its
  // one's complement NLEN, little-endian, then the bytes. It ends on a byte boundary, where the
  // report's own stream begins.
  const stream = new Uint8Array(5 + dictionary.length + raw.length);
  const length = dictionary.length;
  stream.set([0x00, length & 0xff, length >> 8, ~length & 0xff, (~length >> 8) & 0xff]);
  stream.set(dictionary, 5);
  stream.set(raw, 5 + dictionary.length);
  return { stream, skip: dictionary.length };
}

/**
 * The report's JSON text from its published bytes and encoding, as {@link decodeReportBytes}, and
 * the result must be valid UTF-8 (a ReportDecodeError otherwise). Synchronous, in Node and the browser.
 */
export function decodeReport(encoding: ReportEncodingInput, bytes: Uint8Array | string): string {
  const decoded = decodeReportBytes(encoding, bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(decoded);
  } catch {
    throw new ReportDecodeError("the report bytes are not valid UTF-8 text");
  }
}
