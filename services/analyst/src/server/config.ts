import path from "node:path";

import { isAddress, type Address, type Hex } from "viem";
import { z } from "zod";

import { REPO_ROOT } from "../abis.ts";
import { DEFAULT_MODEL } from "../model/client.ts";

const port = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be between 0 and 65535`)
    .max(65535, `${name} must be between 0 and 65535`)
    .default(fallback);

const addressList = z
  .string()
  .transform((s) => s.split(",").map((a) => a.trim()).filter(Boolean))
  .refine((list) => list.every((a) => isAddress(a, { strict: false })), "must be a comma-separated list of addresses");

/** Everything the service reads from the environment, validated once at start. */
export const envSchema = z.object({
  RPC_URL: z.url({ error: "RPC_URL must be a URL, e.g. http://127.0.0.1:8545" }).default("http://127.0.0.1:8545"),
  DEPLOYMENT_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { error: "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent" }).default("info"),
  ANALYST_PORT: port("ANALYST_PORT", 8100),
  ANALYST_HOST: z.string().default("127.0.0.1"),
  // The value is never echoed: the message names the variable only.
  ANALYST_PRIVATE_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, "ANALYST_PRIVATE_KEY must be 0x followed by 64 hex digits (or unset it to run without publishing)")
    .optional(),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.url({ error: "ANTHROPIC_BASE_URL must be a URL" }).optional(),
  ANALYST_MODEL: z.string().min(1).default(DEFAULT_MODEL),
  ANALYST_MODEL_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  ANALYST_MODEL_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(4),
  ANALYST_DATA_DIR: z.string().default(path.join(REPO_ROOT, ".data", "analyst")),
  INDEXER_URL: z.url({ error: "INDEXER_URL must be a URL" }).optional(),
  /** The chain the simulator forks; default RPC_URL. "off" disables the simulation (reports say so). */
  ANALYST_FORK_RPC_URL: z.union([z.literal("off"), z.url({ error: "ANALYST_FORK_RPC_URL must be a URL or off" })]).optional(),
  CORS_ORIGINS: z
    .string()
    .default("http://localhost:5173,http://127.0.0.1:5173")
    .transform((s) => s.split(",").map((o) => o.trim()).filter(Boolean)),
  ANALYST_POLL_MS: z.coerce.number().int().min(100, "ANALYST_POLL_MS must be at least 100").default(2_000),
  ANALYST_WATCH: z.enum(["true", "false"], { error: "ANALYST_WATCH must be true or false" }).default("true"),
  /** Draft guardrails. */
  ANALYST_DRAFT_ALLOWED_TARGETS: addressList.optional(),
  ANALYST_DRAFT_ALLOWED_FUNCTIONS: z
    .string()
    .optional()
    .transform((s) => (s === undefined ? undefined : s.split(",").map((f) => f.trim()).filter(Boolean))),
  ANALYST_DRAFT_MAX_OUTFLOW_BPS: z.coerce.number().int().min(0).max(10_000, "ANALYST_DRAFT_MAX_OUTFLOW_BPS is in basis points, at most 10000").default(500),
  ANALYST_DRAFT_ALLOW_PROPOSE: z.enum(["true", "false"], { error: "ANALYST_DRAFT_ALLOW_PROPOSE must be true or false" }).default("false"),
});

export interface AnalystConfig {
  rpcUrl: string;
  /** Fork source for the simulation, or undefined when it is switched off. */
  forkRpcUrl: string | undefined;
  deploymentFile: string | undefined;
  logLevel: string;
  port: number;
  host: string;
  privateKey: Hex | undefined;
  anthropic: { apiKey: string; baseURL: string | undefined; model: string; timeoutMs: number; maxRetries: number } | undefined;
  model: string;
  dataDir: string;
  indexerUrl: string | undefined;
  corsOrigins: string[];
  pollMs: number;
  watch: boolean;
  draft: { allowedTargets: Address[] | undefined; allowedFunctions: string[] | undefined; maxOutflowBps: number; allowPropose: boolean };
}

/** A bad or missing setting: the message names each variable and what to do. */
export class ConfigurationError extends Error {
  override name = "ConfigurationError";
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AnalystConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const name = String(i.path[0] ?? "");
      return i.message.startsWith(name) ? i.message : `${name}: ${i.message}`;
    });
    throw new ConfigurationError(`invalid configuration:\n${lines.map((l) => `  - ${l}`).join("\n")}`);
  }
  const e = result.data;
  return {
    rpcUrl: e.RPC_URL,
    forkRpcUrl: e.ANALYST_FORK_RPC_URL === "off" ? undefined : (e.ANALYST_FORK_RPC_URL ?? e.RPC_URL),
    deploymentFile: e.DEPLOYMENT_FILE,
    logLevel: e.LOG_LEVEL,
    port: e.ANALYST_PORT,
    host: e.ANALYST_HOST,
    privateKey: e.ANALYST_PRIVATE_KEY as Hex | undefined,
    anthropic: e.ANTHROPIC_API_KEY
      ? { apiKey: e.ANTHROPIC_API_KEY, baseURL: e.ANTHROPIC_BASE_URL, model: e.ANALYST_MODEL, timeoutMs: e.ANALYST_MODEL_TIMEOUT_MS, maxRetries: e.ANALYST_MODEL_MAX_RETRIES }
      : undefined,
    model: e.ANALYST_MODEL,
    dataDir: path.resolve(e.ANALYST_DATA_DIR),
    indexerUrl: e.INDEXER_URL,
    corsOrigins: e.CORS_ORIGINS,
    pollMs: e.ANALYST_POLL_MS,
    watch: e.ANALYST_WATCH === "true",
    draft: {
      allowedTargets: e.ANALYST_DRAFT_ALLOWED_TARGETS as Address[] | undefined,
      allowedFunctions: e.ANALYST_DRAFT_ALLOWED_FUNCTIONS,
      maxOutflowBps: e.ANALYST_DRAFT_MAX_OUTFLOW_BPS,
      allowPropose: e.ANALYST_DRAFT_ALLOW_PROPOSE === "true",
    },
  };
}
