import type { Logger } from "pino";

import { sleep } from "./alerts.ts";
import type { Executor } from "./executor.ts";
import { errorText } from "./txs.ts";

/**
 * Polls until `signal` aborts. A failed poll (RPC down, timeout, odd answer) is counted, logged and
 * retried with exponential backoff; nothing a poll throws stops the loop.
 */
export async function runLoop(executor: Executor, o: { intervalMs: number; maxBackoffMs: number; logger: Logger; signal: AbortSignal }): Promise<void> {
  let failures = 0;
  while (!o.signal.aborted) {
    try {
      await executor.tick();
      if (failures > 0) o.logger.info({ after: failures }, "RPC reachable again; polling resumed");
      failures = 0;
      executor.lastError = null;
    } catch (error) {
      failures++;
      executor.metrics.rpcErrors.inc();
      executor.lastError = errorText(error).slice(0, 500);
      o.logger.error({ failures, err: executor.lastError }, "poll failed; retrying with backoff");
    }
    const wait = failures === 0 ? o.intervalMs : Math.min(o.maxBackoffMs, o.intervalMs * 2 ** Math.min(failures, 10));
    await sleep(wait);
  }
}
