import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { describe, expect, it } from "vitest";

import {
  DecisionKind,
  decisionKindName,
  decisionKindNames,
  ProposalState,
  proposalStateName,
  proposalStateNames,
  proposalStatesOf,
  Recommendation,
  recommendationName,
  recommendationNames,
  recommendationOfReport,
  ReportEncoding,
  reportEncodingNames,
  Support,
  supportNames,
} from "../src/index.ts";

const root = path.resolve(import.meta.dirname, "../../..");
const openzeppelin = path.dirname(createRequire(path.join(root, "package.json")).resolve("@openzeppelin/contracts/package.json"));

/** The members of `enum name { ... }` in a Solidity source, in order, comments left out. */
function solidityEnum(file: string, name: string): string[] {
  const source = readFileSync(file, "utf8").replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
  const body = new RegExp(`enum\\s+${name}\\s*\\{([^}]*)\\}`).exec(source)?.[1];
  if (body === undefined) throw new Error(`no enum ${name} in ${file}`);
  return body.split(",").map((m) => m.trim()).filter(Boolean);
}

describe("the enums mirror the Solidity enums member for member", () => {
  const cases: [string, Record<string, number>, readonly string[], string, string][] = [
    ["ProposalState", ProposalState, proposalStateNames, path.join(openzeppelin, "governance/IGovernor.sol"), "ProposalState"],
    ["Support", Support, supportNames, path.join(openzeppelin, "governance/extensions/GovernorCountingSimple.sol"), "VoteType"],
    ["DecisionKind", DecisionKind, decisionKindNames, path.join(root, "contracts/interfaces/IDecisionLog.sol"), "Kind"],
    ["Recommendation", Recommendation, recommendationNames, path.join(root, "contracts/interfaces/IDecisionLog.sol"), "Recommendation"],
    ["ReportEncoding", ReportEncoding, reportEncodingNames, path.join(root, "contracts/interfaces/IDecisionLog.sol"), "ReportEncoding"],
  ];
  for (const [name, values, names, file, solidityName] of cases) {
    it(`${name} is ${path.basename(file)}'s ${solidityName}`, () => {
      const members = solidityEnum(file, solidityName);
      expect(names).toEqual(members);
      expect(Object.entries(values)).toEqual(members.map((m, i) => [m, i]));
    });
  }
});

describe("enum names", () => {
  it("names a number and refuses one outside the enum", () => {
    expect(proposalStateName(5)).toBe("Queued");
    expect(proposalStateName(7n)).toBe("Executed");
    expect(decisionKindName(2)).toBe("ExecutionGuard");
    expect(recommendationName(3n)).toBe("NeedsReview");
    expect(() => proposalStateName(8)).toThrow(RangeError);
    expect(() => proposalStateName(-1n)).toThrow(/not a ProposalState/);
    expect(() => decisionKindName(1.5)).toThrow(RangeError);
  });

  it("reads a Governor state bitmap as the states it names", () => {
    expect(proposalStatesOf(1n << BigInt(ProposalState.Active))).toEqual(["Active"]);
    expect(proposalStatesOf("0x0000000000000000000000000000000000000000000000000000000000000030")).toEqual(["Succeeded", "Queued"]);
    expect(proposalStatesOf(0n)).toEqual([]);
  });

  it("maps a report's recommendation to the DecisionLog's", () => {
    expect(recommendationOfReport).toEqual({ for: 0, against: 1, abstain: 2, "needs-review": 3 });
  });
});
