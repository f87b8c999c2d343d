import { hexToString } from "viem";

import type { DecisionRow } from "./queries.ts";

const columns = ["decisionId", "proposalId", "kind", "actor", "risk", "riskFloor", "recommendation", "reportHash", "timestamp", "block", "tx", "summary"] as const;

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  // RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function decisionsToCsv(rows: DecisionRow[]): string {
  const lines = [columns.join(",")];
  for (const row of rows) {
    const flat: Record<(typeof columns)[number], unknown> = { ...row, actor: row.actor.id };
    lines.push(columns.map((c) => csvField(flat[c])).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** Decisions as JSON with each report decoded to its exact text next to its bytes' hash. */
export function decisionsToJson(rows: DecisionRow[]): string {
  return JSON.stringify(
    rows.map((r) => ({ ...r, actor: r.actor.id, reportText: hexToString(r.report as `0x${string}`) })),
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
