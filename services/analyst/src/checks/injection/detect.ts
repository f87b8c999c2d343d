// The prompt-injection detector: normalises the text (hidden characters removed, compatibility
// forms folded, look-alike letters in Latin words folded to Latin), matches the pattern families,
// then looks for instructions hidden in encodings (base64, hex, percent and \u escapes, rot13,
// reversed text) by decoding each run and matching the decoded text. Work is bounded on any input.
import { stripHidden } from "@ai-dao/description";

import { findMarkerLines, INJECTION_FAMILIES, KIND_TITLES, type InjectionFamily } from "./patterns.ts";

export interface InjectionMatch {
  kind: string;
  title: string;
  /** Up to three matching excerpts (for encoded instructions: `encoding: decoded text`). */
  excerpts: string[];
}

/** Bounds on the work done for one text. */
export const INJECTION_LIMITS = {
  /** Characters scanned. */
  maxText: 200_000,
  /** Encoded runs decoded per text. */
  maxRuns: 64,
  /** Characters of one encoded run. */
  maxRunLength: 16_384,
} as const;

const LATIN = /\p{Script=Latin}/u;
/** Look-alike letters (Cyrillic, Greek) and the Latin letters they imitate, position by position. */
const LOOKALIKE_FROM = "аеорсухіјѕԁԛԝүкмтвнАВЕКМНОРСТХІЈЅУοανρτικυΑΒΕΖΗΙΚΜΝΟΡΤΥΧ";
const LOOKALIKE_TO = "aeopcyxijsdqwykmtbhABEKMHOPCTXIJSYoavptikuABEZHIKMNOPTYX";
const FOLD: Record<string, string> = Object.fromEntries([...LOOKALIKE_FROM].map((c, i) => [c, LOOKALIKE_TO[i]!]));

/** The text as matched: hidden characters removed, NFKC (full-width letters become ASCII), look-alikes inside Latin words folded to Latin. */
export function normalizeForMatching(text: string): string {
  const bounded = text.length > INJECTION_LIMITS.maxText ? text.slice(0, INJECTION_LIMITS.maxText) : text;
  const plain = stripHidden(bounded).normalize("NFKC");
  return plain.replace(/[\p{L}\p{M}]+/gu, (word) => (LATIN.test(word) && [...word].some((c) => c in FOLD) ? [...word].map((c) => FOLD[c] ?? c).join("") : word));
}

function matchFamilies(text: string, families: readonly InjectionFamily[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (kind: string, excerpt: string) => {
    const list = found.get(kind) ?? [];
    if (list.length < 3 && !list.includes(excerpt)) list.push(excerpt);
    found.set(kind, list);
  };
  for (const family of families) {
    for (const pattern of family.patterns) {
      const match = pattern.exec(text);
      if (match) add(family.kind, match[0].trim().slice(0, 120));
    }
  }
  for (const marker of findMarkerLines(text)) add("fake-delimiter", marker.slice(0, 120));
  return found;
}

const PRINTABLE = /[\p{L}\p{N}\p{P}\p{Zs}\n\t]/u;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Decoded bytes as text when they read as text (valid UTF-8, nearly all printable, some letters), else null. */
function asText(bytes: Uint8Array): string | null {
  if (bytes.length < 6) return null;
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return null;
  }
  const chars = [...text];
  const printable = chars.filter((c) => PRINTABLE.test(c)).length;
  const letters = chars.filter((c) => /\p{L}/u.test(c)).length;
  return printable / chars.length >= 0.9 && letters >= 4 ? text : null;
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const rot13 = (s: string) => s.replace(/[A-Za-z]/g, (c) => String.fromCharCode(((c.charCodeAt(0) - (c <= "Z" ? 65 : 97) + 13) % 26) + (c <= "Z" ? 65 : 97)));

interface Decoder {
  name: string;
  pattern: RegExp;
  decode(run: string): string | null;
}

const DECODERS: Decoder[] = [
  {
    name: "base64",
    // Runs of base64 (or base64url), possibly wrapped over several lines.
    pattern: /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{16,}(?:\r?\n[A-Za-z0-9+/_-]{4,})*={0,2}/g,
    decode(run) {
      const body = run.replace(/\s+/g, "");
      if (/^(0x)?[0-9a-fA-F]+$/.test(body)) return null; // hex, handled below
      return asText(Buffer.from(body.replace(/-/g, "+").replace(/_/g, "/"), "base64"));
    },
  },
  {
    name: "hex",
    pattern: /(?:0x)?(?:[0-9a-fA-F]{2}){8,}|(?:\\x[0-9a-fA-F]{2}){6,}|(?:[0-9a-fA-F]{2}[ :]){7,}[0-9a-fA-F]{2}/g,
    decode(run) {
      const body = run.replace(/^0x/, "").replace(/\\x|[ :]/g, "");
      return body.length % 2 === 0 ? asText(hexBytes(body)) : null;
    },
  },
  {
    name: "percent-encoding",
    pattern: /(?:%[0-9a-fA-F]{2}[^%\s]{0,3}){6,}/g,
    decode(run) {
      try {
        return asText(new TextEncoder().encode(decodeURIComponent(run)));
      } catch {
        return null;
      }
    },
  },
  {
    name: "unicode-escapes",
    pattern: /(?:\\u[0-9a-fA-F]{4}|\\u\{[0-9a-fA-F]{1,6}\}){6,}/g,
    decode(run) {
      const text = run.replace(/\\u\{([0-9a-fA-F]+)\}|\\u([0-9a-fA-F]{4})/g, (_m, braced: string | undefined, plain: string | undefined) => {
        const cp = parseInt(braced ?? plain!, 16);
        return cp <= 0x10ffff ? String.fromCodePoint(cp) : "";
      });
      return asText(new TextEncoder().encode(text));
    },
  },
];

/** Percent, `\u` and `\x` escapes decoded where they stand (runs that do not decode stay as they are). */
function decodeEscapesInPlace(text: string): string {
  return text
    .replace(/(?:\\u[0-9a-fA-F]{4}|\\u\{[0-9a-fA-F]{1,6}\})+/g, (run) =>
      run.replace(/\\u\{([0-9a-fA-F]+)\}|\\u([0-9a-fA-F]{4})/g, (_m, braced: string | undefined, plain: string | undefined) => {
        const cp = parseInt(braced ?? plain!, 16);
        return cp <= 0x10ffff ? String.fromCodePoint(cp) : "";
      }),
    )
    .replace(/(?:\\x[0-9a-fA-F]{2})+/g, (run) => {
      const decoded = asText(hexBytes(run.replace(/\\x/g, "")));
      return decoded ?? run;
    })
    .replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
}

/** English families, matched on rot13 and reversed text (two cheap transformations that hide words from a reader). */
const ENGLISH_ONLY = INJECTION_FAMILIES.filter((f) => f.patterns.every((p) => !p.flags.includes("u")));

function encodedInstructions(text: string, depth = 0): string[] {
  const excerpts: string[] = [];
  let runs = 0;
  for (const decoder of DECODERS) {
    decoder.pattern.lastIndex = 0;
    for (const m of text.matchAll(decoder.pattern)) {
      if (++runs > INJECTION_LIMITS.maxRuns || excerpts.length >= 3) break;
      if (m[0].length > INJECTION_LIMITS.maxRunLength) continue;
      const decoded = decoder.decode(m[0]);
      if (decoded === null) continue;
      const normalized = normalizeForMatching(decoded);
      if (matchFamilies(normalized, INJECTION_FAMILIES).size > 0) excerpts.push(`${decoder.name}: ${normalized.trim().slice(0, 100)}`);
      else if (depth === 0) excerpts.push(...encodedInstructions(normalized, 1).map((e) => `${decoder.name} → ${e}`));
    }
  }
  if (depth === 0) {
    // Escapes mixed into plain text ("\u0049\u0067nore all previous instructions"): decoded in place.
    const inline = decodeEscapesInPlace(text);
    if (inline !== text) {
      const plain = matchFamilies(text, INJECTION_FAMILIES);
      for (const [kind, list] of matchFamilies(inline, INJECTION_FAMILIES)) if (!plain.has(kind)) excerpts.push(`escapes: ${list[0]!}`);
    }
    for (const [name, transform] of [
      ["rot13", rot13],
      ["reversed", (s: string) => [...s].reverse().join("")],
    ] as const) {
      const transformed = transform(text);
      const hits = matchFamilies(transformed, ENGLISH_ONLY);
      for (const [, list] of hits) excerpts.push(`${name}: ${list[0]!}`);
    }
  }
  return excerpts.slice(0, 3);
}

/** Every injection kind found in `text`, with up to three excerpts each. */
export function findInjections(text: string): InjectionMatch[] {
  const normalized = normalizeForMatching(text);
  const found = matchFamilies(normalized, INJECTION_FAMILIES);
  const encoded = encodedInstructions(normalized);
  if (encoded.length > 0) found.set("encoded-instructions", encoded);
  const order = ["reviewer-instructions", "fake-verdict", "role-play", "fake-delimiter", "encoded-instructions"];
  return order.filter((kind) => found.has(kind)).map((kind) => ({ kind, title: KIND_TITLES[kind]!, excerpts: found.get(kind)! }));
}
