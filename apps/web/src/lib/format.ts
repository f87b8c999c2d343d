import { formatUnits, getAddress, type Address } from "viem";

/** A token amount in base units shown in whole tokens, with thousands separators, no float rounding. */
export function formatAmount(value: bigint | string, decimals = 18, maxFraction = 4): string {
  const text = formatUnits(BigInt(value), decimals);
  const [whole = "0", fraction = ""] = text.split(".");
  const negative = whole.startsWith("-");
  const digits = negative ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const trimmed = fraction.slice(0, maxFraction).replace(/0+$/, "");
  return `${negative ? "-" : ""}${grouped}${trimmed ? `.${trimmed}` : ""}`;
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
