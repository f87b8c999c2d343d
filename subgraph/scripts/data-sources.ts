// The subgraph's data sources: which contract of the deployment file each one watches (its ABI is
// @ai-dao/protocol's for that contract), which mapping file handles it and which events it indexes.
// `abis.ts` and `manifest.ts` both read this table, so adding an event means adding its name here and a
// `handle<Event>` function in the mapping.
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { Deployment } from "@ai-dao/deployment";

/** The `subgraph/` folder. */
export const subgraphDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The repository root (Hardhat project). */
export const repoRoot = path.resolve(subgraphDir, "..");
/** Where `abis.ts` writes the ABIs the manifest points to. */
export const abisDir = path.join(subgraphDir, "abis");

export interface DataSourceSpec {
  /** Data source name, also the ABI name and the folder of its WASM under build/. */
  name: string;
  /** Key of the address in the deployment file's `contracts`. */
  contract: keyof Deployment["contracts"];
  /** Mapping file, relative to subgraph/. */
  mapping: string;
  /** Entities the mapping writes. */
  entities: string[];
  /** Events indexed, by name; the handler of `X` is `handleX`. */
  events: string[];
}

export const dataSources: DataSourceSpec[] = [
  {
    name: "DAOGovernor",
    contract: "governor",
    mapping: "src/governor.ts",
    entities: [
      "Governor",
      "GovernorParameterChange",
      "Proposal",
      "ProposalAction",
      "CodePin",
      "ProposalStateChange",
      "ProposalExtension",
      "Vote",
      "Account",
      "AnalystChange",
      "TimelockOperation",
      "RiskTierSet",
      "RiskTier",
      "DailyGovernanceSnapshot",
    ],
    events: [
      "ProposalCreated",
      "ProposalCodePinned",
      "ProposalRiskDelay",
      "ProposalQueued",
      "ProposalExecuted",
      "ProposalCanceled",
      "ProposalExtended",
      "VoteCast",
      "VoteCastWithParams",
      "ProposalThresholdSet",
      "VotingDelaySet",
      "VotingPeriodSet",
      "QuorumNumeratorUpdated",
      "LateQuorumVoteExtensionSet",
      "ProposalGuardianSet",
      "TimelockChange",
      "AnalystSet",
      "RiskTiersSet",
    ],
  },
  {
    name: "DAOToken",
    contract: "token",
    mapping: "src/token.ts",
    entities: ["Token", "Account", "TokenTransfer", "DelegateChange", "DelegateVotesChange", "DailyGovernanceSnapshot", "TreasuryAsset", "TreasuryFlow", "TreasuryPendingFlows"],
    events: ["Transfer", "DelegateChanged", "DelegateVotesChanged"],
  },
  {
    name: "TimelockController",
    contract: "timelock",
    mapping: "src/timelock.ts",
    entities: [
      "Timelock",
      "TimelockOperation",
      "TimelockCall",
      "TimelockRoleChange",
      "TimelockRoleMember",
      "TimelockMinDelayChange",
      "DailyGovernanceSnapshot",
      "TreasuryAsset",
      "TreasuryFlow",
      "TreasuryPendingFlows",
    ],
    events: ["CallScheduled", "CallExecuted", "CallSalt", "Cancelled", "MinDelayChange", "RoleGranted", "RoleRevoked"],
  },
  {
    name: "DecisionLog",
    contract: "decisionLog",
    mapping: "src/decision-log.ts",
    entities: ["DecisionLog", "Decision", "Account", "Proposal", "PublisherChange", "DailyGovernanceSnapshot"],
    events: ["DecisionPublished", "PublisherSet"],
  },
];

/**
 * One data source per ERC-20 the deployment file lists in `treasuryAssets` (named by
 * `treasuryAssetSources` of @ai-dao/deployment): its Transfer events to and from the timelock become
 * treasury flows. Its ABI is the ERC-20 events of @ai-dao/protocol's standard ABIs.
 */
export const treasuryAssetSource = {
  abi: "ERC20",
  mapping: "src/treasury.ts",
  entities: ["TreasuryAsset", "TreasuryFlow", "TreasuryPendingFlows"],
  events: ["Transfer"],
  /** Handler of every event: the asset data sources share one mapping function. */
  handler: "handleTreasuryAssetTransfer",
} as const;

interface AbiParameter {
  type: string;
  name?: string;
  indexed?: boolean;
  components?: AbiParameter[];
}

export interface AbiItem {
  type: string;
  name?: string;
  inputs?: AbiParameter[];
}

function canonicalType(parameter: AbiParameter): string {
  if (parameter.type.startsWith("tuple")) {
    const inner = (parameter.components ?? []).map(canonicalType).join(",");
    return `(${inner})${parameter.type.slice("tuple".length)}`;
  }
  return parameter.type;
}

/** The event signature graph-cli expects, e.g. `VoteCast(indexed address,uint256,uint8,uint256,string)`. */
export function manifestEventSignature(abi: AbiItem[], eventName: string): string {
  const matches = abi.filter((item) => item.type === "event" && item.name === eventName);
  if (matches.length !== 1) {
    throw new Error(`expected exactly one event ${eventName} in the ABI, found ${matches.length}`);
  }
  const inputs = matches[0]!.inputs ?? [];
  const parameters = inputs.map((input) => `${input.indexed ? "indexed " : ""}${canonicalType(input)}`);
  return `${eventName}(${parameters.join(",")})`;
}
