export { ANALYZER, analyzeProposal, buildContext, hashProposal, type AnalyzeArgs } from "./analyze.ts";
export { checks, runChecks, type AnalysisContext, type Finding, type ProposalCheck, type Severity } from "./checks/index.ts";
export { readGovernance, type GovernanceContext } from "./context/governance.ts";
export { inspectTarget, inspectTargets, scanOpcodes, type TargetInfo } from "./context/targets.ts";
export { AnalystError, ProposalFileError, RpcUnreachableError } from "./errors.ts";
export { normalizeProposal, parseProposal, parseProposalJson, proposalFileSchema, readProposalFile, type Proposal, type ProposalInput } from "./proposal.ts";
export {
  canonicalHash,
  canonicalJson,
  failedReportSchema,
  publishedReportSchema,
  reportSchema,
  REPORT_SCHEMA_VERSION,
  serializeReport,
  type FailedReport,
  type PublishedReportBody,
  type Report,
} from "./report.ts";
export { ANALYSIS_FAILED_FINDING, failedReport } from "./failure.ts";
export { findInjections } from "./checks/description-injection.ts";
export { describeDescription, type DescriptionView } from "./context/description.ts";
export { recommend, riskFloor, type Recommendation } from "./risk.ts";
export { readVotingPower, votesWindowSeconds, type VotingPowerContext } from "./context/voting-power.ts";
export { createFork, runSimulation, simulateProposal, simulationSchema, type SimulationOutcome, type SimulationResult } from "./simulate/index.ts";
