// The platform's settings for `npm start`: environment variables, optionally from a `.env` file at
// the repository root (variables already set in the environment win). Every variable is listed in
// the README; a bad value stops the start before anything runs, naming the variable.
import path from "node:path";

import { ConfigError, loadEnv, logLevel, nonEmpty, port, repoRoot, url } from "@ai-dao/service-kit";
import { z } from "zod";

import { devPrivateKey } from "@ai-dao/testkit/accounts";

export const root = repoRoot;
export { ConfigError };

export const platformSchema = z.object({
  CHAIN_PORT: port({ min: 1 }).default(8545),
  INDEXER_PORT: port({ min: 1 }).default(8000),
  ANALYST_PORT: port({ min: 1 }).default(8100),
  EXECUTOR_PORT: port({ min: 1 }).default(8200),
  WEB_PORT: port({ min: 1 }).default(5173),
  DEPLOYMENTS_DIR: nonEmpty().default("deployments"),
  DATA_DIR: nonEmpty().default(".data/local"),
  LOG_LEVEL: logLevel(),
  ANTHROPIC_API_KEY: nonEmpty().optional(),
  ANTHROPIC_BASE_URL: url({ example: "https://api.anthropic.com" }).optional(),
  ANALYST_MODEL: nonEmpty().optional(),
  EXECUTOR_WEBHOOK_URL: url({ what: "the alert webhook" }).optional(),
});

export type PlatformConfig = z.output<typeof platformSchema>;

/**
 * Reads `.env` (if present) under the real environment, validates, and returns the settings; a bad
 * one throws the platform's `ConfigError` naming each variable (the service kit's loader).
 */
export function loadPlatformConfig(env: NodeJS.ProcessEnv = process.env, envFile = path.join(root, ".env")): PlatformConfig {
  return loadEnv(platformSchema, { service: "npm start", env, envFile });
}

/**
 * Private key of a local development account (the analyst is #8, the executor #9): the node's public
 * development keys, which fund nothing real.
 */
export function developmentKey(index: number): `0x${string}` {
  return devPrivateKey(index);
}
