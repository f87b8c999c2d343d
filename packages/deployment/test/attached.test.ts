import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { ConfigError, parseDeployment, readDeployment, writeDeployment, type Deployment } from "../src/index.ts";

/** A deployment file as `npm run attach` writes it for an OpenZeppelin 4.9 Governor with a block clock. */
const attached: Deployment = {
  schemaVersion: 1,
  chainId: 31337,
  network: "127.0.0.1",
  profile: "attached",
  deployedAt: "2026-12-06T00:00:00.000Z",
  deployer: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  startBlock: 1,
  contracts: {
    token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    governor: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
    timelock: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    decisionLog: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
  },
  parameters: {
    token: { name: "Legacy DAO", symbol: "LEG", decimals: 18, totalSupply: "1000000000000000000000000", allocations: [] },
    governor: {
      name: "Attach V4 Governor",
      clockMode: "mode=blocknumber&from=default",
      votingDelay: 1,
      votingPeriod: 50,
      proposalThreshold: "0",
      quorumPercent: 4,
      lateQuorumVoteExtension: 0,
      proposalGuardian: null,
    },
    timelock: { minDelay: 3600 },
    decisionLog: { maxReportBytes: 32768 },
    analysts: [],
    publishers: ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"],
  },
  attached: {
    flavour: "openzeppelin-4",
    timelockKind: "timelock-controller",
    clockMode: "mode=blocknumber&from=default",
    countingMode: "support=bravo&quorum=for,abstain",
    quorum: { votes: "40000000000000000000000", numerator: "4", denominator: "100" },
    capabilities: {
      erc165: true,
      erc6372: true,
      countingMode: true,
      proposalNeedsQueuing: false,
      proposalEta: true,
      proposalCount: false,
      proposalDetails: false,
      proposals: false,
      queueById: false,
      executeById: false,
      proposalGuardian: false,
      lateQuorum: false,
      analysts: false,
      riskTiers: false,
      codePins: false,
    },
    interfaces: ["IGovernor (OpenZeppelin 4.9)"],
    decisionLogDeployed: true,
  },
};

function problemsOf(input: unknown): string[] {
  try {
    parseDeployment(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("an attached DAO's deployment file", () => {
  it("round-trips with its flavour and capabilities", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "deployment-"));
    const file = path.join(dir, "31337.json");
    await writeDeployment(file, attached);
    expect(await readDeployment(file)).toEqual(attached);
  });

  it("keeps files without an attached section valid (the platform's own deployments)", () => {
    const { attached: _, ...own } = attached;
    expect(parseDeployment({ ...own, profile: "local" }).attached).toBeUndefined();
  });

  it("ties the attached profile to the attached section", () => {
    const { attached: _, ...withoutSection } = attached;
    expect(problemsOf(withoutSection)).toEqual(['attached: is required when profile is "attached"']);
    expect(problemsOf({ ...attached, profile: "production" })).toEqual(['profile: must be "attached" when the file has an attached section']);
  });

  it("names an unknown flavour, timelock kind or capability", () => {
    const problems = problemsOf({
      ...attached,
      attached: {
        ...attached.attached,
        flavour: "aragon",
        timelockKind: "multisig",
        capabilities: { ...attached.attached!.capabilities, teleport: true },
      },
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^attached\.flavour: /);
    expect(problems[1]).toMatch(/^attached\.timelockKind: /);
    expect(problems[2]).toMatch(/^attached\.capabilities: .*teleport/);
  });
});
