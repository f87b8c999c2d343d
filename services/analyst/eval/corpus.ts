// The evaluation corpus: attack patterns from real governance incidents and routine proposals written
// as DAOs write them, each built on a live local DAO. Shared by `npm run eval`, the benchmark and the
// tests. The scenarios live in `corpus/`: the first ones (`baseline.ts`), the incidents
// (`incidents.ts`), the routine proposals (`routine.ts`), and those that move votes (`votes.ts`), last.
import { baseline } from "./corpus/baseline.ts";
import type { Scenario } from "./corpus/helpers.ts";
import { incidents } from "./corpus/incidents.ts";
import { routine } from "./corpus/routine.ts";
import { votes } from "./corpus/votes.ts";

export { abi, DEMO, DUSD, PROPOSER_ROLE, proposal, TREASURY_DEMO, TREASURY_DUSD, type Family, type Scenario, type ScenarioInput } from "./corpus/helpers.ts";

/** Every scenario, in the order `npm run eval` builds them (those moving votes last, though each undoes its moves). */
export const scenarios: Scenario[] = [...baseline, ...incidents, ...routine, ...votes];

export function scenario(name: string): Scenario {
  const found = scenarios.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no scenario named "${name}"`);
  return found;
}
