// Retrying with exponential backoff, and the poll loop every service runs (the executor's keeper
// loop, the analyst's watcher, the indexer's follower): one shape, one backoff.
import type { Logger } from "pino";

import { redactText, redactUrl, scrubText } from "./redact.ts";

/**
 * The wait after the `failures`-th failure in a row: `firstMs`, doubling each time, at most `maxMs`.
 * `backoffDelay(1, { firstMs: 500, maxMs: 30_000 })` is 500, then 1000, 2000, … 30000.
 */
export function backoffDelay(failures: number, o: { firstMs: number; maxMs?: number }): number {
  const max = o.maxMs ?? Number.POSITIVE_INFINITY;
  return Math.min(max, o.firstMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * A short, key-free line for an error: viem's `shortMessage` or the first line of the message, with
 * URL credentials removed and `url` (an RPC or webhook URL that may carry a key) shown as its origin.
 */
export function errorLine(error: unknown, url?: string): string {
  const e = error as { shortMessage?: unknown; message?: unknown };
  const text = typeof e?.shortMessage === "string" ? e.shortMessage : typeof e?.message === "string" ? e.message.split("\n")[0]! : String(error);
  return scrubText(url === undefined ? text : redactText(text, url));
}

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts: number;
  /** The wait after the first failure; it doubles after each further one. */
  firstBackoffMs: number;
  maxBackoffMs?: number;
  signal?: AbortSignal;
  /** Called before each wait (log it). */
  onRetry?: (error: unknown, attempt: number, retryInMs: number) => void;
}

/** `fn()` until it resolves or `attempts` are used up; then its last error is thrown. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, o: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= o.attempts || o.signal?.aborted) throw error;
      const wait = backoffDelay(attempt, { firstMs: o.firstBackoffMs, ...(o.maxBackoffMs !== undefined ? { maxMs: o.maxBackoffMs } : {}) });
      o.onRetry?.(error, attempt, wait);
      await sleep(wait, o.signal);
    }
  }
}

export interface PollLoopOptions {
  /**
   * One poll. When it returns a number, that is the wait before the next poll (0: at once, e.g.
   * while catching up); otherwise `intervalMs`. A throw counts as a failure.
   */
  tick: () => Promise<number | void>;
  intervalMs: number;
  /** The wait after the first failure in a row (default twice `intervalMs`), doubling up to `maxBackoffMs`. */
  firstBackoffMs?: number;
  maxBackoffMs: number;
  /** Aborting ends the loop after the poll in progress; a wait in progress ends at once. */
  signal: AbortSignal;
  /** After each failure, before the wait: log and count it here. Not called once `signal` aborted. */
  onError?: (error: unknown, failures: number, retryInMs: number) => void;
  /** After the first success that follows failures. */
  onRecovered?: (failures: number) => void;
}

/** Polls until `signal` aborts. Nothing a poll throws stops the loop: failures back off exponentially. */
export async function pollLoop(o: PollLoopOptions): Promise<void> {
  let failures = 0;
  while (!o.signal.aborted) {
    let wait: number;
    try {
      const next = await o.tick();
      if (failures > 0) o.onRecovered?.(failures);
      failures = 0;
      wait = typeof next === "number" ? next : o.intervalMs;
    } catch (error) {
      if (o.signal.aborted) break;
      failures++;
      wait = backoffDelay(failures, { firstMs: o.firstBackoffMs ?? o.intervalMs * 2, maxMs: o.maxBackoffMs });
      o.onError?.(error, failures, wait);
    }
    if (wait > 0) await sleep(wait, o.signal);
  }
}

export interface WaitForChainOptions {
  /** For messages only; shown as its origin. */
  rpcUrl: string;
  /** Tries in all (default 1: fail at once). */
  attempts?: number;
  firstBackoffMs?: number;
  logger?: Logger;
  signal?: AbortSignal;
}

/**
 * The chain id the RPC serves, retried with backoff while the chain is not up yet. Throws an error
 * that names RPC_URL (its origin only) and what to do.
 */
export async function waitForChain(client: { getChainId(): Promise<number> }, o: WaitForChainOptions): Promise<number> {
  const origin = redactUrl(o.rpcUrl);
  const reason = (error: unknown) => errorLine(error, o.rpcUrl);
  try {
    return await retry(() => client.getChainId(), {
      attempts: o.attempts ?? 1,
      firstBackoffMs: o.firstBackoffMs ?? 500,
      ...(o.signal ? { signal: o.signal } : {}),
      onRetry: (error, attempt, retryInMs) => o.logger?.warn({ rpc: origin, attempt, retryInMs, err: reason(error) }, "RPC not reachable yet; retrying"),
    });
  } catch (error) {
    throw new Error(`RPC_URL ${origin} is not reachable (${reason(error)}); start the chain or fix RPC_URL`);
  }
}
