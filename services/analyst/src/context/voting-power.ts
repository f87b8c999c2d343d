import { getAddress, parseAbi, parseAbiItem, type Address, type PublicClient } from "viem";

/** Production default: votes that arrived within two days of the reference time count as recent. */
export const DEFAULT_VOTES_WINDOW_SECONDS = 2n * 86_400n;
/** The voting period the default window is meant for (one week, the production profile). */
export const REFERENCE_VOTING_PERIOD_SECONDS = 7n * 86_400n;
/** How many of the largest voters of an on-chain proposal to look at, besides the proposer. */
export const LARGEST_VOTERS = 5;

const votesAbi = parseAbi([
  "function getVotes(address account) view returns (uint256)",
  "function getPastVotes(address account, uint256 timepoint) view returns (uint256)",
  "function clock() view returns (uint48)",
  "function CLOCK_MODE() view returns (string)",
]);
const voteCast = parseAbiItem("event VoteCast(address indexed voter, uint256 proposalId, uint8 support, uint256 weight, string reason)");

/** One account's votes at the reference time and one window earlier. */
export interface AccountVotingPower {
  address: Address;
  role: "proposer" | "voter";
  /** Votes at the reference time (the proposal's snapshot, or now). */
  votes: bigint;
  /** Votes one window before the reference time. */
  votesBefore: bigint;
  /** votes - votesBefore when positive, else 0. */
  acquired: bigint;
}

export interface VotingPowerContext {
  /** `timestamp` or `blocknumber`, from the token's CLOCK_MODE. */
  clockMode: "timestamp" | "blocknumber";
  /** The timepoint votes are judged at: the proposal's snapshot when it is on chain and past, else the token's current clock. */
  reference: bigint;
  referenceKind: "snapshot" | "now";
  /** The window in clock units (seconds, or blocks for a block-number clock). */
  window: bigint;
  accounts: AccountVotingPower[];
}

/**
 * The window for "recent" votes: `overrideSeconds` when given, else two days scaled by the Governor's
 * voting period against a one-week production period (local profile: 300 s period → 85 s window),
 * between 1 second and two days.
 */
export function votesWindowSeconds(votingPeriodSeconds: bigint, overrideSeconds?: bigint): bigint {
  if (overrideSeconds !== undefined) return overrideSeconds;
  const scaled = (DEFAULT_VOTES_WINDOW_SECONDS * votingPeriodSeconds) / REFERENCE_VOTING_PERIOD_SECONDS;
  if (scaled < 1n) return 1n;
  return scaled > DEFAULT_VOTES_WINDOW_SECONDS ? DEFAULT_VOTES_WINDOW_SECONDS : scaled;
}

/**
 * Reads the voting power of the proposer and (for a proposal already on chain) its largest voters at
 * the reference time and one window earlier, with `getPastVotes` on the votes token: the
 * checkpoints are what the Governor counts, whatever moved them (transfers, delegation).
 */
export async function readVotingPower(
  client: PublicClient,
  args: {
    token: Address;
    governor: Address;
    blockNumber: bigint;
    windowSeconds: bigint;
    proposer?: Address;
    proposalId?: bigint;
    /** The proposal's snapshot timepoint when it exists on chain. */
    snapshot?: bigint;
    fromBlock?: bigint;
  },
): Promise<VotingPowerContext | undefined> {
  const { token, blockNumber } = args;
  const read = <T>(functionName: "clock" | "CLOCK_MODE") => client.readContract({ address: token, abi: votesAbi, functionName, blockNumber }) as Promise<T>;
  const [clock, mode] = await Promise.all([read<number | bigint>("clock"), read<string>("CLOCK_MODE").catch(() => "mode=blocknumber&from=default")]);
  const clockMode = mode.includes("timestamp") ? "timestamp" : "blocknumber";
  const now = BigInt(clock);
  const window = clockMode === "timestamp" ? args.windowSeconds : (args.windowSeconds + 11n) / 12n;

  const accounts = new Map<string, { address: Address; role: AccountVotingPower["role"] }>();
  if (args.proposer !== undefined) accounts.set(args.proposer.toLowerCase(), { address: getAddress(args.proposer), role: "proposer" });
  if (args.proposalId !== undefined && args.snapshot !== undefined) {
    const logs = await client.getLogs({ address: args.governor, event: voteCast, fromBlock: args.fromBlock ?? 0n, toBlock: blockNumber });
    const largest = logs
      .filter((l) => l.args.proposalId === args.proposalId)
      .sort((a, b) => (b.args.weight! > a.args.weight! ? 1 : b.args.weight! < a.args.weight! ? -1 : 0))
      .slice(0, LARGEST_VOTERS);
    for (const l of largest) if (!accounts.has(l.args.voter!.toLowerCase())) accounts.set(l.args.voter!.toLowerCase(), { address: getAddress(l.args.voter!), role: "voter" });
  }
  if (accounts.size === 0) return undefined;

  const useSnapshot = args.snapshot !== undefined && args.snapshot < now;
  const reference = useSnapshot ? args.snapshot! : now;
  const votesAt = (account: Address, timepoint: bigint) =>
    timepoint >= now
      ? (client.readContract({ address: token, abi: votesAbi, functionName: "getVotes", args: [account], blockNumber }) as Promise<bigint>)
      : (client.readContract({ address: token, abi: votesAbi, functionName: "getPastVotes", args: [account, timepoint], blockNumber }) as Promise<bigint>);
  const result: AccountVotingPower[] = [];
  for (const { address, role } of accounts.values()) {
    const before = reference > window ? reference - window : 0n;
    const [votes, votesBefore] = await Promise.all([votesAt(address, reference), votesAt(address, before)]);
    result.push({ address, role, votes, votesBefore, acquired: votes > votesBefore ? votes - votesBefore : 0n });
  }
  return { clockMode, reference, referenceKind: useSnapshot ? "snapshot" : "now", window, accounts: result };
}
