import { decisionLogAbi, governorAbi } from "@ai-dao/protocol";
import { type AbiEvent, type Hex, concat, decodeEventLog, encodeAbiParameters, encodeEventTopics, getAbiItem, keccak256, pad, parseAbiItem, stringToHex, toEventSelector, toHex } from "viem";
import { describe, expect, it } from "vitest";

import { decodeEventParams } from "../src/chain/event-strings.ts";

const proposalCreated = getAbiItem({ abi: governorAbi, name: "ProposalCreated" }) as AbiEvent;
const voteCast = getAbiItem({ abi: governorAbi, name: "VoteCast" }) as AbiEvent;
const decisionPublished = getAbiItem({ abi: decisionLogAbi, name: "DecisionPublished" }) as AbiEvent;

/** A log of `event` with `args`, as the chain would emit it. */
function logOf(event: AbiEvent, args: readonly unknown[]): { topics: [Hex, ...Hex[]]; data: Hex } {
  const named = Object.fromEntries(event.inputs.map((input, i) => [input.name!, args[i]]));
  const topics = encodeEventTopics({ abi: [event], args: named } as never) as [Hex, ...Hex[]];
  const data = encodeAbiParameters(
    event.inputs.filter((input) => !input.indexed),
    event.inputs.flatMap((input, i) => (input.indexed ? [] : [args[i]])),
  );
  return { topics, data };
}

/** What viem's strict decodeEventLog gives, as the indexer's params. */
function viaViem(event: AbiEvent, log: { topics: [Hex, ...Hex[]]; data: Hex }) {
  const { args } = decodeEventLog({ abi: [event], ...log, strict: true }) as unknown as { args: Record<string, unknown> };
  return event.inputs.map((input) => ({ input, value: args[input.name!] }));
}

describe("decodeEventParams", () => {
  it("decodes the DAO's events as viem's strict decodeEventLog does", () => {
    const voter = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const cases: [AbiEvent, unknown[]][] = [
      [voteCast, [voter, 2n ** 255n + 7n, 1, 10n ** 24n, "a plain reason"]],
      [voteCast, [voter, 1n, 0, 0n, ""]],
      [proposalCreated, [99n, voter, [voter, voter], [0n, 5n], ["", "transfer(address,uint256)"], ["0x", "0xa9059cbb"], 10n, 20n, "# Title\n\nBody ✓"]],
      [decisionPublished, [3n, 77n, 1, voter, 90, 3, 1, keccak256("0x01"), "0x7b7d"]],
    ];
    for (const [event, args] of cases) {
      const log = logOf(event, args);
      expect(decodeEventParams(event, log.topics, log.data), event.name).toEqual(viaViem(event, log));
    }
  });

  it("keeps a string's byte-order mark and shows invalid UTF-8 as U+FFFD, as graph-node does", () => {
    const log = logOf(voteCast, ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 1n, 1, 1n, "x"]);
    // The reason's bytes replaced by a BOM, "ok" and a lone continuation byte (strings and bytes encode alike).
    const reason = concat(["0xefbbbf", stringToHex("ok"), "0x80"]);
    const nonIndexedAsBytes = voteCast.inputs.filter((input) => !input.indexed).map((input) => (input.type === "string" ? { ...input, type: "bytes" } : input));
    const data = encodeAbiParameters(nonIndexedAsBytes, [1n, 1, 1n, reason]);
    const params = decodeEventParams(voteCast, log.topics, data);
    expect(params.find((p) => p.input.name === "reason")!.value).toBe("\uFEFFok\uFFFD");
  });

  it("gives an indexed string, bytes, tuple or array as its topic, the hash", () => {
    const event = parseAbiItem("event Tagged(string indexed tag, uint256[] indexed ids, address indexed who, uint256 n)") as AbiEvent;
    const who = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const log = {
      topics: [toEventSelector(event), keccak256(stringToHex("governance")), keccak256("0x0102"), pad(who)] as [Hex, ...Hex[]],
      data: encodeAbiParameters([{ type: "uint256" }], [5n]),
    };
    const params = decodeEventParams(event, log.topics, log.data);
    expect(params.map((p) => p.value)).toEqual([log.topics[1], log.topics[2], who, 5n]);
    expect(params).toEqual(viaViem(event, log));
  });

  it("refuses a log with a topic missing or data too short for its inputs", () => {
    const log = logOf(voteCast, ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 1n, 1, 1n, "why"]);
    expect(() => decodeEventParams(voteCast, [log.topics[0]], log.data)).toThrow(/0 indexed topics, the event declares 1/);
    expect(() => decodeEventParams(voteCast, log.topics, "0x")).toThrow(/no data/);
    expect(() => decodeEventParams(voteCast, log.topics, toHex(new Uint8Array(40)))).toThrow();
  });
});
