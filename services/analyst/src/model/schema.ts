import { claimStatuses, recommendations } from "@ai-dao/reports";
import { z } from "zod";

/** Evidence ids the model may cite: `call:N`, `finding:N`, `target:N`, `balance:N`, `governor`, `proposer`. */
export const EVIDENCE_ID = /^(call|finding|target|balance):\d+$|^(governor|proposer)$/;

export { claimStatuses };

/**
 * What the model must answer: every action the description claims, matched against the decoded
 * calls and their effects (intent vs effect), effects the description does not mention, scores,
 * confidence, recommendation and reasoning, and optionally a one-sentence summary for voters.
 * Citations are checked by code afterwards.
 */
export const judgementSchema = z.strictObject({
  claims: z
    .array(
      z.strictObject({
        claim: z.string().min(1).max(500).describe("One action the description says the proposal performs, in your own words"),
        status: z.enum(claimStatuses).describe("matched: a call does exactly this; mismatched: a call does something related but different (amount, recipient, asset, parameter); unsupported: no call does it"),
        evidence: z.array(z.string().max(40)).max(20).describe("Evidence ids from the evidence list, e.g. call:0, finding:2"),
        explanation: z.string().max(1000),
      }),
    )
    .max(30),
  undisclosedEffects: z
    .array(
      z.strictObject({
        effect: z.string().min(1).max(500).describe("Something the calls do that the description does not mention"),
        evidence: z.array(z.string().max(40)).max(20),
      }),
    )
    .max(30),
  risk: z.number().int().min(0).max(100).describe("Risk to the DAO, 0 (none) to 100 (certain loss or capture)"),
  benefit: z.number().int().min(0).max(100).describe("Benefit to the DAO if it does what it says, 0 to 100"),
  confidence: z.number().min(0).max(1).describe("Confidence in this judgement, 0 to 1"),
  recommendation: z.enum(recommendations),
  reasoning: z.string().min(1).max(4000),
  summary: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .describe("Optional: one sentence for voters on what the proposal does (amounts in token units, shares of the treasury, recipients, powers), shown beside the deterministic summary"),
});

export type Judgement = z.output<typeof judgementSchema>;
