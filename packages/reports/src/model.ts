import { z } from "zod";

import { hash, recommendations } from "./fields.ts";

/** How a claim of the description compares with the calls. */
export const claimStatuses = ["matched", "mismatched", "unsupported"] as const;
export type ClaimStatus = (typeof claimStatuses)[number];

/** Why the analysis ran: a new proposal, a queued one, or a preview nothing is published for. */
export const triggers = ["created", "queued", "preview"] as const;
export type Trigger = (typeof triggers)[number];

/** What produced the report: enough to reproduce it and to tell two runs apart. */
export const provenanceSchema = z.strictObject({
  analyzer: z.strictObject({ name: z.string(), version: z.string() }),
  mode: z.enum(["deterministic", "model"]),
  /** Model id that answered (model mode), the configured one when it fell back, or null. */
  model: z.string().nullable(),
  /** keccak256 of the fixed system prompt, or null when no model was asked. */
  systemPromptHash: hash.nullable(),
  /** keccak256 of the canonical JSON of the analysed input bundle (same as the report's `inputHash`). */
  inputHash: hash,
  blockNumber: z.string().regex(/^\d+$/),
  trigger: z.enum(triggers),
});

/** The model's own answer, before code applied the floor and the citation checks, and what code changed. */
export const modelSectionSchema = z.strictObject({
  id: z.string(),
  requestId: z.string().nullable(),
  /** Requests that returned an answer (2 when the first failed the schema). */
  attempts: z.number().int().positive(),
  judgement: z.strictObject({
    risk: z.number().int().min(0).max(100),
    benefit: z.number().int().min(0).max(100),
    confidence: z.number().min(0).max(1),
    recommendation: z.enum(recommendations),
    reasoning: z.string(),
  }),
  /** Citations to evidence ids that do not exist. */
  unknownCitations: z.array(z.string()),
  /** What code changed in the model's judgement (risk raised to the floor, recommendation overridden, ...). */
  adjustments: z.array(z.string()),
  /**
   * The model's own one-sentence summary (hidden characters removed). Shown beside the report's
   * deterministic `summary`, never instead of it: the model has read the hostile description.
   */
  summary: z.string().min(1).max(1000).optional(),
});

/** Intent vs effect: every claim of the description matched against the decoded calls. */
export const intentVsEffectSchema = z.strictObject({
  claims: z.array(
    z.strictObject({
      claim: z.string(),
      status: z.enum(claimStatuses),
      /** Evidence ids: `call:N`, `finding:N`, `target:N`, `balance:N`, `governor`, `proposer`. */
      evidence: z.array(z.string()),
      explanation: z.string(),
    }),
  ),
  undisclosedEffects: z.array(z.strictObject({ effect: z.string(), evidence: z.array(z.string()) })),
});

export type Provenance = z.output<typeof provenanceSchema>;
export type ModelSection = z.output<typeof modelSectionSchema>;
export type IntentVsEffect = z.output<typeof intentVsEffectSchema>;
