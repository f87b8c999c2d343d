// The subgraph's data sources: which contract of the deployment file each one watches, which ABI
// decodes it, which mapping file handles it and which events it indexes. `abis.ts` and `manifest.ts`
// both read these tables, so adding an event means adding its name here and a `handle<Event>`
// function in the mapping.
//
// The Governor and timelock data sources depend on the deployment: the platform's own contracts
// (`dataSources`), or for a DAO `npm run attach` found, the template of its Governor's flavour and
// its timelock's kind (`dataSourcesFor`).
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { Deployment, GovernorFlavour, TimelockKind } from "@ai-dao/deployment";

/** The `subgraph/` folder. */
export const subgraphDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The repository root (Hardhat project). */
export const repoRoot = path.resolve(subgraphDir, "..");
/** Where `abis.ts` writes the ABIs the manifest points to. */
export const abisDir = path.join(subgraphDir, "abis");

export interface DataSourceSpec {
  /** Data source name, also the ABI name and the folder of its WASM under build/. */
  name: string;
  /** The ABI's file in abis/, without `.json`, when it is not the data source's name (one ABI per flavour). */
  abiFile?: string;
  /** Key of the address in the deployment file's `contracts`. */
  contract: keyof Deployment["contracts"];
  /** Mapping file, relative to subgraph/. */
  mapping: string;
  /** Entities the mapping writes. */
  entities: string[];
  /** Events indexed, by name; the handler of `X` is `handleX`. */
  events: string[];
}

/** The platform's own Governor, with every extension's events. */
export const platformGovernorSource: DataSourceSpec = {
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
};

/**
 * The votes token. Its events have the same signatures in OpenZeppelin 4.x and 5.x ERC20Votes and in
 * Compound's COMP/UNI (only parameter names differ), so every flavour decodes them with the
 * platform's token ABI.
 */
export const tokenSource: DataSourceSpec = {
  name: "DAOToken",
  contract: "token",
  mapping: "src/token.ts",
  entities: ["Token", "Account", "TokenTransfer", "DelegateChange", "DelegateVotesChange", "DailyGovernanceSnapshot", "TreasuryAsset", "TreasuryFlow", "TreasuryPendingFlows"],
  events: ["Transfer", "DelegateChanged", "DelegateVotesChanged"],
};

const timelockControllerEntities = [
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
];
const timelockControllerEvents = ["CallScheduled", "CallExecuted", "CallSalt", "Cancelled", "MinDelayChange", "RoleGranted", "RoleRevoked"];

/** OpenZeppelin 5's TimelockController (the platform's and attached 5.x DAOs'). */
export const timelockControllerSource: DataSourceSpec = {
  name: "TimelockController",
  contract: "timelock",
  mapping: "src/timelock.ts",
  entities: timelockControllerEntities,
  events: timelockControllerEvents,
};

export const decisionLogSource: DataSourceSpec = {
  name: "DecisionLog",
  contract: "decisionLog",
  mapping: "src/decision-log.ts",
  entities: ["DecisionLog", "Decision", "Account", "Proposal", "PublisherChange", "DailyGovernanceSnapshot"],
  events: ["DecisionPublished", "PublisherSet"],
};

/** The platform's own DAO: what `npm run deploy` deployed. */
export const dataSources: DataSourceSpec[] = [platformGovernorSource, tokenSource, timelockControllerSource, decisionLogSource];

const governorEntities = ["Governor", "GovernorParameterChange", "Proposal", "ProposalAction", "ProposalStateChange", "Vote", "Account", "TimelockOperation", "DailyGovernanceSnapshot"];

/**
 * An OpenZeppelin Governor without the platform's extensions: the core events, and GovernorSettings',
 * GovernorVotesQuorumFraction's and GovernorTimelockControl's (never emitted by a Governor without them).
 */
function openZeppelinGovernorSource(abiFile: string): DataSourceSpec {
  return {
    name: "OpenZeppelinGovernor",
    abiFile,
    contract: "governor",
    mapping: "src/governor-openzeppelin.ts",
    entities: governorEntities,
    events: [
      "ProposalCreated",
      "ProposalQueued",
      "ProposalExecuted",
      "ProposalCanceled",
      "VoteCast",
      "VoteCastWithParams",
      "ProposalThresholdSet",
      "VotingDelaySet",
      "VotingPeriodSet",
      "QuorumNumeratorUpdated",
      "TimelockChange",
    ],
  };
}

/** Compound's GovernorAlpha or GovernorBravo: proposals and votes only (their settings are not indexed). */
function compoundGovernorSource(abiFile: string): DataSourceSpec {
  return {
    name: "CompoundGovernor",
    abiFile,
    contract: "governor",
    mapping: "src/governor-compound.ts",
    entities: governorEntities,
    events: ["ProposalCreated", "ProposalQueued", "ProposalExecuted", "ProposalCanceled", "VoteCast"],
  };
}

/** The Governor data source of each flavour `npm run attach` recognises. */
export const governorSources: Record<GovernorFlavour, DataSourceSpec> = {
  "openzeppelin-4": openZeppelinGovernorSource("OpenZeppelinGovernor-4"),
  "openzeppelin-5": openZeppelinGovernorSource("OpenZeppelinGovernor-5"),
  "compound-alpha": compoundGovernorSource("CompoundGovernor-alpha"),
  "compound-bravo": compoundGovernorSource("CompoundGovernor-bravo"),
};

/** Compound's Timelock: each queued transaction is a timelock operation of one call. */
export const compoundTimelockSource: DataSourceSpec = {
  name: "CompoundTimelock",
  contract: "timelock",
  mapping: "src/compound-timelock.ts",
  entities: ["Timelock", "TimelockOperation", "TimelockCall", "TimelockMinDelayChange", "DailyGovernanceSnapshot", "TreasuryAsset", "TreasuryFlow", "TreasuryPendingFlows"],
  events: ["QueueTransaction", "ExecuteTransaction", "CancelTransaction", "NewDelay"],
};

/**
 * The timelock data source of each kind, for a Governor of `flavour`: a TimelockController next to an
 * OpenZeppelin 4.x Governor is decoded with the 4.9 ABI (same events as 5.x).
 */
export function timelockSourceFor(kind: TimelockKind, flavour: GovernorFlavour): DataSourceSpec {
  if (kind === "compound-timelock") return compoundTimelockSource;
  return flavour === "openzeppelin-4" ? { ...timelockControllerSource, abiFile: "TimelockController-4" } : timelockControllerSource;
}

/**
 * The data sources of `deployment`: the platform's own when the platform deployed it; for an attached
 * DAO, its Governor flavour's and its timelock kind's templates with the same token and DecisionLog.
 */
export function dataSourcesFor(deployment: Pick<Deployment, "attached">): DataSourceSpec[] {
  const attached = deployment.attached;
  if (attached === undefined) return dataSources;
  return [governorSources[attached.flavour], tokenSource, timelockSourceFor(attached.timelockKind, attached.flavour), decisionLogSource];
}

/** The ABI file (in abis/, without `.json`) a data source reads. */
export function abiFileOf(source: DataSourceSpec): string {
  return source.abiFile ?? source.name;
}

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
