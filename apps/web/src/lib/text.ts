/** A character in a description that a reader cannot see, or that looks like another one. */
export interface SuspiciousCharacter {
  index: number;
  codePoint: string;
  kind: "invisible" | "bidi-control" | "confusable";
  /** For confusables: the word that mixes scripts. */
  word?: string;
}

const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
// Format characters (zero-width space, joiners, word joiner, BOM, soft hyphen, tag characters, ...).
const INVISIBLE = /[\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]/u;

/**
 * Finds hidden characters (zero-width, format and bidirectional controls) and words that mix Latin
 * letters with Cyrillic or Greek look-alikes ("pаy" with a Cyrillic а): the tricks that make a
 * description say something other than what it looks like.
 */
export function findSuspiciousCharacters(text: string): SuspiciousCharacter[] {
  const found: SuspiciousCharacter[] = [];
  let index = 0;
  for (const char of text) {
    const cp = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    if (BIDI.test(char)) found.push({ index, codePoint: cp, kind: "bidi-control" });
    else if (INVISIBLE.test(char)) found.push({ index, codePoint: cp, kind: "invisible" });
    index += char.length;
  }
  for (const match of text.matchAll(/[\p{L}\p{M}]+/gu)) {
    const word = match[0];
    const latin = /\p{Script=Latin}/u.test(word);
    const other = /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Cherokee}]/u.test(word);
    if (latin && other) {
      const offset = [...word].findIndex((c) => /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Cherokee}]/u.test(c));
      const char = [...word][offset]!;
      found.push({
        index: match.index + [...word].slice(0, offset).join("").length,
        codePoint: `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`,
        kind: "confusable",
        word,
      });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/** The text with every invisible or bidi character replaced by a visible marker such as ⟦U+200B⟧. */
export function revealHidden(text: string): string {
  let out = "";
  for (const char of text) {
    if (BIDI.test(char) || INVISIBLE.test(char)) out += `⟦U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}⟧`;
    else out += char;
  }
  return out;
}
