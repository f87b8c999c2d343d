import path from "node:path";

import { boolean, corsOrigins, int, list, loadEnv, logLevel, nonEmpty, port, positiveInt, privateKey, repoRoot, url } from "@ai-dao/service-kit";
import { isAddress, type Address, type Hex } from "viem";
import { z } from "zod";

import { DEFAULT_MODEL } from "../model/client.ts";

/** Everything the service reads from the environment (or `.env` at the repository root), validated once at start. */
export const envSchema = z.object({
  RPC_URL: url({ example: "http://127.0.0.1:8545" }).default("http://127.0.0.1:8545"),
  DEPLOYMENT_FILE: nonEmpty().optional(),
  LOG_LEVEL: logLevel(),
  ANALYST_PORT: port().default(8100),
  ANALYST_HOST: nonEmpty().default("127.0.0.1"),
  // The value is never echoed: the message names the variable only.
  ANALYST_PRIVATE_KEY: privateKey("ANALYST_PRIVATE_KEY", { hint: "or unset it to run without publishing" }).optional(),
  ANTHROPIC_API_KEY: nonEmpty().optional(),
  ANTHROPIC_BASE_URL: url({ example: "https://api.anthropic.com" }).optional(),
  ANALYST_MODEL: nonEmpty().default(DEFAULT_MODEL),
  ANALYST_MODEL_TIMEOUT_MS: positiveInt().default(120_000),
  ANALYST_MODEL_MAX_RETRIES: int({ min: 0, max: 10 }).default(4),
  ANALYST_DATA_DIR: nonEmpty().default(path.join(repoRoot, ".data", "analyst")),
  INDEXER_URL: url({ example: "http://127.0.0.1:8000/subgraphs/name/dao" }).optional(),
  /** The chain the simulator forks; default RPC_URL. "off" disables the simulation (reports say so). */
  ANALYST_FORK_RPC_URL: url({ also: ["off"] }).optional(),
  CORS_ORIGINS: corsOrigins(),
  ANALYST_POLL_MS: int({ min: 100 }).default(2_000),
  ANALYST_WATCH: boolean().default(true),
  /** Draft guardrails. */
  ANALYST_DRAFT_ALLOWED_TARGETS: list({ what: "addresses", item: (a) => isAddress(a, { strict: false }) }).optional(),
  ANALYST_DRAFT_ALLOWED_FUNCTIONS: list({ what: "function names" }).optional(),
  ANALYST_DRAFT_MAX_OUTFLOW_BPS: int({ min: 0, max: 10_000, unit: "basis points" }).default(500),
  ANALYST_DRAFT_ALLOW_PROPOSE: boolean().default(false),
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

/**
 * The service's settings: `process.env` over `.env` at the repository root (an explicit `env` is
 * taken whole). Throws the kit's `ConfigError`, naming each bad variable, never its value.
 */
export function loadConfig(env?: NodeJS.ProcessEnv): AnalystConfig {
  const e = loadEnv(envSchema, { service: "analyst", ...(env ? { env } : {}) });
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
    watch: e.ANALYST_WATCH,
    draft: {
      allowedTargets: e.ANALYST_DRAFT_ALLOWED_TARGETS as Address[] | undefined,
      allowedFunctions: e.ANALYST_DRAFT_ALLOWED_FUNCTIONS,
      maxOutflowBps: e.ANALYST_DRAFT_MAX_OUTFLOW_BPS,
      allowPropose: e.ANALYST_DRAFT_ALLOW_PROPOSE,
    },
  };
}
