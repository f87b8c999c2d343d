import { simulationSchema, toJson, type SimulationReport } from "@ai-dao/reports";

import type { SimulationOutcome } from "./index.ts";

/** The report's `simulation` section is defined in @ai-dao/reports. */
export { simulationSchema, type SimulationReport };

/** The report form of a simulation outcome. The fork URL is left out: it may carry credentials. */
export function simulationToJson(outcome: SimulationOutcome): SimulationReport {
  if (outcome.status !== "simulated") return { status: outcome.status, reason: outcome.reason };
  const { result } = outcome;
  return simulationSchema.parse(
    toJson({
      status: result.status,
      forkBlock: result.forkBlock,
      traceSource: result.traceSource,
      calls: result.calls,
      ...(result.revert ? { revert: result.revert } : {}),
      logs: result.logs,
      trace: result.trace,
      effects: result.effects,
    }),
  );
}
