import { useRef, useState, type RefObject } from "react";

import type { DecisionReport, ReportEncodingName } from "@ai-dao/reports";

import { useServices } from "../lib/services.tsx";
import { verifyOnChain, type Verification } from "../lib/verify.ts";
import { DecisionReportBody } from "./ReportKinds.tsx";

/** A published report as what it is (analysis, failed analysis, guard decision, draft, or unreadable), with its exact JSON. */
export function ReportView({ read, reportJson, jsonRef }: { read: DecisionReport; reportJson: string; jsonRef?: RefObject<HTMLPreElement | null> }) {
  return (
    <div className="report">
      <DecisionReportBody read={read} />
      <details>
        <summary>Report as published (exact JSON)</summary>
        <pre data-testid="report-json" ref={jsonRef}>
          {reportJson}
        </pre>
      </details>
    </div>
  );
}

/** How the Verify result names each encoding of the on-chain bytes. */
const ENCODING_TEXT: Record<ReportEncodingName, string> = {
  Json: "JSON",
  DeflateRaw: "compressed JSON (raw DEFLATE, inflated here)",
  DeflateRawDictionary1: "compressed JSON (raw DEFLATE with the report dictionary, inflated here)",
};

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
 * and compares them with the event's hash and the hash the page was given; inflates them when they
 * are compressed, checks the JSON is canonical, and compares it with the report on screen (the text
 * of the raw JSON as displayed, so an edited page fails).
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
            <Check ok={result.decodes}>{`the on-chain bytes read as ${result.encoding ? ENCODING_TEXT[result.encoding] : "an unknown encoding"}`}</Check>
            <Check ok={result.canonical}>the on-chain report is in canonical JSON form (RFC 8785)</Check>
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
export function VerifiedReport(props: { read: DecisionReport; reportJson: string; proposalId: string; decisionId?: string; storedHash?: string | null }) {
  const ref = useRef<HTMLPreElement | null>(null);
  return (
    <>
      <ReportView read={props.read} reportJson={props.reportJson} jsonRef={ref} />
      <VerifyControl proposalId={props.proposalId} decisionId={props.decisionId} storedHash={props.storedHash} shownJson={() => ref.current?.textContent ?? props.reportJson} />
    </>
  );
}
