import { z } from "zod";

import { address, analyzerSchema, decimal, hash, hex, recommendations, score } from "./fields.ts";

export const DRAFT_REPORT_SCHEMA_VERSION = 1;

/**
 * The JSON the analyst publishes with a Draft decision when its own key proposes a draft: the intent
 * (hidden characters removed), the catalogue actions the drafter chose, the proposal as submitted,
 * a summary of the fresh analysis of it, and what produced the draft.
 */
export const draftReportSchema = z.strictObject({
  schemaVersion: z.literal(DRAFT_REPORT_SCHEMA_VERSION),
  kind: z.literal("draft"),
  intent: z.string(),
  /** Catalogue actions (`template` plus its parameters), as the drafter chose them. */
  actions: z.array(z.looseObject({ template: z.string() })),
  proposal: z.strictObject({
    proposalId: decimal,
    targets: z.array(address),
    values: z.array(decimal),
    calldatas: z.array(hex),
    descriptionHash: hash,
  }),
  analysis: z.strictObject({
    reportHash: hash,
    cid: z.string(),
    mode: z.enum(["deterministic", "model"]),
    risk: score,
    recommendation: z.enum(recommendations),
  }),
  provenance: z.strictObject({
    analyzer: analyzerSchema,
    model: z.string(),
    systemPromptHash: hash,
    blockNumber: decimal,
  }),
});

export type DraftReport = z.output<typeof draftReportSchema>;
