import { pollLoop, type Logger } from "@ai-dao/service-kit";

import type { Executor } from "./executor.ts";
import { errorText } from "./txs.ts";

/**
 * Polls until `signal` aborts (the kit's poll loop). A failed poll (RPC down, timeout, odd answer)
 * is counted, logged and retried with exponential backoff from twice the interval up to
 * `maxBackoffMs`; nothing a poll throws stops the loop.
 */
export async function runLoop(executor: Executor, o: { intervalMs: number; maxBackoffMs: number; logger: Logger; signal: AbortSignal }): Promise<void> {
  await pollLoop({
    intervalMs: o.intervalMs,
    maxBackoffMs: o.maxBackoffMs,
    signal: o.signal,
    tick: async () => {
      await executor.tick();
      executor.lastError = null;
    },
    onError: (error, failures, retryInMs) => {
      executor.metrics.rpcErrors.inc();
      executor.lastError = errorText(error).slice(0, 500);
      o.logger.error({ failures, retryInMs, err: executor.lastError }, "poll failed; retrying with backoff");
    },
    onRecovered: (failures) => o.logger.info({ after: failures }, "RPC reachable again; polling resumed"),
  });
}
