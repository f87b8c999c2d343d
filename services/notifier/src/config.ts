import path from "node:path";

import { boolean, corsOrigins, int, list, loadEnv, logLevel, nonEmpty, port, positiveInt, repoRoot, url } from "@ai-dao/service-kit";
import { z } from "zod";

/** Everything the notifier reads from the environment (or `.env` at the repository root). */
export const envSchema = z.object({
  INDEXER_URL: url({ what: "the indexer's GraphQL endpoint", example: "http://127.0.0.1:8000/subgraphs/name/dao" }).default("http://127.0.0.1:8000/subgraphs/name/dao"),
  NOTIFIER_PORT: port().default(8400),
  NOTIFIER_HOST: nonEmpty().default("127.0.0.1"),
  NOTIFIER_DATA_DIR: nonEmpty().default(path.join(repoRoot, ".data", "notifier")),
  NOTIFIER_CHAIN_ID: positiveInt().default(31337),
  NOTIFIER_APP_URL: url({ what: "the web app, for links in messages", example: "https://dao.example" }).default("http://127.0.0.1:5173"),
  /** Domains (host[:port]) a Sign-In with Ethereum message may name; default: the hosts of CORS_ORIGINS. */
  NOTIFIER_SIWE_DOMAINS: list({ what: "host[:port] values such as dao.example or localhost:5173", item: (s) => /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(s) }).optional(),
  NOTIFIER_RPC_URL: url({ what: "a JSON-RPC endpoint (only for contract-wallet sign-in)" }).optional(),
  NOTIFIER_POLL_INTERVAL_MS: int({ min: 50 }).default(5_000),
  NOTIFIER_MAX_BACKOFF_MS: int({ min: 100 }).default(60_000),
  NOTIFIER_REMINDER_WINDOW_S: positiveInt({ unit: "seconds" }).default(86_400),
  NOTIFIER_ANALYSIS_WAIT_MS: int({ min: 0, unit: "milliseconds" }).default(600_000),
  NOTIFIER_DELIVERY_TIMEOUT_MS: int({ min: 100, unit: "milliseconds" }).default(10_000),
  NOTIFIER_MAX_ATTEMPTS: positiveInt({ max: 50 }).default(8),
  NOTIFIER_RETRY_FIRST_MS: int({ min: 10 }).default(2_000),
  NOTIFIER_RETRY_MAX_MS: int({ min: 100 }).default(3_600_000),
  NOTIFIER_CONCURRENCY: positiveInt({ max: 1_000 }).default(32),
  NOTIFIER_ALLOW_PRIVATE_TARGETS: boolean().default(false),
  NOTIFIER_MAX_SUBSCRIPTIONS: positiveInt({ max: 1_000 }).default(20),
  NOTIFIER_SESSION_TTL_S: positiveInt({ unit: "seconds" }).default(86_400),
  NOTIFIER_NONCE_TTL_S: positiveInt({ unit: "seconds" }).default(600),
  /** `smtp://user:pass@host:587` or `smtps://…:465`; unset: emails are written to the log instead of sent. */
  NOTIFIER_SMTP_URL: z
    .string()
    .refine((v) => {
      try {
        return ["smtp:", "smtps:"].includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, "must be an smtp:// or smtps:// URL, e.g. smtps://smtp.example:465 with the user and password before the host")
    .optional(),
  NOTIFIER_EMAIL_FROM: nonEmpty().default("DAO notifier <notifier@localhost>"),
  NOTIFIER_TELEGRAM_API_URL: url({ what: "the Telegram Bot API" }).default("https://api.telegram.org"),
  CORS_ORIGINS: corsOrigins(),
  LOG_LEVEL: logLevel(),
});

export type NotifierConfig = z.output<typeof envSchema>;

/** Validates the environment; the error names every bad variable and never echoes a password. */
export function loadConfig(env?: NodeJS.ProcessEnv): NotifierConfig {
  return loadEnv(envSchema, { service: "notifier", ...(env ? { env } : {}) });
}

/** The Sign-In with Ethereum domains: the configured ones, else the web app's hosts from CORS_ORIGINS. */
export function siweDomains(config: Pick<NotifierConfig, "NOTIFIER_SIWE_DOMAINS" | "CORS_ORIGINS">): string[] {
  return config.NOTIFIER_SIWE_DOMAINS ?? config.CORS_ORIGINS.map((origin) => new URL(origin).host);
}
