import { createRegistry } from "@ai-dao/service-kit";
import { Counter, Gauge } from "prom-client";

/** The executor's Prometheus metrics, in a registry of their own (one per executor instance). */
export function createMetrics() {
  const registry = createRegistry();
  const counter = (name: string, help: string, labelNames: string[] = []) => new Counter({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    proposalsSeen: counter("executor_proposals_seen_total", "Proposals found in ProposalCreated logs"),
    proposalErrors: counter("executor_proposal_errors_total", "Polls where one proposal could not be advanced (the others went on)"),
    queued: counter("executor_proposals_queued_total", "Proposals this executor queued (transaction confirmed)"),
    executed: counter("executor_proposals_executed_total", "Proposals this executor executed (transaction confirmed)"),
    alreadyDone: counter("executor_steps_done_by_others_total", "Queue/execute steps found already done on-chain by someone else", ["action"]),
    refused: counter("executor_guard_refusals_total", "Queue/execute steps refused by a guard (new decisions only)", ["reason"]),
    held: counter("executor_guard_holds_total", "Queue/execute steps held for review (new decisions only)", ["reason"]),
    guardsPublished: counter("executor_guard_decisions_published_total", "Guard decisions confirmed in the DecisionLog"),
    txSent: counter("executor_transactions_sent_total", "Signed transactions broadcast (first attempts)", ["action"]),
    txReplaced: counter("executor_transactions_replaced_total", "Replacements with higher fees or cancellations at the same nonce"),
    txReverted: counter("executor_transactions_reverted_total", "Own transactions mined but reverted", ["action"]),
    rpcErrors: counter("executor_rpc_errors_total", "Failed polls (RPC errors, timeouts, outages)"),
    webhookFailures: counter("executor_webhook_failures_total", "Webhook alerts that failed after all retries"),
    pendingTxs: new Gauge({ name: "executor_pending_transactions", help: "Own transactions not yet mined", registers: [registry] }),
    lastTick: new Gauge({ name: "executor_last_successful_poll_timestamp_seconds", help: "Unix time of the last successful poll", registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
