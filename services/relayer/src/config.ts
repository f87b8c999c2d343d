import path from "node:path";

import { boolean, ConfigError, corsOrigins, int, loadEnv, logLevel, nonEmpty, port, positiveInt, privateKey, repoRoot, url } from "@ai-dao/service-kit";
import { FAULTS } from "@ai-dao/transactions";
import { parseEther } from "viem";
import { z } from "zod";

/** An amount of ETH written in decimal (`0.5`, `0.0011`), as wei. */
const eth = () =>
  z.string({ error: (issue) => (issue.input === undefined ? "is required" : "must be text") }).transform((v, ctx) => {
    if (!/^\d{1,12}(\.\d{1,18})?$/.test(v.trim())) {
      ctx.addIssue({ code: "custom", message: `must be an amount of ETH in decimal, e.g. 0.5 (got "${v}")` });
      return z.NEVER;
    }
    return parseEther(v.trim());
  });

/** Everything the relayer reads from the environment (or `.env` at the repository root). */
export const envSchema = z.object({
  RPC_URL: url({ what: "the chain's JSON-RPC endpoint", example: "http://127.0.0.1:8545" }).default("http://127.0.0.1:8545"),
  DEPLOYMENT_FILE: nonEmpty().optional(),
  RELAYER_PRIVATE_KEY: privateKey("RELAYER_PRIVATE_KEY", {
    required: "the relayer's own key (0x + 64 hex digits), funded with the ETH it sponsors",
    hint: "the value is not shown",
  }),
  RELAYER_PORT: port().default(8300),
  RELAYER_HOST: nonEmpty().default("127.0.0.1"),
  RELAYER_DATA_DIR: nonEmpty().default(path.join(repoRoot, ".data", "relayer")),
  /** The whole sponsor budget of one UTC day. */
  RELAYER_BUDGET_DAILY_ETH: eth().default(parseEther("0.5")),
  RELAYER_BUDGET_DAILY_TXS: positiveInt().default(500),
  /** What one account may be sponsored in one UTC day. */
  RELAYER_BUDGET_ACCOUNT_DAILY_ETH: eth().default(parseEther("0.01")),
  RELAYER_BUDGET_ACCOUNT_DAILY_TXS: positiveInt().default(10),
  /** Requests per minute from one IP address, and per signer (counted once the signature checks out). */
  RELAYER_RATE_PER_IP: positiveInt().default(30),
  RELAYER_RATE_PER_SIGNER: positiveInt().default(6),
  /** Take the client's address from the first X-Forwarded-For entry (only behind a proxy you run). */
  RELAYER_TRUST_PROXY: boolean().default(false),
  RELAYER_MAX_BODY_BYTES: int({ min: 1_024, max: 1_048_576 }).default(16_384),
  RELAYER_MAX_REASON_BYTES: int({ min: 0, max: 65_536 }).default(2_000),
  /** A delegation must stay valid at least this long after the latest block, or it is refused as expired. */
  RELAYER_EXPIRY_MARGIN_S: int({ min: 0, max: 86_400 }).default(30),
  RELAYER_POLL_INTERVAL_MS: int({ min: 50 }).default(2_000),
  RELAYER_MAX_BACKOFF_MS: int({ min: 100 }).default(30_000),
  RELAYER_TX_TIMEOUT_MS: int({ min: 100 }).default(120_000),
  RELAYER_FEE_BUMP_PERCENT: int({ min: 10, max: 1_000 }).default(25),
  RELAYER_FAULT: z.enum(FAULTS, { error: "must be none, kill-after-sign or kill-after-broadcast (testing only)" }).default("none"),
  CORS_ORIGINS: corsOrigins(),
  LOG_LEVEL: logLevel(),
});

export type RelayerConfig = z.output<typeof envSchema>;

export { ConfigError };

/**
 * Validates the environment (`process.env` over `.env` at the repository root; an explicit `env` is
 * taken whole). The error names every bad variable and never echoes a key.
 */
export function loadConfig(env?: NodeJS.ProcessEnv): RelayerConfig {
  return loadEnv(envSchema, { service: "relayer", ...(env ? { env } : {}) });
}
