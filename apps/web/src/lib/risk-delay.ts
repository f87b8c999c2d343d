// The wait between queueing and execution that a proposal's risk earns on chain (GovernorRiskDelay),
// in words a member reads: how long, and why. Pure; the page reads the figures from the Governor.

/** A risk level as the Governor's `riskTiers()` gives it: an analysis at `minRisk` or more waits at least `delay` seconds. */
export interface RiskTier {
  minRisk: number;
  delay: number;
}

/** Why a proposal gets its wait: the latest analysis' risk when queued (or none) and the level it reached. */
export interface DelayBasis {
  /** Seconds between queueing and the earliest execution. */
  delay: number;
  /** 0 below the first level, else the 1-based level reached (the last one when there is no analysis). */
  tier: number;
  risk: number;
  analysed: boolean;
}

const units = [
  { seconds: 86_400, one: "day" },
  { seconds: 3_600, one: "hour" },
  { seconds: 60, one: "minute" },
  { seconds: 1, one: "second" },
] as const;

/**
 * A duration in words, its two largest units: "10 minutes", "7 days", "2 days and 4 hours",
 * "9 minutes and 12 seconds", "1 hour". Zero or less is "no time".
 */
export function durationInWords(seconds: bigint | number, parts = 2): string {
  let left = Math.floor(Number(seconds));
  if (!(left > 0)) return "no time";
  const words: string[] = [];
  for (const unit of units) {
    if (words.length === parts) break;
    const n = Math.floor(left / unit.seconds);
    left -= n * unit.seconds;
    if (n > 0) words.push(`${n} ${unit.one}${n === 1 ? "" : "s"}`);
    // Two units that are next to each other, never "2 days and 5 seconds".
    else if (words.length > 0) break;
  }
  return words.join(" and ");
}

/** What `riskDelayFor(analysed, risk)` answers, worked out from the levels and the timelock's minimum. */
export function delayFor(tiers: readonly RiskTier[], minDelay: number, analysed: boolean, risk: number): DelayBasis {
  // The highest level the risk reaches (1-based), 0 below the first; without an analysis, the last.
  const reached = tiers.findLastIndex((t) => risk >= t.minRisk) + 1;
  const tier = analysed ? reached : tiers.length;
  const tierDelay = tier === 0 ? 0 : tiers[tier - 1]!.delay;
  return { delay: Math.max(tierDelay, minDelay), tier, risk: analysed ? risk : 0, analysed };
}

/**
 * Why the wait is what it is, as the end of a sentence starting "because": `when` is "now" before
 * queueing (what queueing now would give), "queued" after.
 */
export function delayReason(basis: DelayBasis, tiers: readonly RiskTier[], when: "now" | "queued"): string {
  const longest = tiers.length > 0 && basis.tier === tiers.length;
  if (!basis.analysed) {
    return when === "now"
      ? "no analysis of it has been published, and a proposal without one gets the longest wait"
      : "no analysis of it had been published when it was queued, and a proposal without one gets the longest wait";
  }
  const scored = when === "now" ? `the latest analysis rates its risk ${basis.risk} out of 100` : `when it was queued, the latest analysis rated its risk ${basis.risk} out of 100`;
  if (basis.tier === 0) {
    const first = tiers[0];
    return `${scored}${first ? `, below ${first.minRisk}` : ""}, so it gets the shortest wait`;
  }
  const level = tiers[basis.tier - 1]!;
  return `${scored}, and a risk of ${level.minRisk} or more gets ${longest ? "the longest wait" : `a wait of ${durationInWords(level.delay)}`}`;
}

/** Before queueing: "If it is queued now, it will wait 10 minutes before it can be executed, because …". */
export function forecastSentence(basis: DelayBasis, tiers: readonly RiskTier[]): string {
  return `If it is queued now, it will wait ${durationInWords(basis.delay)} before it can be executed, because ${delayReason(basis, tiers, "now")}.`;
}

/** After queueing: "It waits 10 minutes between queueing and execution because, when it was queued, …". */
export function queuedSentence(basis: DelayBasis, tiers: readonly RiskTier[]): string {
  const reason = delayReason(basis, tiers, "queued");
  return `It waits ${durationInWords(basis.delay)} between queueing and execution because${reason.startsWith("when") ? ", " : " "}${reason}.`;
}

/** Every level in words for the "How the wait is chosen" list: "Risk below 40: 1 minute", …, "No analysis: 10 minutes". */
export function tierLines(tiers: readonly RiskTier[], minDelay: number): { label: string; wait: string }[] {
  const lines: { label: string; wait: string }[] = [];
  const first = tiers[0];
  lines.push({ label: first ? `Risk below ${first.minRisk}` : "Any risk", wait: durationInWords(minDelay) });
  tiers.forEach((t, i) => {
    const next = tiers[i + 1];
    const label = next ? `Risk ${t.minRisk} to ${next.minRisk - 1}` : `Risk ${t.minRisk} or more`;
    lines.push({ label, wait: durationInWords(Math.max(t.delay, minDelay)) });
  });
  lines.push({ label: "No analysis", wait: durationInWords(delayFor(tiers, minDelay, false, 0).delay) });
  return lines;
}

/** Who may cancel a proposal, as the Governor decides (GovernorProposalGuardian over Governor). */
export function cancelRole(input: { account: string | null; guardian: string | null; proposer: string; state: string }): "guardian" | "proposer" | null {
  const { account, guardian, proposer, state } = input;
  if (account === null) return null;
  // The Governor also lets a Defeated proposal be canceled, which changes nothing worth a button.
  if (!["Pending", "Active", "Succeeded", "Queued"].includes(state)) return null;
  const same = (a: string | null, b: string | null) => a !== null && b !== null && a.toLowerCase() === b.toLowerCase();
  const noGuardian = guardian === null || /^0x0{40}$/i.test(guardian);
  if (!noGuardian && same(account, guardian)) return "guardian";
  if (same(account, proposer) && (noGuardian || state === "Pending")) return "proposer";
  return null;
}
