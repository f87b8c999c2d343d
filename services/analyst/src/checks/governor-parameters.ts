import type { DecodedCall } from "@ai-dao/protocol";

import { formatAssetAmount, formatDuration, formatShare, SECONDS_PER_BLOCK, shortAddress } from "../units.ts";
import type { RiskTier } from "../context/governance.ts";
import { daoRole, type AnalysisContext, type Finding, type ProposalCheck, type Severity } from "./types.ts";
import { actionLabel } from "@ai-dao/reports";

const HOUR = 3600n;
const DAY = 24n * HOUR;

/** Limits (in seconds) outside which a parameter change disables governance rather than tunes it. */
export const SABOTAGE_LIMITS = {
  /** Shortening a vote below this leaves holders no time to follow it; longer than the max freezes the DAO. */
  votingPeriod: { min: HOUR, max: 90n * DAY },
  /** A voting delay longer than this freezes the DAO. */
  votingDelay: { max: 30n * DAY },
  /** A late-quorum extension longer than this lets one late vote stall a proposal for a month. */
  lateQuorumVoteExtension: { max: 30n * DAY },
  /** A timelock delay longer than this makes every later decision, undoing this one included, wait over a month. */
  timelockDelay: { max: 30n * DAY },
} as const;

const GOVERNOR_SETTERS = new Set(["updateQuorumNumerator", "setVotingPeriod", "setVotingDelay", "setProposalThreshold", "setLateQuorumVoteExtension", "updateTimelock", "setRiskTiers"]);

/** The delay a proposal queued with an analysis of `risk` (null: none) gets under `tiers` and the timelock minimum. */
export function riskDelay(tiers: readonly RiskTier[], minDelay: bigint, risk: number | null): bigint {
  const reached = risk === null ? tiers.at(-1) : tiers.filter((t) => risk >= t.minRisk).at(-1);
  const delay = reached?.delay ?? 0n;
  return delay > minDelay ? delay : minDelay;
}

/** Risks at which the delay can change: each tier's threshold under either set of tiers, and 0. */
const riskSteps = (a: readonly RiskTier[], b: readonly RiskTier[]) => [...new Set([0, ...a.map((t) => t.minRisk), ...b.map((t) => t.minRisk)])].sort((x, y) => x - y);

function isParameterCall(ctx: Pick<AnalysisContext, "deployment">, call: DecodedCall): boolean {
  if (!call.decoded || call.args === undefined || call.functionName === undefined) return false;
  const role = daoRole(ctx, call.target);
  return (role === "governor" && GOVERNOR_SETTERS.has(call.functionName)) || (role === "timelock" && call.signature === "updateDelay(uint256)");
}

/** -1, 0 or 1 as `next` is below, equal to or above `now`. */
const direction = (next: bigint, now: bigint) => (next < now ? -1 : next > now ? 1 : 0);

/**
 * Governor and timelock parameter changes, judged against the current value and the direction of the
 * change (only effective when the timelock makes the call). The safer direction — a longer voting
 * period, a longer voting delay or late-quorum extension, a higher quorum or proposal threshold, a
 * longer timelock delay — is low (said so in the title); setting the current value again is info;
 * the other direction is medium; removing the timelock delay is high. Values that disable governance
 * are critical whatever the direction: quorum 0 or >= 100 %, a voting period shortened below an hour
 * or longer than 90 days, a voting delay, late-quorum extension or timelock delay over 30 days, a
 * proposal threshold above the total supply, a new timelock. A quorum raised above half of the supply
 * is medium (turnout may never reach it). New risk tiers are judged by the delay they give each risk
 * (and no analysis): shorter delays for risky or unanalysed proposals are medium, and tiers that no
 * longer add any time to them are high, since that removes the on-chain brake the analysis puts on a
 * dangerous proposal; only longer delays are low, the same delays info.
 */
export const governorParameters: ProposalCheck = {
  id: "governor-parameters",
  applies: (ctx) => ctx.calls.some((c) => isParameterCall(ctx, c)),
  check(ctx) {
    const findings: Finding[] = [];
    const current = ctx.governance.governor;
    const blocks = current.clockMode === "blocknumber";
    /** A Governor duration (in the Governor's clock units) as a person reads it. */
    const clockDuration = (v: bigint) => (blocks ? `${v} block${v === 1n ? "" : "s"} (about ${formatDuration(v * SECONDS_PER_BLOCK)})` : formatDuration(v));
    /** A limit in seconds, in the Governor's clock units. */
    const clockLimit = (seconds: bigint) => (blocks ? seconds / SECONDS_PER_BLOCK : seconds);
    const tokens = (v: bigint) => formatAssetAmount(ctx.governance, ctx.deployment.contracts.token, v);
    const quorumText = (n: bigint) => {
      if (current.quorumDenominator === 0n) return `${n} (of an unknown denominator)`;
      if (n >= current.quorumDenominator) return "100 % of the supply or more";
      return `${formatShare(Number((n * 10_000n) / current.quorumDenominator))} of the supply`;
    };

    for (const call of ctx.calls) {
      if (!isParameterCall(ctx, call)) continue;
      // Small uints (uint32 voting periods, uint48 delays) decode as numbers: every quantity as a bigint.
      const raw = call.args![0];
      const value = typeof raw === "number" ? BigInt(raw) : raw;
      const push = (severity: Severity, parameter: string, title: string, detail: string, now: unknown, change?: number) =>
        findings.push({
          id: `governor-parameters/${parameter}`,
          check: this.id,
          severity,
          title: `${actionLabel(call.index, { capital: true })}: ${title}`,
          detail,
          evidence: {
            callIndex: call.index,
            address: call.target,
            parameter,
            newValue: Array.isArray(value) ? value.map((t: { minRisk: number; delay: number | bigint }) => ({ minRisk: Number(t.minRisk), delay: String(t.delay) })) : String(value),
            currentValue: String(now),
            ...(change !== undefined ? { direction: change < 0 ? "lower" : change > 0 ? "higher" : "unchanged" } : {}),
          },
        });
      switch (call.functionName) {
        case "updateQuorumNumerator": {
          const n = value as bigint;
          const c = current.quorumNumerator;
          const d = direction(n, c);
          const from = `from ${quorumText(c)} to ${quorumText(n)}`;
          if (n === 0n) push("critical", "quorum", `Removes the quorum (${from})`, "With no quorum a single vote passes any proposal.", c, d);
          else if (n >= current.quorumDenominator) push("critical", "quorum", `Sets the quorum to ${quorumText(n)}`, "A quorum of the whole supply means nothing can ever pass again, including a proposal to undo this.", c, d);
          else if (d < 0) push("medium", "quorum", `Lowers the quorum ${from}`, "Fewer votes will be enough to pass a proposal, so a smaller group can decide for the DAO.", c, d);
          else if (d === 0) push("info", "quorum", `Sets the quorum to ${quorumText(n)}, its current value`, "Nothing changes.", c, d);
          else if (n * 2n > current.quorumDenominator) push("medium", "quorum", `Raises the quorum ${from}`, "More than half of the supply would have to vote for a proposal to pass; if turnout stays below that, governance stalls.", c, d);
          else push("low", "quorum", `Raises the quorum ${from} (safer: more votes are needed to pass a proposal)`, "More votes will be needed to pass a proposal.", c, d);
          break;
        }
        case "setVotingPeriod": {
          const p = value as bigint;
          const c = current.votingPeriod;
          const d = direction(p, c);
          const from = `from ${clockDuration(c)} to ${clockDuration(p)}`;
          if (p === 0n) push("critical", "voting-period", `Sets the voting period to 0`, "No vote could ever be held.", c, d);
          else if (p > clockLimit(SABOTAGE_LIMITS.votingPeriod.max)) push("critical", "voting-period", `Lengthens the voting period ${from}`, `A vote longer than ${formatDuration(SABOTAGE_LIMITS.votingPeriod.max)} freezes the DAO: every decision, undoing this one included, would take that long.`, c, d);
          else if (d < 0 && p < clockLimit(SABOTAGE_LIMITS.votingPeriod.min)) push("critical", "voting-period", `Shortens the voting period ${from}`, `A vote shorter than ${formatDuration(SABOTAGE_LIMITS.votingPeriod.min)} takes decisions away from holders: most could not even see a proposal before its vote ends.`, c, d);
          else if (d < 0) push("medium", "voting-period", `Shortens the voting period ${from}`, "Holders will have less time to read proposals and vote.", c, d);
          else if (d === 0) push("info", "voting-period", `Sets the voting period to ${clockDuration(p)}, its current value`, "Nothing changes.", c, d);
          else push("low", "voting-period", `Lengthens the voting period ${from} (safer: holders get more time)`, "Holders will have more time to read proposals and vote; decisions take longer.", c, d);
          break;
        }
        case "setVotingDelay": {
          const v = value as bigint;
          const c = current.votingDelay;
          const d = direction(v, c);
          const from = `from ${clockDuration(c)} to ${clockDuration(v)}`;
          if (v > clockLimit(SABOTAGE_LIMITS.votingDelay.max)) push("critical", "voting-delay", `Lengthens the voting delay ${from}`, `A delay over ${formatDuration(SABOTAGE_LIMITS.votingDelay.max)} freezes governance.`, c, d);
          else if (d < 0)
            push(
              "medium",
              "voting-delay",
              `Shortens the voting delay ${from}`,
              `Holders will have less time to review a proposal and delegate before its snapshot fixes the votes${v === 0n ? "; with no delay, votes are counted as they stand when the proposal is made" : ""}.`,
              c,
              d,
            );
          else if (d === 0) push("info", "voting-delay", `Sets the voting delay to ${clockDuration(v)}, its current value`, "Nothing changes.", c, d);
          else push("low", "voting-delay", `Lengthens the voting delay ${from} (safer: more time to review and delegate before the snapshot)`, "Holders will have more time between a proposal and its snapshot; decisions take longer.", c, d);
          break;
        }
        case "setProposalThreshold": {
          const t = value as bigint;
          const c = current.proposalThreshold;
          const d = direction(t, c);
          const from = `from ${tokens(c)} to ${tokens(t)}`;
          if (t > current.tokenTotalSupply) push("critical", "proposal-threshold", `Raises the proposal threshold ${from}, above the total supply`, `No holder can ever reach it (the supply is ${tokens(current.tokenTotalSupply)}): nobody but registered analysts could propose again.`, c, d);
          else if (d < 0) push("medium", "proposal-threshold", `Lowers the proposal threshold ${from}`, t === 0n ? "Anyone, with no tokens at all, will be able to put proposals to a vote." : "Holders with fewer votes will be able to put proposals to a vote.", c, d);
          else if (d === 0) push("info", "proposal-threshold", `Sets the proposal threshold to ${tokens(t)}, its current value`, "Nothing changes.", c, d);
          else push("low", "proposal-threshold", `Raises the proposal threshold ${from} (safer: fewer accounts can put proposals to a vote)`, `Only holders with at least ${tokens(t)} of votes will be able to propose (the supply is ${tokens(current.tokenTotalSupply)}).`, c, d);
          break;
        }
        case "setLateQuorumVoteExtension": {
          const e = value as bigint;
          const c = current.lateQuorumVoteExtension;
          const d = direction(e, c);
          const from = `from ${clockDuration(c)} to ${clockDuration(e)}`;
          if (e > clockLimit(SABOTAGE_LIMITS.lateQuorumVoteExtension.max)) push("critical", "late-quorum-extension", `Lengthens the late-quorum extension ${from}`, "One late vote could hold a proposal open for over a month.", c, d);
          else if (d < 0) push("medium", "late-quorum-extension", `Shortens the late-quorum extension ${from}`, "Holders will have less time to answer when a vote reaches quorum at the last moment.", c, d);
          else if (d === 0) push("info", "late-quorum-extension", `Sets the late-quorum extension to ${clockDuration(e)}, its current value`, "Nothing changes.", c, d);
          else push("low", "late-quorum-extension", `Lengthens the late-quorum extension ${from} (safer: more time to answer a last-minute swing)`, "A vote that reaches quorum late stays open longer.", c, d);
          break;
        }
        case "updateTimelock": {
          const next = String(value);
          push("critical", "timelock", `Moves the Governor to another timelock, ${shortAddress(next)}`, `The timelock holds the treasury and executes every decision; a new one (${next}) takes the DAO's powers with it.`, current.timelock);
          break;
        }
        case "setRiskTiers": {
          const next = (value as unknown as readonly { minRisk: number; delay: number | bigint }[]).map((t) => ({ minRisk: Number(t.minRisk), delay: BigInt(t.delay) }));
          const now = current.riskTiers;
          const shown = (tiers: readonly RiskTier[]) => tiers.map((t) => `risk ${t.minRisk}+ → ${formatDuration(t.delay)}`).join(", ");
          if (now === null) {
            push("medium", "risk-tiers", `Sets the delays for risky proposals to ${shown(next)}`, "The current tiers could not be read, so whether this shortens the time holders get to react to a risky proposal is unknown.", "unknown");
            break;
          }
          const min = current.timelockMinDelay;
          const risks: (number | null)[] = [...riskSteps(now, next), null];
          const changes = risks.map((r) => ({ risk: r, before: riskDelay(now, min, r), after: riskDelay(next, min, r) }));
          const shorter = changes.filter((c) => c.after < c.before);
          const label = (r: number | null) => (r === null ? "proposals with no analysis" : `proposals the analysis scores ${r} or more`);
          const worst = changes.find((c) => c.risk === null)!;
          const from = `from ${shown(now)} to ${shown(next)}`;
          if (shorter.length > 0 && worst.after <= min && worst.before > min)
            push("high", "risk-tiers", `Removes the extra delay for risky and unanalysed proposals (${from})`, `A proposal the analysis finds dangerous, or that was never analysed, would wait only the timelock's ${formatDuration(min)}: holders and the guardian lose the time to react before it executes.`, shown(now), -1);
          else if (shorter.length > 0)
            push(
              "medium",
              "risk-tiers",
              `Shortens the delay for risky proposals (${from})`,
              `Less time to react before execution: ${shorter.map((c) => `${label(c.risk)} from ${formatDuration(c.before)} to ${formatDuration(c.after)}`).join("; ")}.`,
              shown(now),
              -1,
            );
          else if (changes.some((c) => c.after > c.before)) push("low", "risk-tiers", `Lengthens the delay for risky proposals (${from}) (safer: more time to react)`, "Risky proposals will wait longer before they can execute.", shown(now), 1);
          else push("info", "risk-tiers", `Sets the delays for risky proposals to ${shown(next)}, the same delays as now`, "Nothing changes.", shown(now), 0);
          break;
        }
        case "updateDelay": {
          const x = value as bigint;
          const c = current.timelockMinDelay;
          const d = direction(x, c);
          const from = `from ${formatDuration(c)} to ${formatDuration(x)}`;
          if (x > SABOTAGE_LIMITS.timelockDelay.max) push("critical", "timelock-delay", `Lengthens the timelock delay ${from}`, `Every later decision, undoing this one included, would wait over ${formatDuration(SABOTAGE_LIMITS.timelockDelay.max)} before it could execute.`, c, d);
          else if (x === 0n && c > 0n) push("high", "timelock-delay", `Removes the timelock delay (${from})`, "Passed proposals would execute at once: holders would have no time to react or exit between a vote and its execution.", c, d);
          else if (d < 0) push("medium", "timelock-delay", `Shortens the timelock delay ${from}`, "Holders will have less time to react or exit between a vote and its execution.", c, d);
          else if (d === 0) push("info", "timelock-delay", `Sets the timelock delay to ${formatDuration(x)}, its current value`, "Nothing changes.", c, d);
          else push("low", "timelock-delay", `Lengthens the timelock delay ${from} (safer: more time to react before execution)`, "Passed proposals will wait longer before they can execute.", c, d);
          break;
        }
      }
    }
    return findings;
  },
};
