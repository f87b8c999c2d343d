import { tracedOrigin, type AccountVotingPower, type VotingPowerContext } from "../context/voting-power.ts";
import { formatAssetAmount, formatDuration, formatShare, shortAddress } from "../units.ts";
import { shareBps, type AnalysisContext, type Finding, type ProposalCheck, type Severity } from "./types.ts";

/** Votes count as "mostly recent" when at least this share of them arrived within the window. */
export const RECENT_SHARE_BPS = 5000;

/** The window as a person reads it: a duration, or a number of blocks for a block-number clock. */
function windowText(vp: VotingPowerContext): string {
  return vp.clockMode === "timestamp" ? formatDuration(vp.window) : `${vp.window} block${vp.window === 1n ? "" : "s"}`;
}

/**
 * Voting power that appeared shortly before the snapshot (the Beanstalk pattern: votes borrowed or
 * bought just long enough to propose and pass). For the proposer and the largest voters:
 *
 * - `acquired`: votes backed by tokens that moved into the account (or into the accounts delegating
 *   to it) within the window (default 2 days, scaled by the voting period), when they are at least
 *   half of its votes: critical when they alone reach the quorum, high when they reach the proposal
 *   threshold (proposer) or 1 % of the supply, medium otherwise. Tokens already held at the window's
 *   start (or at the DAO's genesis, when the DAO is younger than the window) and only delegated are
 *   not acquired. When where the votes came from could not be traced, every new vote counts.
 * - `delegated`: at most medium, when most of the votes are tokens other holders already had and
 *   delegated to the account within the window, and they alone reach the quorum: nothing was bought
 *   or borrowed, but delegation gathered just before a vote is also how bribed delegation looks.
 *   Delegating one's own tokens to oneself is not counted.
 */
export const recentVotingPower: ProposalCheck = {
  id: "recent-voting-power",
  needs: ["votingPower"],
  check(ctx) {
    const vp = ctx.votingPower;
    if (vp === undefined) return [];
    const g = ctx.governance.governor;
    const quorumVotes = g.quorumDenominator > 0n ? (g.tokenTotalSupply * g.quorumNumerator) / g.quorumDenominator : 0n;
    const onePercent = g.tokenTotalSupply / 100n;
    const findings: Finding[] = [];
    for (const account of vp.accounts) {
      if (account.votes === 0n) continue;
      const acquiredBps = Number((account.acquired * 10_000n) / account.votes);
      if (account.acquired > 0n && acquiredBps >= RECENT_SHARE_BPS) {
        let severity: Severity = "medium";
        if (quorumVotes > 0n && account.acquired >= quorumVotes) severity = "critical";
        else if ((account.role === "proposer" && g.proposalThreshold > 0n && account.acquired >= g.proposalThreshold) || account.acquired >= onePercent) severity = "high";
        findings.push(acquiredFinding(ctx, vp, account, severity, acquiredBps, quorumVotes));
      }
      const origin = tracedOrigin(account);
      if (origin !== null && origin.delegatedByOthers > 0n && quorumVotes > 0n && origin.delegatedByOthers >= quorumVotes) {
        const delegatedBps = Number((origin.delegatedByOthers * 10_000n) / account.votes);
        if (delegatedBps >= RECENT_SHARE_BPS) findings.push(delegatedFinding(ctx, vp, account, delegatedBps, quorumVotes));
      }
    }
    return findings;
  },
};

function common(ctx: AnalysisContext, vp: VotingPowerContext, account: AccountVotingPower, quorumVotes: bigint) {
  const token = ctx.deployment.contracts.token;
  const votes = (amount: bigint) => formatAssetAmount(ctx.governance, token, amount);
  const g = ctx.governance.governor;
  const when = vp.referenceKind === "snapshot" ? "the proposal's snapshot" : "the analysis";
  const window = windowText(vp);
  const origin = tracedOrigin(account);
  const genesis = origin?.since === "genesis" ? ` The DAO is younger than the ${window} window, so what holders had at its genesis (the token's initial allocation) counts as held.` : "";
  const thresholds = `Quorum is ${votes(quorumVotes)} and the proposal threshold ${votes(g.proposalThreshold)}.`;
  const evidence: Finding["evidence"] = {
    address: account.address,
    role: account.role,
    votes: account.votes.toString(),
    votesBefore: account.votesBefore.toString(),
    quorumVotes: quorumVotes.toString(),
    window: vp.window.toString(),
    clockMode: vp.clockMode,
    reference: vp.reference.toString(),
    referenceKind: vp.referenceKind,
  };
  if (origin !== null) {
    Object.assign(evidence, {
      since: origin.since,
      heldThroughBlock: origin.heldThroughBlock.toString(),
      referenceBlock: origin.referenceBlock.toString(),
      arrived: origin.arrived.toString(),
      unexplained: origin.unexplained.toString(),
      delegatedByOthers: origin.delegatedByOthers.toString(),
      delegators: origin.delegators,
      newDelegators: origin.newDelegators,
      sources: origin.sources.map((s) => ({ from: s.from, to: s.to, amount: s.amount.toString() })),
    });
  } else if (account.origin !== undefined && "unknown" in account.origin) {
    evidence.originUnknown = account.origin.unknown;
  }
  return { votes, when, window, origin, genesis, thresholds, evidence };
}

function acquiredFinding(ctx: AnalysisContext, vp: VotingPowerContext, account: AccountVotingPower, severity: Severity, acquiredBps: number, quorumVotes: bigint): Finding {
  const { votes, when, window, origin, genesis, thresholds, evidence } = common(ctx, vp, account, quorumVotes);
  const supplyBps = shareBps(account.acquired, ctx.governance.governor.tokenTotalSupply);
  let how: string;
  if (origin !== null) {
    const largest = origin.sources.map((s) => `${votes(s.amount)} from ${s.from} to ${s.to}`).join("; ");
    how =
      `${votes(origin.arrived)} moved into it or into the accounts delegating to it in that time${largest ? ` (largest: ${largest})` : ""}` +
      (origin.unexplained > 0n ? `, and ${votes(origin.unexplained)} of its votes come from delegations older than the DAO's deployment block, which are counted as acquired` : "") +
      ".";
  } else if (account.origin !== undefined && "unknown" in account.origin) {
    how = `Where the new votes came from could not be traced (${account.origin.unknown}), so all of them count as acquired.`;
  } else {
    how = "All of the new votes count as acquired.";
  }
  return {
    id: "recent-voting-power/acquired",
    check: "recent-voting-power",
    severity,
    title: `The ${account.role} ${shortAddress(account.address)} got ${formatShare(acquiredBps)} of its votes (${votes(account.acquired)} of ${votes(account.votes)}) from tokens received in the ${window} before ${when}`,
    detail:
      `The ${account.role} ${account.address} had ${votes(account.votesBefore)} of voting power ${window} before ${when} and ${votes(account.votes)} at it. ${how}${genesis} ` +
      `The acquired votes are ${formatShare(supplyBps)} of the supply. ${thresholds} ` +
      "Votes bought or borrowed just before a snapshot can pass a proposal their holders will not have to live with (the Beanstalk attack).",
    evidence: { ...evidence, amount: account.acquired.toString(), recentShareBps: acquiredBps, supplyShareBps: supplyBps },
  };
}

function delegatedFinding(ctx: AnalysisContext, vp: VotingPowerContext, account: AccountVotingPower, delegatedBps: number, quorumVotes: bigint): Finding {
  const { votes, when, window, origin, genesis, thresholds, evidence } = common(ctx, vp, account, quorumVotes);
  const delegated = origin!.delegatedByOthers;
  const holders = `${origin!.newDelegators} other holder${origin!.newDelegators === 1 ? "" : "s"}`;
  return {
    id: "recent-voting-power/delegated",
    check: "recent-voting-power",
    severity: "medium",
    title: `${formatShare(delegatedBps)} of the ${account.role} ${shortAddress(account.address)}'s votes (${votes(delegated)}) were delegated to it by ${holders} in the ${window} before ${when}`,
    detail:
      `${holders[0]!.toUpperCase()}${holders.slice(1)} delegated ${votes(delegated)} to ${account.address} in the ${window} before ${when}, enough to reach the quorum on their own. ` +
      `They already held these tokens, so nothing was bought or borrowed, but delegation gathered just before a vote is also how bribed or rented votes look: check who delegated and why.${genesis} ${thresholds}`,
    evidence: { ...evidence, amount: delegated.toString(), delegatedShareBps: delegatedBps },
  };
}
