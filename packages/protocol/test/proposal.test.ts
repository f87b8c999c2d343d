import { encodeAbiParameters, encodeEventTopics, hexToString, keccak256, parseAbiParameters, toHex, type Address, type Hex } from "viem";
import { describe, expect, it } from "vitest";

import { decodeProposalCreated, descriptionBytesOf, hashDescription, hashProposal, proposalCreatedEvent, timelockSalt } from "../src/index.ts";

const target = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Address;

/** A ProposalCreated log as a node returns it, for a description given as raw bytes. */
function logFor(descriptionBytes: Hex, tamperId = 0n) {
  const targets = [target];
  const values = [10n ** 18n];
  const calldatas = ["0x" as Hex];
  const id = hashProposal({ targets, values, calldatas, descriptionHash: keccak256(descriptionBytes) }) + tamperId;
  const data = encodeAbiParameters(
    parseAbiParameters("uint256, address, address[], uint256[], string[], bytes[], uint256, uint256, bytes"),
    [id, target, targets, values, [""], calldatas, 10n, 20n, descriptionBytes],
  );
  return { id, log: { data, topics: encodeEventTopics({ abi: [proposalCreatedEvent], eventName: "ProposalCreated" }) as Hex[] } };
}

describe("decodeProposalCreated", () => {
  const cases: [string, Hex][] = [
    ["a byte-order mark first", toHex(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("# Pay 1 ETH")]))],
    ["invalid UTF-8", toHex(new Uint8Array([0x50, 0x61, 0x79, 0xff, 0xfe, 0xc3, 0x28, 0x20, 0x31]))],
    ["a NUL in the middle", toHex(new TextEncoder().encode("Pay 1 ETH\u0000 and 9 ETH more"))],
    ["an empty description", "0x"],
  ];
  for (const [name, bytes] of cases) {
    it(`keeps the exact bytes and the emitted id with ${name}`, () => {
      const { id, log } = logFor(bytes);
      const created = decodeProposalCreated(log);
      expect(created.descriptionBytes).toBe(bytes);
      expect(created.descriptionHash).toBe(keccak256(bytes));
      expect(created.proposalId).toBe(id);
    });
  }

  it("shows why decoded text is not enough: the BOM and invalid bytes do not survive a text round trip", () => {
    for (const [, bytes] of cases.slice(0, 2)) expect(keccak256(toHex(hexToString(bytes)))).not.toBe(keccak256(bytes));
  });

  it("refuses an event whose id is not the hash of its fields", () => {
    const { log } = logFor(descriptionBytesOf("hello"), 1n);
    expect(() => decodeProposalCreated(log)).toThrow(/not the hash of its own fields/);
  });

  it("refuses another event", () => {
    const { log } = logFor(descriptionBytesOf("hello"));
    expect(() => decodeProposalCreated({ ...log, topics: [keccak256("0x01")] })).toThrow();
  });
});

describe("hashes", () => {
  it("hashes a typed description as its UTF-8", () => {
    expect(hashDescription(descriptionBytesOf("é"))).toBe(keccak256("0xc3a9"));
  });
  it("builds the timelock salt as bytes20(governor) xor descriptionHash", () => {
    const hash = `0x${"ff".repeat(32)}` as Hex;
    expect(timelockSalt("0x0000000000000000000000000000000000000001", hash)).toBe(`0x${"ff".repeat(19)}fe${"ff".repeat(12)}`);
  });
});
