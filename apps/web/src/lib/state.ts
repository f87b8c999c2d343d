import type { ProposalStateName } from "@ai-dao/protocol";

/** What the indexer records about a proposal; the rest of its state depends on the clock. */
export interface ProposalStateInput {
  status: "CREATED" | "QUEUED" | "EXECUTED" | "CANCELED";
  voteStart: bigint;
  /** The deadline, including a late-quorum extension. */
  voteEnd: bigint;
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
  eta: bigint | null;
  /** quorum(voteStart): votes needed (for + abstain). */
  quorum: bigint;
  /** Status of the proposal's timelock operation, when it was queued. */
  timelockStatus?: "SCHEDULED" | "EXECUTED" | "CANCELED" | null;
}

/**
 * The proposal's state at `now` on the Governor's clock (seconds, or blocks for a block-number
 * clock), as DAOGovernor.state() computes it:
 * Governor.state (executed, canceled, snapshot >= now: Pending, deadline >= now: Active, quorum of
 * for + abstain and for > against or Defeated, eta 0: Succeeded, else Queued), then
 * GovernorTimelockControl (a queued proposal whose timelock operation was executed or cancelled
 * outside the Governor is Executed or Canceled).
 *
 * Expired is never returned: it belongs to timelocks with a grace period (GovernorTimelockCompound);
 * the TimelockController keeps a ready operation executable forever.
 */
export function proposalState(p: ProposalStateInput, now: bigint): ProposalStateName {
  if (p.status === "EXECUTED") return "Executed";
  if (p.status === "CANCELED") return "Canceled";
  if (p.voteStart >= now) return "Pending";
  if (p.voteEnd >= now) return "Active";
  const quorumReached = p.quorum <= p.forVotes + p.abstainVotes;
  const voteSucceeded = p.forVotes > p.againstVotes;
  if (!quorumReached || !voteSucceeded) return "Defeated";
  if (p.eta === null || p.eta === 0n) return "Succeeded";
  if (p.timelockStatus === "EXECUTED") return "Executed";
  if (p.timelockStatus === "CANCELED") return "Canceled";
  return "Queued";
}

/** quorum(snapshot) for a quorum fraction: totalSupply * numerator / 100. */
export function quorumOf(totalSupply: bigint, quorumNumerator: bigint): bigint {
  return (totalSupply * quorumNumerator) / 100n;
}

/**
 * Seconds until the next state change that time alone brings, or null when none. `now` is in the
 * Governor's clock unit (the voting window's), `time` the chain's timestamp (an eta's); a block-number
 * clock's units count `secondsPerUnit` each.
 */
export function secondsLeft(
  p: Pick<ProposalStateInput, "voteStart" | "voteEnd" | "eta">,
  state: ProposalStateName,
  now: bigint,
  time: bigint = now,
  secondsPerUnit = 1,
): bigint | null {
  const inSeconds = (units: bigint) => (secondsPerUnit === 1 ? units : BigInt(Math.round(Number(units) * secondsPerUnit)));
  if (state === "Pending") return inSeconds(p.voteStart - now + 1n);
  if (state === "Active") return inSeconds(p.voteEnd - now + 1n);
  if (state === "Queued" && p.eta !== null && p.eta > time) return p.eta - time;
  return null;
}

/**
 * The state to show and act on: the Governor's own `state()` when it has been read (the indexer lags
 * behind the chain: right after a queue it still says Succeeded), else the state computed from the
 * indexer. A `Pending` read once the latest block is past the snapshot is an answer from before that
 * block (a lagging node), which the Governor can no longer give; the computed state is used then.
 */
export function effectiveState(chain: ProposalStateName | undefined, computed: ProposalStateName, p: { voteStart: bigint; blockTime: bigint | null }): ProposalStateName {
  if (chain === undefined) return computed;
  if (chain === "Pending" && p.blockTime !== null && p.voteStart < p.blockTime) return computed;
  return chain;
}
