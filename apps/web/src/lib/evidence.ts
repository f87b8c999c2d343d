// What a finding's evidence and a claim's citations point at, read for a voter: the actions they
// concern, the accounts they name, amounts in the asset they are counted in, shares as percentages,
// and the evidence ids a claim cites. Pure: the report view turns these into links and token units.
import { revealHidden } from "@ai-dao/description";
import { actionLabel } from "@ai-dao/reports";
import { isAddress } from "viem";

/** The parts of an analysis report (version 1 or 2) that evidence refers to, read loosely. */
export interface EvidenceReport {
  findings: readonly { title: string }[];
  targets?: unknown;
  governance?: unknown;
  simulation?: unknown;
}

/** What one evidence id (`call:0`, `finding:2`, `target:1`, `balance:0`, `governor`, `proposer`) points at. */
export type Citation =
  /** A proposal action; `index` counts from 0, as the report does. */
  | { kind: "action"; index: number; text: string }
  /** A finding of the same report; `index` is its position in `report.findings`, from 0. */
  | { kind: "finding"; index: number; text: string }
  /** The treasury's balances, shown with the simulation. */
  | { kind: "simulation"; text: string }
  | { kind: "address"; text: string; address: string }
  | { kind: "text"; text: string };

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

const isAddressText = (value: unknown): value is string => typeof value === "string" && isAddress(value, { strict: false });

export function readCitation(report: EvidenceReport, id: string): Citation {
  const [kind, n, ...rest] = id.split(":");
  const index = n !== undefined && rest.length === 0 && /^\d+$/.test(n) ? Number(n) : null;
  if (index !== null) {
    if (kind === "call") return { kind: "action", index, text: actionLabel(index) };
    if (kind === "finding") {
      const finding = report.findings[index];
      return finding ? { kind: "finding", index, text: `finding “${finding.title}”` } : { kind: "text", text: `finding ${index + 1}` };
    }
    if (kind === "target") {
      const address = record(list(report.targets)[index]).address;
      return isAddressText(address) ? { kind: "address", text: "target", address } : { kind: "text", text: `target ${index + 1}` };
    }
    if (kind === "balance") {
      const symbol = record(list(record(report.governance).balances)[index]).symbol;
      const text = `treasury balance${typeof symbol === "string" && symbol !== "" ? ` of ${symbol}` : ""}`;
      return report.simulation ? { kind: "simulation", text } : { kind: "text", text };
    }
  }
  if (id === "governor") return { kind: "text", text: "the Governor's settings" };
  if (id === "proposer") {
    const address = record(record(report.governance).proposer).address;
    return isAddressText(address) ? { kind: "address", text: "the proposer", address } : { kind: "text", text: "the proposer" };
  }
  return { kind: "text", text: id };
}

/** A citation in words, for text without links. */
export const citationText = (c: Citation) => (c.kind === "address" ? `${c.text} ${c.address.slice(0, 6)}…${c.address.slice(-4)}` : c.text);

/** What an amount is counted in: ETH (wei), a token at an address (its smallest units), the DAO token, or an asset the evidence does not name. */
export type AmountUnit = { kind: "eth" } | { kind: "token"; address: string } | { kind: "dao-token" } | { kind: "unknown" };

export type EvidenceLine =
  | { kind: "actions"; key: string; label: string; indexes: number[] }
  | { kind: "address"; key: string; label: string; address: string }
  | { kind: "addresses"; key: string; label: string; addresses: string[] }
  | { kind: "amount"; key: string; label: string; amounts: string[]; unit: AmountUnit }
  | { kind: "cited"; key: string; label: string; citations: Citation[] }
  /** `full`: the whole value when `text` shortens it. */
  | { kind: "text"; key: string; label: string; text: string; full?: string }
  /** Objects or lists of objects: counted here, shown in full with all the evidence. */
  | { kind: "nested"; key: string; label: string; count: number };

const LABELS: Readonly<Record<string, string>> = {
  address: "Address",
  recipient: "Recipient",
  spender: "Spender",
  account: "Account",
  newOwner: "New owner",
  previousOwner: "Previous owner",
  proxy: "Proxy",
  creator: "Created by",
  controller: "Controlled by",
  delegatedTo: "Delegates its code to",
  imitated: "Resembles",
  asset: "Token",
  amount: "Amount",
  total: "Total",
  treasuryBalance: "Treasury balance",
  declared: "Stated in the description",
  undeclared: "Not stated in the description",
  stated: "Stated in the description",
  votes: "Votes",
  votesBefore: "Votes before",
  quorumVotes: "Quorum",
  arrived: "Moved in",
  unexplained: "Counted as acquired",
  delegatedByOthers: "Delegated by others",
  shareBps: "Share of the treasury",
  worstBps: "Largest share of the treasury",
  recentShareBps: "Share of its votes acquired recently",
  supplyShareBps: "Share of the token supply",
  delegatedShareBps: "Share of its votes delegated recently",
  cited: "Cites",
  unknownIds: "Cites evidence that does not exist",
  recipients: "Recipients",
  newValue: "New value",
  currentValue: "Current value",
  codeHash: "Code hash",
  ageBlocks: "Age (blocks)",
  ageSeconds: "Age (seconds)",
  firstSeenBlock: "First seen in block",
  roles: "Role in the proposal",
  singleKeyControl: "Controlled by a single key",
  unread: "Could not be read",
};

/** What kind of account an address is (the counterparty checks' `kind`), in words. */
const ACCOUNT_KINDS: Readonly<Record<string, string>> = {
  eoa: "an ordinary account, run by a key (no code)",
  "delegated-eoa": "an account run by a key that delegates to code (EIP-7702)",
  contract: "a contract",
  empty: "nothing yet (no code, never used)",
};

/** Amounts in the evidence's `asset` (or, for some checks, an asset they imply). */
const AMOUNT_KEYS = new Set(["amount", "total", "treasuryBalance", "declared", "undeclared", "stated"]);
/** Voting power, counted in the DAO token's units. */
const VOTE_KEYS = new Set(["votes", "votesBefore", "quorumVotes", "arrived", "unexplained", "delegatedByOthers"]);
const BPS_KEYS = new Set(["shareBps", "worstBps", "recentShareBps", "supplyShareBps", "delegatedShareBps"]);
/** Internal ids that only say which rule matched (description-claims' `claim: "no-outflow"`). */
const INTERNAL: Readonly<Record<string, ReadonlySet<string>>> = { "description-claims": new Set(["claim"]) };

/** `newOwner` → "New owner". */
export function keyLabel(key: string): string {
  const known = LABELS[key];
  if (known) return known;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Basis points as a percentage: 6000 → "60%", 125 → "1.25%". */
export function bpsText(bps: number): string {
  return `${(bps / 100).toLocaleString("en-US", { maximumFractionDigits: 2 })}%`;
}

const MAX_TEXT = 160;

/**
 * A value in a line: hidden characters shown as markers (⟦U+202E⟧: evidence can quote the
 * description), long hex shortened at both ends, long text cut (the whole value stays in `full`).
 */
export function shortText(raw: string): { text: string; full?: string } {
  const value = revealHidden(raw);
  if (/^0x[0-9a-fA-F]{24,}$/.test(value)) return { text: `${value.slice(0, 10)}…${value.slice(-8)}`, full: value };
  const chars = [...value];
  if (chars.length > MAX_TEXT) return { text: `${chars.slice(0, MAX_TEXT - 1).join("")}…`, full: value };
  return { text: value };
}

function primitiveText(value: unknown): string {
  if (value === null) return "not known";
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

const isAmountText = (value: unknown): value is string | number => (typeof value === "string" && /^-?\d+$/.test(value)) || (typeof value === "number" && Number.isInteger(value));

/** What the amounts of this evidence are counted in. */
function amountUnit(evidence: Record<string, unknown>, check: string | undefined): AmountUnit {
  const asset = evidence.asset;
  if (typeof asset === "string" && asset.toUpperCase() === "ETH") return { kind: "eth" };
  if (isAddressText(asset)) return { kind: "token", address: asset };
  // A call's ETH value (value sent to an account without code).
  if (check === "eoa-calls") return { kind: "eth" };
  if (check === "recent-voting-power") return { kind: "dao-token" };
  return { kind: "unknown" };
}

/**
 * The evidence of a finding as lines a voter reads, in the evidence's order: the actions it concerns
 * first (`callIndex` and `callIndexes` as one line), then accounts, amounts, percentages, citations
 * and any other value. `check` is the finding's check (some checks' amounts imply their asset).
 */
export function evidenceLines(evidence: Record<string, unknown> | undefined, report: EvidenceReport, check?: string): EvidenceLine[] {
  if (!evidence) return [];
  const lines: EvidenceLine[] = [];
  const calls = [...list(evidence.callIndexes), evidence.callIndex].filter((i): i is number => typeof i === "number" && Number.isInteger(i) && i >= 0);
  const indexes = [...new Set(calls)].sort((a, b) => a - b);
  if (indexes.length > 0) lines.push({ kind: "actions", key: "callIndex", label: "Concerns", indexes });
  const unit = amountUnit(evidence, check);
  const internal = INTERNAL[check ?? ""] ?? new Set<string>();
  for (const [key, value] of Object.entries(evidence)) {
    if (key === "callIndex" || key === "callIndexes" || value === undefined || internal.has(key)) continue;
    const label = keyLabel(key);
    if (key === "asset" && typeof value === "string" && value.toUpperCase() === "ETH") lines.push({ kind: "text", key, label, text: "ETH" });
    else if (key === "kind" && typeof value === "string" && Object.hasOwn(ACCOUNT_KINDS, value)) lines.push({ kind: "text", key, label: "Account", text: ACCOUNT_KINDS[value]! });
    else if (isAddressText(value)) lines.push({ kind: "address", key, label, address: value });
    else if (Array.isArray(value) && value.length > 0 && value.every(isAddressText)) lines.push({ kind: "addresses", key, label, addresses: value });
    else if ((key === "cited" || key === "unknownIds") && Array.isArray(value)) {
      const ids = value.filter((v): v is string => typeof v === "string");
      lines.push(key === "cited" ? { kind: "cited", key, label, citations: ids.map((id) => readCitation(report, id)) } : { kind: "text", key, label, text: ids.join(", ") || "none" });
    } else if (BPS_KEYS.has(key) && typeof value === "number") lines.push({ kind: "text", key, label, text: bpsText(value) });
    else if ((AMOUNT_KEYS.has(key) || (check === "recent-voting-power" && VOTE_KEYS.has(key))) && (isAmountText(value) || (Array.isArray(value) && value.length > 0 && value.every(isAmountText)))) {
      const amounts = (Array.isArray(value) ? value : [value]).map(String);
      lines.push({ kind: "amount", key, label, amounts, unit: VOTE_KEYS.has(key) ? { kind: "dao-token" } : unit });
    } else if (value !== null && typeof value === "object") {
      const items = Array.isArray(value) ? value : Object.keys(value);
      if (Array.isArray(value) && value.every((v) => v === null || typeof v !== "object")) {
        const shown = value.slice(0, 10).map(primitiveText).join(", ");
        const { text, full } = shortText(value.length > 10 ? `${shown} and ${value.length - 10} more` : shown || "none");
        lines.push({ kind: "text", key, label, text, ...(full !== undefined || value.length > 10 ? { full: value.map(primitiveText).join(", ") } : {}) });
      } else lines.push({ kind: "nested", key, label, count: items.length });
    } else lines.push({ kind: "text", key, label, ...shortText(primitiveText(value)) });
  }
  // Reports are stored as canonical JSON, with keys in alphabetical order: the order a voter reads is restored here.
  return lines.map((line, i) => ({ line, i })).sort((a, b) => rank(a.line) - rank(b.line) || a.i - b.i).map(({ line }) => line);
}

/** Actions, then accounts, amounts (the token after them), shares, citations, other values, nested values. */
function rank(line: EvidenceLine): number {
  if (line.kind === "actions") return 0;
  if (line.key === "asset") return 3;
  if (line.kind === "address" || line.kind === "addresses") return 1;
  if (line.kind === "amount") return 2;
  if (BPS_KEYS.has(line.key)) return 4;
  if (line.kind === "cited") return 5;
  if (line.kind === "nested") return 7;
  return 6;
}
