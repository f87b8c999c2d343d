import type { ProposalStateName } from "@ai-dao/protocol";
import { Link } from "@tanstack/react-router";
import { memo } from "react";

import { formatAmount, formatDuration, percent } from "../lib/format.ts";
import type { ProposalRow } from "../lib/queries.ts";
import { proposalState, secondsLeft } from "../lib/state.ts";
import { RiskBadge, StateBadge } from "./ui.tsx";

export interface ListedProposal {
  row: ProposalRow;
  state: ProposalStateName;
}

/** Computes each row's state at chain time `now` with the quorum of the token's supply. */
export function withStates(rows: ProposalRow[], now: bigint, quorum: bigint): ListedProposal[] {
  return rows.map((row) => ({
    row,
    state: proposalState(
      {
        status: row.status,
        voteStart: BigInt(row.voteStart),
        voteEnd: BigInt(row.voteEnd),
        forVotes: BigInt(row.forVotes),
        againstVotes: BigInt(row.againstVotes),
        abstainVotes: BigInt(row.abstainVotes),
        eta: row.eta === null ? null : BigInt(row.eta),
        quorum,
        timelockStatus: row.timelockOperation?.status ?? null,
      },
      now,
    ),
  }));
}

const ProposalItem = memo(function ProposalItem({ item, now, quorum, symbol }: { item: ListedProposal; now: bigint; quorum: bigint; symbol: string }) {
  const { row, state } = item;
  const forVotes = BigInt(row.forVotes);
  const against = BigInt(row.againstVotes);
  const abstain = BigInt(row.abstainVotes);
  const total = forVotes + against + abstain;
  const left = secondsLeft({ voteStart: BigInt(row.voteStart), voteEnd: BigInt(row.voteEnd), eta: row.eta === null ? null : BigInt(row.eta) }, state, now);
  return (
    <li className="proposal-row" data-testid="proposal-row">
      <div className="row-head">
        <StateBadge state={state} />
        <RiskBadge risk={row.decisions[0]?.risk} />
        <Link to="/proposals/$proposalId" params={{ proposalId: row.id }} className="row-title">
          {row.title || "(untitled)"}
        </Link>
      </div>
      <div className="row-meta">
        <span>
          For {formatAmount(forVotes, 18, 0)} · Against {formatAmount(against, 18, 0)} · Abstain {formatAmount(abstain, 18, 0)} {symbol}
        </span>
        <span>
          quorum {percent(forVotes + abstain, quorum || 1n)}% · {row.voterCount} voters
        </span>
        {left !== null && <span>{state === "Pending" ? "starts in" : state === "Active" ? "ends in" : "executable in"} {formatDuration(left)}</span>}
      </div>
      <div className="bar" aria-hidden="true">
        <span className="bar-for" style={{ width: `${percent(forVotes, total || 1n)}%` }} />
        <span className="bar-against" style={{ width: `${percent(against, total || 1n)}%` }} />
        <span className="bar-abstain" style={{ width: `${percent(abstain, total || 1n)}%` }} />
      </div>
    </li>
  );
});

export function ProposalsList({ items, now, quorum, symbol }: { items: ListedProposal[]; now: bigint; quorum: bigint; symbol: string }) {
  return (
    <ol className="proposals" aria-label="Proposals">
      {items.map((item) => (
        <ProposalItem key={item.row.id} item={item} now={now} quorum={quorum} symbol={symbol} />
      ))}
    </ol>
  );
}
