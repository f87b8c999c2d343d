import { daoRole, type Finding, type ProposalCheck, type Severity } from "./types.ts";

const HOUR = 3600n;
const DAY = 24n * HOUR;

/** Limits outside which a parameter change disables governance rather than tunes it. */
export const SABOTAGE_LIMITS = {
  /** A vote shorter than this cannot be followed by holders; longer than the max freezes the DAO. */
  votingPeriod: { min: HOUR, max: 90n * DAY },
  /** A voting delay longer than this freezes the DAO. */
  votingDelay: { max: 30n * DAY },
  /** A late-quorum extension longer than this lets one late vote stall a proposal for a month. */
  lateQuorumVoteExtension: { max: 30n * DAY },
} as const;

/**
 * Governor parameter changes (only effective when the timelock calls the Governor). Every change is
 * at least medium; values that disable governance are critical: quorum 0 or >= 100%, voting period
 * under an hour or over 90 days, voting delay or late-quorum extension over 30 days, a proposal
 * threshold above the total supply, a new timelock.
 */
export const governorParameters: ProposalCheck = {
  id: "governor-parameters",
  name: "Governor parameter changes",
  check(ctx) {
    const findings: Finding[] = [];
    const current = ctx.governance.governor;
    for (const call of ctx.calls) {
      if (daoRole(ctx, call.target) !== "governor" || !call.decoded || call.args === undefined) continue;
      const value = call.args[0];
      const push = (severity: Severity, parameter: string, title: string, detail: string, now: unknown) =>
        findings.push({
          id: `governor-parameters/${parameter}`,
          check: this.id,
          severity,
          title: `Call ${call.index}: ${title}`,
          detail,
          evidence: { callIndex: call.index, address: call.target, parameter, newValue: String(value), currentValue: String(now) },
        });
      switch (call.functionName) {
        case "updateQuorumNumerator": {
          const n = value as bigint;
          const bad = n === 0n || n >= current.quorumDenominator;
          push(bad ? "critical" : "medium", "quorum", `sets quorum to ${n}/${current.quorumDenominator} of the supply`, bad ? (n === 0n ? "With no quorum a single vote passes any proposal." : "A quorum of the whole supply means nothing can ever pass.") : "Changes how many votes a proposal needs.", current.quorumNumerator);
          break;
        }
        case "setVotingPeriod": {
          const p = value as bigint;
          const bad = p < SABOTAGE_LIMITS.votingPeriod.min || p > SABOTAGE_LIMITS.votingPeriod.max;
          push(bad ? "critical" : "medium", "voting-period", `sets the voting period to ${p} s`, bad ? "A vote this short (or this long) takes decisions away from holders." : "Changes how long votes stay open.", current.votingPeriod);
          break;
        }
        case "setVotingDelay": {
          const d = value as bigint;
          const bad = d > SABOTAGE_LIMITS.votingDelay.max;
          push(bad ? "critical" : "medium", "voting-delay", `sets the voting delay to ${d} s`, bad ? "A delay this long freezes governance." : "Changes how long holders have to delegate before a vote's snapshot.", current.votingDelay);
          break;
        }
        case "setProposalThreshold": {
          const t = value as bigint;
          const bad = t > current.tokenTotalSupply;
          push(bad ? "critical" : "medium", "proposal-threshold", `sets the proposal threshold to ${t}`, bad ? "Above the total supply: nobody but analysts can propose any more." : "Changes who may propose.", current.proposalThreshold);
          break;
        }
        case "setLateQuorumVoteExtension": {
          const e = value as bigint;
          const bad = e > SABOTAGE_LIMITS.lateQuorumVoteExtension.max;
          push(bad ? "critical" : "medium", "late-quorum-extension", `sets the late-quorum extension to ${e} s`, bad ? "One late vote could hold a proposal open for over a month." : "Changes how long a vote is extended when quorum is reached late.", current.lateQuorumVoteExtension);
          break;
        }
        case "updateTimelock":
          push("critical", "timelock", `moves the Governor to the timelock ${String(value)}`, "The timelock holds the treasury and executes every decision; a new one takes the DAO's powers with it.", current.timelock);
          break;
      }
    }
    return findings;
  },
};
