import { createRegistry } from "@ai-dao/service-kit";
import { Counter, Gauge } from "prom-client";

/** The relayer's Prometheus metrics, in a registry of their own (one per relayer instance). */
export function createMetrics() {
  const registry = createRegistry();
  const counter = (name: string, help: string, labelNames: string[] = []) => new Counter({ name, help, labelNames, registers: [registry] });
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers: [registry] });
  return {
    registry,
    relayed: counter("relayer_relayed_total", "Requests accepted and sent (first time; a repeated request is not counted again)", ["kind"]),
    duplicates: counter("relayer_duplicate_requests_total", "Requests answered with the transaction an identical earlier request started", ["kind"]),
    refused: counter("relayer_refused_total", "Requests refused, by refusal code (nothing was sent)", ["kind", "code"]),
    confirmed: counter("relayer_transactions_confirmed_total", "Relayed transactions mined successfully", ["kind"]),
    txSent: counter("relayer_transactions_sent_total", "Signed transactions broadcast (first attempts)", ["kind"]),
    txReplaced: counter("relayer_transactions_replaced_total", "Replacements with higher fees or cancellations at the same nonce"),
    txReverted: counter("relayer_transactions_reverted_total", "Relayed transactions mined but reverted", ["kind"]),
    spentWei: gauge("relayer_spent_wei", "Wei spent on relayed transactions since the database was created (mined at their cost, pending at their most)"),
    spentTodayWei: gauge("relayer_spent_today_wei", "Wei spent on relayed transactions this UTC day"),
    txsToday: gauge("relayer_transactions_today", "Relayed transactions this UTC day"),
    budgetDailyWei: gauge("relayer_budget_daily_wei", "The daily sponsor budget in wei"),
    balanceWei: gauge("relayer_balance_wei", "The relayer key's balance in wei"),
    pendingTxs: gauge("relayer_pending_transactions", "Relayed transactions not yet mined"),
    pollErrors: counter("relayer_poll_errors_total", "Failed polls (RPC errors, timeouts, outages)"),
    lastPoll: gauge("relayer_last_successful_poll_timestamp_seconds", "Unix time of the last successful poll"),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
