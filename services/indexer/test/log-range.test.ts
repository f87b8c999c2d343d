import { HttpRequestError, LimitExceededRpcError, ResponseBodyTooLargeError, RpcRequestError, TimeoutError } from "viem";
import { describe, expect, it } from "vitest";

import { isLogRangeTooLarge } from "../src/chain/indexer.ts";

describe("isLogRangeTooLarge", () => {
  it("recognises answers too large for one request", () => {
    expect(isLogRangeTooLarge(new ResponseBodyTooLargeError({ maxSize: 10_485_760, size: 10_551_124 }))).toBe(true);
    expect(isLogRangeTooLarge(new TimeoutError({ body: {}, url: "http://x" }))).toBe(true);
    const limit = new RpcRequestError({ body: {}, url: "http://x", error: { code: -32005, message: "query returned more than 10000 results" } });
    expect(isLogRangeTooLarge(limit)).toBe(true);
    expect(isLogRangeTooLarge(new LimitExceededRpcError(limit))).toBe(true);
    expect(isLogRangeTooLarge(new RpcRequestError({ body: {}, url: "http://x", error: { code: -32602, message: "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range" } }))).toBe(true);
  });

  it("leaves other failures to the retry with backoff", () => {
    expect(isLogRangeTooLarge(new HttpRequestError({ url: "http://x", details: "fetch failed" }))).toBe(false);
    expect(isLogRangeTooLarge(new RpcRequestError({ body: {}, url: "http://x", error: { code: -32000, message: "header not found" } }))).toBe(false);
    expect(isLogRangeTooLarge(new Error("socket hang up"))).toBe(false);
  });
});
