import { createRegistry } from "@ai-dao/service-kit";
import { Counter, Gauge, Histogram } from "prom-client";

/** The service's Prometheus metrics, on their own registry (one per service instance). */
export function createMetrics() {
  const registry = createRegistry({ prefix: "analyst_" });
  return {
    registry,
    analyses: new Counter({ name: "analyst_analyses_total", help: "Analyses run, by trigger and resulting mode", labelNames: ["trigger", "mode"] as const, registers: [registry] }),
    analysisSeconds: new Histogram({ name: "analyst_analysis_seconds", help: "Time to analyse one proposal", labelNames: ["mode"] as const, buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry] }),
    published: new Counter({ name: "analyst_decisions_published_total", help: "Decisions sent to the DecisionLog, by kind and outcome", labelNames: ["kind", "status"] as const, registers: [registry] }),
    drafts: new Counter({ name: "analyst_drafts_total", help: "Drafts requested, by outcome", labelNames: ["outcome"] as const, registers: [registry] }),
    httpRequests: new Counter({ name: "analyst_http_requests_total", help: "HTTP requests, by route and status", labelNames: ["route", "status"] as const, registers: [registry] }),
    watcherErrors: new Counter({ name: "analyst_watcher_errors_total", help: "Failed watcher polls", registers: [registry] }),
    watcherCursor: new Gauge({ name: "analyst_watcher_cursor_block", help: "Last block the watcher fully handled", registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
