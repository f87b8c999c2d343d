// The platform's settings for `npm start`: environment variables, optionally from a `.env` file at
// the repository root (variables already set in the environment win). Every variable is listed in
// the README; a bad value stops the start before anything runs, naming the variable.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";

import { z } from "zod";

import { devPrivateKey } from "@ai-dao/testkit/accounts";

export const root = path.resolve(import.meta.dirname, "../..");

const port = (fallback: number) =>
  z.coerce
    .number({ error: "must be a port number" })
    .int("must be a whole number")
    .min(1, "must be 1-65535")
    .max(65535, "must be 1-65535")
    .default(fallback);
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

export const platformSchema = z.object({
  CHAIN_PORT: port(8545),
  INDEXER_PORT: port(8000),
  ANALYST_PORT: port(8100),
  EXECUTOR_PORT: port(8200),
  WEB_PORT: port(5173),
  DEPLOYMENTS_DIR: z.string().default("deployments"),
  DATA_DIR: z.string().default(".data/local"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: optionalText.pipe(z.url("must be a URL such as https://api.anthropic.com").optional()),
  ANALYST_MODEL: optionalText,
  EXECUTOR_WEBHOOK_URL: optionalText.pipe(z.url("must be a URL").optional()),
});

export type PlatformConfig = z.output<typeof platformSchema>;

export class PlatformConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
  }
}

/** Reads `.env` (if present) under the real environment, validates, and returns the settings. */
export function loadPlatformConfig(env: NodeJS.ProcessEnv = process.env, envFile = path.join(root, ".env")): PlatformConfig {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, "utf8")) : {};
  const merged = { ...fromFile, ...env };
  const known = Object.keys(platformSchema.shape);
  const result = platformSchema.safeParse(Object.fromEntries(known.map((k) => [k, merged[k]]).filter(([, v]) => v !== undefined)));
  if (!result.success) {
    throw new PlatformConfigError(result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  return result.data;
}

/**
 * Private key of a local development account (the analyst is #8, the executor #9): the node's public
 * development keys, which fund nothing real.
 */
export function developmentKey(index: number): `0x${string}` {
  return devPrivateKey(index);
}
