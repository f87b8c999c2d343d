import { readDecisionReport, type DecisionKindInput, type DecisionReport } from "@ai-dao/reports";
import { hexToBytes } from "viem";

/** A decision as the indexer gives it: its kind, its report's exact bytes and their encoding (absent: JSON, as before encodings existed). */
export interface EncodedReport {
  kind: DecisionKindInput;
  report: string;
  encoding?: string | null;
}

/**
 * Reads a decision's report through @ai-dao/reports in its encoding (compressed reports are
 * inflated in the browser, bounded and strict), with the text to show: the report's JSON, or when
 * it cannot be read, the exact text of uncompressed bytes (invalid UTF-8 as replacement characters,
 * never hidden) or the compressed bytes as hex.
 */
export function readReportOf(d: EncodedReport): { read: DecisionReport; json: string } {
  const encoding = d.encoding ?? "JSON";
  const read = readDecisionReport(d.kind, d.report, encoding);
  if (read.json !== null) return { read, json: read.json };
  if (encoding !== "JSON") return { read, json: d.report };
  try {
    return { read, json: new TextDecoder().decode(hexToBytes(d.report as `0x${string}`)) };
  } catch {
    return { read, json: d.report };
  }
}
