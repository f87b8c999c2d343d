import { describe, expect, it } from "vitest";
import { decodeReport, REPORT_SCHEMA_VERSION, ReportEncoding } from "@ai-dao/reports";

import { findConfusableWords, findHiddenCharacters } from "@ai-dao/description";
import type { Finding, Severity } from "../src/checks/types.ts";
import { scanOpcodes } from "../src/context/targets.ts";
import { canonicalJson, serializeReport } from "../src/report.ts";
import { recommend, riskFloor } from "../src/risk.ts";

describe("opcode scan", () => {
  it("finds opcodes but skips PUSH data", () => {
    // PUSH1 0xff, PUSH2 0xf4f5, STOP: no real SELFDESTRUCT/DELEGATECALL/CREATE2.
    expect(scanOpcodes("0x60ff61f4f500")).toEqual({ SELFDESTRUCT: false, DELEGATECALL: false, CREATE2: false });
    // PUSH1 0x00, DELEGATECALL, SELFDESTRUCT.
    expect(scanOpcodes("0x6000f4ff")).toEqual({ SELFDESTRUCT: true, DELEGATECALL: true, CREATE2: false });
    // PUSH32 with 0xff bytes, then CREATE2.
    expect(scanOpcodes(`0x7f${"ff".repeat(32)}f5`)).toEqual({ SELFDESTRUCT: false, DELEGATECALL: false, CREATE2: true });
  });

  it("ignores the Solidity metadata after the code", () => {
    // STOP, then a CBOR map (0xa1 ...) containing 0xff, and its 2-byte length.
    expect(scanOpcodes("0x00a1ffff0003")).toEqual({ SELFDESTRUCT: false, DELEGATECALL: false, CREATE2: false });
  });
});

describe("description characters", () => {
  it("finds zero-width and bidi characters, allows joiners in emoji", () => {
    expect(findHiddenCharacters("Pay\u200B alice").map((h) => h.codePoint)).toEqual(["U+200B"]);
    expect(findHiddenCharacters("abc\u202Edef").map((h) => h.kind)).toEqual(["bidi"]);
    expect(findHiddenCharacters("family 👨\u200D👩\u200D👧")).toEqual([]);
    expect(findHiddenCharacters("Plain text, with punctuation — and accents: café.")).toEqual([]);
  });

  it("finds Latin words disguised with Cyrillic or Greek letters", () => {
    const words = (text: string) => findConfusableWords(text).map((w) => w.word);
    expect(words("Send funds to раypal now")).toEqual(["раypal"]); // Cyrillic р, а
    expect(words("Grant to the Αlice team")).toEqual(["Αlice"]); // Greek Alpha
    expect(findConfusableWords("Перевод средств для команды")).toEqual([]); // a real Russian sentence
  });
});

const finding = (severity: Severity): Finding => ({ id: `x/${severity}`, check: "x", severity, title: "t", detail: "d", evidence: {} });

describe("risk floor and recommendation", () => {
  it("starts from the most severe finding", () => {
    expect(riskFloor([])).toBe(0);
    expect(riskFloor([finding("info")])).toBe(0);
    expect(riskFloor([finding("low")])).toBe(10);
    expect(riskFloor([finding("medium")])).toBe(30);
    expect(riskFloor([finding("high")])).toBe(60);
    expect(riskFloor([finding("critical")])).toBe(80);
  });

  it("adds for several findings but stays within the tier", () => {
    expect(riskFloor([finding("high"), finding("high")])).toBe(70);
    expect(riskFloor([finding("high"), finding("high"), finding("high"), finding("high")])).toBe(79);
    expect(riskFloor([finding("medium"), finding("low"), finding("low")])).toBe(32);
    expect(riskFloor(Array.from({ length: 5 }, () => finding("critical")))).toBe(100);
  });

  it("recommends by the most severe finding", () => {
    expect(recommend([finding("critical"), finding("low")])).toBe("against");
    expect(recommend([finding("high")])).toBe("needs-review");
    expect(recommend([finding("medium")])).toBe("abstain");
    expect(recommend([finding("low"), finding("info")])).toBe("for");
    expect(recommend([])).toBe("for");
  });
});

describe("canonical serialisation (RFC 8785)", () => {
  it("sorts keys and formats numbers canonically", () => {
    expect(canonicalJson({ b: 1, a: [true, null, "é"], c: { z: 1e21, y: 1.5 } })).toBe('{"a":[true,null,"é"],"b":1,"c":{"y":1.5,"z":1e+21}}');
  });

  it("gives the same bytes and hash for a report whatever its key order", async () => {
    const report = minimalReport();
    const reversed = reverseKeys(report);
    expect(Object.keys(reversed)[0]).not.toBe(Object.keys(report)[0]);
    const a = serializeReport(report);
    const b = serializeReport(reversed);
    expect(a.json).toBe(b.json);
    expect(a.reportHash).toBe(b.reportHash);
    // Published compressed: the bytes inflate back to exactly the canonical JSON.
    expect(a.encoding).toBe(ReportEncoding.DeflateRawDictionary1);
    expect(Buffer.from(a.bytes).equals(b.bytes)).toBe(true);
    expect(decodeReport(a.encoding, a.bytes)).toBe(a.json);
    expect(a.reportHash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("refuses a report that breaks the schema", () => {
    expect(() => serializeReport({ ...minimalReport(), riskFloor: 101 })).toThrow();
    expect(() => serializeReport({ ...minimalReport(), recommendation: "yes" })).toThrow();
  });
});

function reverseKeys<T>(value: T): T;
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
  }
  return value;
}

function minimalReport() {
  const zero = `0x${"00".repeat(32)}`;
  const addr = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    status: "analysed",
    mode: "deterministic",
    analyzer: { name: "@ai-dao/analyst", version: "0.1.0" },
    chainId: 31337,
    blockNumber: "10",
    inputHash: zero,
    proposal: {
      proposalId: "1",
      descriptionHash: zero,
      descriptionInfo: { byteLength: 2, invalidUtf8Sequences: 0, hiddenContent: 0, hiddenCharacters: 0 },
      targets: [addr],
      values: ["1"],
      calldatas: ["0x"],
    },
    decodedCalls: [{ index: 0, target: addr, value: "1", kind: "eth-transfer", selector: null, decoded: true }],
    targets: [
      { address: addr, kind: "eoa", codeSize: 0, codeHash: null, balance: "5", nonce: 1, opcodes: { SELFDESTRUCT: false, DELEGATECALL: false, CREATE2: false } },
    ],
    governance: { treasury: addr, balances: [{ asset: "ETH", symbol: "ETH", decimals: 18, balance: "100" }], governor: { votingPeriod: "300" } },
    findings: [{ id: "treasury-outflow/recipient", check: "treasury-outflow", severity: "low", title: "t", detail: "d", evidence: { callIndex: 0, amount: "1" } }],
    riskFloor: 10,
    scores: { risk: 10 },
    recommendation: "for",
    notes: ["deterministic analysis only"],
  };
}
