import { z } from "zod";

import { address, decimal, hex, json, signedDecimal } from "./fields.ts";

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
