// One way to read a service's settings: its zod schema over the environment, with `.env` at the
// repository root underneath (the environment wins), and one error that names every bad variable.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";

import { ConfigError } from "@ai-dao/deployment";
import type { z } from "zod";

import { scrubText, secretsOf } from "./redact.ts";
import { repoRoot } from "./repo.ts";

export { ConfigError };

export interface LoadEnvOptions {
  /** What is being configured, for the message: `executor` → "Invalid executor configuration". */
  service: string;
  /**
   * The environment. Default `process.env` over `<repo>/.env`; an explicit object (tests) is the
   * whole environment and no file is read unless `envFile` is given too.
   */
  env?: NodeJS.ProcessEnv;
  /** A `.env` file read underneath `env`; `false` reads none. */
  envFile?: string | false;
}

/**
 * Validates the variables `schema` names and returns its output. Unset and empty variables both
 * count as unset, so defaults apply. Throws a {@link ConfigError} with one line per bad variable,
 * `NAME: what is wrong and what to do`; the values of keys, and passwords inside URLs, never appear in it.
 */
export function loadEnv<S extends z.ZodObject>(schema: S, options: LoadEnvOptions): z.output<S> {
  const env = options.env ?? process.env;
  const envFile = options.envFile ?? (options.env === undefined ? path.join(repoRoot, ".env") : false);
  const fromFile = envFile !== false && existsSync(envFile) ? parseEnv(readFileSync(envFile, "utf8")) : {};
  const merged: Record<string, string | undefined> = { ...fromFile, ...env };
  const known: Record<string, string> = {};
  for (const name of Object.keys(schema.shape)) {
    const value = merged[name];
    if (value !== undefined && value !== "") known[name] = value;
  }
  const result = schema.safeParse(known);
  if (result.success) return result.data;
  const secrets = secretsOf(known);
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "(environment)");
    const line = issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
    return scrubText(line, secrets);
  });
  throw new ConfigError(`${options.service} configuration`, problems);
}
