import { keccak256, stringToBytes } from "viem";
import { describe, expect, it } from "vitest";

import { canonicalHash, canonicalJson, reportBytes, toJson } from "../src/index.ts";

describe("canonical JSON (RFC 8785)", () => {
  it("serialises numbers, strings and literals as the RFC's example does", () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalJson(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it("sorts keys by their UTF-16 code units, as the RFC's sorting example does", () => {
    const input = { "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis" };
    // Read the order from the text: JSON.parse would put the integer-like key "1" first again.
    const values = [...canonicalJson(input).matchAll(/:"([^"]*)"/g)].map((m) => m[1]);
    expect(values).toEqual(["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"]);
  });

  it("nests, drops no whitespace-sensitive content and ignores key order", () => {
    expect(canonicalJson({ b: [3, { d: 1, c: "x y" }], a: null })).toBe('{"a":null,"b":[3,{"c":"x y","d":1}]}');
    expect(canonicalHash({ b: 1, a: 2 })).toBe(canonicalHash({ a: 2, b: 1 }));
  });

  it("hashes the UTF-8 bytes of the canonical text with keccak256", () => {
    expect(canonicalHash({ b: 1, a: "é" })).toBe(keccak256(stringToBytes('{"a":"é","b":1}')));
    expect(canonicalHash("")).toBe(keccak256(stringToBytes('""')));
    const { json, bytes, reportHash } = reportBytes({ z: 1, a: [true] });
    expect(json).toBe('{"a":[true],"z":1}');
    expect(bytes).toEqual(stringToBytes(json));
    expect(reportHash).toBe(keccak256(bytes));
  });

  it("refuses what JSON cannot represent", () => {
    expect(() => canonicalJson(undefined)).toThrow();
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson(10n)).toThrow();
  });

  it("turns ABI values into JSON: bigints as decimal strings, undefined dropped", () => {
    expect(toJson({ a: 2n ** 200n, b: undefined, c: [1, 2n], d: 2 ** 60 })).toEqual({ a: (2n ** 200n).toString(), c: [1, "2"], d: String(2 ** 60) });
  });
});
