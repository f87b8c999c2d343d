export { ANALYZER, analyzeProposal, buildContext, hashProposal, type AnalyzeArgs } from "./analyze.ts";
export { checks, runChecks, type AnalysisContext, type Finding, type ProposalCheck, type Severity } from "./checks/index.ts";
export { decodeProposal, type DecodedCall } from "./context/decode.ts";
export { readGovernance, type GovernanceContext } from "./context/governance.ts";
export { inspectTarget, inspectTargets, scanOpcodes, type TargetInfo } from "./context/targets.ts";
export { AnalystError, ArtifactsMissingError, ProposalFileError, RpcUnreachableError } from "./errors.ts";
export { parseProposal, proposalFileSchema, readProposalFile, type Proposal } from "./proposal.ts";
export { canonicalHash, canonicalJson, reportSchema, REPORT_SCHEMA_VERSION, serializeReport, type Report } from "./report.ts";
export { recommend, riskFloor, type Recommendation } from "./risk.ts";
