import { describeDescription } from "../context/description.ts";
import { findInjections } from "./injection/detect.ts";
import type { AnalysisContext, Finding, ProposalCheck } from "./types.ts";
import { actionLabel } from "@ai-dao/reports";

export { findInjections, normalizeForMatching, INJECTION_LIMITS, type InjectionMatch } from "./injection/detect.ts";
export { INJECTION_FAMILIES } from "./injection/patterns.ts";

/** Strings from the chain that reach the analysis (and the model's evidence): token symbols and string arguments of the calls. */
export function untrustedContextStrings(ctx: Pick<AnalysisContext, "governance" | "calls">): { source: string; text: string }[] {
  const out: { source: string; text: string }[] = [];
  for (const b of ctx.governance.balances) {
    if (b.asset !== "ETH" && b.symbol !== null && b.symbol !== "") out.push({ source: `token symbol of ${b.asset}`, text: b.symbol });
  }
  const walk = (value: unknown, source: string) => {
    if (out.length >= 200) return;
    if (typeof value === "string" && !/^0x[0-9a-fA-F]*$/.test(value)) out.push({ source, text: value });
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${source}[${i}]`));
    else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, `${source}.${k}`);
  };
  for (const call of ctx.calls) (call.args ?? []).forEach((a, i) => walk(a, `${actionLabel(call.index)} argument ${i + 1}`));
  return out;
}

/**
 * Text written for an automated reviewer rather than for voters, in the description (all of it,
 * hidden parts included, with hidden characters removed and look-alikes folded) and in the strings
 * the analysis reads from the chain (token symbols, string arguments): instructions to a model
 * ("ignore previous instructions" and its translations), ready-made verdicts, chat and role-play
 * markup and personas, imitations of the prompt's delimiters, and any of these hidden in base64,
 * hex, percent or \u escapes, rot13 or reversed text. A proposal has no reason to address a model;
 * each kind is high, reported once with its excerpts.
 */
export const descriptionInjection: ProposalCheck = {
  id: "description-injection",
  check(ctx) {
    const findings: Finding[] = findInjections(describeDescription(ctx.proposal).text).map(({ kind, title, excerpts }) => ({
      id: `description-injection/${kind}`,
      check: this.id,
      severity: "high",
      title: `The description ${title}`,
      detail: `Text aimed at an automated reviewer, not at voters: ${excerpts.map((e) => JSON.stringify(e)).join(", ")}. A proposal that tries to steer its own review deserves a person's look.`,
      evidence: { excerpts },
    }));
    const inContext = untrustedContextStrings(ctx).flatMap(({ source, text }) => findInjections(text).map((m) => ({ source, ...m })));
    if (inContext.length > 0) {
      findings.push({
        id: "description-injection/target-context",
        check: this.id,
        severity: "high",
        title: `A string the analysis reads from the chain ${inContext[0]!.title} (${inContext[0]!.source})`,
        detail: "Token symbols and string arguments are written by whoever deployed the token or built the call; text in them aimed at an automated reviewer is an attempt to steer the analysis.",
        evidence: { matches: inContext.slice(0, 5).map((m) => ({ source: m.source, kind: m.kind, excerpts: m.excerpts })) },
      });
    }
    return findings;
  },
};
