import { getAddress, type Address } from "viem";

/** Groups the integer digits in threes: "1234567" → "1,234,567". */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * A token amount in base units shown in whole tokens: exact bigint arithmetic (no floating point),
 * thousands grouped, at most `maxFraction` fraction digits (cut, never rounded up, so an amount is
 * never overstated) with trailing zeros dropped. A non-zero amount too small for `maxFraction`
 * digits reads "< 0.0001" rather than a misleading "0". `symbol`, when given, is appended.
 */
export function formatAmount(value: bigint | string, decimals = 18, maxFraction = 4, options: { symbol?: string } = {}): string {
  const amount = BigInt(value);
  const places = Math.max(0, Math.trunc(decimals));
  const shown = Math.min(Math.max(0, Math.trunc(maxFraction)), places);
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const scale = 10n ** BigInt(places);
  const whole = abs / scale;
  const fraction = places === 0 ? "" : (abs % scale).toString().padStart(places, "0");
  const kept = fraction.slice(0, shown).replace(/0+$/, "");
  const unit = options.symbol ? ` ${options.symbol}` : "";
  if (whole === 0n && kept === "" && abs !== 0n) {
    const smallest = shown === 0 ? "1" : `0.${"0".repeat(shown - 1)}1`;
    return `${negative ? "> -" : "< "}${smallest}${unit}`;
  }
  const text = `${groupThousands(whole.toString())}${kept ? `.${kept}` : ""}`;
  return `${negative && text !== "0" ? "-" : ""}${text}${unit}`;
}

/** Every digit of an amount in token units (nothing cut): what a proposal's action does exactly. */
export function formatExactAmount(value: bigint | string, decimals: number, options: { symbol?: string } = {}): string {
  return formatAmount(value, decimals, decimals, options);
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

export function checksum(address: string): Address {
  try {
    return getAddress(address);
  } catch {
    return address as Address;
  }
}

/** "2d 3h", "4m 10s", "12s". */
export function formatDuration(seconds: bigint | number): string {
  let s = Number(seconds);
  if (s <= 0) return "0s";
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

export function formatTimestamp(seconds: bigint | string | number): string {
  return new Date(Number(seconds) * 1000).toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

/** Percentage with one decimal of part/whole (0 when whole is 0). */
export function percent(part: bigint, whole: bigint): number {
  if (whole === 0n) return 0;
  return Number((part * 1000n) / whole) / 10;
}
