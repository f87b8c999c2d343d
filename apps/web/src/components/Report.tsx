import { useRef, useState, type RefObject } from "react";

import { severityOrder, type Report } from "../lib/analyst.ts";
import { useServices } from "../lib/services.tsx";
import { verifyOnChain, type Verification } from "../lib/verify.ts";
import { RiskBadge } from "./ui.tsx";

function modelName(model: Report["model"]): string | null {
  if (model === undefined || model === null) return null;
  if (typeof model === "string") return model;
  return model.id ?? model.name ?? JSON.stringify(model);
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "yes" : "no";
  return JSON.stringify(value);
}

function IntentVsEffect({ value }: { value: NonNullable<Report["intentVsEffect"]> }) {
  const rows: Record<string, unknown>[] = Array.isArray(value)
    ? (value as Record<string, unknown>[])
    : Object.entries(value).map(([k, v]) => (typeof v === "object" && v !== null ? { item: k, ...(v as object) } : { item: k, value: v }));
  if (rows.length === 0) return null;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <section>
      <h3>Intent vs effect</h3>
      <table data-testid="intent-vs-effect">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c}>{cell(row[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** A report's content: scores, recommendation, findings by severity with evidence, intent vs effect, and its raw JSON. */
export function ReportView({ report, reportJson, jsonRef }: { report: Report; reportJson: string; jsonRef?: RefObject<HTMLPreElement | null> }) {
  const bySeverity = severityOrder.map((s) => ({ severity: s, findings: report.findings.filter((f) => f.severity === s) })).filter((g) => g.findings.length > 0);
  const model = modelName(report.model);
  return (
    <div className="report">
      <dl className="report-scores">
        <dt>Risk</dt>
        <dd>
          <RiskBadge risk={report.scores?.risk} /> <span data-testid="risk-score">{report.scores?.risk}</span> / 100 (floor {report.riskFloor})
        </dd>
        <dt>Recommendation</dt>
        <dd data-testid="recommendation">{report.recommendation}</dd>
        <dt>Produced by</dt>
        <dd>
          {report.mode ?? "unknown mode"}
          {model && ` · model ${model}`}
          {report.analyzer && ` · ${report.analyzer.name} ${report.analyzer.version}`}
        </dd>
        {report.cid && (
          <>
            <dt>CID</dt>
            <dd>
              <code>{report.cid}</code>
            </dd>
          </>
        )}
      </dl>
      {typeof report.summary === "string" && <p>{report.summary}</p>}
      <h3>Findings ({report.findings.length})</h3>
      {bySeverity.length === 0 && <p className="empty">No findings.</p>}
      {bySeverity.map((group) => (
        <section key={group.severity}>
          <h4 className={`sev-${group.severity}`}>
            {group.severity} ({group.findings.length})
          </h4>
          <ul>
            {group.findings.map((f, i) => (
              <li key={`${f.id}-${i}`} data-testid="finding">
                <strong className={`sev-${f.severity}`}>[{f.severity}]</strong> {f.title} <code className="muted">{f.id}</code>
                {f.detail && <p>{f.detail}</p>}
                <details>
                  <summary>Evidence</summary>
                  <pre>{JSON.stringify(f.evidence, null, 2)}</pre>
                </details>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {report.intentVsEffect !== undefined && <IntentVsEffect value={report.intentVsEffect} />}
      {report.simulation !== undefined && (
        <details>
          <summary>Simulation</summary>
          <pre>{JSON.stringify(report.simulation, null, 2)}</pre>
        </details>
      )}
      {Array.isArray(report.notes) && report.notes.length > 0 && (
        <ul className="muted">
          {report.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
      <details>
        <summary>Report as published (exact JSON)</summary>
        <pre data-testid="report-json" ref={jsonRef}>
          {reportJson}
        </pre>
      </details>
    </div>
  );
}

function Check({ ok, children }: { ok: boolean | null; children: string }) {
  if (ok === null) return null;
  return (
    <li className={ok ? "ok" : "bad"}>
      {ok ? "✓" : "✗"} {children}
    </li>
  );
}

/**
 * Verify: fetches the DecisionPublished event from the chain, hashes its bytes here in the browser,
 * and compares them with the event's hash, the hash the page was given, and the report on screen
 * (the text of the raw JSON as displayed, so an edited page fails).
 */
export function VerifyControl({ proposalId, decisionId, storedHash, shownJson }: { proposalId: string; decisionId?: string; storedHash?: string | null; shownJson: () => string }) {
  const { publicClient, config } = useServices();
  const [result, setResult] = useState<Verification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const verification = await verifyOnChain(
        publicClient,
        config.contracts.decisionLog as `0x${string}`,
        { proposalId: BigInt(proposalId), ...(decisionId !== undefined ? { decisionId: BigInt(decisionId) } : { kind: 0 }), fromBlock: BigInt(config.startBlock) },
        { json: shownJson(), storedHash: storedHash ?? null },
      );
      setResult(verification);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="verify">
      <button type="button" onClick={() => void run()} disabled={busy}>
        {busy ? "Verifying…" : "Verify on chain"}
      </button>
      {error && (
        <p role="alert" className="bad">
          {error}
        </p>
      )}
      {result && (
        <div data-testid="verify-result" role="status" aria-live="polite">
          <p className={result.ok ? "ok" : "bad"} data-testid="verify-verdict">
            {result.ok ? "Match: the report on screen is the one recorded on chain." : "MISMATCH: the report on screen is not the one recorded on chain."}
          </p>
          <ul>
            <Check ok={result.eventHashMatches}>keccak256 of the on-chain report bytes equals the event's reportHash</Check>
            <Check ok={result.storedHashMatches}>the hash given to this page equals the on-chain hash</Check>
            <Check ok={result.shownMatches}>the report on screen is byte for byte the on-chain report</Check>
          </ul>
          <p className="muted">
            computed <code>{result.computedHash}</code>
          </p>
        </div>
      )}
    </div>
  );
}

/** A report with its Verify control, reading the report on screen from the displayed JSON. */
export function VerifiedReport(props: { report: Report; reportJson: string; proposalId: string; decisionId?: string; storedHash?: string | null }) {
  const ref = useRef<HTMLPreElement | null>(null);
  return (
    <>
      <ReportView report={props.report} reportJson={props.reportJson} jsonRef={ref} />
      <VerifyControl proposalId={props.proposalId} decisionId={props.decisionId} storedHash={props.storedHash} shownJson={() => ref.current?.textContent ?? props.reportJson} />
    </>
  );
}
