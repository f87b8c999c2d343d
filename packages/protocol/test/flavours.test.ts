import { createRequire } from "node:module";

import { concat, encodeAbiParameters, encodeEventTopics, keccak256, parseAbiParameters, stringToHex, toFunctionSelector, zeroAddress, type Hex } from "viem";
import { describe, expect, it } from "vitest";

import {
  compoundCalldata,
  compoundGovernorAlphaAbi,
  compoundTimelockAbi,
  compoundTokenAbi,
  decodeProposalCreatedFor,
  hashProposal,
  proposalCreatedEvent,
  proposalIdFor,
} from "../src/index.ts";

const require = createRequire(import.meta.url);

describe("flavour ABIs", () => {
  it("are the build artifacts @uniswap/governance ships", () => {
    for (const [name, abi] of [
      ["GovernorAlpha", compoundGovernorAlphaAbi],
      ["Timelock", compoundTimelockAbi],
      ["Uni", compoundTokenAbi],
    ] as const) {
      expect(abi, name).toEqual((require(`@uniswap/governance/build/${name}.json`) as { abi: unknown }).abi);
    }
  });
});

describe("Compound proposals", () => {
  const [topic] = encodeEventTopics({ abi: [proposalCreatedEvent], eventName: "ProposalCreated" }) as [Hex];
  const fields = parseAbiParameters("uint256, address, address[], uint256[], string[], bytes[], uint256, uint256, string");
  const args = encodeAbiParameters(parseAbiParameters("address, uint256"), ["0x000000000000000000000000000000000000dEaD", 5n]);

  it("builds each call's data from the signature's exact bytes and the arguments", () => {
    const data = encodeAbiParameters(fields, [7n, zeroAddress, [zeroAddress, zeroAddress], [0n, 1n], ["transfer(address,uint256)", ""], [args, "0x"], 10n, 20n, "grant"]);
    const created = decodeProposalCreatedFor("compound-alpha", { topics: [topic], data });
    expect(created.proposalId).toBe(7n);
    expect(created.calldatas[0]).toBe(concat([toFunctionSelector("transfer(address,uint256)"), args]));
    expect(created.calldatas[1]).toBe("0x");
    expect(created.emittedCalldatas[0]).toBe(args);
    expect([created.voteStart, created.voteEnd]).toEqual([10n, 20n]);
    // A signature the Timelock hashes as written (a space), not as a normaliser would.
    expect(compoundCalldata(stringToHex("transfer(address, uint256)"), "0x")).toBe(keccak256(stringToHex("transfer(address, uint256)")).slice(0, 10));
    // The same log read as an OpenZeppelin Governor's is refused: 7 is not the hash of its fields.
    expect(() => decodeProposalCreatedFor("openzeppelin-4", { topics: [topic], data })).toThrow(/not the hash/);
  });

  it("takes the id from the chain for Compound and computes it for OpenZeppelin", () => {
    const p = { targets: [zeroAddress], values: [0n], calldatas: ["0x" as Hex], descriptionHash: keccak256("0x") };
    expect(() => proposalIdFor("compound-bravo", p)).toThrow(/assigned by the chain/);
    expect(proposalIdFor("compound-bravo", p, 3n)).toBe(3n);
    expect(proposalIdFor("openzeppelin-5", p)).toBe(hashProposal(p));
    expect(() => proposalIdFor("openzeppelin-5", p, 3n)).toThrow(/not the hash/);
  });
});
