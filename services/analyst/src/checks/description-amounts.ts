import { getAddress, type Address } from "viem";

import { abbreviatedAddresses, matchesAbbreviation, namedAddresses } from "../context/claims.ts";
import { describeDescription } from "../context/description.ts";
import { addressLabel, formatAssetAmount } from "../units.ts";
import { isTreasury, type AnalysisContext, type Finding, type ProposalCheck, type Severity } from "./types.ts";
import { actionLabel } from "@ai-dao/reports";

export { namedAddresses };

/** An amount of an asset the description states, in base units. */
export interface StatedAmount {
  text: string;
  asset: "ETH" | Address;
  symbol: string;
  amount: bigint;
  /** Written with an approximation: "≈", "~", "about", "around", "roughly", "approximately", ... */
  approximate: boolean;
  /** How far a moved amount may be from `amount` and still match it, in base units (0: exactly). */
  tolerance: bigint;
}

const MULTIPLIERS: Record<string, bigint> = { k: 1_000n, thousand: 1_000n, m: 1_000_000n, mm: 1_000_000n, million: 1_000_000n, b: 1_000_000_000n, billion: 1_000_000_000n };
/** Digits beyond which a number is not an amount anyone states (and would be costly to convert). */
const MAX_DIGITS = 80;
/** An approximation word or sign right before the number. */
const APPROXIMATELY = /(?:≈|∼|~=?|\babout|\baround|\broughly|\bapproximately|\bapprox\.?|\bcirca|\bca\.|\bsome|\bnearly|\balmost|\bclose\s+to)\s*\$?$/iu;

/**
 * Thousands separators in prose: a comma, a no-break space (U+00A0, Russian and French typography), a
 * narrow no-break space (U+202F), a thin space (U+2009) and an apostrophe (Swiss). Between groups of
 * exactly three digits, one kind throughout a number. A plain space is not one: "2 500 DEMO" may be a
 * count and an amount, so it reads as 500 DEMO.
 */
const GROUP = ",\u00A0\u202F\u2009'";
const GROUP_CHARS = new RegExp(`[${GROUP}_\\s]`, "g");

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `1,234.5` with `decimals` → base units; null when the fraction has more digits than the asset. */
function toBaseUnits(integer: string, fraction: string | undefined, multiplier: bigint, decimals: number): bigint | null {
  const frac = fraction ?? "";
  const scale = 10n ** BigInt(decimals);
  const whole = BigInt(integer.replace(GROUP_CHARS, "")) * scale;
  const part = frac === "" ? 0n : (BigInt(frac) * scale) / 10n ** BigInt(frac.length);
  if (frac !== "" && (BigInt(frac) * scale) % 10n ** BigInt(frac.length) !== 0n) return null;
  return (whole + part) * multiplier;
}

/**
 * How far a moved amount may be from a stated one: an approximation word allows the rounding of
 * the written value (half its last significant place) between 1 % and 5 %; a value written with
 * at most two significant digits ("0.48", "600k", "5") allows 1 %; anything more precise, nothing.
 */
function toleranceOf(integer: string, fraction: string | undefined, multiplier: bigint, decimals: number, amount: bigint, approximate: boolean): bigint {
  const int = integer.replace(GROUP_CHARS, "").replace(/^0+/, "");
  const frac = fraction ?? "";
  let significant: number;
  let lastPlace: bigint;
  if (frac !== "") {
    significant = int.length + (int === "" ? frac.replace(/^0+/, "").length : frac.length);
    lastPlace = frac.length >= decimals ? multiplier : 10n ** BigInt(decimals - frac.length) * multiplier;
  } else {
    const trailing = int.length - int.replace(/0+$/, "").length;
    significant = Math.max(1, int.length - trailing);
    lastPlace = 10n ** BigInt(trailing + decimals) * multiplier;
  }
  const onePercent = amount / 100n;
  if (approximate) {
    const rounding = lastPlace / 2n;
    const cap = (amount * 5n) / 100n;
    const within = rounding < cap ? rounding : cap;
    return within > onePercent ? within : onePercent;
  }
  return significant <= 2 ? onePercent : 0n;
}

/** Whether `moved` is the stated amount, exactly or within its tolerance. */
export function amountMatches(stated: Pick<StatedAmount, "amount" | "tolerance">, moved: bigint): boolean {
  const diff = moved > stated.amount ? moved - stated.amount : stated.amount - moved;
  return diff <= stated.tolerance;
}

/**
 * Amounts with a unit in `text`: `1 ETH`, `2.5 ether`, `4,000 DEMO`, `10k DEMO`, `1.2 million DEMO`,
 * `≈ 0.48 ETH`, `about 0.5 ETH`, `~600k dUSD`, for ETH and every token the treasury context knows
 * (by symbol).
 */
export function findStatedAmounts(text: string, ctx: Pick<AnalysisContext, "governance">): StatedAmount[] {
  const units: { pattern: string; asset: "ETH" | Address; symbol: string; decimals: number }[] = [
    { pattern: "ETH|ether|eth", asset: "ETH", symbol: "ETH", decimals: 18 },
    { pattern: "wei", asset: "ETH", symbol: "ETH", decimals: 0 },
  ];
  for (const b of ctx.governance.balances) {
    if (b.asset === "ETH" || b.symbol === null || b.decimals === null || b.symbol.trim() === "") continue;
    units.push({ pattern: escape(b.symbol), asset: b.asset, symbol: b.symbol, decimals: b.decimals });
  }
  const found: StatedAmount[] = [];
  for (const unit of units) {
    // The multiplier carries its own leading space so two optional runs of spaces never compete. A
    // number starts after no word character, point or separator after a digit, so the end of
    // "1 5000" (a group of four) is not read as an amount of its own.
    const re = new RegExp(
      `(?<![\\w.,]|\\d[${GROUP}])(\\d{1,3}([${GROUP}])\\d{3}(?:\\2\\d{3})*|\\d+)(?:\\.(\\d+))?(?:\\s*(k|m|mm|b|thousand|million|billion)(?![\\w]))?\\s*\\$?(?:${unit.pattern})(?![\\w])`,
      unit.asset === "ETH" ? "gi" : "g",
    );
    for (const m of text.matchAll(re)) {
      if (m[1]!.length + (m[3]?.length ?? 0) > MAX_DIGITS) continue;
      const multiplier = MULTIPLIERS[(m[4] ?? "").toLowerCase()] ?? 1n;
      const amount = toBaseUnits(m[1]!, m[3], multiplier, unit.decimals);
      if (amount === null) continue;
      const approximate = APPROXIMATELY.test(text.slice(Math.max(0, m.index - 24), m.index));
      const tolerance = toleranceOf(m[1]!, m[3], multiplier, unit.decimals, amount, approximate);
      found.push({ text: m[0], asset: unit.asset, symbol: unit.symbol, amount, approximate, tolerance });
    }
  }
  return found;
}

interface Flow {
  asset: "ETH" | Address;
  recipient: Address;
  amount: bigint;
  callIndex: number;
}

function flows(ctx: AnalysisContext): Flow[] {
  const out: Flow[] = [];
  for (const call of ctx.calls) {
    if (call.value > 0n) out.push({ asset: "ETH", recipient: call.target, amount: call.value, callIndex: call.index });
    const args = call.args ?? [];
    if (call.abiSource === "DAOGovernor" || call.abiSource === "TimelockController") continue;
    if (call.signature === "transfer(address,uint256)") out.push({ asset: call.target, recipient: getAddress(args[0] as Address), amount: args[1] as bigint, callIndex: call.index });
    if (call.signature === "transferFrom(address,address,uint256)" && isTreasury(ctx, args[0])) {
      out.push({ asset: call.target, recipient: getAddress(args[1] as Address), amount: args[2] as bigint, callIndex: call.index });
    }
  }
  return out;
}

const key = (asset: "ETH" | Address) => (asset === "ETH" ? "ETH" : asset.toLowerCase());

/** One stated amount compared with the calls. */
export interface AmountClaim {
  stated: StatedAmount;
  /** `matched`: a recipient's total, one call or the asset's total equals it (within its tolerance); `mismatched`: the calls move other amounts of the asset, or none; `unsupported`: other amounts match, this one nothing. */
  status: "matched" | "mismatched" | "unsupported";
  /** Matched exactly (not within a tolerance). */
  exact: boolean;
  callIndexes: number[];
  explanation: string;
  /** The findings that state the mismatch. */
  findings: Finding[];
}

/** The recipients of the calls against the addresses the description names. */
export interface RecipientClaim {
  named: string[];
  status: "matched" | "mismatched";
  callIndexes: number[];
  findings: Finding[];
}

const CHECK_ID = "description-amounts";

type AmountsAnalysis = { findings: Finding[]; claims: AmountClaim[]; recipients: RecipientClaim | null };

/** One analysis per context: the check, the claims section and the disclosed-payment rule all ask. */
const analysed = new WeakMap<AnalysisContext, AmountsAnalysis>();

/** Stated amounts and named recipients against the decoded transfers: the findings, and each statement's outcome. */
export function analyseAmounts(ctx: AnalysisContext): AmountsAnalysis {
  const known = analysed.get(ctx);
  if (known) return known;
  const result = analyseAmountsOnce(ctx);
  analysed.set(ctx, result);
  return result;
}

function analyseAmountsOnce(ctx: AnalysisContext): AmountsAnalysis {
  const findings: Finding[] = [];
  const claims: AmountClaim[] = [];
  const visible = describeDescription(ctx.proposal).visibleText;
  const stated = findStatedAmounts(visible, ctx);
  const moved = flows(ctx);
  const fmt = (asset: "ETH" | Address, amount: bigint) => formatAssetAmount(ctx.governance, asset, amount);
  const says = (s: StatedAmount) => `${s.approximate ? "about " : ""}${fmt(s.asset, s.amount)}`;
  const assets = new Set([...stated.map((s) => key(s.asset)), ...moved.map((f) => key(f.asset))]);
  for (const asset of assets) {
    const statedHere = stated.filter((s) => key(s.asset) === asset);
    const does = moved.filter((f) => key(f.asset) === asset);
    if (statedHere.length === 0) continue;
    const statedList = [...new Set(statedHere.map(says))].join(", ");
    const symbol = statedHere[0]!.symbol;
    if (does.length === 0) {
      const finding: Finding = {
        id: "description-amounts/not-moved",
        check: CHECK_ID,
        severity: "low",
        title: `The description states ${statedList} but no call moves ${symbol}`,
        detail: "Amounts in the text have no matching transfer in the calldata.",
        evidence: { asset: statedHere[0]!.asset, stated: statedHere.map((s) => s.amount.toString()) },
      };
      findings.push(finding);
      for (const s of statedHere) claims.push({ stated: s, status: "mismatched", exact: false, callIndexes: [], explanation: `No call moves ${symbol}.`, findings: [finding] });
      continue;
    }
    const perRecipient = new Map<string, Flow>();
    for (const f of does) {
      const entry = perRecipient.get(f.recipient.toLowerCase()) ?? { ...f, amount: 0n };
      entry.amount += f.amount;
      perRecipient.set(f.recipient.toLowerCase(), entry);
    }
    const total = does.reduce((sum, f) => sum + f.amount, 0n);
    const statedMatch = (v: bigint) => statedHere.some((s) => amountMatches(s, v));
    const unmatched = [...perRecipient.values()].filter((f) => !statedMatch(f.amount) && !does.some((d) => d.recipient === f.recipient && statedMatch(d.amount)));
    const assetFindings: Finding[] = [];
    if (unmatched.length > 0 && !statedMatch(total)) {
      const largest = statedHere.reduce((max, s) => (s.amount > max ? s.amount : max), 0n);
      const severity: Severity = total > 2n * largest ? "critical" : "high";
      for (const f of unmatched) {
        assetFindings.push({
          id: "description-amounts/mismatch",
          check: CHECK_ID,
          severity,
          title: `${actionLabel(f.callIndex, { capital: true })} moves ${fmt(f.asset, f.amount)} to ${addressLabel(ctx.deployment.contracts, f.recipient)}; the description states ${statedList}`,
          detail: `The calls move ${fmt(f.asset, total)} in total, ${fmt(f.asset, f.amount)} of it to ${f.recipient}; no stated amount (${statedList}) matches a recipient's total, a single call or the total.`,
          evidence: {
            callIndex: f.callIndex,
            address: f.recipient,
            asset: f.asset,
            amount: f.amount.toString(),
            total: total.toString(),
            stated: [...new Set(statedHere.map((s) => s.amount))].map(String),
          },
        });
      }
      findings.push(...assetFindings);
    }
    for (const s of statedHere) {
      const candidates: { amount: bigint; calls: number[]; what: string }[] = [
        ...[...perRecipient.values()].map((r) => ({ amount: r.amount, calls: does.filter((d) => d.recipient === r.recipient).map((d) => d.callIndex), what: `${r.recipient} receives` })),
        ...does.map((d) => ({ amount: d.amount, calls: [d.callIndex], what: `${actionLabel(d.callIndex)} moves` })),
        { amount: total, calls: does.map((d) => d.callIndex), what: "the calls move" },
      ];
      const hit = candidates.find((c) => c.amount === s.amount) ?? candidates.find((c) => amountMatches(s, c.amount));
      if (hit !== undefined) {
        const exact = hit.amount === s.amount;
        claims.push({
          stated: s,
          status: "matched",
          exact,
          callIndexes: [...new Set(hit.calls)],
          explanation: exact ? `${hit.what} ${fmt(s.asset, hit.amount)}.` : `${hit.what} ${fmt(s.asset, hit.amount)}, within the rounding of the stated ${says(s)}.`,
          findings: [],
        });
      } else if (assetFindings.length > 0) {
        claims.push({
          stated: s,
          status: "mismatched",
          exact: false,
          callIndexes: does.map((d) => d.callIndex),
          explanation: `The calls move ${fmt(s.asset, total)} of ${symbol} in total; no recipient, call or total matches ${says(s)}.`,
          findings: assetFindings,
        });
      } else {
        claims.push({
          stated: s,
          status: "unsupported",
          exact: false,
          callIndexes: [],
          explanation: `No recipient, call or total of ${symbol} matches ${says(s)}; the other stated amounts account for what moves.`,
          findings: [],
        });
      }
    }
  }

  const named = [...new Set(namedAddresses(visible))];
  let recipients: RecipientClaim | null = null;
  if (named.length > 0 && moved.length > 0) {
    // A recipient written short (`0x9965…a4dc`) is named too; whether the short form hides a look-alike is the description-claims check's to say.
    const abbreviations = abbreviatedAddresses(visible);
    const seen = new Set<string>();
    const recipientFindings: Finding[] = [];
    for (const f of moved) {
      const lower = f.recipient.toLowerCase();
      if (named.includes(lower) || seen.has(lower) || abbreviations.some((a) => matchesAbbreviation(lower, a))) continue;
      seen.add(lower);
      recipientFindings.push({
        id: "description-amounts/recipient",
        check: CHECK_ID,
        severity: "high",
        title: `${actionLabel(f.callIndex, { capital: true })} pays ${addressLabel(ctx.deployment.contracts, f.recipient)}, an address the description does not name`,
        detail: `The description names ${named.join(", ")}; ${fmt(f.asset, f.amount)} goes to ${f.recipient}.`,
        evidence: { callIndex: f.callIndex, address: f.recipient, asset: f.asset, amount: f.amount.toString(), named },
      });
    }
    findings.push(...recipientFindings);
    recipients = { named, status: recipientFindings.length > 0 ? "mismatched" : "matched", callIndexes: [...new Set(moved.map((f) => f.callIndex))], findings: recipientFindings };
  }
  return { findings, claims, recipients };
}

/**
 * The amounts and recipients the description states, against the decoded transfers: a proposal
 * whose text says "1,000 DEMO" while its calldata moves 100,000 misleads every voter who reads only
 * the text. Per asset, each recipient's total (or one of its calls, or the asset's total) must equal
 * an amount the description states; otherwise high, critical when the calldata moves more than
 * twice the largest stated amount. Prose rounding is allowed: "about 0.5 ETH", "≈ 0.48 ETH", "~600k
 * dUSD" match within the rounding of the written value (1 % to 5 %), and a value written with at
 * most two significant digits within 1 %. Recipients: when the description names addresses, every
 * recipient must be one of them (high). An asset the description states an amount of but that
 * nothing moves: low.
 *
 * Only the text voters see counts (the shared rendering's visible text, cut at a NUL): an amount in
 * an HTML comment, an unused reference definition, a link title, raw HTML or after a NUL is not a
 * statement to voters, so it cannot make a mismatch pass (the `description-hidden` check reports it).
 */
export const descriptionAmounts: ProposalCheck = {
  id: CHECK_ID,
  check(ctx) {
    return analyseAmounts(ctx).findings;
  },
};

/** One asset paid out of the treasury to one recipient, in total over the calls. */
export interface Payment {
  asset: "ETH" | Address;
  recipient: Address;
  amount: bigint;
}

/**
 * Which payments the description discloses: the text voters see states exactly the amount of the
 * asset the recipient receives in total, and names the recipient's full address. Such a payment is a
 * decision for voters, not a hidden hazard; `treasury-outflow` and `counterparty-control` lower a
 * large one from high to medium (never a critical share, never a power).
 */
export function disclosedPayments(ctx: AnalysisContext): (payment: Payment) => boolean {
  const { claims, recipients } = analyseAmounts(ctx);
  const named = new Set(recipients?.named ?? []);
  return (p) => named.has(p.recipient.toLowerCase()) && claims.some((c) => c.status === "matched" && key(c.stated.asset) === key(p.asset) && c.stated.amount === p.amount);
}
