// A sample deployment file of a DAO `npm run attach` found, per Governor flavour: what the manifest
// tests and the per-flavour builds use (addresses and start block as in sampleDeployment).
import type { GovernorFlavour, TimelockKind } from "@ai-dao/deployment";
import { sampleDeployment } from "@ai-dao/testkit/deployment";

/** The flavours the chain tests deploy and index (Bravo has no installable artifacts to deploy). */
export const TESTED_FLAVOURS = ["openzeppelin-4", "openzeppelin-5", "compound-alpha"] as const satisfies readonly GovernorFlavour[];

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
