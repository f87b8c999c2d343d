import {
  ATTACHED_PROFILE,
  DEPLOYMENT_SCHEMA_VERSION,
  deploymentPath,
  writeDeployment,
  type Deployment,
  type GovernorFlavour,
} from "@ai-dao/deployment";
import { decisionLogAbi } from "@ai-dao/protocol";
import type { NetworkConnection } from "hardhat/types/network";
import {
  encodeAbiParameters,
  encodeDeployData,
  encodeFunctionData,
  formatEther,
  getAbiItem,
  getAddress,
  isAddress,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";

import { AttachError, creationBlock, detectGovernor, type DetectedDAO } from "./attach-detect.ts";

export { AttachError, DEFAULT_CLOCK_MODE, KNOWN_INTERFACES, detectGovernor, type DetectedDAO } from "./attach-detect.ts";

/** Chain ids of local development nodes (Hardhat, Anvil and Ganache), whose unlocked first account may deploy. */
export const DEVELOPMENT_CHAIN_IDS: readonly number[] = [31337, 1337];

const publisherSetEvent = getAbiItem({ abi: decisionLogAbi, name: "PublisherSet" });

export interface AttachOptions {
  /** The Governor to attach to. */
  governor: string;
  /** Accounts the new DecisionLog lets publish (the analyst's and the executor's keys). */
  publishers?: readonly string[];
  /** An existing DecisionLog to use instead of deploying one; it must be governed by the DAO's timelock. */
  decisionLog?: string;
  /** Refuse unless the RPC serves this chain. */
  expectedChainId?: number;
  /** The account the follow-up proposal makes a publisher (usually the analyst's). */
  analyst?: string;
  /**
   * Where the deployer key comes from: `key` (DEPLOYER_PRIVATE_KEY) or `node` (the node's first
   * unlocked account, accepted only on a local development chain). Default `key`.
   */
  deployerSource?: "key" | "node";
  /** The RPC as it may be shown (no credentials), for error messages. */
  rpcLabel?: string;
  /** The `network` recorded in the deployment file; default the connection's network name. */
  networkName?: string;
  /** Directory that receives `<chainId>.json`; nothing is written when undefined. */
  outDir?: string;
}

/** A proposal in the shape the attached Governor takes. */
export interface ProposalActions {
  targets: Address[];
  values: bigint[];
  /** Compound Governors take a function signature per action and calldatas without the selector. */
  signatures?: string[];
  calldatas: Hex[];
  description: string;
  /** What it does, in one sentence. */
  sentence: string;
}

export interface AttachResult {
  deployment: Deployment;
  file?: string;
  detected: DetectedDAO;
  /** The DecisionLog deployment transaction; undefined when an existing DecisionLog was used. */
  transaction?: Hex;
  /** The proposal that makes `options.analyst` a publisher; undefined without an analyst or when it already is one. */
  publisherProposal?: ProposalActions;
  /** Things the operator should know (e.g. a start block the node could not find). */
  warnings: string[];
}

function parseAddressOption(option: string, value: string): Address {
  if (!isAddress(value, { strict: false })) {
    throw new AttachError(`${option}: "${value}" is not an address (expected 0x followed by 40 hex digits)`);
  }
  return getAddress(value);
}

/** Parses `--publishers ADDR,ADDR` (empty: none), naming a bad or repeated entry. */
export function parsePublishers(list: string): Address[] {
  const entries = list.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "");
  const publishers = entries.map((entry, index) => parseAddressOption(`--publishers[${index}]`, entry));
  publishers.forEach((publisher, index) => {
    if (publishers.indexOf(publisher) !== index) throw new AttachError(`--publishers[${index}]: ${publisher} is listed twice`);
  });
  return publishers;
}

/**
 * The proposal that makes `account` a publisher of `decisionLog`: one call from the DAO's timelock to
 * `setPublisher(account, true)`, in the form the Governor's `propose` takes.
 */
export function publisherProposal(flavour: GovernorFlavour, decisionLog: Address, account: Address): ProposalActions {
  const sentence =
    `Authorise ${account} to publish analyses and guard decisions to the DAO's DecisionLog ${decisionLog} ` +
    "(DecisionLog.setPublisher(account, true), called by the timelock; it moves no funds and changes no Governor setting).";
  const description = `# Make ${account} a DecisionLog publisher\n\n${sentence}`;
  const compound = flavour === "compound-alpha" || flavour === "compound-bravo";
  return {
    targets: [decisionLog],
    values: [0n],
    ...(compound
      ? {
          signatures: ["setPublisher(address,bool)"],
          calldatas: [encodeAbiParameters([{ type: "address" }, { type: "bool" }], [account, true])],
        }
      : { calldatas: [encodeFunctionData({ abi: decisionLogAbi, functionName: "setPublisher", args: [account, true] })] }),
    description,
    sentence,
  };
}

async function chainIdOf(publicClient: PublicClient, rpcLabel: string): Promise<number> {
  try {
    return await publicClient.getChainId();
  } catch (error) {
    throw new AttachError(
      `cannot reach the RPC ${rpcLabel}: ${firstLine(error)}. Check --rpc and that the node is running and reachable from here.`,
    );
  }
}

function firstLine(error: unknown): string {
  const text = (error as { shortMessage?: string }).shortMessage ?? (error as Error).message ?? String(error);
  // Hardhat names its own network ("localhost") when a URL does not answer: say what happened instead.
  if (/HHE703|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|fetch failed/.test(text)) return "no JSON-RPC answer (connection refused, unknown host or no route)";
  return text.split("\n")[0]!.replace(/\.$/, "");
}

/** Checks an existing DecisionLog: it must have code, be governed by `timelock`, and list the given publishers. */
async function checkExistingDecisionLog(
  publicClient: PublicClient,
  decisionLog: Address,
  timelock: Address,
  publishers: readonly Address[],
): Promise<{ maxReportBytes: number; publishers: Address[]; fromBlock: bigint | undefined }> {
  const code = await publicClient.getCode({ address: decisionLog });
  if (code === undefined || code === "0x") throw new AttachError(`--decision-log: ${decisionLog} has no code on this chain`);
  let governance: Address;
  let maxReportBytes: bigint;
  try {
    governance = await publicClient.readContract({ address: decisionLog, abi: decisionLogAbi, functionName: "governance" });
    maxReportBytes = await publicClient.readContract({ address: decisionLog, abi: decisionLogAbi, functionName: "MAX_REPORT_BYTES" });
  } catch {
    throw new AttachError(`--decision-log: ${decisionLog} is not a DecisionLog (governance() or MAX_REPORT_BYTES() did not answer)`);
  }
  if (getAddress(governance) !== timelock) {
    throw new AttachError(
      `--decision-log: ${decisionLog} is governed by ${getAddress(governance)}, not by the DAO's timelock ${timelock}; ` +
        "leave --decision-log out to deploy one the DAO governs",
    );
  }
  for (const publisher of publishers) {
    const authorised = await publicClient.readContract({ address: decisionLog, abi: decisionLogAbi, functionName: "isPublisher", args: [publisher] });
    if (!authorised) {
      throw new AttachError(
        `--publishers: ${publisher} is not a publisher of the existing DecisionLog ${decisionLog}; its publishers change only by a proposal (attach prints one with --analyst)`,
      );
    }
  }
  // The current publishers, from the log's own events since it was created.
  const latest = await publicClient.getBlockNumber();
  const fromBlock = await creationBlock(publicClient, decisionLog, latest);
  let current = [...publishers];
  if (fromBlock !== undefined) {
    try {
      const events = await publicClient.getLogs({ address: decisionLog, event: publisherSetEvent, fromBlock, toBlock: latest });
      const set = new Set<Address>();
      for (const event of events) {
        const account = getAddress(event.args.account!);
        if (event.args.authorised) set.add(account);
        else set.delete(account);
      }
      current = [...set];
    } catch {
      // A node that limits log queries: the given publishers (checked above) are what is known.
    }
  }
  return { maxReportBytes: Number(maxReportBytes), publishers: current, fromBlock };
}

/**
 * Attaches the platform to the Governor at `options.governor` on the connection's chain: detects its
 * flavour, token, timelock, clock, counting mode, parameters and optional extensions, deploys a
 * DecisionLog governed by its timelock (or checks the one given), and writes
 * `deployments/<chainId>.json`. Every check happens before anything is sent, and the DecisionLog
 * deployment is the only transaction: nothing is sent to the DAO's contracts.
 */
export async function attachDAO(connection: NetworkConnection, options: AttachOptions): Promise<AttachResult> {
  const rpcLabel = options.rpcLabel ?? `of network "${connection.networkName}"`;
  const governorAddress = parseAddressOption("--governor", options.governor);
  const publishers = [...(options.publishers ?? [])].map((p, i) => parseAddressOption(`--publishers[${i}]`, p));
  publishers.forEach((publisher, index) => {
    if (publishers.indexOf(publisher) !== index) throw new AttachError(`--publishers[${index}]: ${publisher} is listed twice`);
  });
  const existingLog = options.decisionLog === undefined ? undefined : parseAddressOption("--decision-log", options.decisionLog);
  const analyst = options.analyst === undefined ? undefined : parseAddressOption("--analyst", options.analyst);

  let publicClient: PublicClient;
  try {
    publicClient = (await connection.viem.getPublicClient()) as PublicClient;
  } catch (error) {
    throw new AttachError(`cannot reach the RPC ${rpcLabel}: ${firstLine(error)}. Check --rpc and that the node is running and reachable from here.`);
  }
  const chainId = await chainIdOf(publicClient, rpcLabel);
  if (options.expectedChainId !== undefined && chainId !== options.expectedChainId) {
    throw new AttachError(`the RPC ${rpcLabel} serves chain ${chainId}, not the expected chain ${options.expectedChainId} (--chain-id); check --rpc`);
  }
  if (options.deployerSource === "node" && !DEVELOPMENT_CHAIN_IDS.includes(chainId)) {
    throw new AttachError(
      `chain ${chainId} is not a local development chain, so attach will not deploy from the node's accounts; set DEPLOYER_PRIVATE_KEY to the key that pays for the DecisionLog`,
    );
  }

  let detected: DetectedDAO;
  try {
    detected = await detectGovernor(publicClient, governorAddress);
  } catch (error) {
    if (error instanceof AttachError) throw error;
    throw new AttachError(`the RPC ${rpcLabel} failed while reading the Governor: ${firstLine(error)}; try again or use another RPC`);
  }
  const numbers = {
    votingDelay: safeNumber("votingDelay()", detected.votingDelay),
    votingPeriod: safeNumber("votingPeriod()", detected.votingPeriod),
    lateQuorumVoteExtension: safeNumber("lateQuorumVoteExtension()", detected.lateQuorumVoteExtension ?? 0n),
    timelockDelay: safeNumber("the timelock delay", detected.timelockDelay),
  };
  const existing = existingLog === undefined ? undefined : await checkExistingDecisionLog(publicClient, existingLog, detected.timelock, publishers);

  let wallets: Awaited<ReturnType<typeof connection.viem.getWalletClients>>;
  try {
    wallets = await connection.viem.getWalletClients();
  } catch (error) {
    throw new AttachError(`cannot list the deployer account: ${firstLine(error)}; set DEPLOYER_PRIVATE_KEY`);
  }
  const wallet = wallets[0];
  if (wallet === undefined) {
    throw new AttachError(`the RPC ${rpcLabel} offers no account to deploy from; set DEPLOYER_PRIVATE_KEY to the key that pays for the DecisionLog`);
  }
  const deployer = getAddress(wallet.account.address);

  const warnings: string[] = [];
  let transaction: Hex | undefined;
  let decisionLog: Address;
  let maxReportBytes: number;
  let logPublishers: Address[];
  const latest = await publicClient.getBlockNumber();

  // Where indexers start: the first block holding any of the DAO's contracts.
  const created = await Promise.all([detected.governor, detected.timelock, detected.token].map((a) => creationBlock(publicClient, a, latest)));
  let startBlock: bigint;
  if (created.every((block) => block !== undefined)) {
    startBlock = created.reduce((min, block) => (block! < min ? block! : min), latest);
  } else {
    startBlock = latest;
    warnings.push(
      `the node could not answer for old blocks (not an archive node?), so the start block is the current block ${latest}: ` +
        "proposals, votes and delegations before it are not indexed. Edit startBlock in the deployment file to the Governor's and token's creation block if you know it.",
    );
  }

  if (existing !== undefined) {
    decisionLog = existingLog!;
    maxReportBytes = existing.maxReportBytes;
    logPublishers = existing.publishers;
  } else {
    const { artifacts } = await import("hardhat");
    const artifact = await artifacts.readArtifact("DecisionLog");
    const data = encodeDeployData({ abi: artifact.abi, bytecode: artifact.bytecode as Hex, args: [detected.timelock, publishers] });
    const balance = await publicClient.getBalance({ address: deployer });
    if (balance === 0n) {
      throw new AttachError(`the deployer ${deployer} has no ETH on chain ${chainId}; fund it to pay for one contract deployment (the DecisionLog)`);
    }
    let gas: bigint;
    try {
      gas = await publicClient.estimateGas({ account: deployer, data });
    } catch (error) {
      throw new AttachError(
        `cannot estimate the DecisionLog deployment from ${deployer} (${firstLine(error)}); check that the deployer has enough ETH on chain ${chainId}`,
      );
    }
    const pricePerGas = await gasPrice(publicClient);
    const cost = gas * pricePerGas;
    if (balance < cost) {
      throw new AttachError(
        `the deployer ${deployer} has ${formatEther(balance)} ETH on chain ${chainId}, less than the ${formatEther(cost)} ETH the DecisionLog deployment needs (${gas} gas); fund it first`,
      );
    }

    // The one transaction attach sends: the DecisionLog's creation.
    const { contract: log, deploymentTransaction } = await connection.viem.sendDeploymentTransaction(
      "DecisionLog",
      [detected.timelock, publishers],
      { client: { wallet } },
    );
    transaction = deploymentTransaction.hash;
    const receipt = await publicClient.waitForTransactionReceipt({ hash: transaction });
    if (receipt.status !== "success") throw new Error(`the DecisionLog deployment ${transaction} reverted; nothing else was sent`);
    decisionLog = getAddress(log.address);
    if (getAddress(await log.read.governance()) !== detected.timelock) {
      throw new Error(`the DecisionLog deployed at ${decisionLog} does not answer governance() = ${detected.timelock}; do not use it`);
    }
    for (const publisher of publishers) {
      if (!(await log.read.isPublisher([publisher]))) throw new Error(`the DecisionLog deployed at ${decisionLog} does not list ${publisher} as a publisher`);
    }
    maxReportBytes = Number(await log.read.MAX_REPORT_BYTES());
    logPublishers = publishers;
  }

  const deployment: Deployment = {
    schemaVersion: DEPLOYMENT_SCHEMA_VERSION,
    chainId,
    network: options.networkName ?? connection.networkName,
    profile: ATTACHED_PROFILE,
    deployedAt: new Date().toISOString(),
    deployer,
    startBlock: Number(startBlock),
    contracts: { token: detected.token, governor: detected.governor, timelock: detected.timelock, decisionLog },
    parameters: {
      token: {
        name: detected.tokenInfo.name,
        symbol: detected.tokenInfo.symbol,
        decimals: detected.tokenInfo.decimals,
        totalSupply: detected.tokenInfo.totalSupply.toString(),
        allocations: [],
      },
      governor: {
        name: detected.governorName,
        clockMode: detected.clockMode,
        votingDelay: numbers.votingDelay,
        votingPeriod: numbers.votingPeriod,
        proposalThreshold: detected.proposalThreshold.toString(),
        quorumPercent: detected.quorumPercent,
        lateQuorumVoteExtension: numbers.lateQuorumVoteExtension,
        proposalGuardian: detected.proposalGuardian,
        ...(detected.riskTiers === null ? {} : { riskTiers: detected.riskTiers }),
      },
      timelock: { minDelay: numbers.timelockDelay },
      decisionLog: { maxReportBytes },
      analysts: [],
      publishers: logPublishers,
    },
    attached: {
      flavour: detected.flavour,
      timelockKind: detected.timelockKind,
      clockMode: detected.clockMode,
      countingMode: detected.countingMode,
      quorum: {
        votes: detected.quorum.votes.toString(),
        numerator: detected.quorum.numerator?.toString() ?? null,
        denominator: detected.quorum.denominator?.toString() ?? null,
      },
      capabilities: detected.capabilities,
      interfaces: detected.interfaces,
      decisionLogDeployed: existing === undefined,
    },
  };
  const file = options.outDir === undefined ? undefined : deploymentPath(options.outDir, chainId);
  if (file !== undefined) await writeDeployment(file, deployment);

  const proposal =
    analyst !== undefined && !logPublishers.includes(analyst) ? publisherProposal(detected.flavour, decisionLog, analyst) : undefined;
  return { deployment, file, detected, transaction, publisherProposal: proposal, warnings };
}

/** What one unit of gas costs now: the EIP-1559 maximum fee where the chain has one, else the legacy price. */
async function gasPrice(publicClient: PublicClient): Promise<bigint> {
  try {
    const fees = await publicClient.estimateFeesPerGas();
    if ("maxFeePerGas" in fees && fees.maxFeePerGas !== undefined) return fees.maxFeePerGas;
  } catch {
    // A chain without EIP-1559 fees.
  }
  return publicClient.getGasPrice();
}

function safeNumber(what: string, value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new AttachError(`${what} is ${value}, too large to record; this Governor is not supported`);
  return Number(value);
}
