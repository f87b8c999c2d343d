import { erc20Abi, getAddress, parseAbi, parseAbiItem, zeroAddress, type Address, type PublicClient } from "viem";

import { SECONDS_PER_BLOCK } from "../units.ts";

/** Production default: votes that arrived within two days of the reference time count as recent. */
export const DEFAULT_VOTES_WINDOW_SECONDS = 2n * 86_400n;
/** The voting period the default window is meant for (one week, the production profile). */
export const REFERENCE_VOTING_PERIOD_SECONDS = 7n * 86_400n;
/** How many of the largest voters of an on-chain proposal to look at, besides the proposer. */
export const LARGEST_VOTERS = 5;
/** Beyond this many accounts delegating to one account, where its votes came from is not traced (they all count as acquired). */
export const MAX_TRACED_DELEGATORS = 256;
/** How many of the largest inflows an account's origin lists. */
const MAX_SOURCES = 3;

const votesAbi = parseAbi([
  "function getVotes(address account) view returns (uint256)",
  "function getPastVotes(address account, uint256 timepoint) view returns (uint256)",
  "function clock() view returns (uint48)",
  "function CLOCK_MODE() view returns (string)",
  "function getCurrentVotes(address account) view returns (uint96)",
  "function getPriorVotes(address account, uint256 blockNumber) view returns (uint96)",
]);
const voteCast = parseAbiItem("event VoteCast(address indexed voter, uint256 proposalId, uint8 support, uint256 weight, string reason)");
const delegateChanged = parseAbiItem("event DelegateChanged(address indexed delegator, address indexed fromDelegate, address indexed toDelegate)");
const transfer = parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)");

/**
 * Where an account's new votes came from, judged from the token's `Transfer` and `DelegateChanged`
 * logs: tokens that moved into the account (or into the accounts delegating to it) after the window
 * started are acquired; tokens those accounts already held and only delegated are not.
 */
export interface VotesOrigin {
  /**
   * `window`: tokens held at the window's start count as held. `genesis`: the DAO is younger than
   * the window (its deployment block is after the window's start), so what was held at its genesis
   * (the token's initial allocation, or the balances when the DAO was deployed on an older token) counts.
   */
  since: "window" | "genesis";
  /** The last block whose balances count as held. */
  heldThroughBlock: bigint;
  /** The block the votes are judged at (the reference time's block). */
  referenceBlock: bigint;
  /** Tokens that moved into the account or the accounts delegating to it after `heldThroughBlock` (transfers between them excluded). */
  arrived: bigint;
  /** Votes the delegators found do not account for (delegations older than the deployment block): counted as acquired. */
  unexplained: bigint;
  /**
   * Votes of tokens other accounts held before `heldThroughBlock` and delegated to this one after it
   * (the account's own tokens delegated to itself are not counted: activating one's own votes is not
   * a transfer of power).
   */
  delegatedByOthers: bigint;
  /** Accounts delegating to it at the reference time (itself included when self-delegated). */
  delegators: number;
  /** Of those, other accounts that delegated to it after `heldThroughBlock`. */
  newDelegators: number;
  /** The largest inflows counted in `arrived`. */
  sources: { from: Address; to: Address; amount: bigint }[];
}

/** One account's votes at the reference time and one window earlier. */
export interface AccountVotingPower {
  address: Address;
  role: "proposer" | "voter";
  /** Votes at the reference time (the proposal's snapshot, or now). */
  votes: bigint;
  /** Votes one window before the reference time. */
  votesBefore: bigint;
  /**
   * Votes acquired within the window: `min(votes - votesBefore, tokens that moved in within it)`
   * when the origin was traced, else every new vote (`votes - votesBefore` when positive, else 0).
   */
  acquired: bigint;
  /**
   * Where the new votes came from, or why that could not be read. Not part of the report's
   * `votingPower` section, whose fields the report schema fixes: defined non-enumerable, so it stays
   * out of the serialised report; the findings quote what they use in their evidence.
   */
  readonly origin?: VotesOrigin | { unknown: string };
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

/** Attaches `origin` to an account without making it part of the serialised report. */
export function withOrigin(account: AccountVotingPower, origin: VotesOrigin | { unknown: string }): AccountVotingPower {
  Object.defineProperty(account, "origin", { value: origin, enumerable: false, writable: false, configurable: false });
  return account;
}

/** The traced origin of an account's votes, or null when it is absent or could not be read. */
export function tracedOrigin(account: AccountVotingPower): VotesOrigin | null {
  const origin = account.origin;
  return origin !== undefined && !("unknown" in origin) ? origin : null;
}

/**
 * Reads the voting power of the proposer and (for a proposal already on chain) its largest voters at
 * the reference time and one window earlier, with `getPastVotes` on the votes token: the
 * checkpoints are what the Governor counts, whatever moved them (transfers, delegation). Then, for
 * each account with more votes than a window earlier, where they came from (see `VotesOrigin`):
 * `acquired` is the part backed by tokens that moved in within the window. An origin that cannot be
 * read counts every new vote as acquired.
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
    /** The DAO's deployment block: logs are read from it, and it is the DAO's genesis when the DAO is younger than the window. */
    fromBlock?: bigint;
    /**
     * A Compound-style token (`getCurrentVotes` / `getPriorVotes(account, blockNumber)`, no ERC-6372
     * clock): votes are checkpointed by block number.
     */
    compoundVotes?: boolean;
  },
): Promise<VotingPowerContext | undefined> {
  const { token, blockNumber } = args;
  const compound = args.compoundVotes === true;
  const read = <T>(functionName: "clock" | "CLOCK_MODE") => client.readContract({ address: token, abi: votesAbi, functionName, blockNumber }) as Promise<T>;
  const [clock, mode] = compound
    ? [blockNumber, "mode=blocknumber&from=default"]
    : await Promise.all([read<number | bigint>("clock"), read<string>("CLOCK_MODE").catch(() => "mode=blocknumber&from=default")]);
  const clockMode = mode.includes("timestamp") ? "timestamp" : "blocknumber";
  const now = BigInt(clock);
  const window = clockMode === "timestamp" ? args.windowSeconds : (args.windowSeconds + SECONDS_PER_BLOCK - 1n) / SECONDS_PER_BLOCK;

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
  const before = reference > window ? reference - window : 0n;
  const votesAt = async (account: Address, timepoint: bigint): Promise<bigint> =>
    BigInt(
      timepoint >= now
        ? ((await client.readContract({ address: token, abi: votesAbi, functionName: compound ? "getCurrentVotes" : "getVotes", args: [account], blockNumber })) as bigint)
        : ((await client.readContract({ address: token, abi: votesAbi, functionName: compound ? "getPriorVotes" : "getPastVotes", args: [account, timepoint], blockNumber })) as bigint),
    );
  const tracer = new OriginTracer(client, { token, blockNumber, clockMode, now, reference, windowStart: before, fromBlock: args.fromBlock ?? 0n });
  const result: AccountVotingPower[] = [];
  for (const { address, role } of accounts.values()) {
    const [votes, votesBefore] = await Promise.all([votesAt(address, reference), votesAt(address, before)]);
    const increase = votes > votesBefore ? votes - votesBefore : 0n;
    const account: AccountVotingPower = { address, role, votes, votesBefore, acquired: increase };
    if (increase > 0n) {
      let origin: VotesOrigin | { unknown: string };
      try {
        origin = await tracer.trace(address, votes);
      } catch (error) {
        origin = { unknown: firstLine(error) };
      }
      if (!("unknown" in origin)) {
        const backed = origin.arrived + origin.unexplained;
        account.acquired = backed < increase ? backed : increase;
        const rest = increase - account.acquired;
        origin.delegatedByOthers = origin.delegatedByOthers < rest ? origin.delegatedByOthers : rest;
      }
      withOrigin(account, origin);
    }
    result.push(account);
  }
  return { clockMode, reference, referenceKind: useSnapshot ? "snapshot" : "now", window, accounts: result };
}

function firstLine(error: unknown): string {
  const message = (error as { shortMessage?: unknown; message?: unknown })?.shortMessage ?? (error as { message?: unknown })?.message;
  return (typeof message === "string" ? message : String(error)).split("\n")[0]!.slice(0, 200);
}

const order = (a: { blockNumber: bigint | null; logIndex: number | null }, b: { blockNumber: bigint | null; logIndex: number | null }) =>
  a.blockNumber !== b.blockNumber ? (a.blockNumber! < b.blockNumber! ? -1 : 1) : (a.logIndex ?? 0) - (b.logIndex ?? 0);

interface TracerArgs {
  token: Address;
  blockNumber: bigint;
  clockMode: "timestamp" | "blocknumber";
  now: bigint;
  reference: bigint;
  windowStart: bigint;
  fromBlock: bigint;
}

/**
 * Traces where an account's votes came from, from the token's logs. Blocks are found from clock
 * timepoints once per analysis (a binary search over block timestamps for a timestamp clock).
 */
class OriginTracer {
  private readonly timestamps = new Map<bigint, Promise<bigint>>();
  private bounds?: Promise<{ referenceBlock: bigint; heldThroughBlock: bigint; since: VotesOrigin["since"] }>;

  private readonly client: PublicClient;
  private readonly args: TracerArgs;

  constructor(client: PublicClient, args: TracerArgs) {
    this.client = client;
    this.args = args;
  }

  /** A block's clock timepoint: its timestamp, or its number for a block-number clock. */
  private clockOf(block: bigint): Promise<bigint> {
    if (this.args.clockMode === "blocknumber") return Promise.resolve(block);
    let known = this.timestamps.get(block);
    if (known === undefined) {
      known = this.client.getBlock({ blockNumber: block }).then((b) => b.timestamp);
      this.timestamps.set(block, known);
    }
    return known;
  }

  /** The last block in [lo, hi] whose clock is at or before `timepoint`; lo - 1 when there is none. */
  private async lastBlockAtOrBefore(timepoint: bigint, lo: bigint, hi: bigint): Promise<bigint> {
    if (this.args.clockMode === "blocknumber") return timepoint < lo ? lo - 1n : timepoint > hi ? hi : timepoint;
    let low = lo;
    let high = hi;
    let found = lo - 1n;
    while (low <= high) {
      const mid = (low + high) / 2n;
      if ((await this.clockOf(mid)) <= timepoint) {
        found = mid;
        low = mid + 1n;
      } else high = mid - 1n;
    }
    return found;
  }

  /** The reference block and the last block whose balances count as held (the window's start, or the DAO's genesis). */
  private boundsOnce() {
    this.bounds ??= (async () => {
      const { blockNumber, now, reference, windowStart, fromBlock, token } = this.args;
      const referenceBlock = reference >= now ? blockNumber : await this.lastBlockAtOrBefore(reference, fromBlock, blockNumber);
      const windowStartBlock = await this.lastBlockAtOrBefore(windowStart, fromBlock, referenceBlock);
      if (windowStartBlock >= fromBlock) return { referenceBlock, heldThroughBlock: windowStartBlock, since: "window" as const };
      // The DAO is younger than the window: judge against its genesis. A token created with the DAO
      // holds its initial allocation from the block of its first mint; an older token, the balances
      // it had when the DAO was deployed.
      const codeBefore = fromBlock > 0n ? await this.client.getCode({ address: token, blockNumber: fromBlock - 1n }) : undefined;
      if (codeBefore !== undefined && codeBefore !== "0x") return { referenceBlock, heldThroughBlock: fromBlock - 1n, since: "genesis" as const };
      const mints = await this.client.getLogs({ address: token, event: transfer, args: { from: zeroAddress }, fromBlock, toBlock: referenceBlock });
      const first = mints.sort(order)[0];
      return { referenceBlock, heldThroughBlock: first?.blockNumber ?? fromBlock - 1n, since: "genesis" as const };
    })();
    return this.bounds;
  }

  async trace(account: Address, votes: bigint): Promise<VotesOrigin> {
    const { token, blockNumber, fromBlock } = this.args;
    const { referenceBlock, heldThroughBlock, since } = await this.boundsOnce();
    const key = (a: string) => a.toLowerCase();

    // Who delegates to the account at the reference block: each delegator's latest DelegateChanged.
    const towards = await this.client.getLogs({ address: token, event: delegateChanged, args: { toDelegate: account }, fromBlock, toBlock: referenceBlock });
    const candidates = [...new Set(towards.map((l) => getAddress(l.args.delegator!)))];
    if (candidates.length > MAX_TRACED_DELEGATORS) throw new Error(`${candidates.length} accounts have delegated to it, more than the ${MAX_TRACED_DELEGATORS} traced`);
    const delegatedAt = new Map<string, bigint>();
    if (candidates.length > 0) {
      const changes = (await this.client.getLogs({ address: token, event: delegateChanged, args: { delegator: candidates }, fromBlock, toBlock: referenceBlock })).sort(order);
      const latest = new Map<string, (typeof changes)[number]>();
      for (const c of changes) latest.set(key(c.args.delegator!), c);
      for (const [delegator, c] of latest) if (key(c.args.toDelegate!) === key(account)) delegatedAt.set(delegator, c.blockNumber!);
    }
    const delegators = candidates.filter((d) => delegatedAt.has(key(d)));

    // Their balances at the reference block: now, minus what moved after it.
    const balanceAtReference = new Map<string, bigint>();
    const arrivedPer = new Map<string, bigint>();
    const inflows: { from: Address; to: Address; amount: bigint }[] = [];
    if (delegators.length > 0) {
      const balances = await Promise.all(delegators.map((d) => this.client.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [d], blockNumber }) as Promise<bigint>));
      delegators.forEach((d, i) => balanceAtReference.set(key(d), balances[i]!));
      if (referenceBlock < blockNumber) {
        const [incoming, outgoing] = await Promise.all([
          this.client.getLogs({ address: token, event: transfer, args: { to: delegators }, fromBlock: referenceBlock + 1n, toBlock: blockNumber }),
          this.client.getLogs({ address: token, event: transfer, args: { from: delegators }, fromBlock: referenceBlock + 1n, toBlock: blockNumber }),
        ]);
        for (const l of incoming) balanceAtReference.set(key(l.args.to!), balanceAtReference.get(key(l.args.to!))! - l.args.value!);
        for (const l of outgoing) balanceAtReference.set(key(l.args.from!), balanceAtReference.get(key(l.args.from!))! + l.args.value!);
      }
      // Tokens that moved in after the held-through block, except moves between the delegators themselves.
      if (heldThroughBlock < referenceBlock) {
        const arrivals = await this.client.getLogs({ address: token, event: transfer, args: { to: delegators }, fromBlock: heldThroughBlock + 1n, toBlock: referenceBlock });
        for (const l of arrivals) {
          if (balanceAtReference.has(key(l.args.from!))) continue;
          arrivedPer.set(key(l.args.to!), (arrivedPer.get(key(l.args.to!)) ?? 0n) + l.args.value!);
          inflows.push({ from: getAddress(l.args.from!), to: getAddress(l.args.to!), amount: l.args.value! });
        }
      }
    }

    let arrived = 0n;
    let explained = 0n;
    let delegatedByOthers = 0n;
    let newDelegators = 0;
    for (const d of delegators) {
      const balance = balanceAtReference.get(key(d)) ?? 0n;
      const came = arrivedPer.get(key(d)) ?? 0n;
      arrived += came;
      explained += balance;
      if (key(d) !== key(account) && delegatedAt.get(key(d))! > heldThroughBlock) {
        newDelegators += 1;
        if (balance > came) delegatedByOthers += balance - came;
      }
    }
    const bySender = new Map<string, { from: Address; to: Address; amount: bigint }>();
    for (const i of inflows) {
      const k = `${key(i.from)}:${key(i.to)}`;
      const known = bySender.get(k);
      bySender.set(k, known ? { ...known, amount: known.amount + i.amount } : { ...i });
    }
    const sources = [...bySender.values()].sort((a, b) => (b.amount > a.amount ? 1 : b.amount < a.amount ? -1 : 0)).slice(0, MAX_SOURCES);
    return {
      since,
      heldThroughBlock,
      referenceBlock,
      arrived,
      unexplained: votes > explained ? votes - explained : 0n,
      delegatedByOthers,
      delegators: delegators.length,
      newDelegators,
      sources,
    };
  }
}
