import { z } from "zod";

import { toJson } from "../json.ts";
import type { SimulationOutcome } from "./index.ts";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be an address");
const hex = z.string().regex(/^0x[0-9a-fA-F]*$/, "must be hex");
const decimal = z.string().regex(/^\d+$/, "must be a decimal string");
const signedDecimal = z.string().regex(/^-?\d+$/, "must be a decimal string");
const json: z.ZodType<unknown> = z.unknown();

/**
 * The report's `simulation` section: what executing the proposal as the timelock on a fork did, or
 * why it was not simulated. Big numbers are decimal strings (signed for balance deltas).
 */
export const simulationSchema = z.discriminatedUnion("status", [
  z.strictObject({ status: z.literal("skipped"), reason: z.string() }),
  z.strictObject({ status: z.literal("failed"), reason: z.string() }),
  z.strictObject({
    status: z.enum(["executed", "reverted"]),
    forkBlock: decimal,
    /** `callTracer`: the full call tree; `top-level`: the fork offered no trace. */
    traceSource: z.enum(["callTracer", "top-level"]),
    calls: z.array(z.strictObject({ index: z.number().int(), success: z.boolean(), gasUsed: decimal, logCount: z.number().int() })),
    revert: z
      .strictObject({ callIndex: z.number().int(), data: hex, errorName: z.string().optional(), args: z.array(json).optional(), reason: z.string() })
      .optional(),
    logs: z.array(
      z.strictObject({
        callIndex: z.number().int(),
        address,
        abiSource: z.string().optional(),
        eventName: z.string().optional(),
        args: z.record(z.string(), json).optional(),
        topics: z.array(hex),
        data: hex,
      }),
    ),
    trace: z.array(
      z.strictObject({
        callIndex: z.number().int(),
        depth: z.number().int(),
        type: z.string(),
        from: address,
        to: address.nullable(),
        value: decimal,
        selector: hex.nullable(),
        error: z.string().optional(),
      }),
    ),
    effects: z.strictObject({
      ethBalanceChanges: z.array(z.strictObject({ address, before: decimal, after: decimal, delta: signedDecimal })),
      tokenBalanceChanges: z.array(z.strictObject({ token: address, account: address, delta: signedDecimal })),
      treasuryTokenBalances: z.array(z.strictObject({ token: address, before: decimal.nullable(), after: decimal.nullable() })),
      contractsCreated: z.array(z.strictObject({ callIndex: z.number().int(), address, type: z.string(), creator: address })),
      roleChanges: z.array(z.strictObject({ callIndex: z.number().int(), contract: address, role: hex, account: address, sender: address, granted: z.boolean() })),
      ownershipChanges: z.array(z.strictObject({ callIndex: z.number().int(), contract: address, previousOwner: address, newOwner: address })),
      proxyUpgrades: z.array(z.strictObject({ callIndex: z.number().int(), proxy: address, kind: z.enum(["implementation", "admin", "beacon"]), newValue: address })),
      governanceChanges: z.array(z.strictObject({ callIndex: z.number().int(), contract: address, eventName: z.string(), args: z.record(z.string(), json) })),
    }),
  }),
]);

export type SimulationReport = z.output<typeof simulationSchema>;

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
