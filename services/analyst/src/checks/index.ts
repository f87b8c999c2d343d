import { accessControl } from "./access-control.ts";
import { counterpartyControl } from "./counterparty-control.ts";
import { descriptionAmounts } from "./description-amounts.ts";
import { descriptionClaims } from "./description-claims.ts";
import { descriptionCharacters } from "./description-characters.ts";
import { descriptionHidden } from "./description-hidden.ts";
import { descriptionInjection } from "./description-injection.ts";
import { descriptionMissing } from "./description-missing.ts";
import { eoaCalls } from "./eoa-calls.ts";
import { governorParameters } from "./governor-parameters.ts";
import { initializerCall } from "./initializer-call.ts";
import { proxyUpgrades } from "./proxy-upgrades.ts";
import { recentVotingPower } from "./recent-voting-power.ts";
import { simulatedEffects } from "./simulated-effects.ts";
import { simulatedOutflow } from "./simulated-outflow.ts";
import { simulationRevert } from "./simulation-revert.ts";
import { upgradeImplementation } from "./upgrade-implementation.ts";
import { targetCode } from "./target-code.ts";
import { treasuryApprovals } from "./treasury-approvals.ts";
import { treasuryOutflow } from "./treasury-outflow.ts";
import { contextGap, type AnalysisContext, type Finding, type ProposalCheck } from "./types.ts";
import { undecodableCalls } from "./undecodable-calls.ts";
import { checkName, type CoverageEntry } from "@ai-dao/reports";

import { errorLine } from "../errors.ts";

export type { AnalysisContext, ContextPart, Finding, ProposalCheck, Severity } from "./types.ts";
export type { CoverageEntry };

/** Every deterministic check, in the order they run. Adding a check: a file, a line here and its name in `@ai-dao/reports`' catalogue (`checks.ts`). */
export const checks: readonly ProposalCheck[] = [
  descriptionClaims,
  undecodableCalls,
  treasuryOutflow,
  treasuryApprovals,
  accessControl,
  governorParameters,
  proxyUpgrades,
  targetCode,
  eoaCalls,
  descriptionCharacters,
  descriptionHidden,
  descriptionInjection,
  descriptionAmounts,
  descriptionMissing,
  upgradeImplementation,
  initializerCall,
  recentVotingPower,
  counterpartyControl,
  simulationRevert,
  simulatedEffects,
  simulatedOutflow,
];

/** What running the checks gave: their findings, whether each ran, and whether any that applies could not. */
export interface CheckRun {
  findings: Finding[];
  /** One entry per check, in the order they run. */
  coverage: CoverageEntry[];
  /** True when a check that applies could not run for an error (a failed simulation, an unreadable part of the context, a check that threw). */
  inconclusive: boolean;
  /** The coverage entries that make the run inconclusive (skipped for an error, not by choice). */
  failed: CoverageEntry[];
}

/**
 * Runs every check and records its coverage (the check's id, no name: readers take it from the
 * catalogue): `not-applicable` when the proposal has nothing for it,
 * `skipped` when context it needs is missing (inconclusive when that context was asked for and could
 * not be read), `ran` otherwise. A check that throws becomes a high finding instead of losing the
 * others, and counts as skipped (inconclusive).
 */
export function runChecksWithCoverage(ctx: AnalysisContext, list: readonly ProposalCheck[] = checks): CheckRun {
  const findings: Finding[] = [];
  const coverage: CoverageEntry[] = [];
  const failed: CoverageEntry[] = [];
  for (const c of list) {
    const entry = { check: c.id };
    try {
      if (c.applies !== undefined && !c.applies(ctx)) {
        coverage.push({ ...entry, status: "not-applicable" });
        continue;
      }
      const gap = (c.needs ?? []).map((part) => contextGap(ctx, part)).find((g) => g !== null);
      if (gap) {
        const skipped = { ...entry, status: "skipped" as const, reason: gap.reason };
        coverage.push(skipped);
        if (gap.failed) failed.push(skipped);
        continue;
      }
      findings.push(...c.check(ctx));
      coverage.push({ ...entry, status: "ran" });
    } catch (error) {
      const reason = errorLine(error);
      findings.push({ id: "analyzer/check-failed", check: c.id, severity: "high", title: `The check "${checkName(c.id)}" failed`, detail: `It stopped with an error (${reason}), so what it looks at was not checked.`, evidence: { error: reason } });
      const skipped = { ...entry, status: "skipped" as const, reason: `the check failed: ${reason}` };
      coverage.push(skipped);
      failed.push(skipped);
    }
  }
  return { findings, coverage, inconclusive: failed.length > 0, failed };
}

/** Runs every check; a check that throws becomes a high finding instead of losing the others. */
export function runChecks(ctx: AnalysisContext, list: readonly ProposalCheck[] = checks): Finding[] {
  return runChecksWithCoverage(ctx, list).findings;
}
