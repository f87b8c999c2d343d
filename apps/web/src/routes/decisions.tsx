import { readDecisionReport } from "@ai-dao/reports";
import { useQuery } from "@tanstack/react-query";
import { Link, createFileRoute } from "@tanstack/react-router";
import { useState } from "react";
import { hexToBytes } from "viem";
import { z } from "zod";

import { VerifiedReport } from "../components/Report.tsx";
import { Address, Empty, ErrorNote, Loading, RiskBadge } from "../components/ui.tsx";
import { decisionsToCsv, decisionsToJson, download } from "../lib/export.ts";
import { formatTimestamp } from "../lib/format.ts";
import { DECISIONS_QUERY, type DecisionRow } from "../lib/queries.ts";
import { useServices } from "../lib/services.tsx";

const kinds = ["ANALYSIS", "DRAFT", "EXECUTION_GUARD"] as const;
const PAGE = 50;

const searchSchema = z.object({
  kind: z.enum(kinds).optional().catch(undefined),
  actor: z.string().regex(/^0x[0-9a-fA-F]{40}$/).optional().catch(undefined),
  minRisk: z.coerce.number().int().min(0).max(100).optional().catch(undefined),
  proposal: z.string().regex(/^\d+$/).optional().catch(undefined),
  page: z.coerce.number().int().min(1).optional().catch(undefined),
});
type DecisionsSearch = z.output<typeof searchSchema>;

export const Route = createFileRoute("/decisions")({
  validateSearch: searchSchema,
  component: Decisions,
});

export function decisionsWhere(search: DecisionsSearch): Record<string, unknown> {
  const where: Record<string, unknown> = {};
  if (search.kind) where.kind = search.kind;
  if (search.actor) where.actor = search.actor.toLowerCase();
  if (search.minRisk !== undefined) where.risk_gte = search.minRisk;
  if (search.proposal) where.proposalId = search.proposal;
  return where;
}

function DecisionDetail({ d }: { d: DecisionRow }) {
  const read = readDecisionReport(d.kind, d.report);
  // The exact text of the bytes; invalid UTF-8 is shown with replacement characters, never hidden.
  const json = read.json ?? new TextDecoder().decode(hexToBytes(d.report as `0x${string}`));
  return <VerifiedReport read={read} reportJson={json} proposalId={d.proposalId} decisionId={d.decisionId} storedHash={d.reportHash} />;
}

function Decisions() {
  const { gql } = useServices();
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  const page = search.page ?? 1;
  const where = decisionsWhere(search);
  const [open, setOpen] = useState<string | null>(null);
  const [form, setForm] = useState({ actor: search.actor ?? "", minRisk: search.minRisk?.toString() ?? "", proposal: search.proposal ?? "" });
  const query = useQuery({
    queryKey: ["decisions", where, page],
    queryFn: () => gql<{ decisions: DecisionRow[] }>(DECISIONS_QUERY, { first: PAGE + 1, skip: (page - 1) * PAGE, where }),
  });
  const setSearch = (patch: Partial<DecisionsSearch>) => void navigate({ search: (prev) => ({ ...prev, ...patch, page: patch.page }) });
  const exportAll = async (format: "json" | "csv") => {
    const all: DecisionRow[] = [];
    for (let skip = 0; ; skip += 1000) {
      const { decisions } = await gql<{ decisions: DecisionRow[] }>(DECISIONS_QUERY, { first: 1000, skip, where });
      all.push(...decisions);
      if (decisions.length < 1000) break;
    }
    if (format === "csv") download("decisions.csv", decisionsToCsv(all), "text/csv");
    else download("decisions.json", decisionsToJson(all), "application/json");
  };
  return (
    <section>
      <h1>Decision log</h1>
      <p className="muted">Every decision the analyst and the executor published to the DecisionLog, with the exact report bytes.</p>
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch({
            actor: /^0x[0-9a-fA-F]{40}$/.test(form.actor) ? form.actor : undefined,
            minRisk: form.minRisk === "" ? undefined : Number(form.minRisk),
            proposal: /^\d+$/.test(form.proposal) ? form.proposal : undefined,
          });
        }}
      >
        <label>
          Kind{" "}
          <select value={search.kind ?? ""} onChange={(e) => setSearch({ kind: (e.target.value || undefined) as DecisionsSearch["kind"] })}>
            <option value="">All</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {k.toLowerCase().replace("_", " ")}
              </option>
            ))}
          </select>
        </label>
        <label>
          Actor <input value={form.actor} onChange={(e) => setForm({ ...form, actor: e.target.value })} placeholder="0x…" />
        </label>
        <label>
          Risk at least <input type="number" min={0} max={100} value={form.minRisk} onChange={(e) => setForm({ ...form, minRisk: e.target.value })} style={{ width: "5em" }} />
        </label>
        <label>
          Proposal id <input value={form.proposal} onChange={(e) => setForm({ ...form, proposal: e.target.value })} />
        </label>
        <button type="submit">Filter</button>
        <button type="button" onClick={() => void exportAll("json")}>
          Export JSON
        </button>
        <button type="button" onClick={() => void exportAll("csv")}>
          Export CSV
        </button>
      </form>
      {query.error ? (
        <ErrorNote error={query.error} title="Could not load decisions" />
      ) : !query.data ? (
        <Loading what="decisions" />
      ) : query.data.decisions.length === 0 ? (
        <Empty>No decisions match.</Empty>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Kind</th>
                <th scope="col">Proposal</th>
                <th scope="col">Actor</th>
                <th scope="col">Risk</th>
                <th scope="col">Recommendation</th>
                <th scope="col">When</th>
                <th scope="col">Report</th>
              </tr>
            </thead>
            <tbody>
              {query.data.decisions.slice(0, PAGE).map((d) => (
                <DecisionRowView key={d.id} d={d} open={open === d.id} toggle={() => setOpen(open === d.id ? null : d.id)} />
              ))}
            </tbody>
          </table>
          <nav aria-label="Pages" className="pager">
            <button type="button" disabled={page <= 1} onClick={() => setSearch({ page: page - 1 })}>
              Previous
            </button>
            <span>Page {page}</span>
            <button type="button" disabled={query.data.decisions.length <= PAGE} onClick={() => setSearch({ page: page + 1 })}>
              Next
            </button>
          </nav>
        </>
      )}
    </section>
  );
}

function DecisionRowView({ d, open, toggle }: { d: DecisionRow; open: boolean; toggle: () => void }) {
  return (
    <>
      <tr data-testid="decision-row">
        <td>{d.decisionId}</td>
        <td>{d.kind.toLowerCase().replace("_", " ")}</td>
        <td>{d.proposal ? <Link to="/proposals/$proposalId" params={{ proposalId: d.proposal.id }}>{d.proposal.title}</Link> : <code>{d.proposalId.slice(0, 10)}…</code>}</td>
        <td>
          <Address value={d.actor.id} />
        </td>
        <td>
          <RiskBadge risk={d.risk} />
        </td>
        <td>{d.recommendation.toLowerCase().replace("_", " ")}</td>
        <td>{formatTimestamp(d.timestamp)}</td>
        <td>
          <button type="button" aria-expanded={open} onClick={toggle}>
            {open ? "Hide" : "View"}
          </button>
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={8}>
            <DecisionDetail d={d} />
          </td>
        </tr>
      )}
    </>
  );
}
