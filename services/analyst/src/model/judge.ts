import type Anthropic from "@anthropic-ai/sdk";
import { transformJSONSchema } from "@anthropic-ai/sdk/lib/transform-json-schema";
import { z } from "zod";

import { stripHidden } from "@ai-dao/description";
import type { IntentVsEffect, ModelSection, Provenance, Trigger } from "@ai-dao/reports";

import { severityRank, type Finding } from "../checks/types.ts";
import type { Report } from "../report.ts";
import { recommend, riskFloor, type Recommendation } from "../risk.ts";
import type { ModelJudge } from "./client.ts";
import { buildUserTurn, evidenceCatalogue, newNonce, SYSTEM_PROMPT, SYSTEM_PROMPT_HASH } from "./prompt.ts";
import { judgementSchema, type Judgement } from "./schema.ts";

/** The note deterministic reports carry that model-mode reports drop. */
export const DETERMINISTIC_ONLY_NOTE = "Checked by code only: no model was asked to read this proposal.";

/** How cautious a recommendation is: the final one is the most cautious of the model's and the findings'. */
const CAUTION: Record<Recommendation, number> = { for: 0, abstain: 1, "needs-review": 2, against: 3 };

/** Highest risk at which `for` can stand. */
export const MAX_RISK_FOR = 39;

/** Confidence lost for each citation to evidence that does not exist. */
export const CONFIDENCE_PENALTY_PER_UNKNOWN_CITATION = 0.15;

/** The model's answer failed the schema twice (or was cut off / refused). */
export class ModelAnswerError extends Error {
  override name = "ModelAnswerError";
}

export interface ModelAnswer {
  judgement: Judgement;
  attempts: number;
  model: string;
  requestId: string | null;
}

export interface ModelStepArgs {
  /** The proposal's description as submitted (untrusted). */
  description: string;
  /** Without a judge the report stays deterministic. */
  judge?: ModelJudge | undefined;
  trigger?: Trigger | undefined;
}

/**
 * The JSON schema sent as `output_config.format`: zod's JSON Schema, passed through the SDK's own
 * transform (what its `zodOutputFormat` helper does) that closes objects and moves constraints
 * structured outputs do not enforce (min/max) into descriptions. Code validates with zod afterwards.
 * The helper itself is not used because it imports the zod the SDK resolves, not this package's.
 */
export function outputFormat(schema: z.ZodType): { type: "json_schema"; schema: Record<string, unknown> } {
  return { type: "json_schema", schema: transformJSONSchema(z.toJSONSchema(schema, { reused: "ref" }) as Record<string, unknown>) as Record<string, unknown> };
}

export const JUDGEMENT_OUTPUT_FORMAT = outputFormat(judgementSchema);

/**
 * Asks the model for its judgement, with the fixed system prompt and the untrusted data in the user
 * turn. Transport failures (429, 5xx, timeouts) are retried by the SDK with exponential backoff; an
 * answer that fails the schema is asked again once, then {@link ModelAnswerError}.
 */
export async function askModel(judge: ModelJudge, report: Report, description: string): Promise<ModelAnswer> {
  const nonce = newNonce();
  const userTurn = buildUserTurn(report, description, nonce);
  let lastProblem = "";
  for (let attempt = 1; attempt <= 2; attempt++) {
    const response = await judge.client.messages
      .create({
        model: judge.model,
        max_tokens: judge.maxTokens,
        system: SYSTEM_PROMPT,
        messages: [{ role: "user", content: userTurn }],
        output_config: { format: JUDGEMENT_OUTPUT_FORMAT },
      })
      .withResponse();
    const message = response.data as Anthropic.Message;
    const text = message.content
      .filter((b): b is Anthropic.TextBlock => b.type === "text")
      .map((b) => b.text)
      .join("");
    if (message.stop_reason !== "end_turn") {
      lastProblem = `the answer stopped with ${message.stop_reason}`;
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      lastProblem = `the answer is not JSON (${(error as Error).message})`;
      continue;
    }
    const result = judgementSchema.safeParse(parsed);
    if (!result.success) {
      lastProblem = `the answer fails the schema: ${result.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
        .join("; ")}`;
      continue;
    }
    return { judgement: result.data, attempts: attempt, model: message.model, requestId: response.request_id ?? null };
  }
  throw new ModelAnswerError(lastProblem);
}

type ReportFinding = Report["findings"][number];

/** Findings most severe first (stable), and where each finding of the input moved (`finding:N` ids cite positions). */
function sortFindings(findings: ReportFinding[]): { sorted: ReportFinding[]; moved: Map<number, number> } {
  const order = findings.map((f, index) => ({ f, index })).sort((a, b) => severityRank(b.f.severity) - severityRank(a.f.severity) || a.index - b.index);
  return { sorted: order.map(({ f }) => f), moved: new Map(order.map(({ index }, position) => [index, position])) };
}

/** `finding:N` evidence ids follow their findings to their new positions. */
function remapCitations(ids: readonly string[], moved: Map<number, number>): string[] {
  return ids.map((id) => {
    const m = /^finding:(\d+)$/.exec(id);
    const to = m ? moved.get(Number(m[1])) : undefined;
    return to === undefined ? id : `finding:${to}`;
  });
}

function remapSection(section: IntentVsEffect, moved: Map<number, number>): IntentVsEffect {
  return {
    claims: section.claims.map((c) => ({ ...c, evidence: remapCitations(c.evidence, moved) })),
    undisclosedEffects: section.undisclosedEffects.map((e) => ({ ...e, evidence: remapCitations(e.evidence, moved) })),
  };
}

/** The model's summary as one clean line (hidden characters removed), or null when it gave none or nothing is left. */
function modelSummary(text: string | undefined): string | null {
  if (text === undefined) return null;
  // eslint-disable-next-line no-control-regex
  const clean = stripHidden(text).replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").replace(/\s+/g, " ").trim();
  if (clean === "") return null;
  const chars = [...clean];
  return chars.length > 1000 ? `${chars.slice(0, 999).join("")}…` : clean;
}

function provenance(report: Report, mode: Provenance["mode"], model: string | null, trigger: Trigger): Provenance {
  return {
    analyzer: { ...report.analyzer },
    mode,
    model,
    systemPromptHash: model === null ? null : SYSTEM_PROMPT_HASH,
    inputHash: report.inputHash,
    blockNumber: report.blockNumber,
    trigger,
  };
}

/**
 * Combines a deterministic report with the model's judgement. Code, not the model, has the last
 * word: citations are checked against the evidence list (unknown ones become a finding and cost
 * confidence; a "matched" claim with no valid citation becomes "unsupported"), mismatched claims
 * and undisclosed effects become findings, the risk is never below the floor of all findings, and
 * the recommendation is the most cautious of the model's and the findings' (`for` only below 40).
 */
export function mergeJudgement(report: Report, answer: ModelAnswer, trigger: Trigger): Report {
  const { judgement } = answer;
  const known = new Set(Object.keys(evidenceCatalogue(report)));
  const unknown = new Set<string>();
  const adjustments: string[] = [];
  const check = (ids: string[]) => {
    const valid = ids.filter((id) => known.has(id));
    for (const id of ids) if (!known.has(id)) unknown.add(id);
    return valid;
  };

  const claims = judgement.claims.map((c) => {
    const valid = check(c.evidence);
    if (c.status === "matched" && valid.length === 0) {
      adjustments.push(`claim "${c.claim}" was "matched" without valid evidence; set to "unsupported"`);
      return { ...c, status: "unsupported" as const, evidence: valid };
    }
    return { ...c, evidence: valid };
  });
  const undisclosedEffects = judgement.undisclosedEffects.map((e) => ({ effect: e.effect, evidence: check(e.evidence) }));

  const modelFindings: ReportFinding[] = [];
  for (const c of claims) {
    if (c.status === "mismatched") {
      modelFindings.push({
        id: "model/intent-mismatch",
        check: "model",
        severity: "high",
        title: `The description claims something the calls do differently: ${c.claim}`,
        detail: c.explanation,
        evidence: { claim: c.claim, cited: [...c.evidence] },
      });
    } else if (c.status === "unsupported") {
      modelFindings.push({
        id: "model/unsupported-claim",
        check: "model",
        severity: "low",
        title: `No call does what the description claims: ${c.claim}`,
        detail: c.explanation,
        evidence: { claim: c.claim, cited: c.evidence },
      });
    }
  }
  for (const e of undisclosedEffects) {
    modelFindings.push({
      id: "model/undisclosed-effect",
      check: "model",
      severity: "medium",
      title: `The description does not mention: ${e.effect}`,
      detail: "An effect of the calls that the description leaves out.",
      evidence: { cited: e.evidence },
    });
  }
  if (unknown.size > 0) {
    modelFindings.push({
      id: "model/unknown-evidence",
      check: "model",
      severity: "low",
      title: `The model cited ${unknown.size} evidence id(s) that do not exist`,
      detail: "Citations were checked against the evidence list given to the model; these point to nothing, so the claims relying on them are unsupported and the confidence was lowered.",
      evidence: { unknownIds: [...unknown] },
    });
  }

  const { sorted, moved } = sortFindings([...report.findings, ...modelFindings]);
  const findings = sorted.map((f) => (f.check === "model" && Array.isArray(f.evidence.cited) ? { ...f, evidence: { ...f.evidence, cited: remapCitations(f.evidence.cited as string[], moved) } } : f));
  // Only severities matter to the floor and the recommendation; an inconclusive report stays at least medium and `needs-review`.
  const inconclusive = report.inconclusive === true;
  const floor = Math.max(report.riskFloor, riskFloor(findings as Finding[], inconclusive));
  let risk = judgement.risk;
  if (risk < floor) {
    adjustments.push(`risk raised from ${judgement.risk} to the floor ${floor}`);
    risk = floor;
  }
  const fromFindings = recommend(findings as Finding[], inconclusive);
  let recommendation: Recommendation = CAUTION[judgement.recommendation] >= CAUTION[fromFindings] ? judgement.recommendation : fromFindings;
  if (recommendation !== judgement.recommendation) adjustments.push(`recommendation "${judgement.recommendation}" overridden by the findings: "${recommendation}"`);
  if (recommendation === "for" && risk > MAX_RISK_FOR) {
    adjustments.push(`recommendation "for" overridden: risk ${risk} is above ${MAX_RISK_FOR}`);
    recommendation = "needs-review";
  }
  const penalty = unknown.size * CONFIDENCE_PENALTY_PER_UNKNOWN_CITATION;
  const confidence = Math.round(Math.max(0, judgement.confidence - penalty) * 100) / 100;
  if (penalty > 0) adjustments.push(`confidence lowered from ${judgement.confidence} to ${confidence} for ${unknown.size} unknown citation(s)`);

  const model: ModelSection = {
    id: answer.model,
    requestId: answer.requestId,
    attempts: answer.attempts,
    judgement: { risk: judgement.risk, benefit: judgement.benefit, confidence: judgement.confidence, recommendation: judgement.recommendation, reasoning: judgement.reasoning },
    unknownCitations: [...unknown],
    adjustments,
  };
  // The model read the hostile description: its sentence goes beside the deterministic one, never over it.
  const summary = modelSummary(judgement.summary);
  if (summary !== null) model.summary = summary;
  return {
    ...report,
    mode: "model",
    findings,
    scores: { risk, benefit: judgement.benefit, confidence },
    recommendation,
    notes: [...report.notes.filter((n) => n !== DETERMINISTIC_ONLY_NOTE), `Also read by the model ${answer.model}; it can raise the risk score, never lower it below what the checks found.`],
    provenance: provenance(report, "model", answer.model, trigger),
    model,
    // Citations were made against the deterministic report's findings, which the model's findings may have moved.
    intentVsEffect: remapSection({ claims, undisclosedEffects }, moved),
    ...(report.descriptionClaims ? { descriptionClaims: remapSection(report.descriptionClaims, moved) } : {}),
  };
}

/** A deterministic report with a finding saying why the model judgement is missing. */
function fallback(report: Report, judge: ModelJudge, trigger: Trigger, id: "invalid-answer" | "unavailable", reason: string): Report {
  const finding: ReportFinding = {
    id: `model/${id}`,
    check: "model",
    severity: "info",
    title: id === "invalid-answer" ? "The model's answer could not be used (it failed its format twice); this report holds the code's checks alone" : "The model could not be reached; this report holds the code's checks alone",
    detail: reason,
    evidence: { model: judge.model },
  };
  const { sorted, moved } = sortFindings([...report.findings, finding]);
  return {
    ...report,
    findings: sorted,
    ...(report.descriptionClaims ? { descriptionClaims: remapSection(report.descriptionClaims, moved) } : {}),
    notes: [...report.notes.filter((n) => n !== DETERMINISTIC_ONLY_NOTE), `Checked by code only: ${id === "unavailable" ? "the model could not be reached" : "the model's answer could not be used"}.`],
    provenance: provenance(report, "deterministic", judge.model, trigger),
  };
}

/**
 * The model step, run after the deterministic analysis: adds provenance and, with a model
 * configured, the model's judgement. Never throws for model problems: it falls back to the
 * deterministic report with a finding that says why.
 */
export async function applyModelStep(report: Report, args: ModelStepArgs): Promise<Report> {
  const trigger = args.trigger ?? "preview";
  if (args.judge === undefined) return { ...report, provenance: provenance(report, "deterministic", null, trigger) };
  try {
    const answer = await askModel(args.judge, report, args.description);
    return mergeJudgement(report, answer, trigger);
  } catch (error) {
    if (error instanceof ModelAnswerError) return fallback(report, args.judge, trigger, "invalid-answer", error.message);
    const message = (error as { message?: string }).message ?? String(error);
    return fallback(report, args.judge, trigger, "unavailable", message.split("\n")[0]!.slice(0, 300));
  }
}
