import { useQuery } from "@tanstack/react-query";
import { Link, createFileRoute } from "@tanstack/react-router";
import type { Address as Addr } from "viem";

import { DelegateForm } from "../components/DelegateButton.tsx";
import { Address, Empty, ErrorNote, Loading } from "../components/ui.tsx";
import { tokenAbi } from "@ai-dao/protocol";
import { formatAmount, formatTimestamp } from "../lib/format.ts";
import { ACCOUNT_QUERY, type AccountRow } from "../lib/queries.ts";
import { useServices } from "../lib/services.tsx";

export const Route = createFileRoute("/delegates/$address")({
  component: AccountPage,
});

interface AccountAnswer {
  account:
    | (AccountRow & {
        delegators: { id: string; balance: string }[];
        votes: { id: string; support: number; weight: string; reason: string; timestamp: string; proposal: { id: string; title: string } }[];
        proposals: { id: string; title: string; status: string }[];
      })
    | null;
}

const choice = ["Against", "For", "Abstain"];

/** What the indexer records of a proposal, in words (its vote's state is on the proposal's page). */
const PROPOSAL_STATUS_WORDS: Readonly<Record<string, string>> = { CREATED: "proposed", QUEUED: "queued", EXECUTED: "executed", CANCELED: "canceled" };

/** "1 delegator", "2 delegators". */
function plural(count: number | string, noun: string): string {
  const n = Number(count);
  return `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;
}

function AccountPage() {
  const { address } = Route.useParams();
  const { gql, config, publicClient } = useServices();
  const id = address.toLowerCase();
  const query = useQuery({ queryKey: ["account", id], queryFn: () => gql<AccountAnswer>(ACCOUNT_QUERY, { id }) });
  // Voting power now, from the token itself.
  const votes = useQuery({
    queryKey: ["votes", id],
    queryFn: () => publicClient.readContract({ address: config.contracts.token as Addr, abi: tokenAbi, functionName: "getVotes", args: [address as Addr] }),
  });
  const sym = config.token.symbol;
  const account = query.data?.account;
  return (
    <section className="account-page">
      <h1>
        Account <Address value={address} />
      </h1>
      <DelegateForm to={address} />
      {query.error && <ErrorNote error={query.error} title="Could not load the account" />}
      {!query.data && !query.error && <Loading what="the account" />}
      {query.data && !account && <Empty>This address has no history with the DAO.</Empty>}
      {votes.data !== undefined && (
        <p>
          Voting power on chain: <strong data-testid="voting-power">{formatAmount(votes.data)}</strong> {sym}
        </p>
      )}
      {account && (
        <>
          <dl>
            <dt>Balance</dt>
            <dd>
              {formatAmount(account.balance)} {sym}
            </dd>
            <dt>Delegates to</dt>
            <dd>
              {!account.delegate ? (
                "nobody (these tokens do not vote)"
              ) : account.delegate.id.toLowerCase() === account.id.toLowerCase() ? (
                "itself (its own tokens vote)"
              ) : (
                <Link to="/delegates/$address" params={{ address: account.delegate.id }}>
                  <Address value={account.delegate.id} />
                </Link>
              )}
            </dd>
            <dt>Delegated voting power</dt>
            <dd data-testid="delegated-power">
              {formatAmount(account.delegatedVotes)} {sym} from {plural(account.delegatorCount, "delegator")}
            </dd>
          </dl>
          <h2>Delegators</h2>
          {account.delegators.length === 0 ? (
            <Empty>None.</Empty>
          ) : (
            <ul>
              {account.delegators.map((d) => (
                <li key={d.id}>
                  <Link to="/delegates/$address" params={{ address: d.id }}>
                    <Address value={d.id} />
                  </Link>{" "}
                  {formatAmount(d.balance)} {sym}
                </li>
              ))}
            </ul>
          )}
          <h2>Votes cast ({account.votesCast})</h2>
          {account.votes.length === 0 ? (
            <Empty>No votes yet.</Empty>
          ) : (
            <table className="account-votes">
              <thead>
                <tr>
                  <th scope="col">Proposal</th>
                  <th scope="col">Vote</th>
                  <th scope="col">Weight</th>
                  <th scope="col">Reason</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {account.votes.map((v) => (
                  <tr key={v.id}>
                    <td data-label="Proposal">
                      <Link to="/proposals/$proposalId" params={{ proposalId: v.proposal.id }}>
                        {v.proposal.title}
                      </Link>
                    </td>
                    <td data-label="Vote">{choice[v.support]}</td>
                    <td data-label="Weight">
                      {formatAmount(v.weight)} {sym}
                    </td>
                    <td data-label="Reason">{v.reason}</td>
                    <td data-label="When">{formatTimestamp(v.timestamp)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Proposals ({account.proposalsMade})</h2>
          <ul>
            {account.proposals.map((p) => (
              <li key={p.id}>
                <Link to="/proposals/$proposalId" params={{ proposalId: p.id }}>
                  {p.title}
                </Link>{" "}
                <span className="muted">{PROPOSAL_STATUS_WORDS[p.status] ?? p.status.toLowerCase()}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
