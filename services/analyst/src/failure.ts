// The report published when a proposal could not be analysed. "No analysis" is never "safe": the
// report carries the top risk tier and a critical finding, and says plainly that it is not a
// judgement of the proposal.
import { ANALYZER } from "./analyze.ts";
import type { Finding } from "./checks/types.ts";
import { canonicalHash, failedReportSchema, REPORT_SCHEMA_VERSION, type FailedReport } from "./report.ts";
import type { FailedEvent } from "./watch/watcher.ts";

export const ANALYSIS_FAILED_FINDING = "analysis/failed";

/**
 * Builds the failure report for an event the watcher gave up on: `status: "failed"`, risk and floor
 * 100, recommendation `needs-review`, one critical `analysis/failed` finding, and `failure` with the
 * reason, the attempts and the event.
 *
 * `needs-review` rather than `against`: the analyst did not find the proposal harmful, it could not
 * look at it. `against` would state a judgement nobody made (and teach voters to discount it); a
 * risk of 100 with `needs-review` puts the proposal at the top of every risk ordering and tells
 * voters and the executor (which holds proposals whose analysis failed) that a person must look.
 */
export function failedReport(args: { chainId: number; failed: FailedEvent & { proposalId: bigint } }): FailedReport {
  const { failed, chainId } = args;
  const event = {
    name: failed.event.name,
    blockNumber: failed.event.blockNumber.toString(),
    transactionHash: failed.event.transactionHash,
    logIndex: failed.event.logIndex,
  };
  const proposal = {
    proposalId: failed.proposalId.toString(),
    descriptionHash: failed.proposal?.descriptionHash ?? null,
    targets: failed.proposal?.targets ?? null,
    values: failed.proposal?.values.map(String) ?? null,
    calldatas: failed.proposal?.calldatas ?? null,
  };
  const inputHash = canonicalHash({ analyzer: ANALYZER, chainId, event, proposal, proposer: failed.proposer });
  const finding: Finding = {
    id: ANALYSIS_FAILED_FINDING,
    check: "analysis",
    severity: "critical",
    title: `Analysis failed: ${failed.reason}`,
    detail: `The analyst could not analyse this proposal after ${failed.attempts} attempt(s). No analysis is not a clean analysis: treat the proposal as unreviewed and high risk until a person has looked at its calls.`,
    evidence: { reason: failed.reason, attempts: failed.attempts, event: event.name, blockNumber: event.blockNumber, transactionHash: event.transactionHash, logIndex: event.logIndex },
  };
  return failedReportSchema.parse({
    schemaVersion: REPORT_SCHEMA_VERSION,
    status: "failed",
    mode: "deterministic",
    analyzer: { ...ANALYZER },
    chainId,
    blockNumber: event.blockNumber,
    inputHash,
    proposal,
    failure: { reason: failed.reason, attempts: failed.attempts, event },
    findings: [finding],
    riskFloor: 100,
    scores: { risk: 100 },
    recommendation: "needs-review",
    notes: [`Analysis failed: ${failed.reason.replace(/\.$/, "")}.`, "This report is not a judgement of the proposal: nothing about it was checked."],
    provenance: { analyzer: { ...ANALYZER }, mode: "deterministic", model: null, systemPromptHash: null, inputHash, blockNumber: event.blockNumber, trigger: failed.trigger },
  });
}
