import { createRegistry } from "@ai-dao/service-kit";
import { Gauge } from "prom-client";

import type { IndexerStatus } from "./chain/indexer.ts";
import type { EntityStore } from "./store/store.ts";

/**
 * The indexer's Prometheus metrics, read from the follower's status and the store when scraped:
 * where indexing stands against the chain head, whether the RPC is down or indexing failed, and
 * Node's process metrics (`indexer_process_…`). One registry per running indexer.
 */
export function createMetrics(o: { status: () => IndexerStatus | undefined; store: EntityStore }) {
  const registry = createRegistry({ prefix: "indexer_" });
  const gauge = (name: string, help: string, read: () => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const value = read();
        if (value !== undefined) this.set(value);
      },
    });
  gauge("indexer_block_number", "Last block indexed (the cursor)", () => o.store.cursor()?.number);
  gauge("indexer_chain_head_block", "Chain head last seen", () => o.status()?.head);
  gauge("indexer_synced", "1 once caught up with the chain head", () => (o.status()?.synced ? 1 : 0));
  gauge("indexer_rpc_down", "1 while RPC requests fail", () => (o.status()?.rpcDown ? 1 : 0));
  gauge("indexer_failed", "1 when a handler failed and indexing stopped", () => (o.status()?.error ? 1 : 0));
  gauge("indexer_events_processed", "Events handled since this process started", () => o.status()?.eventsProcessed ?? 0);
  gauge("indexer_skipped_handlers", "Handlers that failed and were skipped (nonFatalErrors) in the store", () => o.store.skippedErrorCount());
  return { registry };
}
