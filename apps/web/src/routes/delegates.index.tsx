import { useQuery } from "@tanstack/react-query";
import { Link, createFileRoute } from "@tanstack/react-router";
import { z } from "zod";

import { DelegateForm } from "../components/DelegateButton.tsx";
import { Address, Empty, ErrorNote, Loading } from "../components/ui.tsx";
import { formatAmount, percent } from "../lib/format.ts";
import { DELEGATES_QUERY, type AccountRow } from "../lib/queries.ts";
import { useServices } from "../lib/services.tsx";

const PAGE = 50;

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
          <table>
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
                  <td>{(page - 1) * PAGE + i + 1}</td>
                  <td>
                    <Link to="/delegates/$address" params={{ address: a.id }}>
                      <Address value={a.id} />
                    </Link>
                    {a.isAnalyst && <span className="badge">analyst</span>}
                  </td>
                  <td>
                    {formatAmount(a.delegatedVotes, config.token.decimals, 2)} {config.token.symbol}
                  </td>
                  <td>{percent(BigInt(a.delegatedVotes), supply)}%</td>
                  <td>{a.delegatorCount}</td>
                  <td>{a.votesCast}</td>
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
