// Characters that hide or disguise text: one detector for the analyst (a finding, and stripped
// before the model sees the text) and the web app (a warning, and the text with them marked).

/** Why a character is suspicious. */
export type HiddenCharacterKind =
  /** Reorders how text is displayed ("Trojan Source"). */
  | "bidi"
  /** Renders as nothing: zero-width characters, joiners, the byte-order mark, soft hyphen, deprecated format characters, other format (Cf) characters. */
  | "invisible"
  /** Variation selectors outside an emoji or ideograph variation sequence, or several in a row (data hidden in selectors). */
  | "variation-selector"
  /** Unicode tag characters outside an emoji flag sequence (ASCII smuggled invisibly). */
  | "tag"
  /** Letters that render as blank space (Hangul fillers, braille blank). */
  | "filler"
  /** C0/C1 control characters other than tab and line breaks, NUL among them: many programs cut or drop text there. */
  | "control";

export interface HiddenCharacter {
  /** UTF-16 index in the text. */
  index: number;
  /** `U+XXXX`. */
  codePoint: string;
  kind: HiddenCharacterKind;
}

const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const FILLER = /[\u115F\u1160\u3164\uFFA0\u2800\u17B4\u17B5]/u;
const VARIATION_SELECTOR = /[\uFE00-\uFE0F\u180B-\u180D\u180F\u{E0100}-\u{E01EF}]/u;
const TAG = /[\u{E0000}-\u{E007F}]/u;
// Everything else that renders as nothing: format characters (zero-width space, joiners, word
// joiner, invisible operators, BOM, soft hyphen, the deprecated U+206A–206F, ...) and the
// combining grapheme joiner and Mongolian vowel separator.
const INVISIBLE = /[\p{Cf}\u034F\u180E]/u;

const JOINERS = new Set(["\u200C", "\u200D"]);
/** ZWJ / ZWNJ are part of emoji sequences and of the spelling of some scripts. */
const JOINER_NEIGHBOUR = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F\p{Script=Arabic}\p{Script=Syriac}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Malayalam}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Gujarati}\p{Script=Gurmukhi}\p{Script=Oriya}\p{Script=Sinhala}]/u;
/** Emoji and text presentation selectors after an emoji or a keycap base. */
const EMOJI_BASE = /[\p{Extended_Pictographic}\p{Emoji}#*0-9]/u;
const IDEOGRAPH = /\p{Unified_Ideograph}/u;
/** A subdivision flag: U+1F3F4, two to six tag letters or digits, then CANCEL TAG. */
const FLAG_SEQUENCE = /\u{1F3F4}[\u{E0030}-\u{E0039}\u{E0061}-\u{E007A}]{2,6}\u{E007F}/gu;

export function codePointOf(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

function classify(chars: string[], i: number, flagTags: Set<number>, index: number): HiddenCharacterKind | null {
  const ch = chars[i]!;
  const prev = chars[i - 1] ?? "";
  if (CONTROL.test(ch)) return "control";
  if (BIDI.test(ch)) return "bidi";
  if (FILLER.test(ch)) return "filler";
  if (TAG.test(ch)) return flagTags.has(index) ? null : "tag";
  if (VARIATION_SELECTOR.test(ch)) {
    if (VARIATION_SELECTOR.test(prev)) return "variation-selector"; // a run: nothing needs two
    const next = chars[i + 1] ?? "";
    if (VARIATION_SELECTOR.test(next)) return "variation-selector";
    if ((ch === "\uFE0E" || ch === "\uFE0F") && EMOJI_BASE.test(prev)) return null;
    if (/[\u{E0100}-\u{E01EF}\uFE00-\uFE0D]/u.test(ch) && IDEOGRAPH.test(prev)) return null;
    return "variation-selector";
  }
  if (INVISIBLE.test(ch)) {
    if (JOINERS.has(ch) && JOINER_NEIGHBOUR.test(prev) && JOINER_NEIGHBOUR.test(chars[i + 1] ?? "")) return null;
    return "invisible";
  }
  return null;
}

/** Every hidden character in `text`, in order, except those a legitimate emoji, flag or script sequence needs. */
export function findHiddenCharacters(text: string): HiddenCharacter[] {
  const flagTags = new Set<number>();
  for (const m of text.matchAll(FLAG_SEQUENCE)) {
    let at = m.index + 2; // after U+1F3F4 (two code units)
    for (const tag of [...m[0]].slice(1)) {
      flagTags.add(at);
      at += tag.length;
    }
  }
  const found: HiddenCharacter[] = [];
  const chars = [...text];
  let index = 0;
  for (let i = 0; i < chars.length; i++) {
    const kind = classify(chars, i, flagTags, index);
    if (kind !== null) found.push({ index, codePoint: codePointOf(chars[i]!), kind });
    index += chars[i]!.length;
  }
  return found;
}

function rewrite(text: string, replace: (ch: string, kind: HiddenCharacterKind) => string): string {
  const hidden = new Map(findHiddenCharacters(text).map((h) => [h.index, h.kind]));
  if (hidden.size === 0) return text;
  let out = "";
  let index = 0;
  for (const ch of text) {
    const kind = hidden.get(index);
    out += kind === undefined ? ch : replace(ch, kind);
    index += ch.length;
  }
  return out;
}

/** The text with every hidden character replaced by a visible marker such as ⟦U+200B⟧. */
export function revealHidden(text: string): string {
  return rewrite(text, (ch) => `⟦${codePointOf(ch)}⟧`);
}

/** The text without its hidden characters (what a careful reader would see). */
export function stripHidden(text: string): string {
  return rewrite(text, () => "");
}

/** Scripts with letters that look like Latin ones. */
const LOOKALIKE_SCRIPT = /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Cherokee}]/u;
/** Cyrillic and Greek letters that look like Latin ones. */
const LOOKALIKES = new Set([..."авекмнорстухіјѕԁԛԝүАВЕКМНОРСТХІЈЅУοανρτικυΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"]);
const LATIN = /\p{Script=Latin}/u;

export interface ConfusableWord {
  word: string;
  /** UTF-16 index of the word's first occurrence. */
  index: number;
  /** The look-alike letters' code points. */
  codePoints: string[];
}

/** Words that mix Latin with look-alike scripts, or are all look-alikes in a mostly Latin text ("pаy" with a Cyrillic а). */
export function findConfusableWords(text: string): ConfusableWord[] {
  const words = [...text.matchAll(/[\p{L}\p{M}]+/gu)];
  const latinWords = words.filter((m) => LATIN.test(m[0]) && !LOOKALIKE_SCRIPT.test(m[0])).length;
  const out = new Map<string, ConfusableWord>();
  for (const m of words) {
    const word = m[0];
    if (!LOOKALIKE_SCRIPT.test(word) || out.has(word)) continue;
    const mixed = LATIN.test(word);
    const disguised = latinWords > 0 && latinWords * 2 >= words.length && [...word].every((c) => LOOKALIKES.has(c));
    if (mixed || disguised) out.set(word, { word, index: m.index, codePoints: [...word].filter((c) => LOOKALIKE_SCRIPT.test(c)).map(codePointOf) });
  }
  return [...out.values()];
}
