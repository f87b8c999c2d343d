import path from "node:path";

import { boolean, ConfigError, corsOrigins, int, list, loadEnv, logLevel, nonEmpty, port, positiveInt, privateKey, repoRoot, url } from "@ai-dao/service-kit";
import { z } from "zod";

/** Everything the executor reads from the environment (or `.env` at the repository root). */
export const envSchema = z.object({
  RPC_URL: url({ what: "the chain's JSON-RPC endpoint", example: "http://127.0.0.1:8545" }).default("http://127.0.0.1:8545"),
  DEPLOYMENT_FILE: nonEmpty().optional(),
  EXECUTOR_PRIVATE_KEY: privateKey("EXECUTOR_PRIVATE_KEY", {
    required: "the executor's key (0x + 64 hex digits), a DecisionLog publisher with gas money",
    hint: "the value is not shown",
  }),
  EXECUTOR_PORT: port().default(8200),
  EXECUTOR_HOST: nonEmpty().default("127.0.0.1"),
  EXECUTOR_DATA_DIR: nonEmpty().default(path.join(repoRoot, ".data", "executor")),
  EXECUTOR_DRY_RUN: boolean().default(false),
  EXECUTOR_WEBHOOK_URL: url({ what: "the alert webhook" }).optional(),
  EXECUTOR_OVERRIDES: list({ what: "decimal proposal ids", item: (s) => /^\d+$/.test(s) })
    .transform((ids) => ids.map((s) => BigInt(s).toString()))
    .default([]),
  EXECUTOR_POLL_INTERVAL_MS: int({ min: 50 }).default(5_000),
  EXECUTOR_TX_TIMEOUT_MS: int({ min: 100 }).default(120_000),
  EXECUTOR_FEE_BUMP_PERCENT: int({ min: 10, max: 1_000 }).default(25),
  EXECUTOR_LOG_CHUNK_BLOCKS: positiveInt().default(10_000),
  EXECUTOR_MAX_BACKOFF_MS: int({ min: 100 }).default(30_000),
  EXECUTOR_PUBLISH_GUARDS: boolean().default(true),
  EXECUTOR_FAULT: z.enum(["none", "kill-after-sign", "kill-after-broadcast"], { error: "must be none, kill-after-sign or kill-after-broadcast (testing only)" }).default("none"),
  CORS_ORIGINS: corsOrigins(),
  LOG_LEVEL: logLevel(),
});

export type ExecutorConfig = z.output<typeof envSchema>;

/** The platform's one configuration error (from `@ai-dao/service-kit`), under the name the executor exported before. */
export { ConfigError as ExecutorConfigError };

/**
 * Validates the environment (`process.env` over `.env` at the repository root; an explicit `env` is
 * taken whole). The error names every bad variable and never echoes a key.
 */
export function loadConfig(env?: NodeJS.ProcessEnv): ExecutorConfig {
  return loadEnv(envSchema, { service: "executor", ...(env ? { env } : {}) });
}
