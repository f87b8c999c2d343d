// How large a block range one eth_getLogs may ask for: the failures that mean "too large, ask for
// less" (as opposed to an outage), how soon a reduced range grows again, and the size ranges are
// aimed at.
import { ResponseBodyTooLargeError, TimeoutError } from "viem";

/**
 * Whether a failed eth_getLogs says its answer was too large for one request: viem's response size
 * limit, a timeout on a large range, or the limits nodes and providers put on results and ranges
 * (geth/erigon "query returned more than 10000 results", Alchemy/Infura/QuickNode "limit exceeded",
 * "block range too large", code -32005).
 */
export function isLogRangeTooLarge(error: unknown): boolean {
  for (let e = error as { cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e instanceof ResponseBodyTooLargeError || e instanceof TimeoutError) return true;
    const { code, message, details } = e as { code?: unknown; message?: unknown; details?: unknown };
    if (code === -32005) return true;
    const text = `${typeof message === "string" ? message : ""} ${typeof details === "string" ? details : ""}`;
    if (/more than \d+ (results|logs)|too many (results|logs)|limit exceeded|response (size|is too big|too large)|block range|range (is )?too (large|wide)|exceed(s|ed)? (the )?(max|limit)/i.test(text)) return true;
    if (e.cause === e) break;
  }
  return false;
}

/** Successful getLogs calls at a reduced range before trying twice the range again. */
export const GROW_AFTER = 8;

/**
 * Logs one eth_getLogs is aimed at: each range is sized from the last one's density to about this
 * many. Batches this size keep the fetch of the next one (done while this one's handlers run) short,
 * and stay well below the answers nodes refuse as too large.
 */
export const TARGET_LOGS = 2000;

/** Blocks in the first getLogs range, before any density is known (at most the batch size). */
export const FIRST_LOG_RANGE = 100;
