import { getAddress, type Address } from "viem";

import { describeDescription } from "../context/description.ts";
import { isTreasury, type AnalysisContext, type Finding, type ProposalCheck, type Severity } from "./types.ts";

/** An amount of an asset the description states, in base units. */
export interface StatedAmount {
  text: string;
  asset: "ETH" | Address;
  symbol: string;
  amount: bigint;
}

const MULTIPLIERS: Record<string, bigint> = { k: 1_000n, thousand: 1_000n, m: 1_000_000n, mm: 1_000_000n, million: 1_000_000n, b: 1_000_000_000n, billion: 1_000_000_000n };

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `1,234.5` with `decimals` → base units; null when the fraction has more digits than the asset. */
function toBaseUnits(integer: string, fraction: string | undefined, multiplier: bigint, decimals: number): bigint | null {
  const frac = fraction ?? "";
  const scale = 10n ** BigInt(decimals);
  const whole = BigInt(integer.replace(/[,_\s]/g, "")) * scale;
  const part = frac === "" ? 0n : (BigInt(frac) * scale) / 10n ** BigInt(frac.length);
  if (frac !== "" && (BigInt(frac) * scale) % 10n ** BigInt(frac.length) !== 0n) return null;
  return (whole + part) * multiplier;
}

/**
 * Amounts with a unit in `text`: `1 ETH`, `2.5 ether`, `4,000 DEMO`, `10k DEMO`, `1.2 million DEMO`,
 * for ETH and every token the treasury context knows (by symbol).
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
    const re = new RegExp(
      `(?<![\\w.,])(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d+))?\\s*(k|m|mm|b|thousand|million|billion)?\\s*\\$?(?:${unit.pattern})(?![\\w])`,
      unit.asset === "ETH" ? "gi" : "g",
    );
    for (const m of text.matchAll(re)) {
      const amount = toBaseUnits(m[1]!, m[2], MULTIPLIERS[(m[3] ?? "").toLowerCase()] ?? 1n, unit.decimals);
      if (amount !== null) found.push({ text: m[0], asset: unit.asset, symbol: unit.symbol, amount });
    }
  }
  return found;
}

/** Addresses written in `text` (lower-case), without the Governor's `#proposer=0x…` suffix, which names who may propose, not who gets paid. */
export function namedAddresses(text: string): string[] {
  const body = text.replace(/#proposer=0x[0-9a-fA-F]{40}\s*$/, "");
  return [...body.matchAll(/0x[0-9a-fA-F]{40}\b/g)].map((m) => m[0].toLowerCase());
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

/**
 * The amounts and recipients the description states, against the decoded transfers: a proposal
 * whose text says "1,000 DEMO" while its calldata moves 100,000 misleads every voter who reads only
 * the text. Per asset, each recipient's total (or the asset's total) must equal an amount the
 * description states; otherwise high, critical when the calldata moves more than twice the largest
 * stated amount. Recipients: when the description names addresses, every recipient must be one of
 * them (high). An asset the description states an amount of but that nothing moves: low.
 *
 * Only the text voters see counts (the shared rendering's visible text, cut at a NUL): an amount in
 * an HTML comment, an unused reference definition, a link title, raw HTML or after a NUL is not a
 * statement to voters, so it cannot make a mismatch pass (the `description-hidden` check reports it).
 */
export const descriptionAmounts: ProposalCheck = {
  id: "description-amounts",
  name: "Description amounts and recipients vs calldata",
  check(ctx) {
    const findings: Finding[] = [];
    const visible = describeDescription(ctx.proposal).visibleText;
    const stated = findStatedAmounts(visible, ctx);
    const moved = flows(ctx);
    const assets = new Set([...stated.map((s) => key(s.asset)), ...moved.map((f) => key(f.asset))]);
    for (const asset of assets) {
      const says = stated.filter((s) => key(s.asset) === asset);
      const does = moved.filter((f) => key(f.asset) === asset);
      if (says.length === 0) continue;
      const symbol = says[0]!.symbol;
      if (does.length === 0) {
        findings.push({
          id: "description-amounts/not-moved",
          check: this.id,
          severity: "low",
          title: `The description states ${says.map((s) => s.text).join(", ")} but no call moves ${symbol}`,
          detail: "Amounts in the text have no matching transfer in the calldata.",
          evidence: { asset: says[0]!.asset, stated: says.map((s) => s.amount.toString()) },
        });
        continue;
      }
      const statedSet = new Set(says.map((s) => s.amount));
      const perRecipient = new Map<string, Flow>();
      for (const f of does) {
        const entry = perRecipient.get(f.recipient.toLowerCase()) ?? { ...f, amount: 0n };
        entry.amount += f.amount;
        perRecipient.set(f.recipient.toLowerCase(), entry);
      }
      const total = does.reduce((sum, f) => sum + f.amount, 0n);
      const unmatched = [...perRecipient.values()].filter((f) => !statedSet.has(f.amount) && !does.some((d) => d.recipient === f.recipient && statedSet.has(d.amount)));
      if (unmatched.length === 0 || statedSet.has(total)) continue;
      const largest = says.reduce((max, s) => (s.amount > max ? s.amount : max), 0n);
      const severity: Severity = total > 2n * largest ? "critical" : "high";
      for (const f of unmatched) {
        findings.push({
          id: "description-amounts/mismatch",
          check: this.id,
          severity,
          title: `Call ${f.callIndex} moves ${f.amount} base units of ${symbol} to ${f.recipient}; the description states ${says.map((s) => s.text).join(", ")}`,
          detail: `The calldata moves ${total} base units of ${symbol} in total; no stated amount (${[...statedSet].join(", ")}) matches a recipient's total or the total.`,
          evidence: { callIndex: f.callIndex, address: f.recipient, asset: f.asset, amount: f.amount.toString(), total: total.toString(), stated: [...statedSet].map(String) },
        });
      }
    }

    const named = namedAddresses(visible);
    if (named.length > 0) {
      const seen = new Set<string>();
      for (const f of moved) {
        if (named.includes(f.recipient.toLowerCase()) || seen.has(f.recipient.toLowerCase())) continue;
        seen.add(f.recipient.toLowerCase());
        findings.push({
          id: "description-amounts/recipient",
          check: this.id,
          severity: "high",
          title: `Call ${f.callIndex} pays ${f.recipient}, an address the description does not name`,
          detail: `The description names ${[...new Set(named)].join(", ")}; funds go to ${f.recipient}.`,
          evidence: { callIndex: f.callIndex, address: f.recipient, asset: f.asset, amount: f.amount.toString(), named: [...new Set(named)] },
        });
      }
    }
    return findings;
  },
};
