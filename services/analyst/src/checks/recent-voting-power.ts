import { formatBps, shareBps, type Finding, type ProposalCheck, type Severity } from "./types.ts";

/** Votes count as "mostly recent" when at least this share of them arrived within the window. */
export const RECENT_SHARE_BPS = 5000;

/**
 * Voting power that appeared shortly before the snapshot (the Beanstalk pattern: votes borrowed or
 * bought just long enough to propose and pass). For the proposer and the largest voters, the votes
 * acquired within the window (default 2 days, scaled by the voting period) when they are at least
 * half of the account's votes: critical when they alone reach the quorum, high when they reach the
 * proposal threshold or 1 % of the supply, medium otherwise.
 */
export const recentVotingPower: ProposalCheck = {
  id: "recent-voting-power",
  name: "Voting power acquired shortly before the snapshot",
  check(ctx) {
    const vp = ctx.votingPower;
    if (vp === undefined) return [];
    const g = ctx.governance.governor;
    const quorumVotes = g.quorumDenominator > 0n ? (g.tokenTotalSupply * g.quorumNumerator) / g.quorumDenominator : 0n;
    const onePercent = g.tokenTotalSupply / 100n;
    const findings: Finding[] = [];
    for (const account of vp.accounts) {
      if (account.acquired === 0n || account.votes === 0n) continue;
      const recentBps = Number((account.acquired * 10_000n) / account.votes);
      if (recentBps < RECENT_SHARE_BPS) continue;
      let severity: Severity = "medium";
      if (quorumVotes > 0n && account.acquired >= quorumVotes) severity = "critical";
      else if ((account.role === "proposer" && g.proposalThreshold > 0n && account.acquired >= g.proposalThreshold) || account.acquired >= onePercent) severity = "high";
      const unit = vp.clockMode === "timestamp" ? "s" : " blocks";
      const supplyBps = shareBps(account.acquired, g.tokenTotalSupply);
      findings.push({
        id: "recent-voting-power/acquired",
        check: this.id,
        severity,
        title: `The ${account.role} ${account.address} got ${formatBps(recentBps)} of its votes within ${vp.window}${unit} before the ${vp.referenceKind === "snapshot" ? "snapshot" : "analysis"}`,
        detail:
          `Votes ${account.votesBefore} → ${account.votes} (${formatBps(supplyBps)} of the supply acquired; quorum is ${quorumVotes}, proposal threshold ${g.proposalThreshold}). ` +
          "Votes borrowed or bought just before a snapshot can pass a proposal their holders will not live with.",
        evidence: {
          address: account.address,
          role: account.role,
          amount: account.acquired.toString(),
          votes: account.votes.toString(),
          votesBefore: account.votesBefore.toString(),
          recentShareBps: recentBps,
          supplyShareBps: supplyBps,
          quorumVotes: quorumVotes.toString(),
          window: vp.window.toString(),
          reference: vp.reference.toString(),
        },
      });
    }
    return findings;
  },
};
