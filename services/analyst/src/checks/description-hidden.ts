import { getAddress } from "viem";

import type { HiddenContent } from "@ai-dao/description";

import { describeDescription } from "../context/description.ts";
import { findStatedAmounts, namedAddresses } from "./description-amounts.ts";
import { count, formatAssetAmount } from "../units.ts";
import { findInjections } from "./injection/detect.ts";
import { maxSeverity, type Finding, type ProposalCheck, type Severity } from "./types.ts";

/** Findings listed one by one; the rest are summarised in one finding. */
const MAX_ITEMS = 20;
const EXCERPT = 200;

const KIND_LABEL: Record<HiddenContent["kind"], string> = {
  "html-comment": "an HTML comment",
  html: "raw HTML (never rendered)",
  "reference-definition": "a reference definition nothing links to",
  title: "a link or image title",
  "after-nul": "text after a NUL character",
};

/** At most five items, then how many more. */
function firstFew(items: string[]): string {
  return items.length <= 5 ? items.join(", ") : `${items.slice(0, 5).join(", ")} and ${items.length - 5} more`;
}

/**
 * Content of the description that voters do not see when it is rendered (the web app's own
 * pipeline, `@ai-dao/description`): HTML comments, raw HTML (an unclosed `<script>` hides all that
 * follows), unused reference definitions (`[//]: # (…)`), link titles, text after a NUL. Every item
 * is a finding:
 * - critical when the hidden text states amounts or addresses the visible text does not, or
 *   carries instructions to a reviewer (the injection patterns): it can only be there to be read
 *   by a program, not by voters;
 * - medium for other raw HTML with text in it and for text after a NUL (no legitimate use);
 * - low for the rest (authoring comments, tooltips, spare link definitions).
 */
export const descriptionHidden: ProposalCheck = {
  id: "description-hidden",
  check(ctx) {
    const view = describeDescription(ctx.proposal);
    const visibleAmounts = new Set(findStatedAmounts(view.visibleText, ctx).map((a) => `${typeof a.asset === "string" ? a.asset.toLowerCase() : a.asset}:${a.amount}`));
    const visibleAddresses = new Set(namedAddresses(view.visibleText));
    const findings: Finding[] = view.rendered.hidden.map((item) => {
      const amounts = findStatedAmounts(item.text, ctx).filter((a) => !visibleAmounts.has(`${a.asset.toLowerCase()}:${a.amount}`));
      const addresses = [...new Set(namedAddresses(item.text))].filter((a) => !visibleAddresses.has(a));
      const injections = findInjections(item.text);
      const hasText = /[\p{L}\p{N}]/u.test(item.text.replace(/<[^>]*>/g, ""));
      let severity: Severity;
      const reasons: string[] = [];
      if (amounts.length > 0) reasons.push(`states ${firstFew(amounts.map((a) => formatAssetAmount(ctx.governance, a.asset, a.amount)))}, which the visible text does not`);
      if (addresses.length > 0) reasons.push(`names ${firstFew(addresses.map((a) => getAddress(a)))}, which the visible text does not`);
      if (injections.length > 0) reasons.push(`carries text aimed at an automated reviewer (${injections.map((i) => i.kind).join(", ")})`);
      if (reasons.length > 0) severity = "critical";
      else if ((item.kind === "html" && hasText) || item.kind === "after-nul") severity = "medium";
      else severity = "low";
      const text = item.text.length > EXCERPT ? `${item.text.slice(0, EXCERPT)}…` : item.text;
      return {
        id: `description-hidden/${item.kind}`,
        check: this.id,
        severity,
        title: `Hidden from voters${item.line !== null ? ` (line ${item.line})` : ""}: ${KIND_LABEL[item.kind]}${reasons.length > 0 ? ` that ${reasons[0]}` : ""}`,
        detail:
          reasons.length > 0
            ? `The rendered description does not show this text, yet it ${reasons.join("; it ")}. Text only a program reads is there to steer a program, not to inform voters.`
            : "The rendered description does not show this text; voters never read it.",
        evidence: {
          kind: item.kind,
          line: item.line,
          text,
          length: item.text.length,
          ...(amounts.length > 0 ? { amounts: amounts.map((a) => ({ text: a.text, asset: a.asset, amount: a.amount.toString() })) } : {}),
          ...(addresses.length > 0 ? { addresses } : {}),
          ...(injections.length > 0 ? { injections: injections.map((i) => i.kind) } : {}),
        },
      };
    });
    if (findings.length <= MAX_ITEMS) return findings;
    const rest = findings.slice(MAX_ITEMS);
    return [
      ...findings.slice(0, MAX_ITEMS),
      {
        id: "description-hidden/more",
        check: this.id,
        severity: rest.reduce<Severity>((s, f) => maxSeverity(s, f.severity), "low"),
        title: `${count(rest.length, "more hidden passage")} in the description`,
        detail: "Further content voters do not see, summarised.",
        evidence: { count: rest.length, kinds: [...new Set(rest.map((f) => f.evidence.kind as string))], lines: rest.slice(0, 50).map((f) => f.evidence.line ?? null) },
      },
    ];
  },
};
