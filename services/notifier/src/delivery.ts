// Works the outbox: every due delivery runs on its own (up to `concurrency` at once), each with its
// own deadline, so a dead or slow endpoint holds only its own slot. A 2xx (or an accepted mail)
// marks the row delivered; a failure is retried with exponential backoff up to a cap of attempts.
import { backoffDelay, scrubText, sleep } from "@ai-dao/service-kit";
import type { Logger } from "pino";

import { DeliveryError, send, type SendContext } from "./channels/index.ts";
import type { Metrics } from "./metrics.ts";
import type { OutboxRow, Store } from "./store.ts";
import { maskUrl } from "./subscriptions.ts";

export interface DispatcherOptions {
  store: Store;
  logger: Logger;
  metrics: Metrics;
  send: Omit<SendContext, "signal">;
  /** Deliveries under way at once. */
  concurrency: number;
  /** Attempts in all before a delivery is given up. */
  maxAttempts: number;
  firstBackoffMs: number;
  maxBackoffMs: number;
}

export class Dispatcher {
  private readonly o: DispatcherOptions;
  private readonly inFlight = new Map<number, Promise<void>>();
  private wake: (() => void) | null = null;

  constructor(o: DispatcherOptions) {
    this.o = o;
  }

  /** New rows were queued: look at the outbox now. */
  kick(): void {
    this.wake?.();
  }

  get busy(): number {
    return this.inFlight.size;
  }

  /**
   * Runs until `signal` aborts. Aborting also cuts off the HTTP attempts in flight (their rows stay
   * pending and are sent after a restart); wait for them with {@link flush} before closing the store.
   */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const free = this.o.concurrency - this.inFlight.size;
      if (free > 0) {
        for (const row of this.o.store.dueDeliveries(Date.now(), free, new Set(this.inFlight.keys()))) this.start(row, signal);
      }
      const next = this.o.store.nextDueAt();
      const wait = next === null ? 1_000 : Math.min(1_000, Math.max(20, next - Date.now()));
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        void sleep(wait, signal).then(resolve);
      });
      this.wake = null;
    }
  }

  /** Waits for the attempts under way (tests, graceful shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.inFlight.values()]);
  }

  private start(row: OutboxRow, signal: AbortSignal): void {
    const promise = this.attempt(row, signal)
      .catch((error: unknown) => this.o.logger.error({ deliveryId: row.id, err: scrubText(String((error as Error)?.message ?? error)) }, "delivery bookkeeping failed"))
      .finally(() => {
        this.inFlight.delete(row.id);
        this.o.metrics.inFlight.set(this.inFlight.size);
        this.kick();
      });
    this.inFlight.set(row.id, promise);
    this.o.metrics.inFlight.set(this.inFlight.size);
  }

  private async attempt(row: OutboxRow, signal: AbortSignal): Promise<void> {
    const { store, logger, metrics } = this.o;
    const sub = store.subscription(row.subscriptionId);
    const event = store.event(row.eventId);
    if (!sub || !event) {
      store.markFailed(row.id, "subscription or event missing", null);
      return;
    }
    const channel = sub.channel.type;
    const where = "url" in sub.channel ? maskUrl(sub.channel.url) : channel;
    const stopTimer = metrics.duration.startTimer({ channel });
    try {
      await send({ id: `${event.id}/${sub.id}`, event, subscriptionId: sub.id, channel: sub.channel }, { ...this.o.send, signal });
      stopTimer();
      // Acknowledged: recorded even while stopping (stop waits for this), so it is never sent again.
      store.markDelivered(row.id);
      metrics.delivered.inc({ channel });
      logger.info({ event: event.id, subscription: sub.id, channel, to: where, attempt: row.attempts + 1 }, "delivered");
    } catch (error) {
      stopTimer();
      if (signal.aborted) return; // cut off by a stop: the row stays pending and is sent after the restart
      const reason = scrubText(error instanceof Error ? error.message : String(error)).slice(0, 300);
      const attempts = row.attempts + 1;
      const permanent = error instanceof DeliveryError && error.permanent;
      metrics.attemptsFailed.inc({ channel });
      if (permanent || attempts >= this.o.maxAttempts) {
        store.markFailed(row.id, reason, null);
        metrics.givenUp.inc({ channel });
        logger.warn({ event: event.id, subscription: sub.id, channel, to: where, attempts, err: reason }, permanent ? "delivery refused for good" : "delivery given up after all attempts");
        return;
      }
      const retryIn = backoffDelay(attempts, { firstMs: this.o.firstBackoffMs, maxMs: this.o.maxBackoffMs });
      store.markFailed(row.id, reason, Date.now() + retryIn);
      logger.warn({ event: event.id, subscription: sub.id, channel, to: where, attempts, retryInMs: retryIn, err: reason }, "delivery failed; will retry");
    }
  }
}
