import type { DecisionRow } from "./queries.ts";
import { readReportOf } from "./report-bytes.ts";

const columns = ["decisionId", "proposalId", "kind", "actor", "actorName", "risk", "riskFloor", "recommendation", "reportHash", "time", "block", "tx", "summary"] as const;

/** Names an actor's address ("analyst", "executor"); no name: an empty cell / null. */
export type ActorNamer = (address: string) => string | null;

/**
 * A block timestamp (seconds since 1970, as the indexer gives it) in ISO 8601 UTC,
 * "2027-01-15T08:00:00Z"; a value no date can hold is written as it is, never guessed.
 */
export function isoTime(seconds: string | number | bigint): string {
  const text = String(seconds);
  if (!/^\d+$/.test(text)) return text;
  const ms = Number(text) * 1000;
  const date = new Date(ms);
  if (!Number.isSafeInteger(ms) || Number.isNaN(date.getTime())) return text;
  return date.toISOString().replace(/\.000Z$/, "Z");
}

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  // RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A compressed report's summary and risk floor (the indexer cannot inflate it, so its own are null). */
function fromReport(row: DecisionRow): { summary?: string | null; riskFloor?: number | null } {
  if ((row.encoding ?? "JSON") === "JSON") return {};
  const { read } = readReportOf(row);
  if (read.kind !== "analysis" && read.kind !== "analysis-failed") return {};
  const report = read.report as { summary?: unknown; riskFloor?: unknown };
  return { summary: typeof report.summary === "string" ? report.summary : null, riskFloor: typeof report.riskFloor === "number" ? report.riskFloor : null };
}

/** One line per decision; times in ISO 8601 UTC, the actor's full address and its name. */
export function decisionsToCsv(rows: DecisionRow[], nameOf: ActorNamer = () => null): string {
  const lines = [columns.join(",")];
  for (const row of rows) {
    const flat: Record<(typeof columns)[number], unknown> = { ...row, ...fromReport(row), actor: row.actor.id, actorName: nameOf(row.actor.id), time: isoTime(row.timestamp) };
    lines.push(columns.map((c) => csvField(flat[c])).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

/**
 * Decisions as JSON with every value exactly as indexed (ids, timestamps and block numbers as
 * decimal strings, the report's bytes and their encoding), each report decoded to its text (inflated
 * when compressed) next to its bytes' hash,
 * the actor's name and the time in ISO 8601 UTC added alongside.
 */
export function decisionsToJson(rows: DecisionRow[], nameOf: ActorNamer = () => null): string {
  return JSON.stringify(
    rows.map((r) => ({ ...r, actor: r.actor.id, actorName: nameOf(r.actor.id), time: isoTime(r.timestamp), reportText: readReportOf(r).json })),
    null,
    2,
  );
}

export function download(filename: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
