import { createRegistry } from "@ai-dao/service-kit";
import { Counter, Gauge, Histogram } from "prom-client";

/** The notifier's Prometheus metrics, in a registry of their own (one per instance). */
export function createMetrics() {
  const registry = createRegistry();
  return {
    registry,
    events: new Counter({ name: "notifier_events_total", help: "Events found in the indexer (each once)", registers: [registry] }),
    delivered: new Counter({ name: "notifier_deliveries_delivered_total", help: "Deliveries acknowledged by their endpoint", labelNames: ["channel"], registers: [registry] }),
    attemptsFailed: new Counter({ name: "notifier_delivery_attempts_failed_total", help: "Delivery attempts that failed (retried later unless given up)", labelNames: ["channel"], registers: [registry] }),
    givenUp: new Counter({ name: "notifier_deliveries_failed_total", help: "Deliveries given up after all attempts or refused for good", labelNames: ["channel"], registers: [registry] }),
    duration: new Histogram({ name: "notifier_delivery_seconds", help: "Time of one delivery attempt", labelNames: ["channel"], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [registry] }),
    inFlight: new Gauge({ name: "notifier_deliveries_in_flight", help: "Delivery attempts under way", registers: [registry] }),
    pollErrors: new Counter({ name: "notifier_poll_errors_total", help: "Failed polls of the indexer", registers: [registry] }),
    cursorBlock: new Gauge({ name: "notifier_cursor_block", help: "Last indexed block turned into events", registers: [registry] }),
    signIns: new Counter({ name: "notifier_sign_ins_total", help: "Sign-In with Ethereum attempts by outcome", labelNames: ["outcome"], registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
