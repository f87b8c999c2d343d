import type { Logger } from "pino";

import { backoffDelay, redactText, redactUrl, sleep } from "@ai-dao/service-kit";

import type { Metrics } from "./metrics.ts";

// Webhook URLs often carry a token in the path or query: only their origin is logged.
export { redactText, redactUrl };

export interface AlertOptions {
  url: string | undefined;
  logger: Logger;
  metrics: Metrics;
  attempts?: number;
  timeoutMs?: number;
  baseDelayMs?: number;
}

/**
 * Sends alerts (guard refusals and holds) to a webhook as JSON POSTs. Each alert is retried with
 * backoff; a failing or absent webhook is logged and never stops the executor.
 */
export class Alerter {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly options: AlertOptions;

  constructor(options: AlertOptions) {
    this.options = options;
  }

  send(payload: Record<string, unknown>): void {
    if (this.options.url === undefined) return;
    const promise = this.deliver(this.options.url, payload).finally(() => this.inFlight.delete(promise));
    this.inFlight.add(promise);
  }

  /** Waits for every alert in flight (tests, shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private async deliver(url: string, payload: Record<string, unknown>): Promise<void> {
    const { logger, metrics } = this.options;
    const attempts = this.options.attempts ?? 4;
    const body = JSON.stringify(payload);
    const { target, authorization } = webhookRequest(url);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await fetch(target, {
          method: "POST",
          headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
        });
        if (response.ok) {
          logger.info({ url: redactUrl(url), attempt, status: response.status }, "webhook alert delivered");
          return;
        }
        logger.warn({ url: redactUrl(url), attempt, status: response.status }, "webhook answered with an error status");
      } catch (error) {
        logger.warn({ url: redactUrl(url), attempt, err: redactText((error as Error).message, url) }, "webhook unreachable");
      }
      if (attempt < attempts) await sleep(backoffDelay(attempt, { firstMs: this.options.baseDelayMs ?? 500 }));
    }
    metrics.webhookFailures.inc();
    logger.error({ url: redactUrl(url), attempts }, "webhook alert dropped after all retries");
  }
}

/**
 * A webhook URL may carry credentials (`https://user:secret@hooks.example/…`). fetch refuses such
 * URLs, so they travel as a Basic authorization header instead, and never reach a log.
 */
export function webhookRequest(url: string): { target: string; authorization: string | null } {
  const parsed = new URL(url);
  if (parsed.username === "" && parsed.password === "") return { target: url, authorization: null };
  const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = "";
  parsed.password = "";
  return { target: parsed.href, authorization: `Basic ${Buffer.from(credentials).toString("base64")}` };
}
