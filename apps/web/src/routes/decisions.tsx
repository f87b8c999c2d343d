import { useQuery } from "@tanstack/react-query";
import { Link, createFileRoute } from "@tanstack/react-router";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { z } from "zod";

import { VerifiedReport } from "../components/Report.tsx";
import { Empty, ErrorNote, Loading, RiskBadge } from "../components/ui.tsx";
import {
  ACTOR_ROLES_QUERY,
  actorDirectory,
  actorRoleName,
  decisionKinds,
  decisionsWhere,
  kindLabel,
  parseDecisionFilters,
  type ActorDirectory,
  type ActorRolesAnswer,
  type DecisionFilters,
  type FilterErrors,
  type FilterField,
  type FilterText,
} from "../lib/decisions.ts";
import { decisionsToCsv, decisionsToJson, download, isoTime } from "../lib/export.ts";
import { checksum, formatTimestamp, shortAddress } from "../lib/format.ts";
import { DECISIONS_QUERY, type DecisionRow } from "../lib/queries.ts";
import { readReportOf } from "../lib/report-bytes.ts";
import { useServices } from "../lib/services.tsx";
import "../decision-log.css";

const PAGE = 50;

// The filters stay the address bar's text (the router keeps search values as strings), so a bad one
// is explained by the page rather than dropped here.
const text = z.string().optional().catch(undefined);
const searchSchema = z.object({
  kind: text,
  actor: text,
  minRisk: text,
  proposal: text,
  page: z.coerce.number().int().min(1).optional().catch(undefined),
});
type DecisionsSearch = z.output<typeof searchSchema>;

export const Route = createFileRoute("/decisions")({
  validateSearch: searchSchema,
  component: Decisions,
});

function DecisionDetail({ d }: { d: DecisionRow }) {
  // The report's JSON (inflated when compressed); unreadable bytes are shown as they are, never hidden.
  const { read, json } = readReportOf(d);
  // The report's own sections are h3s: this h2 sits between them and the page's h1.
  return (
    <>
      <h2 className="decision-report-heading">
        Report of decision {d.decisionId} ({kindLabel(d.kind)})
      </h2>
      <VerifiedReport read={read} reportJson={json} proposalId={d.proposalId} decisionId={d.decisionId} storedHash={d.reportHash} />
    </>
  );
}

/** The Governor's analysts and the DecisionLog's publishers from the indexer, and the executor's own address. */
function useActorRoles() {
  const { gql, executor } = useServices();
  const roles = useQuery({ queryKey: ["actor-roles"], queryFn: () => gql<ActorRolesAnswer>(ACTOR_ROLES_QUERY), staleTime: 60_000 });
  // Best effort: without it, the executor is still named from its own guard reports.
  const health = useQuery({ queryKey: ["executor-health"], queryFn: () => executor!.health(), enabled: executor !== undefined, retry: false, staleTime: 60_000 });
  return { roles: roles.data, executorAddress: health.data?.address ?? null };
}

const emptyText = (t: FilterText): Record<FilterField, string> => ({ kind: t.kind ?? "", actor: t.actor ?? "", minRisk: t.minRisk ?? "", proposal: t.proposal ?? "" });

function Decisions() {
  const { gql } = useServices();
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  const page = search.page ?? 1;
  const { kind, actor, minRisk, proposal } = search;
  const urlText = useMemo((): FilterText => ({ kind, actor, minRisk, proposal }), [kind, actor, minRisk, proposal]);
  const fromUrl = useMemo(() => parseDecisionFilters(urlText), [urlText]);
  const [form, setForm] = useState(() => emptyText(urlText));
  const [submitErrors, setSubmitErrors] = useState<FilterErrors | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  // The URL is the truth: back/forward or a pasted link refills the form and its explanations.
  useEffect(() => {
    setForm(emptyText(urlText));
    setSubmitErrors(null);
  }, [urlText]);
  const errors = submitErrors ?? fromUrl.errors;
  const urlValid = Object.keys(fromUrl.errors).length === 0;
  const where = decisionsWhere(fromUrl.filters);

  const { roles, executorAddress } = useActorRoles();
  const query = useQuery({
    queryKey: ["decisions", where, page],
    queryFn: () => gql<{ decisions: DecisionRow[] }>(DECISIONS_QUERY, { first: PAGE + 1, skip: (page - 1) * PAGE, where }),
    // Fail closed: a filter that could not be read shows nothing rather than every decision.
    enabled: urlValid,
  });
  const rows = useMemo(() => query.data?.decisions.slice(0, PAGE) ?? [], [query.data]);
  const directory = useMemo(() => actorDirectory({ roles, executorAddress, rows }), [roles, executorAddress, rows]);

  const go = (filters: DecisionFilters, nextPage?: number) =>
    void navigate({
      search: (): DecisionsSearch => ({
        ...(filters.kind ? { kind: filters.kind } : {}),
        ...(filters.actor ? { actor: filters.actor } : {}),
        ...(filters.minRisk !== undefined ? { minRisk: String(filters.minRisk) } : {}),
        ...(filters.proposal ? { proposal: filters.proposal } : {}),
        ...(nextPage && nextPage > 1 ? { page: nextPage } : {}),
      }),
    });
  const submit = (next: Record<FilterField, string>) => {
    const parsed = parseDecisionFilters(next, directory);
    if (Object.keys(parsed.errors).length > 0) {
      setSubmitErrors(parsed.errors);
      return;
    }
    setSubmitErrors(null);
    go(parsed.filters);
  };
  const exportAll = async (format: "json" | "csv") => {
    setExportError(null);
    try {
      const all: DecisionRow[] = [];
      for (let skip = 0; ; skip += 1000) {
        const { decisions } = await gql<{ decisions: DecisionRow[] }>(DECISIONS_QUERY, { first: 1000, skip, where });
        all.push(...decisions);
        if (decisions.length < 1000) break;
      }
      const names = actorDirectory({ roles, executorAddress, rows: all });
      const nameOf = (address: string) => actorRoleName(address, names);
      if (format === "csv") download("decisions.csv", decisionsToCsv(all, nameOf), "text/csv");
      else download("decisions.json", decisionsToJson(all, nameOf), "application/json");
    } catch (error) {
      setExportError(error);
    }
  };
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <section className="decisions">
      <h1>Decision log</h1>
      <p className="muted">Every decision the analyst and the executor recorded on chain, each with its report exactly as recorded.</p>
      <form
        className="filters decision-filters"
        role="search"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit(form);
        }}
      >
        <Field name="kind" label="Kind" error={errors.kind}>
          {(props) => (
            <select
              {...props}
              value={decisionKinds.includes(form.kind as never) ? form.kind : ""}
              onChange={(e) => {
                const next = { ...form, kind: e.target.value };
                setForm(next);
                submit(next);
              }}
            >
              <option value="">All</option>
              {decisionKinds.map((k) => (
                <option key={k} value={k}>
                  {kindLabel(k)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="actor" label="Actor" error={errors.actor}>
          {(props) => (
            <>
              <input {...props} value={form.actor} onChange={(e) => setForm({ ...form, actor: e.target.value })} placeholder="0x… or analyst" list="decision-actors" autoComplete="off" spellCheck={false} />
              <datalist id="decision-actors">
                {[...directory].map(([address, roles]) => (
                  <option key={address} value={checksum(address)}>
                    {roles.join(" and ")}
                  </option>
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field name="minRisk" label="Risk at least" error={errors.minRisk}>
          {(props) => <input {...props} inputMode="numeric" value={form.minRisk} onChange={(e) => setForm({ ...form, minRisk: e.target.value })} className="risk-input" />}
        </Field>
        <Field name="proposal" label="Proposal id" error={errors.proposal}>
          {(props) => <input {...props} value={form.proposal} onChange={(e) => setForm({ ...form, proposal: e.target.value })} placeholder="all digits, or 0x + 64 hex" autoComplete="off" spellCheck={false} />}
        </Field>
        <div className="filter-buttons">
          <button type="submit">Filter</button>
          <button type="button" disabled={!urlValid} onClick={() => void exportAll("json")}>
            Export JSON
          </button>
          <button type="button" disabled={!urlValid} onClick={() => void exportAll("csv")}>
            Export CSV
          </button>
        </div>
      </form>
      {exportError !== null && <ErrorNote error={exportError} title="Could not export" />}
      {!urlValid ? (
        <p className="muted" data-testid="filters-invalid">
          No decisions are shown until the filter{Object.keys(fromUrl.errors).length > 1 ? "s" : ""} above can be read.
        </p>
      ) : query.error ? (
        <ErrorNote error={query.error} title="Could not load decisions" />
      ) : !query.data ? (
        <Loading what="decisions" />
      ) : rows.length === 0 ? (
        <Empty>{fromUrl.filters.proposal ? <>No decisions about proposal <code>{fromUrl.filters.proposal}</code> match.</> : "No decisions match."}</Empty>
      ) : (
        <>
          <table className="decision-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Kind</th>
                <th scope="col">Proposal</th>
                <th scope="col">Actor</th>
                <th scope="col">Risk</th>
                <th scope="col">Recommendation</th>
                <th scope="col">When (UTC)</th>
                <th scope="col">Report</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <DecisionRowView key={d.id} d={d} directory={directory} open={open === d.id} toggle={() => setOpen(open === d.id ? null : d.id)} />
              ))}
            </tbody>
          </table>
          <nav aria-label="Pages" className="pager">
            <button type="button" disabled={page <= 1} onClick={() => go(fromUrl.filters, page - 1)}>
              Previous
            </button>
            <span>Page {page}</span>
            <button type="button" disabled={query.data.decisions.length <= PAGE} onClick={() => go(fromUrl.filters, page + 1)}>
              Next
            </button>
          </nav>
        </>
      )}
      {hasErrors && submitErrors !== null && (
        <p className="sr-only" role="status">
          The filter was not applied: {Object.values(submitErrors).join(" ")}
        </p>
      )}
    </section>
  );
}

/** A labelled control with its explanation right under it when what was typed cannot be used. */
function Field({ name, label, error, children }: { name: FilterField; label: string; error: string | undefined; children: (props: { id: string; name: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode }) {
  const id = `decisions-${name}`;
  const errorId = `${id}-error`;
  return (
    <div className={`field${error ? " invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, name, ...(error ? { "aria-invalid": true as const, "aria-describedby": errorId } : {}) })}
      {error && (
        <p className="field-error" id={errorId} data-testid={`${name}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

function ActorCell({ address, directory }: { address: string; directory: ActorDirectory }) {
  const name = actorRoleName(address, directory);
  const full = checksum(address);
  return (
    <span className="actor" title={full}>
      {name && <strong className="actor-name">{name}</strong>} <code className="address">{shortAddress(full)}</code>
    </span>
  );
}

function DecisionRowView({ d, directory, open, toggle }: { d: DecisionRow; directory: ActorDirectory; open: boolean; toggle: () => void }) {
  const detailId = `decision-${d.id}-report`;
  return (
    <>
      <tr data-testid="decision-row">
        <td data-label="Decision #">{d.decisionId}</td>
        <td data-label="Kind">{kindLabel(d.kind)}</td>
        <td data-label="Proposal">
          {d.proposal ? (
            <Link to="/proposals/$proposalId" params={{ proposalId: d.proposal.id }}>
              {d.proposal.title}
            </Link>
          ) : (
            <code title={d.proposalId}>{d.proposalId.length > 14 ? `${d.proposalId.slice(0, 10)}…` : d.proposalId}</code>
          )}
        </td>
        <td data-label="Actor">
          <ActorCell address={d.actor.id} directory={directory} />
        </td>
        <td data-label="Risk">
          <RiskBadge risk={d.risk} />
        </td>
        <td data-label="Recommendation">{kindLabel(d.recommendation)}</td>
        <td data-label="When (UTC)">
          <time dateTime={isoTime(d.timestamp)}>{formatTimestamp(d.timestamp).replace(/ UTC$/, "")}</time>
        </td>
        <td data-label="Report">
          <button type="button" aria-expanded={open} aria-controls={open ? detailId : undefined} onClick={toggle}>
            {open ? "Hide" : "View"}
          </button>
        </td>
      </tr>
      {open && (
        <tr className="decision-detail">
          <td colSpan={8} id={detailId}>
            <DecisionDetail d={d} />
          </td>
        </tr>
      )}
    </>
  );
}
