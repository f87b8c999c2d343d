export { canonicalHash, canonicalJson, reportBytes } from "./canonical.ts";
export {
  decodeReport,
  decodeReportBytes,
  MAX_DECODED_REPORT_BYTES,
  plainDeflateRaw,
  ReportDecodeError,
  ReportEncoding,
  reportEncodingGraphNames,
  reportEncodingName,
  reportEncodingNames,
  toReportEncoding,
  type ReportEncodingGraphName,
  type ReportEncodingInput,
  type ReportEncodingName,
} from "./encoding.ts";
export { REPORT_DICTIONARY_1, REPORT_DICTIONARY_1_HASH } from "./dictionary.ts";
export { toJson, type JsonValue } from "./json.ts";
export { address, decimal, hash, hex, recommendations, score, severities, signedDecimal, type Recommendation, type Severity } from "./fields.ts";
export {
  claimStatuses,
  intentVsEffectSchema,
  modelSectionSchema,
  provenanceSchema,
  triggers,
  type ClaimStatus,
  type IntentVsEffect,
  type ModelSection,
  type Provenance,
  type Trigger,
} from "./model.ts";
export { simulationSchema, type SimulationReport } from "./simulation.ts";
export {
  analysisV1Schema,
  coverageEntrySchema,
  coverageEntryV2Schema,
  coverageStatuses,
  failedReportSchema,
  failedReportV2Schema,
  findingSchema,
  publishedReportSchema,
  REPORT_SCHEMA_VERSION,
  reportSchema,
  reportV2Schema,
  type CoverageEntry,
  type CoverageEntryV2,
  type CoverageStatus,
  type FailedReport,
  type FailedReportV2,
  type Finding,
  type PublishedReportBody,
  type ReadCoverageEntry,
  type Report,
  type ReportV1,
  type ReportV2,
} from "./analysis.ts";
export { actionLabel, actionList } from "./actions.ts";
export { CHECK_NAMES, checkIds, checkName, isCheckId, type CheckId } from "./checks.ts";
export {
  GUARD_REASON_TEXT,
  GUARD_REPORT_SCHEMA_VERSION,
  guardActions,
  guardDecisions,
  guardReasons,
  guardReportSchema,
  type GuardAction,
  type GuardDecision,
  type GuardReason,
  type GuardReport,
} from "./guard.ts";
export { DRAFT_REPORT_SCHEMA_VERSION, draftReportSchema, type DraftReport } from "./draft.ts";
export { MAX_REPORT_BYTES, readDecisionReport, type DecisionKindInput, type DecisionReport, type ReportInput } from "./read.ts";
