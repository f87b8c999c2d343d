import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";
import { z } from "zod";

import { boolean, ConfigError, corsOrigins, int, list, loadEnv, logLevel, port, privateKey, resolveDeploymentFile, repoRoot, url } from "../src/index.ts";

const KEY = `0x${"ab".repeat(32)}`;

const schema = z.object({
  RPC_URL: url({ what: "the chain's JSON-RPC endpoint", example: "http://127.0.0.1:8545" }).default("http://127.0.0.1:8545"),
  FORK_URL: url({ also: ["off"] }).optional(),
  SOME_PORT: port().default(8100),
  SOME_KEY: privateKey("SOME_KEY", { required: "the service's key", hint: "or unset it" }),
  FLAG: boolean().default(false),
  POLL_MS: int({ min: 100 }).default(2000),
  BPS: int({ min: 0, max: 10_000, unit: "basis points" }).default(500),
  IDS: list({ what: "decimal ids", item: (s) => /^\d+$/.test(s) }).default([]),
  CORS_ORIGINS: corsOrigins(),
  LOG_LEVEL: logLevel(),
});

function problems(env: Record<string, string>): string[] {
  try {
    loadEnv(schema, { service: "test", env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("loadEnv", () => {
  it("applies defaults, treats empty as unset and parses each field", () => {
    const config = loadEnv(schema, { service: "test", env: { SOME_KEY: KEY, FLAG: "Yes", IDS: " 1, 2 ,,3", FORK_URL: "off", SOME_PORT: "", UNRELATED: "x" } });
    expect(config).toEqual({
      RPC_URL: "http://127.0.0.1:8545",
      FORK_URL: "off",
      SOME_PORT: 8100,
      SOME_KEY: KEY,
      FLAG: true,
      POLL_MS: 2000,
      BPS: 500,
      IDS: ["1", "2", "3"],
      CORS_ORIGINS: ["http://localhost:5173", "http://127.0.0.1:5173"],
      LOG_LEVEL: "info",
    });
  });

  it("names every bad variable, says what to do, and never echoes a key or URL credentials", () => {
    const secret = `0x${"cd".repeat(31)}`;
    const found = problems({
      SOME_KEY: secret,
      RPC_URL: "localhost:8545",
      FORK_URL: "https://user:hunter22@rpc.example/v2/abc",
      SOME_PORT: "eighty",
      FLAG: "maybe",
      POLL_MS: "50",
      BPS: "20000",
      IDS: "1,x",
      CORS_ORIGINS: "null",
      LOG_LEVEL: "loud",
    });
    expect(found).toEqual([
      "RPC_URL: must be a URL of the chain's JSON-RPC endpoint, e.g. http://127.0.0.1:8545",
      "SOME_PORT: must be a port number",
      "SOME_KEY must be 0x followed by 64 hex digits (or unset it)",
      'FLAG: must be true or false (got "maybe")',
      'POLL_MS: must be a whole number, at least 100 (got "50")',
      'BPS: must be a whole number of basis points from 0 to 10000 (got "20000")',
      "IDS: must be a comma-separated list of decimal ids (bad: x)",
      "CORS_ORIGINS: must be a comma-separated list of origins such as http://localhost:5173 (bad: null)",
      "LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent",
    ]);
    const text = found.join("\n");
    expect(text).not.toContain("cdcdcd");
    expect(text).not.toContain("hunter22");
    expect(problems({ SOME_KEY: KEY, FORK_URL: "ftp://x" })).toEqual(["FORK_URL: must be a URL or off"]);
    expect(problems({})).toEqual(["SOME_KEY: is required: the service's key"]);
    expect(problems({ SOME_KEY: KEY, SOME_PORT: "70000" })).toEqual(["SOME_PORT: must be a port number from 0 to 65535"]);
  });

  it("puts the service in the message and scrubs secret values a message might repeat", () => {
    const leaky = z.object({ API_TOKEN: z.string().refine(() => false, "bad token"), WHAT: z.string().refine((v) => v === "ok", "not ok") });
    try {
      loadEnv(leaky, { service: "demo", env: { API_TOKEN: "tok-123456", WHAT: "tok-123456" } });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe("Invalid demo configuration:\n  - API_TOKEN: bad token\n  - WHAT: not ok");
    }
  });

  it("reads a .env file underneath the environment", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kit-env-"));
    const file = path.join(dir, ".env");
    await writeFile(file, "SOME_KEY=" + KEY + "\nSOME_PORT=9000\nFLAG=true\n");
    const config = loadEnv(schema, { service: "test", env: { SOME_PORT: "9100" }, envFile: file });
    expect(config).toMatchObject({ SOME_KEY: KEY, SOME_PORT: 9100, FLAG: true });
    // An explicit environment without envFile reads no file.
    expect(() => loadEnv(schema, { service: "test", env: {} })).toThrow(ConfigError);
  });
});

describe("repository paths", () => {
  it("finds the repository root and the deployment file", () => {
    expect(path.basename(path.join(repoRoot, "packages", "service-kit"))).toBe("service-kit");
    expect(resolveDeploymentFile(undefined, 31337)).toBe(path.join(repoRoot, "deployments", "31337.json"));
    expect(resolveDeploymentFile("custom/dao.json", 1)).toBe(path.resolve("custom/dao.json"));
  });
});
