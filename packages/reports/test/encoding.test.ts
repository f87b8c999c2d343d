import { readFileSync } from "node:fs";
import { deflateRawSync, inflateRawSync } from "node:zlib";

import { keccak256, toHex } from "viem";
import { describe, expect, it } from "vitest";

import {
  canonicalJson,
  decodeReport,
  decodeReportBytes,
  MAX_DECODED_REPORT_BYTES,
  plainDeflateRaw,
  readDecisionReport,
  REPORT_DICTIONARY_1,
  REPORT_DICTIONARY_1_HASH,
  ReportDecodeError,
  ReportEncoding,
  reportEncodingName,
} from "../src/index.ts";
import { encodeReport, publishedReportBytes } from "../src/node.ts";
import { draftReport, failedReport, guardReport, modelReport } from "./fixtures.ts";

const reports = { modelReport, failedReport, guardReport, draftReport };

/** A deterministic pseudo-random byte source, so failures reproduce. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) & 0xff;
  };
}

function decodeError(encoding: number | string, bytes: Uint8Array | string): string {
  try {
    decodeReport(encoding, bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(ReportDecodeError);
    return (error as Error).message;
  }
  throw new Error("decoded");
}

const dictionary = Buffer.from(REPORT_DICTIONARY_1);

describe("encodeReport / decodeReport", () => {
  it("compresses every kind of report at the maximum level against the dictionary and reads it back exactly", () => {
    for (const [name, report] of Object.entries(reports)) {
      const json = canonicalJson(report);
      const { encoding, bytes } = encodeReport(json);
      expect(encoding, name).toBe(ReportEncoding.DeflateRawDictionary1);
      expect(Buffer.from(bytes).equals(deflateRawSync(Buffer.from(json), { level: 9, dictionary })), name).toBe(true);
      expect(decodeReport(encoding, bytes), name).toBe(json);
      expect(decodeReport("DEFLATE_RAW_DICTIONARY_1", toHex(bytes)), name).toBe(json);
      // The dictionary saves bytes on every kind of report, against plain raw DEFLATE.
      expect(bytes.length, name).toBeLessThan(deflateRawSync(Buffer.from(json), { level: 9 }).length);
    }
  });

  it("still reads reports compressed without the dictionary (DeflateRaw), and refuses either read as the other", () => {
    const json = canonicalJson(modelReport);
    const plain = deflateRawSync(Buffer.from(json), { level: 9 });
    expect(decodeReport(ReportEncoding.DeflateRaw, plain)).toBe(json);
    expect(decodeReport("DEFLATE_RAW", toHex(plain))).toBe(json);
    // With the dictionary as its start, a plain stream inflates to the same text: a lie about the
    // encoding cannot change what a report says, only make it unreadable.
    expect(decodeReport(ReportEncoding.DeflateRawDictionary1, plain)).toBe(json);
    expect(decodeError(ReportEncoding.DeflateRaw, encodeReport(json).bytes)).toMatch(/invalid distance too far back/);
  });

  it("the dictionary is the frozen one whose hash the contract pins", () => {
    expect(keccak256(REPORT_DICTIONARY_1)).toBe(REPORT_DICTIONARY_1_HASH);
    expect(REPORT_DICTIONARY_1.length).toBe(7241);
    // zlib keeps at most 32 KiB of history; the dictionary must fit in it whole.
    expect(REPORT_DICTIONARY_1.length).toBeLessThan(32 * 1024 - 262);
    expect(dictionary.every((byte) => byte === 0x0a || (byte >= 0x20 && byte < 0x7f))).toBe(true);
    const contract = readFileSync(new URL("../../../contracts/interfaces/IDecisionLog.sol", import.meta.url), "utf8");
    expect(contract).toContain(REPORT_DICTIONARY_1_HASH);
  });

  it("plainDeflateRaw: one standard raw DEFLATE stream that any inflater reads without a preset dictionary", () => {
    for (const [name, report] of Object.entries(reports)) {
      const json = canonicalJson(report);
      const { encoding, bytes } = encodeReport(json);
      const { stream, skip } = plainDeflateRaw(encoding, bytes);
      expect(skip, name).toBe(REPORT_DICTIONARY_1.length);
      const inflated = inflateRawSync(stream);
      expect(inflated.subarray(0, skip).equals(dictionary), name).toBe(true);
      expect(inflated.subarray(skip).toString("utf8"), name).toBe(json);
    }
    const plain = deflateRawSync(Buffer.from("{}"));
    const unchanged = plainDeflateRaw("DEFLATE_RAW", plain);
    expect([toHex(unchanged.stream), unchanged.skip]).toEqual([toHex(plain), 0]);
  });

  it("is deterministic and hashes the bytes actually sent", () => {
    const a = publishedReportBytes(modelReport);
    const b = publishedReportBytes(JSON.parse(JSON.stringify(modelReport)));
    expect(toHex(a.bytes)).toBe(toHex(b.bytes));
    expect(a.reportHash).toBe(keccak256(a.bytes));
    expect(a.json).toBe(canonicalJson(modelReport));
    expect(a.encoding).toBe(ReportEncoding.DeflateRawDictionary1);
  });

  it("reads Json bytes as they are", () => {
    const json = canonicalJson(guardReport);
    expect(decodeReport(ReportEncoding.Json, new TextEncoder().encode(json))).toBe(json);
    expect(decodeReport("JSON", toHex(json))).toBe(json);
  });

  it("names the encodings and refuses unknown ones", () => {
    expect(reportEncodingName(1)).toBe("DeflateRaw");
    expect(reportEncodingName(2n)).toBe("DeflateRawDictionary1");
    expect(() => reportEncodingName(3n)).toThrow(RangeError);
    for (const bad of [3, 255, -1, "GZIP", "DEFLATE_RAW_DICTIONARY", "__proto__", "toString", ""]) expect(decodeError(bad, "0x00")).toMatch(/unknown report encoding/);
  });
});

describe("hostile compressed reports are refused", () => {
  const json = canonicalJson(modelReport);
  const good = encodeReport(json).bytes;
  const withDictionary = ReportEncoding.DeflateRawDictionary1;

  it("a decompression bomb: refused as soon as it passes 1 MiB", () => {
    const bomb = deflateRawSync(Buffer.alloc(MAX_DECODED_REPORT_BYTES + 1, 0x20), { level: 9 });
    expect(bomb.length).toBeLessThan(2048);
    expect(decodeError(ReportEncoding.DeflateRaw, bomb)).toMatch(/inflates to more than 1048576 bytes/);
    const exact = deflateRawSync(Buffer.alloc(MAX_DECODED_REPORT_BYTES, 0x20), { level: 9 });
    expect(decodeReport(ReportEncoding.DeflateRaw, exact).length).toBe(MAX_DECODED_REPORT_BYTES);
    // A 100 MB bomb is refused without producing 100 MB.
    const big = deflateRawSync(Buffer.alloc(100 * 1024 * 1024), { level: 9 });
    expect(decodeError(ReportEncoding.DeflateRaw, big)).toMatch(/inflates to more than 1048576 bytes/);
    // The same against the dictionary: its bytes do not count towards the output.
    const dictionaryBomb = deflateRawSync(Buffer.alloc(MAX_DECODED_REPORT_BYTES + 1, 0x20), { level: 9, dictionary });
    expect(decodeError(withDictionary, dictionaryBomb)).toMatch(/inflates to more than 1048576 bytes/);
    const dictionaryExact = deflateRawSync(Buffer.alloc(MAX_DECODED_REPORT_BYTES, 0x20), { level: 9, dictionary });
    expect(decodeReport(withDictionary, dictionaryExact).length).toBe(MAX_DECODED_REPORT_BYTES);
  });

  it("trailing garbage after the final block", () => {
    expect(decodeError(withDictionary, Buffer.concat([good, Buffer.from([0])]))).toMatch(/1 bytes after the end/);
    expect(decodeError(withDictionary, Buffer.concat([good, good]))).toMatch(/bytes after the end/);
  });

  it("truncated data", () => {
    for (const cut of [0, 1, 10, good.length - 1]) expect(decodeError(withDictionary, good.subarray(0, cut))).toMatch(/compressed report is unreadable/);
  });

  it("corrupt data: reserved block type, bad stored length, distance too far back", () => {
    expect(decodeError(1, Uint8Array.of(0b111))).toMatch(/invalid block type/);
    expect(decodeError(1, Uint8Array.of(0b001, 1, 0, 0, 0, 0x41))).toMatch(/invalid stored block lengths/);
    // A final fixed-Huffman block whose first code is a length-3 match at distance 1: nothing to copy from.
    expect(decodeError(1, Uint8Array.of(0x03, 0x02, 0x00))).toMatch(/invalid distance too far back/);
  });

  it("inflates valid streams exactly as zlib does and refuses what zlib refuses (random inputs)", () => {
    const next = prng(7);
    for (let round = 0; round < 300; round++) {
      const size = next() * 8;
      const text = Buffer.alloc(size);
      for (let i = 0; i < size; i++) text[i] = round % 2 === 0 ? next() : 97 + (next() % 4);
      const packed = deflateRawSync(text, { level: round % 10 });
      expect(Buffer.from(decodeReportBytes(ReportEncoding.DeflateRaw, packed)).equals(text)).toBe(true);
      // Flip one byte: when zlib still accepts it as exactly one stream, so must we, with the same output.
      const flipped = Uint8Array.from(packed);
      if (flipped.length > 0) flipped[next() % flipped.length]! ^= 1 << next() % 8;
      let expected: Buffer | null = null;
      try {
        const { buffer, engine } = inflateRawSync(flipped, { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
        expected = engine.bytesWritten === flipped.length ? buffer : null;
      } catch {
        expected = null;
      }
      let ours: Buffer | null = null;
      try {
        ours = Buffer.from(decodeReportBytes(ReportEncoding.DeflateRaw, flipped));
      } catch (error) {
        expect(error).toBeInstanceOf(ReportDecodeError);
      }
      expect(ours === null ? null : ours.toString("hex")).toBe(expected === null ? null : expected.toString("hex"));
    }
  });

  it("readDecisionReport: every hostile case is unreadable, with its reason", () => {
    const bomb = deflateRawSync(Buffer.alloc(2 * MAX_DECODED_REPORT_BYTES, 0x20), { level: 9 });
    const cases: [unknown, number | string, RegExp][] = [
      [toHex(bomb), ReportEncoding.DeflateRaw, /more than 1048576 bytes/],
      [toHex(Buffer.concat([good, Buffer.from("junk")])), withDictionary, /4 bytes after the end/],
      [toHex(good.subarray(0, 100)), withDictionary, /ends before its last block/],
      ["0x07", ReportEncoding.DeflateRaw, /invalid block type/],
      ["0x07", withDictionary, /invalid block type/],
      [toHex(good), ReportEncoding.DeflateRaw, /invalid distance too far back/],
      [toHex(good), 3, /unknown report encoding "3"/],
      [toHex(good), ReportEncoding.Json, /not valid UTF-8|not JSON/],
      [json, ReportEncoding.DeflateRaw, /must be given as its bytes/],
      [toHex(deflateRawSync(Buffer.from([0xff, 0xfe]))), ReportEncoding.DeflateRaw, /not valid UTF-8/],
      [toHex(deflateRawSync(Buffer.from("not json"))), ReportEncoding.DeflateRaw, /not JSON/],
    ];
    for (const [input, encoding, reason] of cases) {
      const read = readDecisionReport("Analysis", input, encoding);
      expect(read.kind).toBe("unreadable");
      if (read.kind === "unreadable") expect(read.reason).toMatch(reason);
    }
  });

  it("readDecisionReport reads a compressed report like its JSON, with the inflated text", () => {
    const read = readDecisionReport("ANALYSIS", toHex(good), "DEFLATE_RAW_DICTIONARY_1");
    expect(read.kind).toBe("analysis");
    expect(read.json).toBe(json);
    const guard = encodeReport(canonicalJson(guardReport));
    expect(readDecisionReport(2, guard.bytes, guard.encoding).kind).toBe("execution-guard");
  });
});
