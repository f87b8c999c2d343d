import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { ProposalFileError } from "../src/errors.ts";
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
      "values[1]: not a decimal string (digits only, no sign, no leading zeros)",
      "calldatas[2]: not hex (0x followed by hex digits)",
    ]);
  });

  it("rejects arrays of different lengths, missing and unknown fields", () => {
    expect(problems({ ...good(), values: ["0"] })).toEqual(["values: has 1 entries but targets has 3; give one per call"]);
    const { description: _, ...noDescription } = good();
    expect(problems(noDescription)).toEqual(["description: must be a string"]);
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
