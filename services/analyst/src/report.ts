import { publishedReportSchema, type ReportEncoding } from "@ai-dao/reports";
import { publishedReportBytes } from "@ai-dao/reports/node";
import type { Hex } from "viem";

import { reportCid } from "./publish/cid.ts";

// The report schemas, canonical JSON and hashing are defined once, in @ai-dao/reports; the analyst's
// modules and callers keep importing them from here.
export {
  canonicalHash,
  canonicalJson,
  failedReportSchema,
  publishedReportSchema,
  reportSchema,
  REPORT_SCHEMA_VERSION,
  type FailedReport,
  type PublishedReportBody,
  type Report,
} from "@ai-dao/reports";

/**
 * Validates `report` and returns its canonical JSON and the exact bytes to publish to the
 * DecisionLog (that JSON compressed with raw DEFLATE, `encoding` DeflateRaw), `reportHash =
 * keccak256(bytes)`, and the IPFS CID of the same bytes. Key order in `report` does not matter.
 */
export function serializeReport(report: unknown): { json: string; encoding: ReportEncoding; bytes: Uint8Array; reportHash: Hex; cid: string } {
  const { json, encoding, bytes, reportHash } = publishedReportBytes(publishedReportSchema.parse(report));
  // The CID is over the same bytes, so it cannot be a field of the report itself.
  return { json, encoding, bytes, reportHash, cid: reportCid(bytes) };
}
