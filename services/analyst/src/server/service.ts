import { getAddress, hexToBytes, type Address, type PublicClient } from "viem";
import type { Logger } from "pino";

import type { AttachedGovernor, Deployment } from "@ai-dao/deployment";
import { DecisionKind } from "@ai-dao/protocol";

import { analyzeProposal } from "../analyze.ts";
import { failedReport } from "../failure.ts";
import type { ModelJudge } from "../model/client.ts";
import type { Trigger } from "@ai-dao/reports";
import { getDecisions, verifyDecision, type PublishedDecision } from "@ai-dao/protocol";
import { analysisChanged } from "../publish/changed.ts";
import { publishAnalysis, type Publisher } from "../publish/publisher.ts";
import { reportCid } from "../publish/cid.ts";
import type { Proposal, ProposalInput } from "../proposal.ts";
import { serializeReport, type FailedReport, type Report } from "../report.ts";
import type { FailedEvent } from "../watch/watcher.ts";
import type { Metrics } from "./metrics.ts";

/** Everything the watcher, the HTTP API and drafting share. */
export interface AnalystService {
  client: PublicClient;
  /** The deployment; an attached DAO's (`profile: "attached"`) carries its Governor's flavour and capabilities. */
  deployment: Pick<Deployment, "chainId" | "contracts" | "startBlock"> & { attached?: AttachedGovernor | undefined };
  judge: ModelJudge | undefined;
  publisher: Publisher | undefined;
  logger: Logger;
  metrics: Metrics;
  /** JSON-RPC URL of the chain to fork for the simulation; absent: reports say it was not simulated. */
  forkUrl?: string | undefined;
}

/** Analyses a proposal for `trigger`; `proposalId` is the id the Governor emitted (a Compound Governor's cannot be computed). */
export async function runAnalysis(s: AnalystService, proposal: ProposalInput, trigger: Trigger, proposer?: Address, proposalId?: bigint): Promise<Report> {
  const end = s.metrics.analysisSeconds.startTimer();
  const report = await analyzeProposal({
    client: s.client,
    deployment: s.deployment,
    proposal,
    judge: s.judge,
    trigger,
    simulate: s.forkUrl !== undefined ? { forkUrl: s.forkUrl } : { skip: "ANALYST_FORK_RPC_URL=off" },
    ...(proposer !== undefined ? { proposer } : {}),
    ...(proposalId !== undefined ? { proposalId } : {}),
  });
  end({ mode: report.mode });
  s.metrics.analyses.inc({ trigger, mode: report.mode });
  return report;
}

/**
 * What the watcher does for each event: skip if this actor already published for (proposal,
 * trigger), else analyse and publish. Without a key it analyses and logs only.
 */
export async function handleProposalEvent(s: AnalystService, e: { trigger: "created" | "queued"; proposalId: bigint; proposal: Proposal; proposer: Address }): Promise<Report | void> {
  const log = s.logger.child({ proposalId: e.proposalId.toString(), trigger: e.trigger });
  let published: PublishedDecision[] = [];
  if (s.publisher) {
    published = await getDecisions(s.client, {
      decisionLog: s.deployment.contracts.decisionLog,
      fromBlock: BigInt(s.deployment.startBlock),
      proposalId: e.proposalId,
      kind: DecisionKind.Analysis,
    });
    const mine = published.filter((d) => d.actor === s.publisher!.wallet.account.address);
    if (mine.some((d) => (verifyDecision(d).report as Report | null)?.provenance?.trigger === e.trigger)) {
      log.info("analysis already published; skipping");
      return;
    }
  }
  const report = await runAnalysis(s, e.proposal, e.trigger, e.proposer, e.proposalId);
  if (report.proposal.proposalId !== e.proposalId.toString()) throw new Error(`proposal id mismatch: event ${e.proposalId}, computed ${report.proposal.proposalId}`);
  if (!s.publisher) {
    log.info({ risk: report.scores.risk, recommendation: report.recommendation, mode: report.mode }, "analysed (no ANALYST_PRIVATE_KEY: not published)");
    return report;
  }
  // At queue time, publish only what changed since the latest published analysis (publish/changed.ts).
  const latest = published.at(-1);
  if (e.trigger === "queued" && !analysisChanged(latest, report)) {
    s.metrics.published.inc({ kind: "Analysis", status: "unchanged" });
    log.info({ decisionId: latest!.decisionId.toString(), risk: report.scores.risk, recommendation: report.recommendation }, "re-analysis unchanged since the latest published analysis; not published");
    return report;
  }
  const result = await publishAnalysis(s.publisher, report);
  s.metrics.published.inc({ kind: "Analysis", status: result.status });
  log.info({ status: result.status, decisionId: result.decision.decisionId.toString(), txHash: result.decision.txHash, reportHash: result.reportHash, cid: result.cid, risk: report.scores.risk, recommendation: report.recommendation }, "analysis published");
  return report;
}

/**
 * What the watcher does for an event it gave up on: publish a failure report (risk 100,
 * `needs-review`, `status: "failed"`), once per (proposal, trigger) for this actor. Without a key it
 * logs the report only.
 */
export async function publishFailure(s: AnalystService, failed: FailedEvent): Promise<FailedReport | null> {
  if (failed.proposalId === null) return null;
  const report = failedReport({ chainId: s.deployment.chainId, failed: { ...failed, proposalId: failed.proposalId } });
  const log = s.logger.child({ proposalId: failed.proposalId.toString(), trigger: failed.trigger });
  s.metrics.analyses.inc({ trigger: failed.trigger, mode: "failed" });
  if (!s.publisher) {
    log.error({ reason: failed.reason, attempts: failed.attempts }, "analysis failed (no ANALYST_PRIVATE_KEY: failure not published)");
    return report;
  }
  const result = await publishAnalysis(s.publisher, report);
  s.metrics.published.inc({ kind: "Analysis", status: result.status });
  log.warn({ status: result.status, decisionId: result.decision.decisionId.toString(), txHash: result.decision.txHash, reportHash: result.reportHash, reason: failed.reason }, "analysis failure published");
  return report;
}

export interface PublishedReport {
  report: unknown;
  /** The report's JSON (inflated from the published bytes when they are compressed). */
  reportJson: string;
  /** keccak256 of the bytes on chain (the compressed bytes for a DeflateRaw report). */
  reportHash: string;
  /** IDecisionLog.ReportEncoding of the bytes on chain. */
  encoding: number;
  decisionId: string;
  txHash: string;
  blockNumber: string;
  cid: string;
}

/** The latest published Analysis decision for a proposal (any publisher), read from the chain. */
export async function latestPublishedReport(s: Pick<AnalystService, "client" | "deployment">, proposalId: bigint): Promise<PublishedReport | null> {
  const decisions = await getDecisions(s.client, {
    decisionLog: s.deployment.contracts.decisionLog,
    fromBlock: BigInt(s.deployment.startBlock),
    proposalId,
    kind: DecisionKind.Analysis,
  });
  const latest = decisions.at(-1);
  if (!latest) return null;
  const { report } = verifyDecision(latest);
  return {
    report,
    reportJson: latest.reportJson,
    reportHash: latest.reportHash,
    encoding: latest.encoding,
    decisionId: latest.decisionId.toString(),
    txHash: latest.txHash,
    blockNumber: latest.blockNumber.toString(),
    cid: reportCid(hexToBytes(latest.reportBytes)),
  };
}

/** A preview: the full analysis, nothing published. */
export async function previewAnalysis(s: AnalystService, proposal: ProposalInput, proposer?: string) {
  const report = await runAnalysis(s, proposal, "preview", proposer !== undefined ? getAddress(proposer) : undefined);
  const { json, reportHash, cid } = serializeReport(report);
  return { report, reportJson: json, reportHash, cid };
}
