// The description as voters see it. The analyst judges the same rendering the web app shows
// (`@ai-dao/description`): amounts and addresses are read from the visible text only, and what the
// rendering hides is itself reported.
import { descriptionText, renderDescription, type RenderedDescription } from "@ai-dao/description";

import type { Proposal } from "../proposal.ts";

export interface DescriptionView {
  /** The faithful text of the description's bytes. */
  text: string;
  /** Length of the description in bytes. */
  byteLength: number;
  /** Invalid UTF-8 sequences in the bytes (each shown as U+FFFD). */
  invalidSequences: number;
  /** The shared rendering: visible text, hidden content, hidden characters, confusables. */
  rendered: RenderedDescription;
  /** What every reader sees (the rendering's visible text, which stops at a NUL). */
  visibleText: string;
}

const cache = new WeakMap<object, DescriptionView>();

/** The rendered view of a proposal's description, computed once per proposal object. */
export function describeDescription(proposal: Pick<Proposal, "description"> & { descriptionBytes?: Proposal["descriptionBytes"] }): DescriptionView {
  const known = cache.get(proposal);
  if (known) return known;
  const decoded = proposal.descriptionBytes !== undefined ? descriptionText(proposal.descriptionBytes) : { text: proposal.description, invalidSequences: 0 };
  const rendered = renderDescription(decoded.text);
  const view: DescriptionView = {
    text: decoded.text,
    byteLength: proposal.descriptionBytes !== undefined ? (proposal.descriptionBytes.length - 2) / 2 : new TextEncoder().encode(decoded.text).length,
    invalidSequences: decoded.invalidSequences,
    rendered,
    visibleText: rendered.visibleText,
  };
  cache.set(proposal, view);
  return view;
}
