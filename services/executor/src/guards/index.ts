// The executor's guards, in the order they run: the first objection wins. Adding a guard is one
// file in this folder and one line here.
import { createAnalysisHold } from "./analysis-hold.ts";
import { codePins } from "./code-pins.ts";
import { withOnChainVerdict } from "./on-chain.ts";
import { simulation } from "./simulation.ts";
import type { Guard, GuardContext, GuardOutcome } from "./types.ts";

export { readAnalysis } from "./analysis-hold.ts";
export type { OnChainVerdict } from "./on-chain.ts";
export type { Guard, GuardContext, GuardOutcome } from "./types.ts";

/** A fresh list of guards for one executor (the analysis hold keeps a cache of reports it read). */
export function createGuards(): Guard[] {
  return [codePins, createAnalysisHold(), simulation];
}

/**
 * Runs `guards` in order; the first that does not answer `null` decides. A refusal also carries the
 * Governor's own answer to the same step (`evidence.onChain`).
 */
export async function runGuards(guards: readonly Guard[], ctx: GuardContext): Promise<GuardOutcome | null | "skip"> {
  for (const guard of guards) {
    const outcome = await guard.check(ctx);
    if (outcome === null) continue;
    return outcome === "skip" ? outcome : withOnChainVerdict(ctx, outcome);
  }
  return null;
}
