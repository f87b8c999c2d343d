// Wires a running notifier: store, indexer watcher (the service kit's poll loop), outbox
// dispatcher and HTTP server. main.ts and the tests start it through here.
import type { Server } from "node:http";

import { createLogger, errorLine, pollLoop, type Logger } from "@ai-dao/service-kit";
import nodemailer, { type Transporter } from "nodemailer";

import { Auth } from "./auth.ts";
import { Dispatcher } from "./delivery.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { startServer } from "./server.ts";
import { Store } from "./store.ts";
import { Watcher } from "./watcher.ts";

export interface NotifierOptions {
  indexerUrl: string;
  dataDir: string;
  host?: string;
  port: number;
  chainId: number;
  appUrl: string;
  corsOrigins: string[];
  siweDomains: string[];
  rpcUrl?: string;
  pollIntervalMs: number;
  maxBackoffMs: number;
  reminderWindowS: number;
  analysisWaitMs: number;
  deliveryTimeoutMs: number;
  maxAttempts: number;
  retryFirstMs: number;
  retryMaxMs: number;
  concurrency: number;
  allowPrivateTargets: boolean;
  maxSubscriptionsPerAddress: number;
  sessionTtlMs: number;
  nonceTtlMs: number;
  /** A nodemailer transport (SMTP), or undefined: emails are written to the log. */
  mailTransport?: Transporter;
  emailFrom: string;
  telegramApiUrl: string;
  logger?: Logger;
  now?: () => number;
}

export interface Notifier {
  store: Store;
  watcher: Watcher;
  dispatcher: Dispatcher;
  auth: Auth;
  metrics: Metrics;
  server: Server;
  url: string;
  /**
   * Stops polling and delivering: attempts in flight are cut off (their rows stay pending; one that was
   * acknowledged already is recorded as delivered), then the store is closed.
   */
  stop(): Promise<void>;
}

/** A transport that writes each email to the log as JSON instead of sending it (local development). */
export function logMailTransport(logger: Logger): Transporter {
  return nodemailer.createTransport({
    name: "log",
    version: "1",
    send(mail, callback) {
      const { to, subject, text } = mail.data;
      logger.info({ to, subject, text }, "email written to the log (NOTIFIER_SMTP_URL is not set)");
      callback(null, { envelope: mail.message.getEnvelope(), messageId: mail.message.messageId() });
    },
  });
}

export async function startNotifier(o: NotifierOptions): Promise<Notifier> {
  const logger = o.logger ?? createLogger({ name: "notifier" });
  const metrics = createMetrics();
  const store = Store.open(o.dataDir);
  const stop = new AbortController();
  const dispatcher = new Dispatcher({
    store,
    logger,
    metrics,
    send: {
      appUrl: o.appUrl,
      timeoutMs: o.deliveryTimeoutMs,
      allowPrivateTargets: o.allowPrivateTargets,
      telegramApiUrl: o.telegramApiUrl,
      mail: { transport: o.mailTransport ?? logMailTransport(logger), from: o.emailFrom },
      ...(o.now ? { now: o.now } : {}),
    },
    concurrency: o.concurrency,
    maxAttempts: o.maxAttempts,
    firstBackoffMs: o.retryFirstMs,
    maxBackoffMs: o.retryMaxMs,
  });
  const watcher = new Watcher({
    indexerUrl: o.indexerUrl,
    store,
    logger,
    metrics,
    reminderWindowS: o.reminderWindowS,
    analysisWaitMs: o.analysisWaitMs,
    onQueued: () => dispatcher.kick(),
    ...(o.now ? { now: o.now } : {}),
  });
  const auth = new Auth({
    store,
    domains: o.siweDomains,
    chainId: o.chainId,
    nonceTtlMs: o.nonceTtlMs,
    sessionTtlMs: o.sessionTtlMs,
    maxOutstandingNonces: 10_000,
    ...(o.rpcUrl ? { rpcUrl: o.rpcUrl } : {}),
    ...(o.now ? { now: o.now } : {}),
  });
  const { server, port } = await startServer({
    host: o.host ?? "127.0.0.1",
    port: o.port,
    corsOrigins: o.corsOrigins,
    store,
    auth,
    watcher,
    metrics,
    logger,
    chainId: o.chainId,
    siweDomains: o.siweDomains,
    maxSubscriptionsPerAddress: o.maxSubscriptionsPerAddress,
    allowPrivateTargets: o.allowPrivateTargets,
    onQueued: () => dispatcher.kick(),
    staleAfterMs: Math.max(60_000, o.pollIntervalMs * 10),
  });

  const loops = [
    pollLoop({
      tick: async () => ((await watcher.tick()).more ? 0 : undefined),
      intervalMs: o.pollIntervalMs,
      maxBackoffMs: o.maxBackoffMs,
      signal: stop.signal,
      onError: (error, failures, retryInMs) => {
        watcher.lastError = errorLine(error, o.indexerUrl);
        metrics.pollErrors.inc();
        logger.warn({ failures, retryInMs, err: watcher.lastError }, "polling the indexer failed; retrying");
      },
      onRecovered: (failures) => logger.info({ failures }, "indexer reachable again"),
    }),
    dispatcher.run(stop.signal),
  ];

  return {
    store,
    watcher,
    dispatcher,
    auth,
    metrics,
    server,
    url: `http://${o.host ?? "127.0.0.1"}:${port}`,
    async stop() {
      stop.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(loops);
      await dispatcher.flush();
      store.close();
    },
  };
}
