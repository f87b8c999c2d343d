import { readFile } from "node:fs/promises";
import path from "node:path";

import {
  ConfigError,
  DEPLOYMENT_SCHEMA_VERSION,
  TREASURY,
  deploymentPath,
  readDeployment,
  resolveDeployConfig,
  resolveTreasuryAssets,
  writeDeployment,
  type DeployConfig,
  type Deployment,
} from "@ai-dao/deployment";
import type { NetworkConnection } from "hardhat/types/network";
import { getAddress } from "viem";

import { DEFAULT_ADMIN_ROLE, buildDAOModule } from "./modules/DAO.ts";

export interface DeployOptions {
  /** Parameter profile: `local` or `production`. */
  profile: string;
  /** The parsed deploy config (see `ignition/config/*.json`). */
  config: unknown;
  /** Where the config came from, for error messages. */
  source?: string;
  /** Directory that receives `<chainId>.json`; nothing is written when undefined. */
  outDir?: string;
  /** Show Ignition's progress UI. */
  displayUi?: boolean;
}

export interface DeployResult {
  deployment: Deployment;
  file?: string;
}

/** Reads a deploy config file as JSON, with an error that names the file when it is not JSON. */
export async function readDeployConfigFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError(`deploy config ${file}`, [`(root): cannot read the file (${(error as Error).message})`]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`deploy config ${file}`, [`(root): not valid JSON (${(error as Error).message})`]);
  }
}

/**
 * Validates the config, deploys and wires the DAO with Ignition, checks that no setup power is left,
 * and writes `deployments/<chainId>.json`. Validation happens before any transaction is sent.
 */
export async function deployDAO(connection: NetworkConnection, options: DeployOptions): Promise<DeployResult> {
  const config = resolveDeployConfig(options.profile, options.config, options.source);

  const publicClient = await connection.viem.getPublicClient();
  const [wallet] = await connection.viem.getWalletClients();
  if (wallet === undefined) {
    throw new Error(
      `network "${connection.networkName}" has no account to deploy from; configure one (for the remote network set DEPLOYER_PRIVATE_KEY)`,
    );
  }
  const chainId = await publicClient.getChainId();
  const blockBefore = await publicClient.getBlockNumber();

  const { token, timelock, governor, decisionLog } = await connection.ignition.deploy(buildDAOModule(config), {
    displayUi: options.displayUi ?? false,
  });

  // Trust, but verify: the deployer must hold no power over the treasury after deployment.
  if (await timelock.read.hasRole([DEFAULT_ADMIN_ROLE, wallet.account.address])) {
    throw new Error(`deployment incomplete: the deployer ${wallet.account.address} still holds the timelock admin role`);
  }

  const contracts = {
    token: getAddress(token.address),
    governor: getAddress(governor.address),
    timelock: getAddress(timelock.address),
    decisionLog: getAddress(decisionLog.address),
  };
  const file = options.outDir === undefined ? undefined : deploymentPath(options.outDir, chainId);
  const startBlock = await keptStartBlock(file, chainId, contracts) ?? Number(blockBefore) + 1;

  const deployment: Deployment = {
    schemaVersion: DEPLOYMENT_SCHEMA_VERSION,
    chainId,
    network: connection.networkName,
    profile: options.profile as Deployment["profile"],
    deployedAt: new Date().toISOString(),
    deployer: getAddress(wallet.account.address),
    startBlock,
    contracts,
    parameters: describeParameters(config, contracts.timelock, {
      clockMode: await governor.read.CLOCK_MODE(),
      maxReportBytes: Number(await decisionLog.read.MAX_REPORT_BYTES()),
      riskTiers: (await governor.read.riskTiers()).map((t) => ({ minRisk: t.minRisk, delay: t.delay })),
    }),
    treasuryAssets: resolveTreasuryAssets(config.treasuryAssets),
  };
  if (file !== undefined) await writeDeployment(file, deployment);
  return { deployment, file };
}

/**
 * When Ignition resumed an earlier deployment of the same contracts, no new block holds their
 * creation: keep the start block recorded the first time.
 */
async function keptStartBlock(
  file: string | undefined,
  chainId: number,
  contracts: Deployment["contracts"],
): Promise<number | undefined> {
  if (file === undefined) return undefined;
  try {
    const previous = await readDeployment(file);
    const same =
      previous.chainId === chainId &&
      (Object.keys(contracts) as (keyof Deployment["contracts"])[]).every((k) => previous.contracts[k] === contracts[k]);
    return same ? previous.startBlock : undefined;
  } catch {
    return undefined;
  }
}

/** The deployed parameters: the config's, with what only the chain knows read from it. */
function describeParameters(
  config: DeployConfig,
  timelock: `0x${string}`,
  onChain: { clockMode: string; maxReportBytes: number; riskTiers: { minRisk: number; delay: number }[] },
): Deployment["parameters"] {
  const { clockMode, maxReportBytes, riskTiers } = onChain;
  return {
    token: {
      name: config.token.name,
      symbol: config.token.symbol,
      decimals: 18,
      totalSupply: config.token.allocations.reduce((sum, a) => sum + a.amount, 0n).toString(),
      allocations: config.token.allocations.map((a) => ({
        recipient: a.recipient === TREASURY ? timelock : a.recipient,
        amount: a.amount.toString(),
        ...(a.label === undefined ? {} : { label: a.label }),
      })),
    },
    governor: {
      name: config.governor.name,
      clockMode,
      votingDelay: config.governor.votingDelay,
      votingPeriod: config.governor.votingPeriod,
      proposalThreshold: config.governor.proposalThreshold.toString(),
      quorumPercent: config.governor.quorumPercent,
      lateQuorumVoteExtension: config.governor.lateQuorumVoteExtension,
      proposalGuardian: config.governor.proposalGuardian,
      riskTiers,
    },
    timelock: { minDelay: config.timelock.minDelay },
    decisionLog: { maxReportBytes },
    analysts: config.analysts,
    publishers: config.publishers,
  };
}

/** Default deploy config file of a profile, relative to the repository root. */
export function defaultConfigFile(root: string, profile: string): string | undefined {
  return profile === "local" ? path.join(root, "ignition", "config", "local.json") : undefined;
}
