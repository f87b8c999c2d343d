import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { keccak256, toHex } from "viem";
import { describe, expect, it } from "vitest";

import { ProposalFileError } from "../src/errors.ts";
import { hashProposal } from "../src/analyze.ts";
import { parseProposal, readProposalFile } from "../src/proposal.ts";

const alice = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const good = () => ({ targets: [alice, alice, alice], values: ["0", "1000", "0"], calldatas: ["0x", "0x", "0xa9059cbb"], description: "ok" });

function problems(input: unknown): string[] {
  try {
    parseProposal(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ProposalFileError);
    return (error as ProposalFileError).details;
  }
  throw new Error("expected a ProposalFileError");
}

describe("proposal file validation", () => {
  it("accepts a valid proposal and checksums targets", () => {
    const p = parseProposal(good());
    expect(p.targets[0]).toBe("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    expect(p.values).toEqual([0n, 1000n, 0n]);
  });

  it("names the bad entry of each field", () => {
    const input = good();
    input.calldatas[2] = "0xnothex";
    input.values[1] = "-5";
    input.targets[0] = "0x1234";
    expect(problems(input)).toEqual([
      "targets[0]: not an address (0x followed by 40 hex digits)",
      "values[1]: not a decimal string (digits only, no sign, no exponent, no leading zeros)",
      "calldatas[2]: not hex (0x followed by hex digits)",
    ]);
  });

  it("rejects arrays of different lengths, missing and unknown fields", () => {
    expect(problems({ ...good(), values: ["0"] })).toEqual(["values: has 1 entries but targets has 3; give one per call"]);
    const { description: _, ...noDescription } = good();
    expect(problems(noDescription)).toEqual(["description: must be a string (or give descriptionBytes)"]);
    expect(problems({ ...good(), extra: 1 })).toEqual(["(root): unknown field(s) extra"]);
    expect(problems({ ...good(), targets: [], values: [], calldatas: [] })).toEqual(["targets: must list at least one call"]);
  });

  it("rejects odd-length calldata, numbers for values and values above uint256", () => {
    expect(problems({ ...good(), calldatas: ["0x", "0x", "0xabc"] })).toEqual(["calldatas[2]: odd number of hex digits"]);
    expect(problems({ ...good(), values: [0, "1", "2"] })).toEqual(["values[0]: must be a decimal string"]);
    expect(problems({ ...good(), values: ["0", (2n ** 256n).toString(), "0"] })).toEqual(["values[1]: larger than uint256"]);
  });

  it("reads files and says clearly when one is missing or not JSON", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "analyst-"));
    await writeFile(path.join(dir, "bad.json"), "{not json");
    await writeFile(path.join(dir, "good.json"), JSON.stringify(good()));
    await expect(readProposalFile(path.join(dir, "missing.json"))).rejects.toThrow(/cannot read proposal file .*missing\.json[\s\S]*does not exist/);
    await expect(readProposalFile(path.join(dir, "bad.json"))).rejects.toThrow(/is not JSON/);
    await expect(readProposalFile(path.join(dir, "good.json"))).resolves.toMatchObject({ description: "ok" });
  });
});

describe("inputs that used to escape validation", () => {
  it("names the field of a value in exponent notation instead of failing in BigInt", () => {
    expect(problems({ ...good(), values: ["0", "1e18", "0"] })).toEqual(["values[1]: not a decimal string (digits only, no sign, no exponent, no leading zeros)"]);
    expect(problems({ ...good(), values: ["0", "0x10", " 1"] })).toEqual([
      "values[1]: not a decimal string (digits only, no sign, no exponent, no leading zeros)",
      "values[2]: not a decimal string (digits only, no sign, no exponent, no leading zeros)",
    ]);
    expect(problems({ ...good(), values: ["0", "9".repeat(100), "0"] })).toEqual(["values[1]: larger than uint256"]);
  });

  it("refuses a mixed-case address with a wrong checksum, accepts all-lowercase and all-uppercase", () => {
    const bad = "0x70997970C51812dc3A010C7d01b50e0d17dc79c8"; // last letter's case flipped
    expect(problems({ ...good(), targets: [bad, alice, alice] })).toEqual([
      "targets[0]: bad EIP-55 checksum (mixed case must be 0x70997970C51812dc3A010C7d01b50e0d17dc79C8; or write it all lowercase)",
    ]);
    const upper = `0x${alice.slice(2).toUpperCase()}`;
    expect(parseProposal({ ...good(), targets: [upper, alice, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"] }).targets).toEqual(Array(3).fill("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"));
  });

  it("refuses a description with a lone surrogate, naming the field", () => {
    const details = problems({ ...good(), description: "Pay 1 ETH \ud800 now" });
    expect(details).toHaveLength(1);
    expect(details[0]).toMatch(/^description: contains a lone UTF-16 surrogate \(\\uD800 at index 10\)/);
  });

  it("takes the description as exact bytes: a BOM and invalid UTF-8 are kept and hashed as given", () => {
    const bytes = "0xefbbbf50617920ff31" as const; // BOM, "Pay ", an invalid byte, "1"
    const p = parseProposal({ ...good(), description: undefined, descriptionBytes: bytes });
    expect(p.descriptionBytes).toBe(bytes);
    expect(p.description).toBe("\uFEFFPay \uFFFD1");
    const id = hashProposal(p);
    expect(id).not.toBe(hashProposal({ ...p, descriptionBytes: undefined, description: p.description })); // the text does not round-trip
    expect(problems({ ...good(), descriptionBytes: "0x00" })).toEqual(["descriptionBytes: give either description or descriptionBytes, not both"]);
    expect(problems({ ...good(), description: undefined, descriptionBytes: "0xabc" })).toEqual(["descriptionBytes: odd number of hex digits"]);
  });

  it("hashes a text description as its UTF-8 bytes", () => {
    const p = parseProposal({ ...good(), description: "é" });
    expect(p.descriptionBytes).toBe("0xc3a9");
    expect(keccak256(p.descriptionBytes)).toBe(keccak256(toHex("é")));
  });

  it("reads a proposal file that starts with a UTF-8 byte-order mark", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "analyst-"));
    const file = path.join(dir, "bom.json");
    await writeFile(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(good()))]));
    await expect(readProposalFile(file)).resolves.toMatchObject({ description: "ok", descriptionBytes: "0x6f6b" });
  });
});
