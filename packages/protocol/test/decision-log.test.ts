import { deflateRawSync } from "node:zlib";

import { createPublicClient, custom, encodeAbiParameters, numberToHex, encodeErrorResult, encodeEventTopics, encodeFunctionResult, keccak256, parseAbi, parseAbiParameters, stringToBytes, toHex, type Hex } from "viem";
import { describe, expect, it } from "vitest";

import { decisionLogAbi, getDecisions, getLatestDecision, getLatestDecisionId, verifyDecision } from "../src/index.ts";

const decisionLog = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const actor = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const report = '{"scores":{"risk":12}}';
const bytes = toHex(stringToBytes(report));
const deflated = toHex(deflateRawSync(report, { level: 9 }));

/** A DecisionPublished log as a node returns it. */
function log(decisionId: bigint, reportBytes: Hex = bytes, encoding = 0) {
  return {
    address: decisionLog,
    topics: encodeEventTopics({ abi: decisionLogAbi, eventName: "DecisionPublished", args: { proposalId: 7n, kind: 0, actor } }),
    data: encodeAbiParameters(parseAbiParameters("uint256, uint8, uint8, uint8, bytes32, bytes"), [decisionId, 12, 0, encoding, keccak256(reportBytes), reportBytes]),
    blockNumber: 5n,
    blockHash: `0x${"11".repeat(32)}`,
    transactionHash: `0x${"22".repeat(32)}`,
    transactionIndex: 0,
    logIndex: Number(decisionId),
    removed: false,
  };
}

/** A node that answers latestDecision with `latest`, or with the DecisionLogNoDecision revert. */
function client(latest: bigint | null) {
  const noDecision = encodeErrorResult({ abi: parseAbi(["error DecisionLogNoDecision(uint256 proposalId, uint8 kind)"]), errorName: "DecisionLogNoDecision", args: [7n, 0] });
  return createPublicClient({
    transport: custom({
      request: async ({ method }: { method: string }) => {
        if (method !== "eth_call") throw new Error(method);
        if (latest === null) throw Object.assign(new Error("execution reverted"), { code: 3, data: noDecision });
        return encodeFunctionResult({ abi: decisionLogAbi, functionName: "latestDecision", result: [latest, 12, 1] });
      },
    }),
  });
}

describe("DecisionLog actions", () => {
  it("reads decisions with their exact bytes, and text that keeps every byte", async () => {
    const bom = toHex(new Uint8Array([0xef, 0xbb, 0xbf, ...stringToBytes(report)]));
    const node = createPublicClient({
      transport: custom({
        request: async ({ method }: { method: string }) => {
          if (method !== "eth_getLogs") throw new Error(method);
          return [log(1n), log(2n, bom), log(3n, deflated, 1), log(4n, toHex(Buffer.concat([deflateRawSync(report), Buffer.from([0])])), 1)].map((l) => ({ ...l, blockNumber: numberToHex(l.blockNumber), transactionIndex: "0x0", logIndex: numberToHex(l.logIndex) }));
        },
      }),
    });
    const decisions = await getDecisions(node, { decisionLog, proposalId: 7n, kind: 0, fromBlock: 0n });
    expect(decisions.map((d) => [d.decisionId, d.actor, d.risk, d.encoding, d.reportBytes, d.reportJson, d.reportProblem])).toEqual([
      [1n, actor, 12, 0, bytes, report, null],
      [2n, actor, 12, 0, bom, `\uFEFF${report}`, null],
      [3n, actor, 12, 1, deflated, report, null],
      [4n, actor, 12, 1, expect.any(String), "", "the compressed report is unreadable: 1 bytes after the end of the compressed data"],
    ]);
  });

  it("answers null when a proposal has no decision, and the decision id otherwise", async () => {
    expect(await getLatestDecisionId(client(null), { decisionLog, proposalId: 7n, kind: 0 })).toBeNull();
    expect(await getLatestDecisionId(client(2n), { decisionLog, proposalId: 7n, kind: 0 })).toEqual({ decisionId: 2n, risk: 12 });
    expect(await getLatestDecision(client(null), { decisionLog, proposalId: 7n, kind: 0, fromBlock: 0n })).toBeNull();
  });

  it("verifies bytes against their hash and parses them", () => {
    expect(verifyDecision({ reportBytes: bytes, reportHash: keccak256(bytes), reportJson: report })).toEqual({ ok: true, computedHash: keccak256(bytes), canonical: true, report: { scores: { risk: 12 } } });
    expect(verifyDecision({ reportBytes: bytes, reportHash: keccak256("0x00"), reportJson: report }).ok).toBe(false);
    expect(verifyDecision({ reportBytes: "0x7b", reportHash: keccak256("0x7b"), reportJson: "{" })).toMatchObject({ ok: false, report: null });
  });

  it("verifies compressed bytes: their hash, and that the text is the canonical JSON of the report", () => {
    expect(verifyDecision({ reportBytes: deflated, reportHash: keccak256(deflated), reportJson: report, reportProblem: null })).toEqual({ ok: true, computedHash: keccak256(deflated), canonical: true, report: { scores: { risk: 12 } } });
    // Same report, not in canonical form (spaces, key order): the hash matches what was sent, but it is not what a publisher writes.
    for (const text of ['{ "scores": {"risk": 12} }', '{"scores":{"risk":12.0}}']) {
      const packed = toHex(deflateRawSync(text));
      expect(verifyDecision({ reportBytes: packed, reportHash: keccak256(packed), reportJson: text, reportProblem: null })).toMatchObject({ ok: false, canonical: false });
    }
    expect(verifyDecision({ reportBytes: deflated, reportHash: keccak256(deflated), reportJson: "", reportProblem: "corrupt" })).toMatchObject({ ok: false, report: null });
  });
});
