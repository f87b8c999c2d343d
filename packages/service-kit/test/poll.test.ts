import { describe, expect, it } from "vitest";

import { backoffDelay, pollLoop, retry, sleep, waitForChain } from "../src/index.ts";

describe("backoffDelay", () => {
  it("starts at firstMs, doubles, and stops at maxMs", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, { firstMs: 500, maxMs: 30_000 }))).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000]);
    expect(backoffDelay(1000, { firstMs: 1 })).toBe(2 ** 30);
  });
});

describe("retry", () => {
  it("retries until success and reports each wait", async () => {
    const waits: number[] = [];
    let calls = 0;
    const value = await retry(async () => (++calls < 3 ? Promise.reject(new Error(`fail ${calls}`)) : "ok"), { attempts: 5, firstBackoffMs: 1, onRetry: (_e, _a, ms) => waits.push(ms) });
    expect(value).toBe("ok");
    expect(waits).toEqual([1, 2]);
  });

  it("throws the last error when the attempts are used up", async () => {
    let calls = 0;
    await expect(retry(async () => Promise.reject(new Error(`fail ${++calls}`)), { attempts: 3, firstBackoffMs: 1 })).rejects.toThrow("fail 3");
  });
});

describe("pollLoop", () => {
  it("keeps polling through failures with backoff, says when it recovers, and stops on abort", async () => {
    const stop = new AbortController();
    const events: string[] = [];
    let n = 0;
    await pollLoop({
      intervalMs: 1,
      maxBackoffMs: 4,
      signal: stop.signal,
      tick: async () => {
        n++;
        if (n === 2 || n === 3 || n === 4) throw new Error(`down ${n}`);
        if (n === 6) stop.abort();
        return n === 1 ? 0 : undefined;
      },
      onError: (error, failures, wait) => events.push(`${(error as Error).message} #${failures} wait ${wait}`),
      onRecovered: (failures) => events.push(`recovered after ${failures}`),
    });
    expect(n).toBe(6);
    expect(events).toEqual(["down 2 #1 wait 2", "down 3 #2 wait 4", "down 4 #3 wait 4", "recovered after 3"]);
  });

  it("ends a long wait at once when aborted", async () => {
    const stop = new AbortController();
    const started = Date.now();
    const loop = pollLoop({ intervalMs: 60_000, maxBackoffMs: 60_000, signal: stop.signal, tick: async () => undefined });
    await sleep(20);
    stop.abort();
    await loop;
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe("waitForChain", () => {
  it("retries an RPC that is not up yet, then names RPC_URL by its origin only", async () => {
    let calls = 0;
    const flaky = { getChainId: async () => (++calls < 3 ? Promise.reject(new Error("ECONNREFUSED")) : 31337) };
    expect(await waitForChain(flaky, { rpcUrl: "http://127.0.0.1:8545", attempts: 3, firstBackoffMs: 1 })).toBe(31337);
    const down = { getChainId: async () => Promise.reject(new Error("fetch failed at https://u:pw9999@rpc.example/v2/KEY123")) };
    const error = await waitForChain(down, { rpcUrl: "https://u:pw9999@rpc.example/v2/KEY123", attempts: 2, firstBackoffMs: 1 }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^RPC_URL https:\/\/rpc\.example is not reachable \(fetch failed at https:\/\/rpc\.example\); start the chain or fix RPC_URL$/);
    for (const secret of ["pw9999", "KEY123"]) expect((error as Error).message).not.toContain(secret);
  });
});
