import { proposalStateNames, type ProposalStateName } from "@ai-dao/protocol";
import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { z } from "zod";

import { useChainTime, useGovernorClock, useSecondsPerClockUnit } from "../lib/hooks.ts";
import { PROPOSALS_QUERY, type GovernanceTotals, type ProposalRow } from "../lib/queries.ts";
import { useServices } from "../lib/services.tsx";
import { quorumOf } from "../lib/state.ts";
import { ProposalsList, withStates } from "./ProposalsList.tsx";
import { Empty, ErrorNote, Loading } from "./ui.tsx";

export const PAGE_SIZE = 25;

export const proposalsSearchSchema = z.object({
  state: z.enum(proposalStateNames).optional().catch(undefined),
  q: z.string().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).optional().catch(undefined),
});
export type ProposalsSearch = z.output<typeof proposalsSearchSchema>;

/**
 * The GraphQL `where` for a state filter at chain time `now`. States the indexer stores (Queued,
 * Executed, Canceled) and the clock-only ones (Pending, Active) filter exactly on the server; the
 * states that also depend on the tally (Succeeded, Defeated) are narrowed to ended votes on the
 * server and finished on the page.
 */
export function proposalsWhere(search: ProposalsSearch, now: bigint): Record<string, unknown> {
  const where: Record<string, unknown> = {};
  if (search.q) where.title_contains_nocase = search.q;
  const t = now.toString();
  switch (search.state) {
    case "Pending":
      return { ...where, status: "CREATED", voteStart_gte: t };
    case "Active":
      return { ...where, status: "CREATED", voteStart_lt: t, voteEnd_gte: t };
    case "Succeeded":
    case "Defeated":
      return { ...where, status: "CREATED", voteEnd_lt: t };
    case "Expired":
      return { ...where, status: "CREATED", voteEnd_lt: t };
    case "Queued":
      return { ...where, status: "QUEUED" };
    case "Executed":
      return { ...where, status: "EXECUTED" };
    case "Canceled":
      return { ...where, status: "CANCELED" };
    default:
      return where;
  }
}

interface ProposalsAnswer extends GovernanceTotals {
  proposals: ProposalRow[];
}

export function ProposalsPage({ search, from }: { search: ProposalsSearch; from: "/" | "/proposals/" }) {
  const { gql, config } = useServices();
  const navigate = useNavigate({ from });
  const clock = useGovernorClock();
  const time = useChainTime();
  const secondsPerUnit = useSecondsPerClockUnit();
  const now = clock?.now ?? null;
  const blockTime = clock?.latest ?? null;
  const page = search.page ?? 1;
  const [q, setQ] = useState(search.q ?? "");
  // The state filter needs the chain time: the latest block's, which changes with new blocks only, so
  // the query key does not change with every tick of the countdowns.
  const where = now === null || blockTime === null ? null : proposalsWhere(search, search.state ? blockTime : 0n);
  const query = useQuery({
    queryKey: ["proposals", where, page],
    enabled: where !== null,
    queryFn: () => gql<ProposalsAnswer>(PROPOSALS_QUERY, { first: PAGE_SIZE + 1, skip: (page - 1) * PAGE_SIZE, where }),
    placeholderData: (previous) => previous,
    // The executor and other members act without this page knowing: poll so states and markers follow.
    refetchInterval: 4_000,
  });
  const setSearch = (patch: Partial<ProposalsSearch>) => void navigate({ search: (prev: ProposalsSearch) => ({ ...prev, ...patch }) as never });

  let body;
  if (query.error) body = <ErrorNote error={query.error} title="Could not load proposals" />;
  else if (!query.data || now === null) body = <Loading what="proposals" />;
  else {
    const totals = query.data;
    const supply = BigInt(totals.tokens[0]?.totalSupply ?? "0");
    const quorum = quorumOf(supply, BigInt(totals.governors[0]?.quorumNumerator ?? config.governor.quorumPercent ?? 4));
    const rows = totals.proposals.slice(0, PAGE_SIZE);
    let items = withStates(rows, now, quorum);
    if (search.state) items = items.filter((i) => i.state === search.state);
    const hasNext = totals.proposals.length > PAGE_SIZE;
    body = (
      <>
        {items.length === 0 ? <Empty>No proposals{search.state ? ` in state ${search.state}` : ""}{search.q ? ` matching “${search.q}”` : ""}.</Empty> : <ProposalsList items={items} clock={{ now, time: time ?? now, secondsPerUnit }} quorum={quorum} symbol={config.token.symbol} decimals={config.token.decimals} />}
        <nav aria-label="Pages" className="pager">
          <button type="button" disabled={page <= 1} onClick={() => setSearch({ page: page - 1 })}>
            Previous
          </button>
          <span>Page {page}</span>
          <button type="button" disabled={!hasNext} onClick={() => setSearch({ page: page + 1 })}>
            Next
          </button>
        </nav>
      </>
    );
  }

  return (
    <section>
      <div className="page-head">
        <h1>Proposals</h1>
        <Link to="/proposals/new" className="button">
          New proposal
        </Link>
      </div>
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch({ q: q || undefined, page: undefined });
        }}
      >
        <label>
          State{" "}
          <select value={search.state ?? ""} onChange={(e) => setSearch({ state: (e.target.value || undefined) as ProposalStateName | undefined, page: undefined })}>
            <option value="">All</option>
            {proposalStateNames.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search titles <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="e.g. grant" />
        </label>
        <button type="submit">Search</button>
      </form>
      {body}
    </section>
  );
}
