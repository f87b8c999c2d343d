import { parseEther } from "viem";
import { describe, expect, it } from "vitest";

import { devPrivateKey } from "@ai-dao/testkit/accounts";

import { ConfigError, loadConfig } from "../src/config.ts";

const key = devPrivateKey(10);

describe("configuration", () => {
  it("has local defaults: port 8300, a budget per day and per account, abuse limits", () => {
    const config = loadConfig({ RELAYER_PRIVATE_KEY: key });
    expect(config).toMatchObject({
      RELAYER_PORT: 8300,
      RELAYER_BUDGET_DAILY_ETH: parseEther("0.5"),
      RELAYER_BUDGET_DAILY_TXS: 500,
      RELAYER_BUDGET_ACCOUNT_DAILY_ETH: parseEther("0.01"),
      RELAYER_BUDGET_ACCOUNT_DAILY_TXS: 10,
      RELAYER_RATE_PER_IP: 30,
      RELAYER_RATE_PER_SIGNER: 6,
      RELAYER_MAX_BODY_BYTES: 16_384,
      RELAYER_FAULT: "none",
    });
    expect(loadConfig({ RELAYER_PRIVATE_KEY: key, RELAYER_BUDGET_DAILY_ETH: "0.0011" }).RELAYER_BUDGET_DAILY_ETH).toBe(1_100_000_000_000_000n);
  });

  it("names every bad variable and never shows the key", () => {
    const bad = `${key.slice(0, -1)}z`;
    let error: unknown;
    try {
      loadConfig({ RELAYER_PRIVATE_KEY: bad, RELAYER_BUDGET_DAILY_ETH: "lots", RELAYER_PORT: "http" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/RELAYER_PRIVATE_KEY must be 0x followed by 64 hex digits/);
    expect(message).toMatch(/RELAYER_BUDGET_DAILY_ETH: must be an amount of ETH/);
    expect(message).toMatch(/RELAYER_PORT: must be a port number/);
    expect(message).not.toContain(bad.slice(2, 20));
    expect(() => loadConfig({})).toThrow(/RELAYER_PRIVATE_KEY: is required/);
  });
});
