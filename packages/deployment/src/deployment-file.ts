import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

import { z } from "zod";

import { ConfigError } from "./errors.ts";
import { profileNames } from "./config.ts";
import { address } from "./schema-helpers.ts";

export const DEPLOYMENT_SCHEMA_VERSION = 1;

const decimal = z.string().regex(/^\d+$/, "must be a decimal string");

/**
 * `deployments/<chainId>.json`: what was deployed where, from which block, with which parameters.
 * Deploy writes it; every other part (subgraph manifest, indexer, analyst, executor, web) reads it.
 * Big numbers are decimal strings; addresses are checksummed.
 */
export const deploymentSchema = z.strictObject({
  schemaVersion: z.literal(DEPLOYMENT_SCHEMA_VERSION),
  chainId: z.number().int().positive(),
  network: z.string(),
  profile: z.enum(profileNames),
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
});

export type Deployment = z.output<typeof deploymentSchema>;

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
