import type { Finding, ProposalCheck } from "./types.ts";

/** Bidirectional controls reorder how text is displayed (the "Trojan Source" trick). */
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
/** Characters that render as nothing. */
const INVISIBLE = /[\u200B-\u200D\u2060-\u2064\uFEFF\u00AD\u180E\u034F\u{E0000}-\u{E007F}]/u;
/** ZWJ / ZWNJ are legitimate inside emoji sequences and between letters of some scripts. */
const JOINERS = new Set(["\u200C", "\u200D"]);
const LEGIT_JOINER_NEIGHBOUR = /[\p{Extended_Pictographic}\p{Script=Arabic}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Malayalam}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Gujarati}\p{Script=Gurmukhi}\p{Script=Sinhala}]/u;

/** Cyrillic and Greek letters that look like Latin ones. */
const LOOKALIKES = new Set([..."авекмнорстухіјѕԁԛԝүАВЕКМНОРСТХІЈЅУοανρτικυΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"]);
const LATIN = /\p{Script=Latin}/u;
const CYRILLIC_OR_GREEK = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

export interface HiddenCharacter {
  index: number;
  codePoint: string;
  kind: "bidi" | "invisible";
}

/** Every bidi control and invisible character in `text` (with its code-unit index), except joiners used legitimately. */
export function findHiddenCharacters(text: string): HiddenCharacter[] {
  const found: HiddenCharacter[] = [];
  const chars = [...text];
  let index = 0;
  chars.forEach((ch, i) => {
    if (BIDI.test(ch)) found.push({ index, codePoint: codePoint(ch), kind: "bidi" });
    else if (INVISIBLE.test(ch)) {
      const legit = JOINERS.has(ch) && LEGIT_JOINER_NEIGHBOUR.test(chars[i - 1] ?? "") && LEGIT_JOINER_NEIGHBOUR.test(chars[i + 1] ?? "");
      if (!legit) found.push({ index, codePoint: codePoint(ch), kind: "invisible" });
    }
    index += ch.length;
  });
  return found;
}

/** Words that mix Latin with Cyrillic/Greek letters, or are all Latin look-alikes in a mostly Latin text. */
export function findConfusableWords(text: string): string[] {
  const words = text.match(/[\p{L}\p{M}]+/gu) ?? [];
  const latinWords = words.filter((w) => LATIN.test(w) && !CYRILLIC_OR_GREEK.test(w)).length;
  const out = new Set<string>();
  for (const word of words) {
    if (!CYRILLIC_OR_GREEK.test(word)) continue;
    const mixed = LATIN.test(word);
    const disguised = latinWords > 0 && latinWords * 2 >= words.length && [...word].every((c) => LOOKALIKES.has(c));
    if (mixed || disguised) out.add(word);
  }
  return [...out];
}

/**
 * Hidden characters in the description (critical: what voters read is not what is hashed; there is
 * no legitimate use in a proposal, and resubmitting without them costs the proposer nothing) and
 * Latin words disguised with Cyrillic/Greek look-alikes (high).
 */
export const descriptionCharacters: ProposalCheck = {
  id: "description-characters",
  name: "Hidden or confusable characters in the description",
  check(ctx) {
    const findings: Finding[] = [];
    const text = ctx.proposal.description;
    const hidden = findHiddenCharacters(text);
    for (const kind of ["bidi", "invisible"] as const) {
      const list = hidden.filter((h) => h.kind === kind);
      if (list.length === 0) continue;
      findings.push({
        id: `description-characters/${kind}`,
        check: this.id,
        severity: "critical",
        title: kind === "bidi" ? `Description contains ${list.length} bidirectional control character(s)` : `Description contains ${list.length} invisible character(s)`,
        detail:
          kind === "bidi"
            ? "Bidi controls make the displayed order of the text differ from its real order."
            : "Zero-width and other invisible characters make two descriptions look alike while hashing differently, or hide text from readers.",
        evidence: { count: list.length, characters: list.slice(0, 20).map((h) => ({ index: h.index, codePoint: h.codePoint })) },
      });
    }
    const confusable = findConfusableWords(text);
    if (confusable.length > 0) {
      findings.push({
        id: "description-characters/confusable",
        check: this.id,
        severity: "high",
        title: `Description has ${confusable.length} word(s) written with look-alike letters`,
        detail: "Cyrillic or Greek letters mixed into Latin words can disguise names, amounts or addresses.",
        evidence: {
          words: confusable.slice(0, 20).map((w) => ({ word: w, codePoints: [...w].filter((c) => CYRILLIC_OR_GREEK.test(c)).map(codePoint) })),
        },
      });
    }
    return findings;
  },
};
