import { z } from "zod";

// The building blocks every report schema uses. Big numbers are decimal strings so the canonical
// JSON (RFC 8785) is exact.

export const hex = z.string().regex(/^0x[0-9a-fA-F]*$/, "must be hex");
export const hash = z.string().regex(/^0x[0-9a-f]{64}$/, "must be a 32-byte hex hash");
export const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be an address");
export const decimal = z.string().regex(/^\d+$/, "must be a decimal string");
export const signedDecimal = z.string().regex(/^-?\d+$/, "must be a decimal string");
export const score = z.number().int().min(0).max(100);
export const json: z.ZodType<unknown> = z.unknown();

export const severities = ["info", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof severities)[number];

export const recommendations = ["for", "against", "abstain", "needs-review"] as const;
export type Recommendation = (typeof recommendations)[number];

export const analyzerSchema = z.strictObject({ name: z.string(), version: z.string() });
