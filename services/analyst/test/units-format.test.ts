import { describe, expect, it } from "vitest";

import { addressLabel, formatAmount, formatAssetAmount, formatDuration, formatShare, safeSymbol, shortAddress } from "../src/units.ts";

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
  });
});
