import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import type { GovernorFlavour, TimelockKind } from "@ai-dao/deployment";

import { devAccount } from "./accounts.ts";

/** A valid deployment file with recognisable addresses and start block. */
export function sampleDeployment(overrides: { chainId?: number; network?: string; startBlock?: number } = {}) {
  return {
    schemaVersion: 1,
    chainId: overrides.chainId ?? 31337,
    network: overrides.network ?? "localhost",
    profile: "local",
    deployedAt: "2026-01-01T00:00:00.000Z",
    deployer: devAccount("deployer").address,
    startBlock: overrides.startBlock ?? 1234,
    contracts: {
      token: "0x1111111111111111111111111111111111111111",
      governor: "0x2222222222222222222222222222222222222222",
      timelock: "0x3333333333333333333333333333333333333333",
      decisionLog: "0x4444444444444444444444444444444444444444",
    },
    parameters: {
      token: {
        name: "Demo DAO",
        symbol: "DEMO",
        decimals: 18,
        totalSupply: "1000",
        allocations: [{ recipient: devAccount("alice").address, amount: "1000", label: "alice" }],
      },
      governor: {
        name: "DAO Governor",
        clockMode: "mode=timestamp",
        votingDelay: 10,
        votingPeriod: 300,
        proposalThreshold: "1",
        quorumPercent: 4,
        lateQuorumVoteExtension: 60,
        proposalGuardian: null,
      },
      timelock: { minDelay: 60 },
      decisionLog: { maxReportBytes: 32768 },
      analysts: [],
      publishers: [],
    },
  };
}

/**
 * A sample deployment file of a DAO `npm run attach` found, per Governor flavour (addresses and start
 * block as in {@link sampleDeployment}): what the subgraph's manifest tests and builds and the
 * indexer's build check use.
 */
/** The timelock each flavour usually executes through. */
export function defaultTimelockKind(flavour: GovernorFlavour): TimelockKind {
  return flavour.startsWith("compound-") ? "compound-timelock" : "timelock-controller";
}

export function sampleAttachedDeployment(flavour: GovernorFlavour, timelockKind: TimelockKind = defaultTimelockKind(flavour)) {
  const base = sampleDeployment();
  const openZeppelin = flavour.startsWith("openzeppelin-");
  const clockMode = flavour === "openzeppelin-5" ? "mode=timestamp" : "mode=blocknumber&from=default";
  return {
    ...base,
    profile: "attached",
    parameters: { ...base.parameters, governor: { ...base.parameters.governor, clockMode, lateQuorumVoteExtension: 0 } },
    attached: {
      flavour,
      timelockKind,
      clockMode,
      countingMode: openZeppelin ? "support=bravo&quorum=for,abstain" : null,
      quorum: { votes: "40", numerator: openZeppelin ? "4" : null, denominator: openZeppelin ? "100" : null },
      capabilities: {
        erc165: openZeppelin,
        erc6372: openZeppelin,
        countingMode: openZeppelin,
        proposalNeedsQueuing: flavour === "openzeppelin-5",
        proposalEta: openZeppelin,
        proposalCount: !openZeppelin,
        proposalDetails: false,
        proposals: !openZeppelin,
        queueById: !openZeppelin,
        executeById: !openZeppelin,
        proposalGuardian: false,
        lateQuorum: false,
        analysts: false,
        riskTiers: false,
        codePins: false,
      },
      interfaces: [],
      decisionLogDeployed: true,
    },
  };
}

/**
 * A fresh temporary directory holding `deployment.json` (written as given, unvalidated, so a test
 * can write a broken one), by default in the system's temporary folder. `graph build` needs its
 * manifest below a node_modules, so the subgraph's build setup passes `parent`.
 */
export async function tempDeployment(
  deployment: object = sampleDeployment(),
  parent: string = tmpdir(),
): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(path.join(parent, ".tmp-deployment-"));
  const file = path.join(dir, "deployment.json");
  await writeFile(file, JSON.stringify(deployment, null, 2));
  return { dir, file };
}
