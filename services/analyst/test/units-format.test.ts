import { getAddress } from "viem";
import { describe, expect, it } from "vitest";

import { addressLabel, assetSymbol, count, formatAmount, formatAssetAmount, formatDuration, formatShare, formatTreasuryShare, safeSymbol, safeText, shortAddress } from "../src/units.ts";

const DUSD = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const governance = {
  balances: [
    { asset: "ETH" as const, symbol: "ETH", decimals: 18, balance: 95n * 10n ** 18n },
    { asset: DUSD as `0x${string}`, symbol: "dUSD", decimals: 6, balance: 10n ** 12n },
  ],
};

describe("units a person reads", () => {
  it("amounts in token units with their symbol, never base units when decimals are known", () => {
    expect(formatAssetAmount(governance, "ETH", 60n * 10n ** 18n)).toBe("60 ETH");
    expect(formatAssetAmount(governance, DUSD, 600_000n * 10n ** 6n)).toBe("600,000 dUSD");
    expect(formatAssetAmount(governance, "ETH", 480_000_000_000_000_000n)).toBe("0.48 ETH");
    expect(formatAssetAmount(governance, "ETH", 1n)).toBe("0.000000000000000001 ETH");
    expect(formatAssetAmount(governance, "ETH", 1_234_567_891_000_000_000_000_000n)).toBe("1,234,567.891 ETH");
  });

  it("unknown decimals: base units named as such, with the token's address", () => {
    expect(formatAmount(5000n, { symbol: null, decimals: null }, "0x976EA74026E726554dB657fA54763abd0C3a0aa9")).toBe("5,000 base units of 0x976E…0aa9");
    expect(formatAmount(5n * 10n ** 18n, { symbol: null, decimals: 18 }, "0x976EA74026E726554dB657fA54763abd0C3a0aa9")).toBe("5 tokens of 0x976E…0aa9");
  });

  it("a tiny amount of a token with many decimals keeps its first significant digits", () => {
    expect(formatAmount(1n, { symbol: "WEIRD", decimals: 40 })).toBe("0.0000000000000000000000000000000000000001 WEIRD");
    expect(formatAmount(123n, { symbol: "WEIRD", decimals: 30 })).toBe("0.000000000000000000000000000123 WEIRD");
  });

  it("a symbol is cut on whole characters", () => {
    expect(safeSymbol("😀".repeat(20))).toBe(`${"😀".repeat(15)}…`);
  });

  it("a hostile symbol is cleaned and cut", () => {
    expect(safeSymbol("US\u200bDC\u202e")).toBe("USDC");
    expect(safeSymbol("A".repeat(40))).toHaveLength(16);
    expect(formatAmount(10n ** 6n, { symbol: "\u0000dUSD\n", decimals: 6 })).toBe("1 dUSD");
  });

  it("shares are bounded and sane", () => {
    expect(formatShare(6315)).toBe("63 %");
    expect(formatShare(25)).toBe("0.25 %");
    expect(formatShare(0)).toBe("less than 0.01 %");
    expect(formatShare(null)).toBe("an unknown share");
    expect(formatShare(25_157_232_704_402)).toBe("more than the treasury holds");
  });

  it("durations in minutes, hours and days", () => {
    expect(formatDuration(45n)).toBe("45 s");
    expect(formatDuration(300n)).toBe("5 min");
    expect(formatDuration(9000n)).toBe("2 h 30 min");
    expect(formatDuration(7n * 86_400n)).toBe("7 days");
    expect(formatDuration(86_400n + 6n * 3600n)).toBe("1 day 6 h");
  });

  it("DAO contracts by name, others by short address", () => {
    const contracts = { timelock: "0x00000000000000000000000000000000000000aa", governor: "0x00000000000000000000000000000000000000bb" };
    expect(addressLabel(contracts, "0x00000000000000000000000000000000000000AA")).toBe("the treasury (timelock)");
    expect(addressLabel(contracts, "0x976ea74026e726554db657fa54763abd0c3a0aa9")).toBe("0x976E…0aa9");
    expect(shortAddress("not an address")).toBe("not an address");
    // A look-alike of a DAO contract (same first and last characters) is never shortened into it.
    const timelock = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    const lookAlike = "0x5fbd000000000000000000000000000000000aa3";
    expect(addressLabel({ timelock }, lookAlike)).toBe(`${getAddress(lookAlike)} (not the treasury (timelock): an address that looks like it)`);
    expect(addressLabel({ timelock }, timelock.toLowerCase())).toBe("the treasury (timelock)");
  });

  it("shares of the treasury's holding, bounded", () => {
    expect(formatTreasuryShare(6315, "ETH")).toBe("63 % of the treasury's ETH");
    expect(formatTreasuryShare(10_000, "dUSD")).toBe("100 % of the treasury's dUSD");
    expect(formatTreasuryShare(10_001, "dUSD")).toBe("more than the treasury holds");
    expect(formatTreasuryShare(null, "DEMO")).toBe("share of the treasury unknown");
  });

  it("the symbol of an asset: cleaned, or the token's short address", () => {
    expect(assetSymbol(governance, "ETH")).toBe("ETH");
    expect(assetSymbol(governance, DUSD)).toBe("dUSD");
    expect(assetSymbol(governance, "0x976EA74026E726554dB657fA54763abd0C3a0aa9")).toBe("tokens of 0x976E…0aa9");
    expect(assetSymbol({ balances: [{ asset: DUSD as `0x${string}`, symbol: "\u200b\u202e", decimals: 6, balance: 1n }] }, DUSD)).toBe("tokens of 0x5FbD…0aa3");
  });

  it("hostile text becomes one short clean line", () => {
    expect(safeText("Paused\u202e\u200b by\nthe\u0000 owner\t")).toBe("Paused by the owner");
    expect([...safeText("x".repeat(10_000))]).toHaveLength(120);
    expect(safeText("y".repeat(500), 20)).toBe(`${"y".repeat(19)}…`);
    expect(safeText("日本語の理由".repeat(50), 10)).toBe("日本語の理由日本語…");
    expect(safeText("\u{1F600}".repeat(5), 3)).toBe("\u{1F600}\u{1F600}…"); // never splits a surrogate pair
  });

  it("counts in words", () => {
    expect(count(1, "recipient")).toBe("1 recipient");
    expect(count(3, "recipient")).toBe("3 recipients");
    expect(count(1n, "block")).toBe("1 block");
    expect(count(2, "more Governor setting")).toBe("2 more Governor settings");
  });
});
