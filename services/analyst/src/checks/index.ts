import { accessControl } from "./access-control.ts";
import { descriptionAmounts } from "./description-amounts.ts";
import { descriptionCharacters } from "./description-characters.ts";
import { descriptionHidden } from "./description-hidden.ts";
import { descriptionInjection } from "./description-injection.ts";
import { eoaCalls } from "./eoa-calls.ts";
import { governorParameters } from "./governor-parameters.ts";
import { proxyUpgrades } from "./proxy-upgrades.ts";
import { recentVotingPower } from "./recent-voting-power.ts";
import { simulatedEffects } from "./simulated-effects.ts";
import { simulatedOutflow } from "./simulated-outflow.ts";
import { simulationRevert } from "./simulation-revert.ts";
import { upgradeImplementation } from "./upgrade-implementation.ts";
import { targetCode } from "./target-code.ts";
import { treasuryApprovals } from "./treasury-approvals.ts";
import { treasuryOutflow } from "./treasury-outflow.ts";
import type { AnalysisContext, Finding, ProposalCheck } from "./types.ts";
import { undecodableCalls } from "./undecodable-calls.ts";

export type { AnalysisContext, Finding, ProposalCheck, Severity } from "./types.ts";

/** Every deterministic check, in the order they run. Adding a check: a file and a line here. */
export const checks: readonly ProposalCheck[] = [
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
  upgradeImplementation,
  recentVotingPower,
  simulationRevert,
  simulatedEffects,
  simulatedOutflow,
];

/** Runs every check; a check that throws becomes a high finding instead of losing the others. */
export function runChecks(ctx: AnalysisContext, list: readonly ProposalCheck[] = checks): Finding[] {
  return list.flatMap((c) => {
    try {
      return c.check(ctx);
    } catch (error) {
      return [
        {
          id: "analyzer/check-failed",
          check: c.id,
          severity: "high" as const,
          title: `Check ${c.id} failed`,
          detail: (error as Error).message,
          evidence: {},
        },
      ];
    }
  });
}
