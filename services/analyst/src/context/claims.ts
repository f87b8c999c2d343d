// What a description asserts, read from the text voters see: statements that nothing leaves the
// treasury, the addresses it names (exactly as written, so a wrong checksum shows, or in short form
// as `0x5fc8…f707`), and what it says an address (or the recipient) is: a multisig, a Safe, a vault,
// an escrow, a contract the DAO alone can withdraw from. The checks compare these with the calls and
// the chain. Pure and total: any string gives an answer, and the work is linear in the text (bounded
// regexes, capped lists).
import { checksumAddress, type Address } from "viem";

import { normalizeForMatching } from "../checks/injection/detect.ts";

/** Bounds on the work and the size of the answer for one text. */
export const CLAIM_LIMITS = {
  /** Distinct addresses kept. */
  maxAddresses: 200,
  /** Descriptor mentions looked at. */
  maxDescriptors: 500,
  /** Statements kept per kind. */
  maxStatements: 20,
  /** Characters of a quoted statement. */
  maxQuote: 200,
} as const;

/** What a "nothing moves" statement says: holdings do not change, no funds move, nothing is transferred. */
export type NoOutflowKind = "holdings" | "funds" | "transfer";

export interface NoOutflowClaim {
  kind: NoOutflowKind;
  /** The statement as matched (hidden characters removed, look-alike letters folded). */
  text: string;
}

/** What the description says an address (or the recipient) is. */
export type Descriptor = "multisig" | "safe" | "contract" | "vault" | "non-custodial" | "dao-only-withdrawal" | "timelock" | "escrow";

/** Each descriptor in the fixed words code writes about it (never the description's own words). */
export const DESCRIPTOR_NOUN: Record<Descriptor, string> = {
  multisig: "a multisig",
  safe: "a Safe",
  contract: "a contract",
  vault: "a vault",
  "non-custodial": "non-custodial",
  "dao-only-withdrawal": "withdrawable only by the DAO",
  timelock: "a timelock",
  escrow: "an escrow",
};

export interface DescriptorMention {
  descriptor: Descriptor;
  /** The words as matched. */
  text: string;
  /** A stated `M-of-N` (multisig / Safe only). */
  threshold?: { required: number; owners: number };
}

/** How an address is written: all lower case, all upper case, a valid EIP-55 checksum, or mixed case with a wrong checksum. */
export type AddressCase = "lower" | "upper" | "checksummed" | "bad-checksum";

export interface AddressMention {
  /** Lower case. */
  address: Address;
  /** Exactly as written. */
  written: string;
  writtenAs: AddressCase;
}

export interface NamedAddress {
  /** Lower case. */
  address: Address;
  /** Each distinct spelling in the text (at most five). */
  written: string[];
  /** Spellings in mixed case whose EIP-55 checksum is wrong. */
  badChecksum: string[];
  /** What the text says this address is, from words next to it in the same sentence. */
  descriptors: DescriptorMention[];
}

/** An address written short, as wallets and explorers show it: `0x5fc8…f707`, `0x5fc8...f707`. */
export interface AbbreviatedAddress {
  /** As written, or as read when only the text as read shows it (a zero-width character inside). */
  written: string;
  /** The hex characters before the ellipsis (after `0x`), lower case. */
  prefix: string;
  /** The hex characters after the ellipsis, lower case. */
  suffix: string;
}

export interface DescriptionClaims {
  /** "No change to the DAO's holdings", "no funds move", "no ETH leaves the treasury", "nothing is transferred", ... */
  noOutflow: NoOutflowClaim[];
  /** Addresses written in the text (the Governor's `#proposer=` suffix aside), in order of first mention. */
  addresses: NamedAddress[];
  /** Addresses written short (first and last hex characters around an ellipsis), in order of first mention. */
  abbreviations: AbbreviatedAddress[];
  /** Descriptors said of the recipient without an address ("a top-up of the ops multisig", "into a non-custodial vault"). */
  recipientDescriptors: DescriptorMention[];
}

const ADDRESS = /(?<![0-9A-Za-z_])0x[0-9a-fA-F]{40}(?![0-9A-Za-z_])/g;
const PROPOSER_SUFFIX = /#proposer=0x[0-9a-fA-F]{40}\s*$/;
/** `0x` and at least four hex characters, an ellipsis (`…` or `...`), at least four hex characters. */
const ABBREVIATED = /(?<![0-9A-Za-z_])0x([0-9a-fA-F]{4,40})(?:…|\.{3})([0-9a-fA-F]{4,40})(?![0-9A-Za-z_])/g;

/** `text` as a string (anything else is no text), without the Governor's `#proposer=0x…` suffix, which names who may propose. */
function body(text: unknown): string {
  return typeof text === "string" ? text.replace(PROPOSER_SUFFIX, "") : "";
}

function caseOf(written: string): AddressCase {
  const hex = written.slice(2);
  if (hex === hex.toLowerCase()) return "lower";
  if (hex === hex.toUpperCase()) return "upper";
  return checksumAddress(written.toLowerCase() as Address) === written ? "checksummed" : "bad-checksum";
}

/** Every address written in `text`, exactly as written, without the `#proposer=` suffix. */
export function addressMentions(text: string): AddressMention[] {
  return [...body(text).matchAll(ADDRESS)].map((m) => ({ address: m[0].toLowerCase() as Address, written: m[0], writtenAs: caseOf(m[0]) }));
}

/** Addresses written in `text` (lower case), without the Governor's `#proposer=0x…` suffix, which names who may propose, not who gets paid. */
export function namedAddresses(text: string): string[] {
  return [...body(text).matchAll(ADDRESS)].map((m) => m[0].toLowerCase());
}

/** Addresses written short in `text` (`0x5fc8…f707`), each distinct prefix and suffix once, without the `#proposer=` suffix. */
export function abbreviatedAddresses(text: string): AbbreviatedAddress[] {
  const raw = body(text);
  return raw === "" ? [] : findAbbreviations(raw, normalizeForMatching(raw));
}

/** Short forms as written, then as read (a short form split by a zero-width character is one to a reader). */
function findAbbreviations(...sources: string[]): AbbreviatedAddress[] {
  const out: AbbreviatedAddress[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    for (const m of source.matchAll(ABBREVIATED)) {
      const prefix = m[1]!.toLowerCase();
      const suffix = m[2]!.toLowerCase();
      if (prefix.length + suffix.length > 40) continue;
      const key = `${prefix}.${suffix}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ written: m[0], prefix, suffix });
      if (out.length >= CLAIM_LIMITS.maxAddresses) return out;
    }
  }
  return out;
}

/** Whether `address` is one that `abbreviation` may stand for: it starts with its prefix and ends with its suffix. */
export function matchesAbbreviation(address: string, abbreviation: Pick<AbbreviatedAddress, "prefix" | "suffix">): boolean {
  const a = address.toLowerCase();
  return a.length === 42 && a.startsWith(`0x${abbreviation.prefix}`) && a.endsWith(abbreviation.suffix);
}

// "Nothing leaves the treasury", in a few common phrasings. Every pattern is a fixed sequence of
// words with single-character classes between them, so matching is linear in the text.
const APOS = "['’]";
/** "does not", "doesn't", "will not", "won't", "cannot", ... */
const NEG_AUX = `(?:(?:does|do|did|will|would|shall|should|can)(?:\\s+not|n${APOS}t)|won${APOS}t|cannot)`;
const ASSET = `(?:funds|money|tokens?|ETH|ether|assets|value|stablecoins?)`;
const ASSETS = `(?:(?:treasury|DAO|DAO${APOS}s)\\s+)?${ASSET}(?:\\s*(?:,|/|or|and|nor)\\s*${ASSET}){0,3}`;
const MOVE = `(?:moved?|moves|moving|leaves?|leaving|transferred|sent|spent|withdrawn|paid(?:\\s+out)?|used|requested|exit|exits|change\\s+hands|flows?\\s+out|goes\\s+out|go\\s+out)`;
const HOLDINGS = `(?:(?:the\\s+)?(?:DAO${APOS}?s?|treasury${APOS}?s?|our|its)\\s+)?(?:holdings|balances?|treasury|funds|assets)`;

const NO_OUTFLOW: { kind: NoOutflowKind; re: RegExp }[] = [
  { kind: "holdings", re: new RegExp(`\\bno\\s+changes?\\s+(?:to|in|of)\\s+(?:the\\s+)?${HOLDINGS}\\b`, "iu") },
  { kind: "holdings", re: new RegExp(`\\b(?:holdings|balances|treasury|treasury\\s+balances?|funds|assets)\\s+${NEG_AUX}\\s+change\\b`, "iu") },
  {
    kind: "holdings",
    re: new RegExp(`\\b(?:holdings|balances|treasury|funds|assets)\\s+(?:remains?|stays?|are|is|will\\s+(?:remain|stay|be))\\s+(?:unchanged|untouched|intact|the\\s+same)\\b`, "iu"),
  },
  { kind: "holdings", re: new RegExp(`\\b${NEG_AUX}\\s+(?:affect|touch|change|impact|reduce)\\s+(?:the\\s+)?${HOLDINGS}\\b`, "iu") },
  { kind: "holdings", re: new RegExp(`\\bno\\s+(?:impact|effect)\\s+on\\s+(?:the\\s+)?${HOLDINGS}\\b`, "iu") },
  { kind: "funds", re: new RegExp(`\\bno\\s+${ASSETS}\\s+(?:(?:is|are|will|will\\s+be|would\\s+be|get|gets)\\s+)?${MOVE}\\b`, "iu") },
  {
    kind: "funds",
    re: new RegExp(
      `\\b${NEG_AUX}\\s+(?:move|transfer|spend|send|use|withdraw|pay\\s+out)\\s+(?:any\\s+)?(?:of\\s+)?(?:the\\s+)?(?:DAO${APOS}?s?\\s+|treasury\\s+)?(?:funds|tokens|ETH|ether|assets|money|holdings)\\b`,
      "iu",
    ),
  },
  { kind: "funds", re: new RegExp(`\\bwithout\\s+(?:moving|transferring|spending|sending)\\s+(?:any\\s+)?(?:funds|tokens|ETH|ether|assets|money)\\b`, "iu") },
  { kind: "funds", re: new RegExp(`\\b(?:at\\s+)?no\\s+cost\\s+to\\s+(?:the\\s+)?(?:DAO|treasury)\\b`, "iu") },
  { kind: "funds", re: new RegExp(`\\bno\\s+(?:treasury\\s+)?(?:outflows?|spending)\\b`, "iu") },
  { kind: "transfer", re: /\bno\s+(?:(?:token|fund|ETH|treasury|asset)\s+)?transfers?\b(?!\s*(?:fees?|tax(?:es)?|restrictions?|limits?|hooks?|locks?))/iu },
  { kind: "transfer", re: /\bnothing\s+(?:is|will\s+be|gets|would\s+be)\s+(?:moved|transferred|sent|spent|withdrawn|paid(?:\s+out)?)\b/iu },
  { kind: "transfer", re: /\bnothing\s+(?:leaves|moves\s+out\s+of|is\s+taken\s+from)\s+(?:the\s+)?(?:treasury|DAO)\b/iu },
];

/** Statements that nothing leaves the treasury, each pattern's matches in order. */
function findNoOutflow(text: string): NoOutflowClaim[] {
  const out: NoOutflowClaim[] = [];
  const seen = new Set<string>();
  for (const { kind, re } of NO_OUTFLOW) {
    const global = new RegExp(re.source, `${re.flags}g`);
    for (const m of text.matchAll(global)) {
      // "... does not say no funds move" and "is it true that no funds move?" are not statements.
      const before = text.slice(Math.max(0, m.index - 24), m.index);
      if (/\b(?:not|never|if|whether)\s+(?:say(?:s|ing)?\s+(?:that\s+)?)?$/iu.test(before)) continue;
      const quote = m[0].replace(/\s+/g, " ").slice(0, CLAIM_LIMITS.maxQuote);
      if (seen.has(quote.toLowerCase())) continue;
      seen.add(quote.toLowerCase());
      out.push({ kind, text: quote });
      if (out.length >= CLAIM_LIMITS.maxStatements) return out;
    }
  }
  return out;
}

// What an address is. "Safe" counts only as a capitalised name (not "safe to execute", not a
// sentence's first word, not "Safe Harbor"). A descriptor describes an address written next to it,
// or else the recipient when it follows "to the ...", "top-up of the ...", "held in ..."; only
// "non-custodial" and "only the DAO can withdraw" describe the recipient wherever they stand.
const DESCRIPTORS: { descriptor: Descriptor; re: RegExp }[] = [
  { descriptor: "non-custodial", re: /\bnon[\s-]?custodial\b/giu },
  {
    descriptor: "dao-only-withdrawal",
    re: /\bonly\s+(?:the\s+)?(?:DAO|timelock|treasury|governance)\s+(?:can|may|could|is\s+able\s+to|will\s+be\s+able\s+to)\s+(?:withdraw|move|spend|release|access)\b/giu,
  },
  { descriptor: "dao-only-withdrawal", re: /\bwithdraw(?:n|able)?\s+only\s+by\s+(?:the\s+)?(?:DAO|timelock|treasury|governance)\b/giu },
  { descriptor: "multisig", re: /\b(\d{1,2})[\s-]*(?:of|out\s+of|\/)[\s-]*(\d{1,2})\s+(?:multi[\s-]?sig(?:nature)?s?|Safe|signers|signatures|owners)\b/giu },
  { descriptor: "multisig", re: /\bmulti[\s-]?sig(?:nature)?s?\b/giu },
  { descriptor: "safe", re: /\bGnosis[\s-]*Safe\b/giu },
  { descriptor: "safe", re: /(?<![.!?:#\n]\s{0,3}|^\s{0,3})\bSafe\b(?!\s+[Hh]arbou?r)(?!\s*[{]?\s*Math)/gu },
  { descriptor: "vault", re: /\bvaults?\b/giu },
  { descriptor: "escrow", re: /\bescrow(?:ed|s)?\b/giu },
  { descriptor: "timelock", re: /\btime[\s-]?lock(?:ed)?\b/giu },
  { descriptor: "contract", re: /\b(?:smart\s+)?contract\b/giu },
];

/** Words that end the phrase tying a descriptor to an address: another action, another party, a negation. */
const BREAK_WORDS = new Set([
  ..."to for from and or but then pay pays paid send sends sent transfer transfers fund funds with by via into than after before".split(" "),
  ..."not no never isn't isn’t instead unlike except replaces replacing old previous former".split(" "),
]);
const WORD = /[\p{L}\p{N}'’-]+/gu;
const SENTENCE_END = /[.!?;](?:\s|$)|\n/u;
/** At most this many words between a descriptor and the address it describes. */
const MAX_GAP_WORDS = 4;
const MAX_GAP_CHARS = 80;
/** A recipient phrase before an unattached descriptor: "to the ops multisig", "top-up of the grants Safe", "held in escrow". */
const RECIPIENT_LEAD =
  /\b(?:to|into|towards|top[\s-]?up\s+(?:of|for)|(?:held|kept|deposited|locked|placed)\s+(?:in|into|by|with))\s+(?:(?:the|a|an|our|its|their|this|that|[\p{L}\p{N}-]+['’]s)\s+(?:[\p{L}\p{N}'’-]+\s+){0,3})?$/iu;
/** A descriptor used as a modifier of another noun ("the contract audit", "the multisig signers") describes that noun, not an account. */
const MODIFIED =
  /^\s+(?:audits?|auditors?|work|reviews?|reviewers?|developers?|engineers?|teams?|upgrades?|calls?|code|security|signers?|members?|owners?|holders?|keyholders?|signatories|council|design|logic|deployment|migration|standard|template|factory)\b/iu;
const NEGATED = /\b(?:not|no|never|isn['’]t|without|instead\s+of|rather\s+than)\s+(?:[\p{L}\p{N}'’-]+\s+){0,2}$/iu;

interface Located {
  start: number;
  end: number;
}

/** The text between two spans, if it ties them together: same sentence, few words, none that start another phrase. */
function tied(text: string, a: Located, b: Located): number | null {
  const [first, second] = a.start < b.start ? [a, b] : [b, a];
  if (second.start - first.end > MAX_GAP_CHARS) return null;
  const gap = text.slice(first.end, second.start);
  if (SENTENCE_END.test(gap)) return null;
  const words = gap.match(WORD) ?? [];
  if (words.length > MAX_GAP_WORDS) return null;
  if (words.some((w) => BREAK_WORDS.has(w.toLowerCase()))) return null;
  return words.length;
}

/** First index in sorted `spans` whose start is at or after `at`. */
function firstAtOrAfter(spans: Located[], at: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.start < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function emptyClaims(): DescriptionClaims {
  return { noOutflow: [], addresses: [], abbreviations: [], recipientDescriptors: [] };
}

/**
 * What the visible text of a description asserts. Matching runs on the text as read (hidden
 * characters removed, compatibility forms folded, look-alike letters in Latin words folded to
 * Latin, so "multіsig" with a Cyrillic і is a multisig); addresses keep their exact spelling.
 */
export function extractClaims(visibleText: string): DescriptionClaims {
  const raw = body(visibleText);
  if (raw === "") return emptyClaims();
  const text = normalizeForMatching(raw);
  const claims = emptyClaims();
  claims.noOutflow = findNoOutflow(text);
  claims.abbreviations = findAbbreviations(raw, text);

  // Addresses: spellings from the text as written; positions from the text as read (an address
  // split by a zero-width character is one address to a reader).
  const byAddress = new Map<string, NamedAddress>();
  const add = (written: string) => {
    const address = written.toLowerCase() as Address;
    let entry = byAddress.get(address);
    if (entry === undefined) {
      if (byAddress.size >= CLAIM_LIMITS.maxAddresses) return;
      entry = { address, written: [], badChecksum: [], descriptors: [] };
      byAddress.set(address, entry);
    }
    if (!entry.written.includes(written) && entry.written.length < 5) entry.written.push(written);
    if (caseOf(written) === "bad-checksum" && !entry.badChecksum.includes(written)) entry.badChecksum.push(written);
  };
  for (const m of raw.matchAll(ADDRESS)) add(m[0]);
  const spans: (Located & { address: string })[] = [];
  for (const m of text.matchAll(ADDRESS)) {
    add(m[0]);
    spans.push({ start: m.index, end: m.index + m[0].length, address: m[0].toLowerCase() });
  }

  const mentions: (Located & DescriptorMention)[] = [];
  for (const { descriptor, re } of DESCRIPTORS) {
    for (const m of text.matchAll(re)) {
      if (mentions.length >= CLAIM_LIMITS.maxDescriptors) break;
      // "Gnosis Safe" is one Safe, not a Safe and a Gnosis Safe; "3-of-5 multisig" one multisig.
      const span = { start: m.index, end: m.index + m[0].length };
      if (mentions.some((d) => d.start <= span.start && span.end <= d.end)) continue;
      const mention: Located & DescriptorMention = { ...span, descriptor, text: m[0].replace(/\s+/g, " ") };
      if (m[1] !== undefined && m[2] !== undefined) mention.threshold = { required: Number(m[1]), owners: Number(m[2]) };
      mentions.push(mention);
    }
  }
  mentions.sort((a, b) => a.start - b.start);

  for (const d of mentions) {
    const lead = text.slice(Math.max(0, d.start - 80), d.start);
    if (NEGATED.test(lead) || MODIFIED.test(text.slice(d.end, d.end + 40))) continue;
    const { start: _s, end: _e, ...mention } = d;
    const next = firstAtOrAfter(spans, d.end);
    const candidates = [spans[next - 1], spans[next]].filter((s): s is Located & { address: string } => s !== undefined && (s.end <= d.start || s.start >= d.end));
    let best: { address: string; words: number } | null = null;
    for (const s of candidates) {
      const words = tied(text, d, s);
      if (words !== null && (best === null || words < best.words || (words === best.words && s.start >= d.end))) best = { address: s.address, words };
    }
    if (best !== null) {
      const entry = byAddress.get(best.address);
      if (entry && !entry.descriptors.some((x) => x.descriptor === mention.descriptor && x.text === mention.text)) entry.descriptors.push(mention);
      continue;
    }
    if (d.descriptor === "non-custodial" || d.descriptor === "dao-only-withdrawal" || RECIPIENT_LEAD.test(lead)) {
      if (!claims.recipientDescriptors.some((x) => x.descriptor === mention.descriptor && x.text === mention.text)) claims.recipientDescriptors.push(mention);
    }
  }
  claims.addresses = [...byAddress.values()];
  return claims;
}

/** Two different addresses that share their first and last `chars` hex characters (case-insensitive): one imitates the other. */
export function looksAlike(a: string, b: string, chars = 4): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y || x.length !== 42 || y.length !== 42) return false;
  return x.slice(2, 2 + chars) === y.slice(2, 2 + chars) && x.slice(-chars) === y.slice(-chars);
}
