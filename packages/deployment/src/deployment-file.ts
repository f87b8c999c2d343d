import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

import { z } from "zod";

import { ConfigError } from "./errors.ts";
import { profileNames } from "./config.ts";
import { address } from "./schema-helpers.ts";

export const DEPLOYMENT_SCHEMA_VERSION = 1;

const decimal = z.string().regex(/^\d+$/, "must be a decimal string");

/** The `profile` of a deployment file written by `npm run attach` (a DAO the platform did not deploy). */
export const ATTACHED_PROFILE = "attached";

/**
 * Governor flavours `npm run attach` recognises: OpenZeppelin Governor 4.x or 5.x, Compound
 * GovernorAlpha or GovernorBravo (and their forks, e.g. Uniswap's).
 */
export const governorFlavours = ["openzeppelin-4", "openzeppelin-5", "compound-alpha", "compound-bravo"] as const;
export type GovernorFlavour = (typeof governorFlavours)[number];

/** Timelocks an attached Governor may execute through: OpenZeppelin's TimelockController or Compound's Timelock. */
export const timelockKinds = ["timelock-controller", "compound-timelock"] as const;
export type TimelockKind = (typeof timelockKinds)[number];

/**
 * What `npm run attach` found on an existing Governor: each capability is `true` only when the
 * Governor answered the call that needs it (found by calling it, never by its name or version).
 */
const capabilitiesSchema = z.strictObject({
  /** ERC-165 `supportsInterface` (answers true for ERC-165 itself and false for 0xffffffff). */
  erc165: z.boolean(),
  /** ERC-6372 `clock()` and `CLOCK_MODE()` on the Governor; without them the clock is the block number. */
  erc6372: z.boolean(),
  /** `COUNTING_MODE()` (OpenZeppelin). */
  countingMode: z.boolean(),
  /** `proposalNeedsQueuing(uint256)` (OpenZeppelin 5). */
  proposalNeedsQueuing: z.boolean(),
  /** `proposalEta(uint256)` (OpenZeppelin with a timelock extension). */
  proposalEta: z.boolean(),
  /** `proposalCount()`: proposals are enumerable (OpenZeppelin GovernorStorage, every Compound Governor). */
  proposalCount: z.boolean(),
  /** `proposalDetails(uint256)`: the actions of a proposal are on chain (OpenZeppelin GovernorStorage). */
  proposalDetails: z.boolean(),
  /** `proposals(uint256)`: Compound's proposal struct. */
  proposals: z.boolean(),
  /** `queue(uint256)`: queue by id (GovernorStorage, Compound); otherwise with the full actions. */
  queueById: z.boolean(),
  /** `execute(uint256)`: execute by id (GovernorStorage, Compound); otherwise with the full actions. */
  executeById: z.boolean(),
  /** `proposalGuardian()` (OpenZeppelin GovernorProposalGuardian) or Compound Alpha's `guardian()`. */
  proposalGuardian: z.boolean(),
  /** `lateQuorumVoteExtension()` (OpenZeppelin GovernorPreventLateQuorum). */
  lateQuorum: z.boolean(),
  /** `isAnalyst(address)` (the platform's GovernorAnalysts). */
  analysts: z.boolean(),
  /** `riskTiers()` (the platform's GovernorRiskDelay). */
  riskTiers: z.boolean(),
  /** `codeHashOf`-style code pins (the platform's GovernorCodePins). */
  codePins: z.boolean(),
});

/** The detected shape of a Governor the platform attached to (only in files `npm run attach` writes). */
const attachedSchema = z.strictObject({
  flavour: z.enum(governorFlavours),
  timelockKind: z.enum(timelockKinds),
  /** The Governor's ERC-6372 `CLOCK_MODE()`, or `mode=blocknumber&from=default` when it has none. */
  clockMode: z.string(),
  /** The Governor's `COUNTING_MODE()`; null for Compound Governors, which have none. */
  countingMode: z.string().nullable(),
  /**
   * Quorum in votes at the latest past timepoint, and the fraction it comes from when the Governor
   * has one (`quorumNumerator()` / `quorumDenominator()`; null for a fixed quorum like `quorumVotes()`).
   */
  quorum: z.strictObject({ votes: decimal, numerator: decimal.nullable(), denominator: decimal.nullable() }),
  capabilities: capabilitiesSchema,
  /** Names of the ERC-165 interfaces the Governor said it supports, among those attach knows. */
  interfaces: z.array(z.string()),
  /** Whether attach deployed the DecisionLog (false: an existing one was given and checked). */
  decisionLogDeployed: z.boolean(),
});

/**
 * `deployments/<chainId>.json`: what was deployed where, from which block, with which parameters.
 * Deploy writes it; every other part (subgraph manifest, indexer, analyst, executor, web) reads it.
 * Big numbers are decimal strings; addresses are checksummed.
 */
export const deploymentSchema = z.strictObject({
  schemaVersion: z.literal(DEPLOYMENT_SCHEMA_VERSION),
  chainId: z.number().int().positive(),
  network: z.string(),
  /** The deploy profile; `attached` for a DAO that `npm run attach` found already deployed. */
  profile: z.enum([...profileNames, ATTACHED_PROFILE]),
  deployedAt: z.iso.datetime(),
  deployer: address,
  /** First block that can hold an event of these contracts: indexers start here. */
  startBlock: z.number().int().nonnegative(),
  contracts: z.strictObject({
    token: address,
    governor: address,
    timelock: address,
    decisionLog: address,
  }),
  parameters: z.strictObject({
    token: z.strictObject({
      name: z.string(),
      symbol: z.string(),
      decimals: z.number().int(),
      totalSupply: decimal,
      allocations: z.array(z.strictObject({ recipient: address, amount: decimal, label: z.string().optional() })),
    }),
    governor: z.strictObject({
      name: z.string(),
      clockMode: z.string(),
      votingDelay: z.number().int(),
      votingPeriod: z.number().int(),
      proposalThreshold: decimal,
      quorumPercent: z.number().int(),
      lateQuorumVoteExtension: z.number().int(),
      proposalGuardian: address.nullable(),
      /** The timelock delay by risk (absent in files written before the Governor had risk tiers). */
      riskTiers: z.array(z.strictObject({ minRisk: z.number().int(), delay: z.number().int() })).optional(),
    }),
    timelock: z.strictObject({ minDelay: z.number().int() }),
    decisionLog: z.strictObject({ maxReportBytes: z.number().int() }),
    analysts: z.array(address),
    publishers: z.array(address),
  }),
  /**
   * ERC-20 tokens besides the DAO token whose treasury flows the subgraph indexes (one data source
   * each). Absent in files written before assets were listed: none.
   */
  treasuryAssets: z.array(z.strictObject({ address, label: z.string().optional() })).optional(),
  /**
   * For an attached DAO (profile `attached`): its Governor's flavour and capabilities. Its
   * `parameters` are then what the chain answered, in the units of `attached.clockMode` (blocks for
   * a block-number clock); `quorumPercent` is the quorum fraction rounded to a whole percentage
   * (see `attached.quorum` for the exact value) and `lateQuorumVoteExtension` is 0 without the
   * extension. Absent for a DAO the platform deployed.
   */
  attached: attachedSchema.optional(),
})
  .superRefine((deployment, ctx) => {
    if (deployment.profile === ATTACHED_PROFILE && deployment.attached === undefined) {
      ctx.addIssue({ code: "custom", path: ["attached"], message: `is required when profile is "${ATTACHED_PROFILE}"` });
    }
    if (deployment.profile !== ATTACHED_PROFILE && deployment.attached !== undefined) {
      ctx.addIssue({ code: "custom", path: ["profile"], message: `must be "${ATTACHED_PROFILE}" when the file has an attached section` });
    }
  });

export type Deployment = z.output<typeof deploymentSchema>;
/** The `attached` section of a deployment file. */
export type AttachedGovernor = NonNullable<Deployment["attached"]>;
/** What an attached Governor answers (see `capabilitiesSchema`). */
export type GovernorCapabilities = AttachedGovernor["capabilities"];

/** Where the deployment file of `chainId` lives under `dir` (by default the repo's `deployments/`). */
export function deploymentPath(dir: string, chainId: number): string {
  return path.join(dir, `${chainId}.json`);
}

/** The treasury assets a deployment lists (none when the file predates the list). */
export function treasuryAssetsOf(deployment: Pick<Deployment, "treasuryAssets">): NonNullable<Deployment["treasuryAssets"]> {
  return deployment.treasuryAssets ?? [];
}

/**
 * The subgraph data source of each listed treasury asset, by name (`TreasuryAsset0`, …, in list
 * order): the manifest generator writes them and the embedded indexer checks its build against
 * them. An asset that is the DAO token is left out: its own data source already indexes it.
 */
export function treasuryAssetSources(deployment: Pick<Deployment, "treasuryAssets" | "contracts">): { name: string; address: string }[] {
  return treasuryAssetsOf(deployment)
    .filter((asset) => asset.address.toLowerCase() !== deployment.contracts.token.toLowerCase())
    .map((asset, index) => ({ name: `TreasuryAsset${index}`, address: asset.address }));
}

/** Validates a parsed deployment file; throws a {@link ConfigError} naming every bad field. */
export function parseDeployment(input: unknown, source = "deployment file"): Deployment {
  const result = deploymentSchema.safeParse(input);
  if (!result.success) throw ConfigError.fromZod(source, result.error);
  return result.data;
}

/** Reads and validates `file`. A missing file says how to create one. */
export async function readDeployment(file: string): Promise<Deployment> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new ConfigError(`deployment file ${file}`, [
        "(root): file not found; deploy first (see README: `npm run deploy`) or point to the right chain id",
      ]);
    }
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`deployment file ${file}`, [`(root): not valid JSON (${(error as Error).message})`]);
  }
  return parseDeployment(json, `deployment file ${file}`);
}

/** Validates and writes a deployment file atomically (a crash never leaves half a file). */
export async function writeDeployment(file: string, deployment: Deployment): Promise<void> {
  const valid = parseDeployment(deployment);
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(valid, null, 2)}\n`);
  await rename(temporary, file);
}
