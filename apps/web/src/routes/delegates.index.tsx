import { useQuery } from "@tanstack/react-query";
import { Link, createFileRoute } from "@tanstack/react-router";
import { z } from "zod";

import { DelegateForm } from "../components/DelegateButton.tsx";
import { Address, Empty, ErrorNote, Loading } from "../components/ui.tsx";
import { formatAmount, percent } from "../lib/format.ts";
import { DELEGATES_QUERY, type AccountRow } from "../lib/queries.ts";
import { useServices } from "../lib/services.tsx";

const PAGE = 50;

/** "1 delegator", "2 delegators", "0 votes". */
function plural(count: number | string, noun: string): string {
  const n = Number(count);
  return `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;
}

export const Route = createFileRoute("/delegates/")({
  validateSearch: z.object({ page: z.coerce.number().int().min(1).optional().catch(undefined) }),
  component: Delegates,
});

function Delegates() {
  const { gql, config } = useServices();
  const { page = 1 } = Route.useSearch();
  const navigate = Route.useNavigate();
  const query = useQuery({
    queryKey: ["delegates", page],
    queryFn: () => gql<{ accounts: AccountRow[]; tokens: { totalSupply: string }[] }>(DELEGATES_QUERY, { first: PAGE + 1, skip: (page - 1) * PAGE }),
  });
  const supply = BigInt(query.data?.tokens[0]?.totalSupply ?? "0");
  return (
    <section>
      <h1>Delegates</h1>
      <DelegateForm />
      {query.error ? (
        <ErrorNote error={query.error} title="Could not load delegates" />
      ) : !query.data ? (
        <Loading what="delegates" />
      ) : query.data.accounts.length === 0 ? (
        <Empty>Nobody has voting power yet: token holders must delegate (to themselves or someone else) before their tokens vote.</Empty>
      ) : (
        <>
          {/* On a phone each row is a small card; the data-label attributes name its cells there. */}
          <table className="leaderboard">
            <caption className="sr-only">Delegates by voting power</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Delegate</th>
                <th scope="col">Voting power</th>
                <th scope="col">Share</th>
                <th scope="col">Delegators</th>
                <th scope="col">Votes cast</th>
              </tr>
            </thead>
            <tbody>
              {query.data.accounts.slice(0, PAGE).map((a, i) => (
                <tr key={a.id} data-testid="delegate-row">
                  <td data-label="Rank">{(page - 1) * PAGE + i + 1}</td>
                  <td data-label="Delegate">
                    <Link to="/delegates/$address" params={{ address: a.id }}>
                      <Address value={a.id} />
                    </Link>
                    {a.isAnalyst && <span className="badge">analyst</span>}
                  </td>
                  <td data-label="Voting power">
                    {formatAmount(a.delegatedVotes, config.token.decimals, 2)} {config.token.symbol}
                  </td>
                  <td data-label="Share">{percent(BigInt(a.delegatedVotes), supply)}%</td>
                  <td data-label="Delegators">{plural(a.delegatorCount, "delegator")}</td>
                  <td data-label="Votes cast">{plural(a.votesCast, "vote")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav aria-label="Pages" className="pager">
            <button type="button" disabled={page <= 1} onClick={() => void navigate({ search: { page: page - 1 } })}>
              Previous
            </button>
            <span>Page {page}</span>
            <button type="button" disabled={query.data.accounts.length <= PAGE} onClick={() => void navigate({ search: { page: page + 1 } })}>
              Next
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
