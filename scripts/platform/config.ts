// The platform's settings for `npm start`: environment variables, optionally from a `.env` file at
// the repository root (variables already set in the environment win). Every variable is listed in
// the README; a bad value stops the start before anything runs, naming the variable.
import path from "node:path";

import { ConfigError, corsOriginList, loadEnv, localWebOrigins, logLevel, nonEmpty, port, repoRoot, url } from "@ai-dao/service-kit";
import { z } from "zod";

import { devPrivateKey } from "@ai-dao/testkit/accounts";

export const root = repoRoot;
export { ConfigError };

export const platformSchema = z.object({
  CHAIN_PORT: port({ min: 1 }).default(8545),
  INDEXER_PORT: port({ min: 1 }).default(8000),
  ANALYST_PORT: port({ min: 1 }).default(8100),
  EXECUTOR_PORT: port({ min: 1 }).default(8200),
  RELAYER_PORT: port({ min: 1 }).default(8300),
  NOTIFIER_PORT: port({ min: 1 }).default(8400),
  WEB_PORT: port({ min: 1 }).default(5173),
  DEPLOYMENTS_DIR: nonEmpty().default("deployments"),
  DATA_DIR: nonEmpty().default(".data/local"),
  LOG_LEVEL: logLevel(),
  ANTHROPIC_API_KEY: nonEmpty().optional(),
  ANTHROPIC_BASE_URL: url({ example: "https://api.anthropic.com" }).optional(),
  ANALYST_MODEL: nonEmpty().optional(),
  EXECUTOR_WEBHOOK_URL: url({ what: "the alert webhook" }).optional(),
  // Unset: the web app's own origins at WEB_PORT (see serviceCorsOrigins).
  CORS_ORIGINS: corsOriginList().optional(),
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

/**
 * The origins the indexer, analyst and executor let read their answers: the web app's own origins
 * at `WEB_PORT` (by name and by address), so a moved port keeps working; or `CORS_ORIGINS` when the
 * user set it, with a warning naming what to add when it leaves out the web app's origins (every
 * page would then say the services refuse it).
 */
export function serviceCorsOrigins(config: Pick<PlatformConfig, "WEB_PORT" | "CORS_ORIGINS">): { origins: string[]; warning?: string } {
  const web = localWebOrigins(config.WEB_PORT);
  if (config.CORS_ORIGINS === undefined) return { origins: web };
  const missing = web.filter((o) => !config.CORS_ORIGINS!.includes(o));
  if (missing.length === 0) return { origins: config.CORS_ORIGINS };
  const suggested = [...config.CORS_ORIGINS, ...missing].join(",");
  return {
    origins: config.CORS_ORIGINS,
    warning:
      `CORS_ORIGINS does not include the web app's origin${missing.length > 1 ? "s" : ""} ${missing.join(" and ")}: ` +
      `the indexer, analyst and executor will refuse the web app's requests from there, and its pages will say so. ` +
      `Set CORS_ORIGINS=${suggested} (or unset CORS_ORIGINS and npm start allows the web app's origins by itself).`,
  };
}
