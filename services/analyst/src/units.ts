// What a person reads in a finding: amounts in token units with their symbol, shares of the
// treasury as bounded percentages, durations in minutes, hours and days, short addresses. Raw
// numbers stay in a finding's `evidence`; titles and details use these.
import { formatUnits, getAddress, isAddress, type Address } from "viem";

import { stripHidden } from "@ai-dao/description";

import type { GovernanceContext } from "./context/governance.ts";

/** Symbol and decimals of an asset the treasury holds or a call touches (ETH: 18), when known. */
export interface AssetUnits {
  symbol: string | null;
  decimals: number | null;
}

/** The symbol and decimals read from the chain for `asset` (from the governance context's balances). */
export function assetUnits(governance: Pick<GovernanceContext, "balances">, asset: "ETH" | Address): AssetUnits {
  if (asset === "ETH") return { symbol: "ETH", decimals: 18 };
  const found = governance.balances.find((b) => b.asset !== "ETH" && b.asset.toLowerCase() === asset.toLowerCase());
  return { symbol: found?.symbol ?? null, decimals: found?.decimals ?? null };
}

/** `1234567.891` → `1,234,567.891`: groups of three in the integer part, the fraction as it is. */
function group(decimal: string): string {
  const [integer, fraction] = decimal.split(".");
  const negative = integer!.startsWith("-");
  const digits = negative ? integer!.slice(1) : integer!;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${fraction ? `.${fraction}` : ""}`;
}

/** Keeps at most `max` significant fraction digits (never rounds the integer part). */
function trimFraction(decimal: string, max = 6): string {
  const [integer, fraction] = decimal.split(".");
  if (!fraction) return integer!;
  const cut = fraction.slice(0, max).replace(/0+$/, "");
  if (cut !== "") return `${integer}.${cut}`;
  // Smaller than the precision kept: down to the first significant digits, however many decimals the token has.
  const firstDigit = fraction.search(/[1-9]/);
  return firstDigit === -1 ? integer! : `${integer}.${fraction.slice(0, firstDigit + 3).replace(/0+$/, "")}`;
}

/** A symbol as text: control and invisible characters removed, at most 16 characters. */
export function safeSymbol(symbol: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = symbol.replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\u{e0000}-\u{e007f}]/gu, "").trim();
  const chars = [...clean]; // whole code points: never half of a surrogate pair
  return chars.length > 16 ? `${chars.slice(0, 15).join("")}…` : clean;
}

/**
 * An amount in the asset's own units: `60 ETH`, `600,000 dUSD`. When the decimals are unknown, the
 * base units with the token's address: `600000000000 base units of 0x976E…0aa9`.
 */
export function formatAmount(amount: bigint, units: AssetUnits, asset?: "ETH" | Address): string {
  if (units.decimals === null) {
    const of = units.symbol ? safeSymbol(units.symbol) : asset && asset !== "ETH" ? shortAddress(asset) : "an unknown token";
    return `${group(amount.toString())} base units of ${of}`;
  }
  const text = group(trimFraction(formatUnits(amount, units.decimals)));
  const symbol = units.symbol ? safeSymbol(units.symbol) : asset && asset !== "ETH" ? `tokens of ${shortAddress(asset)}` : "tokens";
  return `${text} ${symbol}`;
}

/** `formatAmount` for an asset of the governance context. */
export function formatAssetAmount(governance: Pick<GovernanceContext, "balances">, asset: "ETH" | Address, amount: bigint): string {
  return formatAmount(amount, assetUnits(governance, asset), asset);
}

/**
 * A share in basis points as a person reads it: `63 %`, `0.25 %`, `less than 0.01 %`; above 100 %
 * it says so instead of printing an absurd figure; null is "an unknown share".
 */
export function formatShare(bps: number | null): string {
  if (bps === null) return "an unknown share";
  if (bps > 10_000) return "more than the treasury holds";
  if (bps === 0) return "less than 0.01 %";
  const percent = bps / 100;
  return `${percent >= 10 ? Math.round(percent) : Number(percent.toFixed(2))} %`;
}

/**
 * A bounded share of the treasury's holding of an asset: `63 % of the treasury's ETH`, `more than the
 * treasury holds`, `share of the treasury unknown` (its balance could not be read).
 */
export function formatTreasuryShare(bps: number | null, symbol: string): string {
  if (bps === null) return "share of the treasury unknown";
  const share = formatShare(bps);
  return bps > 10_000 ? share : `${share} of the treasury's ${symbol}`;
}

/** The symbol an amount of `asset` is written with (`ETH`, `dUSD`, or the token's short address). */
export function assetSymbol(governance: Pick<GovernanceContext, "balances">, asset: "ETH" | Address): string {
  const units = assetUnits(governance, asset);
  if (units.symbol) {
    const clean = safeSymbol(units.symbol);
    if (clean !== "") return clean;
  }
  return asset === "ETH" ? "ETH" : `tokens of ${shortAddress(asset)}`;
}

/**
 * Text from the chain or a revert (hostile) as a short single line: hidden characters (the shared
 * detector's) and control characters removed, whitespace collapsed, at most `max` characters.
 */
export function safeText(text: string, max = 120): string {
  // eslint-disable-next-line no-control-regex
  const clean = stripHidden(text).replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").replace(/\s+/g, " ").trim();
  const chars = [...clean];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : clean;
}

/** `1 character`, `3 characters`; `plural` defaults to the word with an `s`. */
export function count(n: number | bigint, word: string, plural = `${word}s`): string {
  return `${n} ${n === 1 || n === 1n ? word : plural}`;
}

/** Seconds per block assumed wherever a block-number clock's blocks are compared with durations (Ethereum mainnet's slot). */
export const SECONDS_PER_BLOCK = 12n;

/** Seconds as a person reads them: `45 s`, `5 min`, `2 h 30 min`, `7 days`, `1 day 6 h`. */
export function formatDuration(seconds: bigint): string {
  if (seconds < 60n) return `${seconds} s`;
  const days = seconds / 86_400n;
  const hours = (seconds % 86_400n) / 3_600n;
  const minutes = (seconds % 3_600n) / 60n;
  if (days > 0n) return `${days} day${days === 1n ? "" : "s"}${hours > 0n ? ` ${hours} h` : ""}`;
  if (hours > 0n) return `${hours} h${minutes > 0n ? ` ${minutes} min` : ""}`;
  return `${minutes} min`;
}

/** `0x976EA74026E726554dB657fA54763abd0C3a0aa9` → `0x976E…0aa9` (checksummed). */
export function shortAddress(address: string): string {
  if (!isAddress(address, { strict: false })) return address;
  const a = getAddress(address);
  return `${a.slice(0, 6)}…${a.slice(-4)}`;
}

const ROLE_NAMES: Record<string, string> = {
  timelock: "the treasury (timelock)",
  governor: "the Governor",
  token: "the DAO token",
  decisionLog: "the DecisionLog",
};

/**
 * A DAO contract by its name (`the treasury (timelock)`, `the Governor`, ...), anything else as its
 * short address. Titles may use it; details keep the full address, since a look-alike differs only in
 * the middle characters a short form hides. An address whose short form is a DAO contract's is given
 * in full with a warning.
 */
export function addressLabel(contracts: Readonly<Record<string, string>>, address: string): string {
  const entries = Object.entries(contracts).filter(([, a]) => typeof a === "string");
  const name = (role: string) => ROLE_NAMES[role] ?? `the DAO's ${role}`;
  const role = entries.find(([, a]) => a.toLowerCase() === address.toLowerCase())?.[0];
  if (role !== undefined) return name(role);
  // A look-alike of a DAO contract would read exactly like it in short form: give it in full, and say so.
  const short = shortAddress(address).toLowerCase();
  const imitated = entries.find(([, a]) => shortAddress(a).toLowerCase() === short)?.[0];
  if (imitated !== undefined && isAddress(address, { strict: false })) return `${getAddress(address)} (not ${name(imitated)}: an address that looks like it)`;
  return shortAddress(address);
}

/** What a call that changes who holds power does, in plain words, by signature (the account it names follows). */
export const POWER_VERBS: Readonly<Record<string, string>> = {
  "grantRole(bytes32,address)": "grants a role to",
  "revokeRole(bytes32,address)": "revokes a role from",
  "renounceRole(bytes32,address)": "renounces a role of",
  "transferOwnership(address)": "hands ownership to",
  "renounceOwnership()": "renounces ownership of",
  "changeAdmin(address)": "changes the proxy admin to",
  "changeProxyAdmin(address,address)": "changes the proxy admin of",
  "upgradeTo(address)": "upgrades to",
  "upgradeToAndCall(address,bytes)": "upgrades to",
  "upgradeAndCall(address,address,bytes)": "upgrades",
  "setAnalyst(address,bool)": "changes the analyst",
  "setProposalGuardian(address)": "changes the proposal guardian to",
  "updateDelay(uint256)": "changes the timelock delay",
};
