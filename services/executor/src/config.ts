import path from "node:path";

import { z } from "zod";

/** The repository root (services/executor/src -> ../../..). */
export const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");

const bool = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return false;
      if (/^(1|true|yes|on)$/i.test(v)) return true;
      if (/^(0|false|no|off)$/i.test(v)) return false;
      ctx.addIssue({ code: "custom", message: `${name} must be true or false (got "${v}")` });
      return z.NEVER;
    });

const int = (def: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return def;
      if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
        ctx.addIssue({ code: "custom", message: `must be a whole number from ${min} to ${max} (got "${v}")` });
        return z.NEVER;
      }
      return Number(v);
    });

const url = (what: string) =>
  z.string().refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === "http:" || u.protocol === "https:" || u.protocol === "ws:" || u.protocol === "wss:";
    } catch {
      return false;
    }
  }, `must be an http(s) URL of ${what}`);

export const envSchema = z.object({
  RPC_URL: url("the chain's JSON-RPC endpoint").default("http://127.0.0.1:8545"),
  DEPLOYMENT_FILE: z.string().min(1).optional(),
  EXECUTOR_PRIVATE_KEY: z
    .string({ message: "is required: the executor's key (0x + 64 hex digits), a DecisionLog publisher with gas money" })
    .regex(/^0x[0-9a-fA-F]{64}$/, "must be 0x followed by 64 hex digits (the value is not shown)"),
  EXECUTOR_PORT: int(8200, 0, 65_535),
  EXECUTOR_HOST: z.string().min(1).default("127.0.0.1"),
  EXECUTOR_DATA_DIR: z.string().min(1).default(path.join(REPO_ROOT, ".data", "executor")),
  EXECUTOR_DRY_RUN: bool("EXECUTOR_DRY_RUN"),
  EXECUTOR_WEBHOOK_URL: z.union([z.literal("").transform(() => undefined), url("the alert webhook")]).optional(),
  EXECUTOR_OVERRIDES: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const ids = (v ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
      const bad = ids.filter((s) => !/^\d+$/.test(s));
      if (bad.length > 0) {
        ctx.addIssue({ code: "custom", message: `must be a comma-separated list of decimal proposal ids (bad: ${bad.join(", ")})` });
        return z.NEVER;
      }
      return ids.map((s) => BigInt(s).toString());
    }),
  EXECUTOR_POLL_INTERVAL_MS: int(5_000, 50),
  EXECUTOR_TX_TIMEOUT_MS: int(120_000, 100),
  EXECUTOR_FEE_BUMP_PERCENT: int(25, 10, 1_000),
  EXECUTOR_LOG_CHUNK_BLOCKS: int(10_000, 1),
  EXECUTOR_MAX_BACKOFF_MS: int(30_000, 100),
  EXECUTOR_PUBLISH_GUARDS: z
    .string()
    .optional()
    .transform((v) => v === undefined || v === "" || !/^(0|false|no|off)$/i.test(v)),
  EXECUTOR_FAULT: z.enum(["none", "kill-after-sign", "kill-after-broadcast"]).default("none"),
  CORS_ORIGINS: z.string().default("http://localhost:5173,http://127.0.0.1:5173"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type ExecutorConfig = z.output<typeof envSchema>;

export class ExecutorConfigError extends Error {
  override name = "ExecutorConfigError";
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid executor configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
  }
}

/** Validates the environment; the error names every bad variable and never echoes a key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ExecutorConfig {
  const result = envSchema.safeParse(env);
  if (result.success) return result.data;
  throw new ExecutorConfigError(result.error.issues.map((issue) => `${String(issue.path[0] ?? "(env)")}: ${issue.message}`));
}
