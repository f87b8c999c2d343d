import {
  actionLabel,
  checkName,
  GUARD_REASON_TEXT,
  type CoverageStatus,
  type DecisionReport,
  type DraftReport,
  type FailedReport,
  type FailedReportV2,
  type GuardReport,
  type IntentVsEffect,
  type ReadCoverageEntry,
  type SimulationReport,
} from "@ai-dao/reports";
import { revealHidden } from "@ai-dao/description";
import { Link, useLocation } from "@tanstack/react-router";
import { createContext, useContext, type ReactNode } from "react";
import { isAddress } from "viem";

import { severityOrder } from "../lib/analyst.ts";
import { contractNames } from "../lib/decode.ts";
import { evidenceLines, readCitation, type AmountUnit, type Citation, type EvidenceLine } from "../lib/evidence.ts";
import { checksum, formatAmount, formatExactAmount } from "../lib/format.ts";
import { tokenLabel, useTokenMetadata } from "../lib/tokens.ts";
import { useServices } from "../lib/services.tsx";
import { Address, RiskBadge } from "./ui.tsx";

type AnalysisReport = Extract<DecisionReport, { kind: "analysis" }>["report"];

const RECOMMENDATION_TEXT: Record<string, string> = {
  for: "the analysis found nothing that should stop a vote for it",
  against: "the analysis found something serious: vote against unless you know better",
  abstain: "the analysis can neither vouch for it nor object",
  "needs-review": "a person should look at the calls before anyone votes",
};

function modelId(report: AnalysisReport): string | null {
  const model = report.model;
  if (typeof model === "string") return model;
  if (model && typeof model === "object") return model.id;
  const provenance = (report as { provenance?: { model?: unknown } }).provenance;
  return typeof provenance?.model === "string" ? provenance.model : null;
}

/**
 * Where "action N" links to: the action's anchor on this page (the proposal's own page), the
 * proposal's page (elsewhere, e.g. the decision log), or nowhere (a preview, before the proposal exists).
 */
type ActionLinks = { to: "this-page" } | { to: "proposal-page"; proposalId: string } | null;
const ActionLinksContext = createContext<ActionLinks>(null);

function useActionLinks(report: AnalysisReport): ActionLinks {
  const pathname = useLocation({ select: (l) => l.pathname });
  const proposalId = (report.proposal as { proposalId?: unknown } | undefined)?.proposalId;
  if (typeof proposalId !== "string" || !/^\d+$/.test(proposalId)) return null;
  if (pathname === `/proposals/${proposalId}`) return { to: "this-page" };
  if (pathname.startsWith("/decisions")) return { to: "proposal-page", proposalId };
  return null;
}

function ActionLink({ index }: { index: number }) {
  const links = useContext(ActionLinksContext);
  const text = actionLabel(index);
  if (links?.to === "this-page") return <a href={`#action-${index + 1}`}>{text}</a>;
  if (links?.to === "proposal-page")
    return (
      <Link to="/proposals/$proposalId" params={{ proposalId: links.proposalId }} hash={`action-${index + 1}`}>
        {text}
      </Link>
    );
  return <>{text}</>;
}

/** An address with the DAO's name for it when it is one of its contracts or services. */
function NamedAddress({ address }: { address: string }) {
  const { config } = useServices();
  return <Address value={checksum(address)} name={contractNames(config)[address.toLowerCase()]} />;
}

function CitationView({ citation }: { citation: Citation }) {
  switch (citation.kind) {
    case "action":
      return <ActionLink index={citation.index} />;
    case "finding":
      return <a href={`#finding-${citation.index + 1}`}>{citation.text}</a>;
    case "simulation":
      return <a href="#simulation">{citation.text}</a>;
    case "address":
      return (
        <>
          {citation.text} <NamedAddress address={citation.address} />
        </>
      );
    case "text":
      return <>{citation.text}</>;
  }
}

function joined(items: ReactNode[]): ReactNode {
  return items.map((item, i) => (
    <span key={i}>
      {i > 0 && ", "}
      {item}
    </span>
  ));
}

/** Evidence ids as links to what they cite. */
function Citations({ ids, report }: { ids: readonly string[]; report: AnalysisReport }) {
  return <>{joined(ids.map((id) => <CitationView citation={readCitation(report, id)} />))}</>;
}

/** An amount in its asset's units with its symbol, the decimals read from the token (never assumed). */
function TokenAmount({ amount, unit }: { amount: string; unit: AmountUnit }) {
  const { config } = useServices();
  const token = unit.kind === "token" ? unit.address : unit.kind === "dao-token" ? config.contracts.token : null;
  const { tokens } = useTokenMetadata(token ? [token] : []);
  if (unit.kind === "eth")
    return (
      <strong title={`${formatExactAmount(amount, 18)} ETH`} data-testid="evidence-amount">
        {formatAmount(amount, 18, 4, { symbol: "ETH" })}
      </strong>
    );
  const meta = token ? tokens.get(token.toLowerCase()) : undefined;
  if (!token || !meta)
    return (
      <span data-testid="evidence-amount">
        <code>{amount}</code>{" "}
        <span className="muted">{token ? "(the token's smallest units, while its decimals are read)" : "(in the smallest units of its asset)"}</span>
      </span>
    );
  const label = tokenLabel(meta, config);
  if (meta.decimals === null)
    return (
      <span data-testid="evidence-amount">
        <code>{amount}</code> <span className="muted">(smallest units of {label}: the token does not say its decimals)</span>
      </span>
    );
  return (
    <strong title={`${formatExactAmount(amount, meta.decimals)} ${label}`} data-testid="evidence-amount">
      {formatAmount(amount, meta.decimals, 4, { symbol: label })}
    </strong>
  );
}

function EvidenceValue({ line }: { line: EvidenceLine }) {
  switch (line.kind) {
    case "actions":
      return <>{joined(line.indexes.map((i) => <ActionLink index={i} />))}</>;
    case "address":
      return <NamedAddress address={line.address} />;
    case "addresses":
      return <>{joined(line.addresses.map((a) => <NamedAddress address={a} />))}</>;
    case "amount":
      return <>{joined(line.amounts.map((a) => <TokenAmount amount={a} unit={line.unit} />))}</>;
    case "cited":
      return line.citations.length > 0 ? <>{joined(line.citations.map((c) => <CitationView citation={c} />))}</> : <>nothing</>;
    case "text":
      return <span title={line.full}>{line.text}</span>;
    case "nested":
      return (
        <span className="muted">
          {line.count} {line.count === 1 ? "entry" : "entries"}, listed under “All evidence (technical)”
        </span>
      );
  }
}

/** A finding's evidence in words and links, and all of it exactly as recorded, folded. */
function FindingEvidence({ evidence, check, report }: { evidence: Record<string, unknown> | undefined; check: string | undefined; report: AnalysisReport }) {
  if (evidence === undefined) return null;
  const lines = evidenceLines(evidence, report, check);
  return (
    <>
      {lines.length > 0 && (
        <ul className="evidence" data-testid="finding-evidence">
          {lines.map((line) => (
            <li key={line.key} data-key={line.key}>
              <span className="evidence-key">{line.label}:</span> <EvidenceValue line={line} />
            </li>
          ))}
        </ul>
      )}
      {Object.keys(evidence).length > 0 && (
        <details className="evidence-raw">
          <summary>All evidence (technical)</summary>
          <pre>{JSON.stringify(evidence, null, 2)}</pre>
        </details>
      )}
    </>
  );
}

const CLAIM_TEXT = {
  matched: { mark: "✓", text: "matches the calls", className: "ok" },
  mismatched: { mark: "✗", text: "differs from what the calls do", className: "bad" },
  unsupported: { mark: "✗", text: "no call does this", className: "bad" },
} as const;

/**
 * Each claim of the description with its status and cited evidence (a table: claim, status, evidence),
 * then what the calls do that the description does not say: the model's reading (`intentVsEffect`)
 * and the claims checked by code (`descriptionClaims`) have the same shape and render alike, under
 * their own headings.
 */
export function IntentVsEffectView({
  value,
  report,
  heading = "The model's reading: what the description claims vs what the calls do",
  testId = "intent-vs-effect",
}: {
  value: IntentVsEffect;
  report: AnalysisReport;
  heading?: string;
  testId?: string;
}) {
  if (value.claims.length === 0 && value.undisclosedEffects.length === 0) return null;
  const headingId = `${testId}-heading`;
  return (
    <section data-testid={testId}>
      <h3 id={headingId}>{heading}</h3>
      {value.claims.length > 0 && (
        <table className="claims-table" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">Claim</th>
              <th scope="col">Status</th>
              <th scope="col">Evidence</th>
            </tr>
          </thead>
          <tbody>
            {value.claims.map((c, i) => (
              <tr key={i} data-testid="claim">
                <td data-label="Claim">“{revealHidden(c.claim)}”</td>
                <td data-label="Status" data-testid="claim-status">
                  <strong className={CLAIM_TEXT[c.status].className}>
                    {CLAIM_TEXT[c.status].mark} {CLAIM_TEXT[c.status].text}
                  </strong>
                  {c.explanation && <p className="claim-explanation">{c.explanation}</p>}
                </td>
                <td data-label="Evidence" data-testid="claim-evidence">
                  {c.evidence.length > 0 ? <Citations ids={c.evidence} report={report} /> : <span className="muted">none cited</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {value.undisclosedEffects.length > 0 && (
        <>
          <h4 className="sev-high">Not mentioned in the description ({value.undisclosedEffects.length})</h4>
          <ul>
            {value.undisclosedEffects.map((u, i) => (
              <li key={i} data-testid="undisclosed-effect">
                {revealHidden(u.effect)}
                {u.evidence.length > 0 && (
                  <span className="muted">
                    {" "}
                    — evidence: <Citations ids={u.evidence} report={report} />
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function SimulationView({ simulation, treasury }: { simulation: SimulationReport; treasury: string | undefined }) {
  let line: string;
  if (simulation.status === "skipped" || simulation.status === "failed") line = `Not run on a copy of the chain (${simulation.status}): ${simulation.reason}`;
  else if (simulation.status === "reverted") line = `Executing it on a copy of the chain at block ${simulation.forkBlock} fails: ${simulation.revert?.reason ?? "it reverts"}.`;
  else line = `Executed on a copy of the chain at block ${simulation.forkBlock}: ${simulation.calls.length === 1 ? "its call succeeded" : `all ${simulation.calls.length} calls succeeded`}.`;
  const treasuryEth = "effects" in simulation && treasury ? simulation.effects.ethBalanceChanges.find((c) => c.address.toLowerCase() === treasury.toLowerCase()) : undefined;
  return (
    <section data-testid="simulation" id="simulation">
      <h3>Simulation</h3>
      <p>{line}</p>
      {treasuryEth && <p>Treasury ETH would change by {formatAmount(treasuryEth.delta)} ETH.</p>}
      <details>
        <summary>Simulation details</summary>
        <pre>{JSON.stringify(simulation, null, 2)}</pre>
      </details>
    </section>
  );
}

/** Why a check did not run, in plain words for a voter (the report's reason is for auditors). */
function notRunText(reason: string | undefined): string {
  const r = reason ?? "";
  // Older reports say "fork simulation"; newer ones say what a voter reads here.
  if (/^the fork simulation failed|^running the proposal on a copy of the chain failed/.test(r)) return "running the proposal on a copy of the chain failed";
  if (/^the fork simulation was not run|^no fork simulation|^the proposal was not run on a copy of the chain|^no run on a copy of the chain/.test(r)) return "the proposal was not run on a copy of the chain";
  if (/^voting power could not be read/.test(r)) return "voting power could not be read from the chain";
  if (/^no proposer given/.test(r)) return "the proposer is not known yet";
  if (/^the accounts the proposal pays or empowers could not be read/.test(r)) return "the accounts it pays or gives powers to could not be read from the chain";
  if (/^the accounts the proposal pays or empowers were not read/.test(r)) return "the accounts it pays or gives powers to were not looked up";
  if (/^the check failed/.test(r)) return "the check stopped with an error";
  return "it could not run";
}

const COVERAGE_TEXT: Record<CoverageStatus, string> = { ran: "checked", "not-applicable": "nothing to check in this proposal", skipped: "not checked" };

/** A check's label: the report's own name (version 2), else the catalogue's, else its id (a check newer than this app). */
function coverageLabel(entry: ReadCoverageEntry): string {
  return entry.name ?? checkName(entry.check);
}

/** `14 checks ran, 2 not applicable, 3 not run`. */
function coverageLine(coverage: readonly ReadCoverageEntry[]): string {
  const n = (status: CoverageStatus) => coverage.filter((c) => c.status === status).length;
  const ran = n("ran");
  const parts = [`${ran} check${ran === 1 ? "" : "s"} ran`];
  if (n("not-applicable") > 0) parts.push(`${n("not-applicable")} not applicable`);
  if (n("skipped") > 0) parts.push(`${n("skipped")} not run`);
  return parts.join(", ");
}

/** What the checks covered: one line, the list on demand, and a warning when the analysis is incomplete. */
function CoverageView({ coverage }: { coverage: readonly ReadCoverageEntry[] }) {
  if (coverage.length === 0) return null;
  return (
    <section data-testid="analysis-coverage">
      <p>
        <span data-testid="coverage-line">{coverageLine(coverage)}</span>.
      </p>
      <details>
        <summary>What was checked</summary>
        <ul>
          {coverage.map((c) => (
            <li key={c.check} data-testid="coverage-entry">
              {coverageLabel(c)}: {COVERAGE_TEXT[c.status]}
              {c.status === "skipped" && ` (${notRunText(c.reason)})`}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}

/** When a check that applies could not run: a warning naming what was not checked and why, in plain words. */
function InconclusiveWarning({ coverage }: { coverage: readonly ReadCoverageEntry[] }) {
  const skipped = coverage.filter((c) => c.status === "skipped");
  const byReason = new Map<string, string[]>();
  for (const c of skipped) byReason.set(notRunText(c.reason), [...(byReason.get(notRunText(c.reason)) ?? []), coverageLabel(c)]);
  return (
    <div className="warning" role="alert" data-testid="analysis-inconclusive">
      <p>
        <strong>This analysis is incomplete.</strong> Some checks could not run, so problems may be missing from the findings below. Have someone read the calls before voting.
      </p>
      {byReason.size > 0 && (
        <ul>
          {[...byReason].map(([why, names]) => (
            <li key={why}>
              Not checked: {names.join(", ")} — {why}.
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** An analysis (version 1, 2 or 3): summary, scores, recommendation, coverage, the claims checked by code, findings by severity with evidence, the model's reading, simulation, notes. */
export function AnalysisView({ report }: { report: AnalysisReport }) {
  const model = modelId(report);
  const reasoning = report.model && typeof report.model === "object" ? report.model.judgement.reasoning : null;
  const modelSummary = report.model && typeof report.model === "object" && "summary" in report.model && typeof report.model.summary === "string" ? report.model.summary : null;
  const treasury = (report as { governance?: { treasury?: string } }).governance?.treasury;
  // Fields of version 2 and later only; a version-1 report is read tolerantly and its unknown fields are not trusted.
  const v2 = report.schemaVersion === 2 || report.schemaVersion === 3 ? report : null;
  const coverage: readonly ReadCoverageEntry[] = v2?.coverage ?? [];
  const actionLinks = useActionLinks(report);
  // Each finding keeps its place in `report.findings`: `finding:N` citations and the `finding-N` anchors count by it.
  const numbered = report.findings.map((finding, index) => ({ finding, index }));
  const bySeverity = severityOrder.map((s) => ({ severity: s, findings: numbered.filter((f) => f.finding.severity === s) })).filter((g) => g.findings.length > 0);
  return (
    <ActionLinksContext.Provider value={actionLinks}>
      {v2?.summary && (
        <p className="report-summary" data-testid="analysis-summary">
          <strong>In short:</strong> {v2.summary}
        </p>
      )}
      {v2?.inconclusive === true && <InconclusiveWarning coverage={coverage} />}
      <dl className="report-scores">
        <dt>Risk</dt>
        <dd>
          <RiskBadge risk={report.scores.risk} /> <span data-testid="risk-score">{report.scores.risk}</span> / 100
          {report.riskFloor !== undefined && ` (floor ${report.riskFloor})`}
        </dd>
        <dt>Recommendation</dt>
        <dd>
          <span data-testid="recommendation">{report.recommendation ?? "none given"}</span>
          {report.recommendation && <span className="muted"> — {RECOMMENDATION_TEXT[report.recommendation]}</span>}
        </dd>
        <dt>Produced by</dt>
        <dd>
          {report.mode === "deterministic" ? "Checks in code alone (no model)" : report.mode === "model" ? `Checks in code and the model ${model ?? "(not named)"}` : `${report.mode ?? "unknown mode"}${model ? ` · model ${model}` : ""}`}
          {report.analyzer && ` · ${report.analyzer.name} ${report.analyzer.version}`}
        </dd>
      </dl>
      <CoverageView coverage={coverage} />
      {v2?.descriptionClaims && (
        <IntentVsEffectView value={v2.descriptionClaims} report={report} heading="Checked by code: what the description claims vs what the calls do" testId="description-claims" />
      )}
      {reasoning && (
        <section>
          <h3>The model's reasoning</h3>
          {modelSummary && (
            <p data-testid="model-summary">
              <strong>The model's summary:</strong> {modelSummary}
            </p>
          )}
          <p data-testid="model-reasoning">{reasoning}</p>
        </section>
      )}
      <h3>Findings ({report.findings.length})</h3>
      {bySeverity.length === 0 && <p className="empty">No findings.</p>}
      {bySeverity.map((group) => (
        <section key={group.severity}>
          <h4 className={`sev-${group.severity}`}>
            {group.severity} ({group.findings.length})
          </h4>
          <ul>
            {group.findings.map(({ finding: f, index }) => (
              <li key={`${f.id}-${index}`} id={`finding-${index + 1}`} data-testid="finding">
                <strong className={`sev-${f.severity}`}>[{f.severity}]</strong> {f.title} <code className="muted">{f.id}</code>
                {f.detail && <p>{f.detail}</p>}
                <FindingEvidence evidence={f.evidence} check={f.check} report={report} />
              </li>
            ))}
          </ul>
        </section>
      ))}
      {report.intentVsEffect && <IntentVsEffectView value={report.intentVsEffect} report={report} />}
      {report.simulation && <SimulationView simulation={report.simulation} treasury={treasury} />}
      {Array.isArray(report.notes) && report.notes.length > 0 && (
        <section data-testid="analysis-notes">
          {/* The analyst's notes: what read the proposal (code, a model) and what could not be checked. */}
          <h3>About this analysis</h3>
          <ul className="muted">
            {report.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </section>
      )}
    </ActionLinksContext.Provider>
  );
}

/** A failed analysis: no verdict, risk 100, and why — nothing of the analysed sections is assumed. */
export function FailedAnalysisView({ report }: { report: FailedReport | FailedReportV2 }) {
  return (
    <div data-testid="analysis-failed">
      <p className="warning">
        <strong>Analysis failed: {report.failure.reason}</strong>
      </p>
      <dl className="report-scores">
        <dt>Risk</dt>
        <dd>
          <RiskBadge risk={100} /> <span data-testid="risk-score">100</span> / 100
        </dd>
        <dt>Recommendation</dt>
        <dd>
          <span data-testid="recommendation">{report.recommendation}</span>
        </dd>
      </dl>
      <p>
        The analyst could not look at this proposal ({report.failure.attempts} attempt{report.failure.attempts === 1 ? "" : "s"}, after its {report.failure.event.name} event in block{" "}
        {report.failure.event.blockNumber}). This is not a judgement of the proposal: nothing about it was checked. Treat it as unreviewed and high risk until someone has read its
        calls; the executor holds it until a clean analysis is published.
      </p>
    </div>
  );
}

const PIN_FIELD_TEXT: Record<string, string> = {
  codeHash: "its code",
  implementation: "the implementation behind the proxy",
  implementationCodeHash: "the code of the implementation behind the proxy",
  beacon: "its beacon",
  beaconImplementation: "the implementation its beacon points to",
  beaconImplementationCodeHash: "the code of the implementation its beacon points to",
};

function text(value: unknown): string | null {
  return typeof value === "string" || typeof value === "number" ? String(value) : null;
}

function GuardEvidence({ report }: { report: GuardReport }) {
  const e = report.evidence;
  if (report.reason === "code-drift" && Array.isArray(e.changes)) {
    return (
      <ul data-testid="guard-evidence">
        {(e.changes as Record<string, unknown>[]).map((c, i) => (
          <li key={i}>
            Contract <code>{text(c.address)}</code>: {PIN_FIELD_TEXT[text(c.field) ?? ""] ?? text(c.field)} changed since block {text(e.pinnedAtBlock) ?? "?"} — was <code>{text(c.pinned) ?? "nothing"}</code>, now{" "}
            <code>{text(c.current) ?? "nothing"}</code>
          </li>
        ))}
      </ul>
    );
  }
  if (report.reason === "simulation-revert") {
    const revert = (e.revert ?? {}) as Record<string, unknown>;
    return (
      <p data-testid="guard-evidence">
        The call reverts with <code>{text(revert.message) ?? text(revert.name) ?? "no reason given"}</code>
        {text(e.simulatedAtBlock) && ` (run on a copy of the chain at block ${text(e.simulatedAtBlock)})`}.
      </p>
    );
  }
  if (report.reason === "analysis-critical" && Array.isArray(e.findings)) {
    return (
      <ul data-testid="guard-evidence">
        {(e.findings as Record<string, unknown>[]).map((f, i) => (
          <li key={i}>
            <strong className="sev-critical">[critical]</strong> {text(f.title)} <code className="muted">{text(f.id)}</code>
          </li>
        ))}
      </ul>
    );
  }
  if (report.reason === "analysis-inconclusive" && text(e.problem)) return <p data-testid="guard-evidence">Problem with the analysis: {text(e.problem)}.</p>;
  return null;
}

/**
 * What the Governor itself answers to the step the executor refused (`evidence.onChain`): whether the
 * chain refuses it too, and why in words, or whether anyone could still take it.
 */
function OnChainAnswer({ report }: { report: GuardReport }) {
  const record = (value: unknown): Record<string, unknown> | null => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null);
  const answer = record(report.evidence.onChain);
  if (answer === null || typeof answer.reverts !== "boolean") return null;
  const step = report.action === "queue" ? "queue" : "execute";
  const args = record(answer.args) ?? {};
  const hash = (value: unknown) => (text(value) === `0x${"0".repeat(64)}` ? "no code" : <code>{text(value) ?? "?"}</code>);
  if (!answer.reverts)
    return (
      <p className="warning" data-testid="guard-on-chain">
        On chain nothing stops this: anyone may still {step} it. Only the proposal guardian cancelling it keeps it from going through.
      </p>
    );
  if (answer.error === "GovernorTargetCodeChanged")
    return (
      <p data-testid="guard-on-chain">
        The Governor refuses to {step} it too: the code at <Address value={text(args.target) ?? ""} /> changed since the proposal was created (was {hash(args.pinned)}, now {hash(args.current)}). It can never run as voted.
      </p>
    );
  return (
    <p data-testid="guard-on-chain">
      On chain the {step} fails too{text(answer.message) ? <>: <code>{text(answer.message)}</code></> : ""}.
    </p>
  );
}

/** An ExecutionGuard decision: what the executor would not do, why in plain words, and its evidence. */
export function GuardView({ report }: { report: GuardReport }) {
  const step = report.action === "queue" ? "queue" : "execute";
  const headline = report.decision === "refuse" ? `The executor refused to ${step} this proposal` : `The executor is holding this proposal instead of ${report.action === "queue" ? "queueing" : "executing"} it`;
  const risk = typeof report.evidence.risk === "number" ? report.evidence.risk : null;
  const guardian = text(report.evidence.guardian);
  return (
    <div data-testid="guard-report">
      <p className="warning">
        <strong data-testid="guard-headline">{headline}</strong>
        <br />
        Because {GUARD_REASON_TEXT[report.reason]}.
      </p>
      <dl className="report-scores">
        <dt>Decision</dt>
        <dd data-testid="guard-decision-kind">
          {report.decision} ({report.action})
        </dd>
        <dt>Reason</dt>
        <dd>
          <code>{report.reason}</code>
        </dd>
        {risk !== null && (
          <>
            <dt>Risk</dt>
            <dd>
              <RiskBadge risk={risk} />
            </dd>
          </>
        )}
        <dt>Executor</dt>
        <dd>
          {report.executor.name} {report.executor.version} · <Address value={report.executor.address} /> · block {report.blockNumber}
        </dd>
      </dl>
      <p data-testid="guard-summary">{report.summary}</p>
      <GuardEvidence report={report} />
      <OnChainAnswer report={report} />
      {report.decision === "hold" && (
        <p className="muted">
          A hold lifts by itself when a clean analysis is published, or when an operator overrides it{guardian ? "; the proposal guardian " : ""}
          {guardian && <Address value={guardian} />}
          {guardian ? " can also cancel the proposal" : ""}.
        </p>
      )}
    </div>
  );
}

/** A drafted token payment in the token's own units, its symbol and decimals read from the chain (never assumed). */
function DraftTokenTransfer({ token, amount, recipient }: { token: string; amount: string; recipient: string }) {
  const { config } = useServices();
  const { tokens } = useTokenMetadata(isAddress(token) ? [token] : []);
  const meta = tokens.get(token.toLowerCase());
  const what =
    meta === undefined
      ? `${amount} (the token's smallest units, while its decimals are read) of the token at ${token}`
      : meta.decimals === null
        ? `${amount} of ${tokenLabel(meta, config)} (the token does not say its decimals, so this is its smallest unit)`
        : `${formatAmount(amount, meta.decimals)} ${tokenLabel(meta, config)}`;
  return (
    <>
      Send {what} from the treasury to <Address value={recipient} />
    </>
  );
}

function DraftAction({ action }: { action: DraftReport["actions"][number] }) {
  const a = action as Record<string, unknown>;
  switch (action.template) {
    case "treasury-eth-transfer":
      return (
        <>
          Send {formatAmount(text(a.amountWei) ?? "0")} ETH from the treasury to <Address value={text(a.recipient) ?? ""} />
        </>
      );
    case "erc20-transfer":
      return <DraftTokenTransfer token={text(a.token) ?? ""} amount={text(a.amount) ?? "0"} recipient={text(a.recipient) ?? ""} />;
    case "governor-parameter":
      return (
        <>
          Set the Governor's {text(a.parameter)} to {text(a.value)}
        </>
      );
    case "analyst-registration":
      return (
        <>
          {a.registered === true ? "Register" : "Remove"} analyst <Address value={text(a.account) ?? ""} />
        </>
      );
    default:
      return <code>{JSON.stringify(action)}</code>;
  }
}

/** A Draft decision: the analyst proposed a draft from someone's intent. */
export function DraftView({ report }: { report: DraftReport }) {
  return (
    <div data-testid="draft-report">
      <p>
        The analyst drafted and proposed this from the intent: “{report.intent}”
      </p>
      <ol>
        {report.actions.map((a, i) => (
          <li key={i}>
            <DraftAction action={a} />
          </li>
        ))}
      </ol>
      <p>
        Its own analysis of the draft (in a separate model context): <RiskBadge risk={report.analysis.risk} /> recommendation {report.analysis.recommendation}, report{" "}
        <code>{report.analysis.reportHash.slice(0, 10)}…</code>. Model {report.provenance.model}, {report.provenance.analyzer.name} {report.provenance.analyzer.version}.
      </p>
    </div>
  );
}

/** Any published report, by what it is; an unreadable one is a warning, never a blank. */
export function DecisionReportBody({ read }: { read: DecisionReport }) {
  switch (read.kind) {
    case "analysis":
      return <AnalysisView report={read.report} />;
    case "analysis-failed":
      return <FailedAnalysisView report={read.report} />;
    case "execution-guard":
      return <GuardView report={read.report} />;
    case "draft":
      return <DraftView report={read.report} />;
    case "unreadable":
      return (
        <div className="warning" role="alert" data-testid="report-unreadable">
          <p>
            <strong>This report cannot be read</strong>: {read.reason}. Treat the decision as unreviewed and risky; its exact text is below.
          </p>
        </div>
      );
  }
}
