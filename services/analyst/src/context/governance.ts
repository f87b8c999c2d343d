import { erc20Abi, getAddress, parseAbiItem, zeroAddress, type Abi, type Address, type PublicClient } from "viem";

import type { AttachedGovernor } from "@ai-dao/deployment";
import {
  compoundGovernorAlphaAbi,
  compoundTimelockAbi,
  compoundTokenAbi,
  daoAbis,
  governorProbeAbi,
  isCompoundFlavour,
  openZeppelinGovernorAbi,
  type DecodedCall,
} from "@ai-dao/protocol";

import { attempt } from "./read.ts";

/** A treasury holding. `balance` is null when the token did not answer `balanceOf`. */
export interface TreasuryAsset {
  /** `ETH` for the native coin, otherwise the token address. */
  asset: "ETH" | Address;
  symbol: string | null;
  decimals: number | null;
  balance: bigint | null;
}

export interface GovernorParameters {
  /**
   * The Governor's clock (ERC-6372 `CLOCK_MODE`): the unit of its delays and periods. A Governor
   * without `CLOCK_MODE` (it reverts) counts blocks; `unknown` when the read failed otherwise.
   */
  clockMode: "timestamp" | "blocknumber" | "unknown";
  votingDelay: bigint;
  votingPeriod: bigint;
  proposalThreshold: bigint;
  quorumNumerator: bigint;
  quorumDenominator: bigint;
  lateQuorumVoteExtension: bigint;
  proposalGuardian: Address;
  timelock: Address;
  timelockMinDelay: bigint;
  tokenTotalSupply: bigint;
  /**
   * The extra timelock delay by the latest analysis's risk (GovernorRiskDelay), by increasing risk;
   * null for a Governor without risk tiers, or when they could not be read.
   */
  riskTiers: readonly RiskTier[] | null;
}

/** An analysis with risk `minRisk` or more waits at least `delay` seconds between queueing and execution. */
export interface RiskTier {
  minRisk: number;
  delay: bigint;
}

export interface DelegateVotesChange {
  blockNumber: bigint;
  previousVotes: bigint;
  newVotes: bigint;
}

export interface ProposerInfo {
  address: Address;
  votes: bigint;
  isAnalyst: boolean;
  /** The latest DelegateVotesChanged events for the proposer (newest last, at most 20). */
  recentVoteChanges: DelegateVotesChange[];
}

export interface GovernanceContext {
  treasury: Address;
  balances: TreasuryAsset[];
  governor: GovernorParameters;
  proposer?: ProposerInfo;
}

const ERC20_SELECTOR_NAMES = new Set(["transfer", "transferFrom", "approve", "increaseAllowance", "decreaseAllowance", "permit"]);
const delegateVotesChanged = parseAbiItem("event DelegateVotesChanged(address indexed delegate, uint256 previousVotes, uint256 newVotes)");

async function tokenHolding(client: PublicClient, token: Address, holder: Address, blockNumber: bigint): Promise<TreasuryAsset> {
  const read = async <T>(functionName: "balanceOf" | "symbol" | "decimals", args?: readonly [Address]): Promise<T | null> => {
    try {
      return (await client.readContract({ address: token, abi: erc20Abi, functionName, args, blockNumber } as never)) as T;
    } catch {
      return null;
    }
  };
  const [balance, symbol, decimals] = await Promise.all([
    read<bigint>("balanceOf", [holder]),
    read<string>("symbol"),
    read<number>("decimals"),
  ]);
  return { asset: getAddress(token), symbol, decimals, balance };
}

/**
 * Reads what the checks compare a proposal against: the treasury's holdings (ETH, the DAO token and
 * every token a call looks like an ERC20 call on), the Governor's parameters, and the proposer.
 */
export async function readGovernance(
  client: PublicClient,
  args: {
    contracts: { token: Address; governor: Address; timelock: Address };
    calls: readonly DecodedCall[];
    blockNumber: bigint;
    fromBlock?: bigint;
    proposer?: Address;
    /** For a DAO the platform attached to: its flavour and what its Governor answers (deployment file `attached`). */
    attached?: AttachedGovernor | undefined;
  },
): Promise<GovernanceContext> {
  const { contracts, calls, blockNumber, attached } = args;
  const read = <T>(address: Address, abi: Abi, functionName: string, fnArgs: readonly unknown[] = []) =>
    client.readContract({ address, abi, functionName, args: fnArgs, blockNumber }) as Promise<T>;
  const g = (fn: string, a: readonly unknown[] = []) => read<never>(contracts.governor, daoAbis.governor, fn, a);

  const tokens = new Map<string, Address>([[contracts.token.toLowerCase(), contracts.token]]);
  for (const call of calls) {
    if (call.functionName !== undefined && ERC20_SELECTOR_NAMES.has(call.functionName) && call.abiSource !== "DAOGovernor") {
      tokens.set(call.target.toLowerCase(), call.target);
    }
  }

  const [ethBalance, holdings, clock, tiers, params] = await Promise.all([
    client.getBalance({ address: contracts.timelock, blockNumber }),
    Promise.all([...tokens.values()].map((t) => tokenHolding(client, t, contracts.timelock, blockNumber))),
    attempt(() => g("CLOCK_MODE") as Promise<string>),
    attached === undefined || attached.capabilities.riskTiers
      ? attempt(() => g("riskTiers") as Promise<readonly { minRisk: number; delay: number }[]>)
      : Promise.resolve({ ok: false as const, reverted: true }),
    attached === undefined
      ? Promise.all([
          g("votingDelay"),
          g("votingPeriod"),
          g("proposalThreshold"),
          g("quorumNumerator"),
          g("quorumDenominator"),
          g("lateQuorumVoteExtension"),
          g("proposalGuardian"),
          g("timelock"),
          read<bigint>(contracts.timelock, daoAbis.timelock, "getMinDelay"),
          read<bigint>(contracts.token, daoAbis.token, "totalSupply"),
        ])
      : attachedParameters(read, contracts, attached),
  ]);
  const [votingDelay, votingPeriod, proposalThreshold, quorumNumerator, quorumDenominator, lateQuorumVoteExtension, proposalGuardian, timelock, timelockMinDelay, tokenTotalSupply] =
    params as unknown as [bigint, bigint, bigint, bigint, bigint, bigint, Address, Address, bigint, bigint];

  const context: GovernanceContext = {
    treasury: contracts.timelock,
    balances: [{ asset: "ETH", symbol: "ETH", decimals: 18, balance: ethBalance }, ...holdings],
    // Small uints (uint32, uint48) come back as numbers: make every quantity a bigint.
    governor: {
      clockMode: clock.ok ? (clock.value.includes("mode=timestamp") ? "timestamp" : "blocknumber") : clock.reverted ? "blocknumber" : "unknown",
      votingDelay: BigInt(votingDelay),
      votingPeriod: BigInt(votingPeriod),
      proposalThreshold: BigInt(proposalThreshold),
      quorumNumerator: BigInt(quorumNumerator),
      quorumDenominator: BigInt(quorumDenominator),
      lateQuorumVoteExtension: BigInt(lateQuorumVoteExtension),
      proposalGuardian,
      timelock,
      timelockMinDelay: BigInt(timelockMinDelay),
      tokenTotalSupply: BigInt(tokenTotalSupply),
      riskTiers: tiers.ok ? tiers.value.map((t) => ({ minRisk: Number(t.minRisk), delay: BigInt(t.delay) })) : null,
    },
  };

  if (args.proposer !== undefined) {
    const proposer = getAddress(args.proposer);
    const compoundToken = attached !== undefined && isCompoundFlavour(attached.flavour);
    const [votes, isAnalyst, logs] = await Promise.all([
      compoundToken ? read<bigint>(contracts.token, compoundTokenAbi as Abi, "getCurrentVotes", [proposer]) : read<bigint>(contracts.token, daoAbis.token, "getVotes", [proposer]),
      attached === undefined || attached.capabilities.analysts ? (g("isAnalyst", [proposer]) as Promise<boolean>) : Promise.resolve(false),
      client.getLogs({
        address: contracts.token,
        event: delegateVotesChanged,
        args: { delegate: proposer },
        fromBlock: args.fromBlock ?? 0n,
        toBlock: blockNumber,
      }),
    ]);
    context.proposer = {
      address: proposer,
      votes,
      isAnalyst,
      recentVoteChanges: logs.slice(-20).map((log) => ({
        blockNumber: log.blockNumber ?? 0n,
        previousVotes: log.args.previousVotes ?? 0n,
        newVotes: log.args.newVotes ?? 0n,
      })),
    };
  }
  return context;
}

type Read = <T>(address: Address, abi: Abi, functionName: string, fnArgs?: readonly unknown[]) => Promise<T>;

/**
 * The Governor parameters of an attached DAO, read with its flavour's functions and only those its
 * Governor answered when it was attached (`capabilities`); what a flavour does not have reads as
 * "none": no late-quorum extension (0), no proposal guardian (the zero address). A Compound
 * Governor's fixed quorum (`quorumVotes`) is given as a fraction of the total supply; its timelock
 * delay is the Compound Timelock's `delay()`. Same order as the platform's reads.
 */
async function attachedParameters(read: Read, contracts: { token: Address; governor: Address; timelock: Address }, attached: AttachedGovernor): Promise<unknown[]> {
  const compound = isCompoundFlavour(attached.flavour);
  const governorAbi = (compound ? compoundGovernorAlphaAbi : openZeppelinGovernorAbi) as Abi;
  const g = <T>(fn: string, a: readonly unknown[] = []) => read<T>(contracts.governor, governorAbi, fn, a);
  const [votingDelay, votingPeriod, proposalThreshold, timelock, totalSupply] = await Promise.all([
    g<bigint>("votingDelay"),
    g<bigint>("votingPeriod"),
    g<bigint>("proposalThreshold"),
    g<Address>("timelock"),
    read<bigint>(contracts.token, daoAbis.token, "totalSupply"),
  ]);
  const quorum: [bigint, bigint] = compound
    ? [await g<bigint>("quorumVotes"), totalSupply]
    : attached.quorum.numerator !== null
      ? [await g<bigint>("quorumNumerator"), await g<bigint>("quorumDenominator")]
      : [BigInt(attached.quorum.votes), totalSupply];
  const lateQuorum = attached.capabilities.lateQuorum ? await g<bigint>("lateQuorumVoteExtension") : 0n;
  const guardian = attached.capabilities.proposalGuardian
    ? await read<Address>(contracts.governor, governorProbeAbi, compound ? "guardian" : "proposalGuardian")
    : zeroAddress;
  const delay =
    attached.timelockKind === "compound-timelock"
      ? await read<bigint>(contracts.timelock, compoundTimelockAbi as Abi, "delay")
      : await read<bigint>(contracts.timelock, daoAbis.timelock, "getMinDelay");
  return [votingDelay, votingPeriod, proposalThreshold, quorum[0], quorum[1], lateQuorum, guardian, timelock, delay, totalSupply];
}

/** The treasury's balance of `asset` (`ETH` or a token address), or null if unknown. */
export function treasuryBalance(governance: GovernanceContext, asset: "ETH" | Address): bigint | null {
  const key = asset === "ETH" ? "ETH" : asset.toLowerCase();
  const found = governance.balances.find((b) => (b.asset === "ETH" ? "ETH" : b.asset.toLowerCase()) === key);
  return found?.balance ?? null;
}
