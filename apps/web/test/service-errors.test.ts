import { describe, expect, it } from "vitest";

import { createAnalystApi } from "../src/lib/analyst.ts";
import { classifyFetchFailure, fetchService, ServiceRequestError } from "../src/lib/errors.ts";
import { createGraphQLClient } from "../src/lib/graphql.ts";
import { createExecutorApi } from "../src/lib/services.tsx";

const ORIGIN = "http://127.0.0.1:15173";
const INDEXER = "http://127.0.0.1:18000/subgraphs/name/dao";

/**
 * A browser's fetch as the page sees it: a CORS request to a service that refuses the origin, or to
 * one that is down, rejects with the same bare TypeError; only a `no-cors` request tells them apart
 * (it resolves with an opaque answer when something answers).
 */
function browserFetch(service: "refuses-origin" | "down" | "answers") {
  const probes: RequestInit[] = [];
  const fetchImpl = (async (_url: RequestInfo | URL, init?: RequestInit) => {
    if (init?.mode === "no-cors") {
      probes.push(init);
      if (service === "down") throw new TypeError("Failed to fetch");
      return new Response(null, { status: 200 });
    }
    if (service === "answers") return new Response(JSON.stringify({ data: { ok: true } }), { status: 200, headers: { "content-type": "application/json" } });
    throw new TypeError("Failed to fetch");
  }) as typeof fetch;
  return { fetchImpl, probes };
}

describe("a failed request to a service", () => {
  it("is a refused origin when the same URL answers a no-cors probe", async () => {
    const { fetchImpl, probes } = browserFetch("refuses-origin");
    expect(await classifyFetchFailure(INDEXER, new TypeError("Failed to fetch"), fetchImpl)).toBe("refused-origin");
    expect(probes).toHaveLength(1);
    expect(probes[0]!.mode).toBe("no-cors");
  });

  it("is unreachable when the probe fails too, or when the error is not a network TypeError", async () => {
    expect(await classifyFetchFailure(INDEXER, new TypeError("Failed to fetch"), browserFetch("down").fetchImpl)).toBe("unreachable");
    const { fetchImpl, probes } = browserFetch("refuses-origin");
    expect(await classifyFetchFailure(INDEXER, new Error("something else"), fetchImpl)).toBe("unreachable");
    expect(probes).toHaveLength(0);
  });

  it("says in plain words which service refuses which origin, and what to set", async () => {
    const error = await fetchService("the indexer", INDEXER, { method: "POST" }, browserFetch("refuses-origin").fetchImpl, ORIGIN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceRequestError);
    const e = error as ServiceRequestError;
    expect(e.kind).toBe("refused-origin");
    expect(e.message).toContain(`The indexer at ${INDEXER} is running, but it does not allow pages from ${ORIGIN}`);
    expect(e.message).toContain(`CORS_ORIGINS including ${ORIGIN}`);
    expect(e.message).not.toMatch(/unreachable/);
  });

  it("says a service that does not answer is unreachable, and never blames the origin", async () => {
    const error = (await fetchService("the indexer", INDEXER, undefined, browserFetch("down").fetchImpl, ORIGIN).catch((e: unknown) => e)) as ServiceRequestError;
    expect(error.kind).toBe("unreachable");
    expect(error.message).toMatch(/^The indexer at .* is unreachable \(Failed to fetch\)/);
    expect(error.message).not.toMatch(/CORS|origin/);
  });

  it("passes a cancelled request on as it is", async () => {
    const abort = (async () => {
      throw new DOMException("aborted", "AbortError");
    }) as typeof fetch;
    await expect(fetchService("the indexer", INDEXER, undefined, abort, ORIGIN)).rejects.toMatchObject({ name: "AbortError" });
  });

  it("is classified the same way by the indexer, analyst and executor clients", async () => {
    const { fetchImpl } = browserFetch("refuses-origin");
    const gql = createGraphQLClient(INDEXER, fetchImpl);
    const analyst = createAnalystApi("http://127.0.0.1:18100", fetchImpl);
    const executor = createExecutorApi("http://127.0.0.1:18200", fetchImpl);
    const failures = await Promise.all([gql("{ x }").catch((e) => e), analyst.report("1").catch((e) => e), analyst.analyze({ targets: [], values: [], calldatas: [], description: "x" }).catch((e) => e), executor.health().catch((e) => e)]);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(ServiceRequestError);
      expect((failure as ServiceRequestError).kind).toBe("refused-origin");
    }
    expect((failures[1] as ServiceRequestError).message).toMatch(/^The analyst API at http:\/\/127\.0\.0\.1:18100\/proposals\/1\/report is running/);
    expect((failures[3] as ServiceRequestError).message).toMatch(/^The executor at http:\/\/127\.0\.0\.1:18200\/health is running/);
    // And an answer the page may read is not an error at all.
    expect(await createGraphQLClient(INDEXER, browserFetch("answers").fetchImpl)("{ ok }")).toEqual({ ok: true });
  });
});
