import { findConfusableWords, type HiddenCharacterKind } from "@ai-dao/description";

import { describeDescription } from "../context/description.ts";
import { count } from "../units.ts";
import type { Finding, ProposalCheck } from "./types.ts";

const TITLES: Record<HiddenCharacterKind, { title: (n: number) => string; detail: string }> = {
  bidi: {
    title: (n) => `The description contains ${count(n, "bidirectional control character")}`,
    detail: "Bidi controls make the displayed order of the text differ from its real order.",
  },
  invisible: {
    title: (n) => `The description contains ${count(n, "invisible character")}`,
    detail: "Zero-width, byte-order-mark and other format characters make two descriptions look alike while hashing differently, or hide text from readers.",
  },
  "variation-selector": {
    title: (n) => `The description contains ${count(n, "stray variation selector")}`,
    detail: "Variation selectors outside an emoji or ideograph sequence render as nothing and can carry hidden data.",
  },
  tag: {
    title: (n) => `The description contains ${count(n, "Unicode tag character")}`,
    detail: "Tag characters outside a flag sequence are invisible ASCII: text a reader cannot see but a program (or a model) can.",
  },
  filler: {
    title: (n) => `The description contains ${count(n, "blank filler letter")}`,
    detail: "Hangul fillers and similar letters render as blank space and disguise words, names or addresses.",
  },
  control: {
    title: (n) => `The description contains ${count(n, "control character")}`,
    detail: "Control characters (NUL among them) are cut or dropped by many programs, so different readers see different text.",
  },
};

/**
 * Characters that hide or disguise text, found by the detector the web app uses
 * (`@ai-dao/description`): every kind is critical (what voters read is not what is hashed; there is
 * no legitimate use in a proposal, and resubmitting without them costs the proposer nothing). Bytes
 * that are not valid UTF-8 are critical too (programs decode them differently). Latin words
 * disguised with look-alike letters: high.
 */
export const descriptionCharacters: ProposalCheck = {
  id: "description-characters",
  check(ctx) {
    const findings: Finding[] = [];
    const view = describeDescription(ctx.proposal);
    const hidden = view.rendered.hiddenCharacters;
    for (const kind of Object.keys(TITLES) as HiddenCharacterKind[]) {
      const list = hidden.filter((h) => h.kind === kind);
      if (list.length === 0) continue;
      findings.push({
        id: `description-characters/${kind}`,
        check: this.id,
        severity: "critical",
        title: TITLES[kind].title(list.length),
        detail: TITLES[kind].detail,
        evidence: {
          count: list.length,
          characters: list.slice(0, 20).map((h) => ({ index: h.index, codePoint: h.codePoint })),
          codePoints: [...new Set(list.map((h) => h.codePoint))].slice(0, 20),
        },
      });
    }
    if (view.invalidSequences > 0) {
      findings.push({
        id: "description-characters/invalid-utf8",
        check: this.id,
        severity: "critical",
        title: `The description's bytes hold ${count(view.invalidSequences, "invalid UTF-8 sequence")}`,
        detail: "The description is not valid UTF-8: each invalid sequence is shown as U+FFFD here, but other programs may show, drop or replace those bytes differently, so readers may not see the same text.",
        evidence: { count: view.invalidSequences, byteLength: view.byteLength },
      });
    }
    // Words in the rendered text, and in the source (link targets, hidden content).
    const confusable = [...new Map([...view.rendered.confusables, ...findConfusableWords(view.text)].map((w) => [w.word, w])).values()];
    if (confusable.length > 0) {
      findings.push({
        id: "description-characters/confusable",
        check: this.id,
        severity: "high",
        title: `The description has ${count(confusable.length, "word")} written with look-alike letters`,
        detail: "Cyrillic, Greek or other look-alike letters mixed into Latin words can disguise names, amounts or addresses.",
        evidence: { words: confusable.slice(0, 20).map((w) => ({ word: w.word, codePoints: w.codePoints })) },
      });
    }
    return findings;
  },
};
