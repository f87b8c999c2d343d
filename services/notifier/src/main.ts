#!/usr/bin/env node
// The notifier service: `node src/main.ts`. Configuration from the environment (see README).
import { createLogger, redactUrl, scrubText } from "@ai-dao/service-kit";
import nodemailer from "nodemailer";

import { loadConfig, siweDomains } from "./config.ts";
import { startNotifier } from "./notifier.ts";

async function main(): Promise<void> {
  const config = loadConfig();
  const smtpPassword = config.NOTIFIER_SMTP_URL ? decodeURIComponent(new URL(config.NOTIFIER_SMTP_URL).password) : undefined;
  const logger = createLogger({ name: "notifier", level: config.LOG_LEVEL, secrets: [smtpPassword] });
  const mailTransport = config.NOTIFIER_SMTP_URL ? nodemailer.createTransport(config.NOTIFIER_SMTP_URL) : undefined;
  const notifier = await startNotifier({
    indexerUrl: config.INDEXER_URL,
    dataDir: config.NOTIFIER_DATA_DIR,
    host: config.NOTIFIER_HOST,
    port: config.NOTIFIER_PORT,
    chainId: config.NOTIFIER_CHAIN_ID,
    appUrl: config.NOTIFIER_APP_URL,
    corsOrigins: config.CORS_ORIGINS,
    siweDomains: siweDomains(config),
    ...(config.NOTIFIER_RPC_URL ? { rpcUrl: config.NOTIFIER_RPC_URL } : {}),
    pollIntervalMs: config.NOTIFIER_POLL_INTERVAL_MS,
    maxBackoffMs: config.NOTIFIER_MAX_BACKOFF_MS,
    reminderWindowS: config.NOTIFIER_REMINDER_WINDOW_S,
    analysisWaitMs: config.NOTIFIER_ANALYSIS_WAIT_MS,
    deliveryTimeoutMs: config.NOTIFIER_DELIVERY_TIMEOUT_MS,
    maxAttempts: config.NOTIFIER_MAX_ATTEMPTS,
    retryFirstMs: config.NOTIFIER_RETRY_FIRST_MS,
    retryMaxMs: config.NOTIFIER_RETRY_MAX_MS,
    concurrency: config.NOTIFIER_CONCURRENCY,
    allowPrivateTargets: config.NOTIFIER_ALLOW_PRIVATE_TARGETS,
    maxSubscriptionsPerAddress: config.NOTIFIER_MAX_SUBSCRIPTIONS,
    sessionTtlMs: config.NOTIFIER_SESSION_TTL_S * 1000,
    nonceTtlMs: config.NOTIFIER_NONCE_TTL_S * 1000,
    ...(mailTransport ? { mailTransport } : {}),
    emailFrom: config.NOTIFIER_EMAIL_FROM,
    telegramApiUrl: config.NOTIFIER_TELEGRAM_API_URL,
    logger,
  });
  logger.info(
    {
      url: notifier.url,
      indexer: redactUrl(config.INDEXER_URL),
      dataDir: config.NOTIFIER_DATA_DIR,
      email: config.NOTIFIER_SMTP_URL ? `SMTP ${redactUrl(config.NOTIFIER_SMTP_URL)}` : "log (NOTIFIER_SMTP_URL not set)",
      siweDomains: siweDomains(config),
      allowPrivateTargets: config.NOTIFIER_ALLOW_PRIVATE_TARGETS,
    },
    "notifier started",
  );
  const shutdown = (signal: string) => {
    logger.info({ signal }, "stopping");
    void notifier.stop().finally(() => process.exit(0));
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  // Config and startup errors: one clear message, no stack, no password.
  process.stderr.write(`notifier: ${scrubText(error instanceof Error ? error.message : String(error))}\n`);
  process.exit(1);
});
