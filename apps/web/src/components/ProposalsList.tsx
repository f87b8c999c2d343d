import type { ProposalStateName } from "@ai-dao/protocol";
import { Link } from "@tanstack/react-router";
import { memo } from "react";

import { formatAmount, formatDuration, percent } from "../lib/format.ts";
import type { ProposalRow } from "../lib/queries.ts";
import { plural, rowSafety, type Safety } from "../lib/safety.ts";
import { proposalState, secondsLeft } from "../lib/state.ts";
import { quorumText } from "./TallyChart.tsx";
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

// Reading reports is not free and the list re-renders every second (countdowns): one reading per row
// object (the query keeps a row's object while its data is unchanged) and per "voting ended".
const safetyCache = new WeakMap<ProposalRow, Map<boolean, Safety>>();
function safetyOf(row: ProposalRow, votingEnded: boolean): Safety {
  let byEnded = safetyCache.get(row);
  if (!byEnded) safetyCache.set(row, (byEnded = new Map()));
  let safety = byEnded.get(votingEnded);
  if (!safety) byEnded.set(votingEnded, (safety = rowSafety(row, votingEnded)));
  return safety;
}

/** The Governor's clock (`now`, in its unit), the chain's time (for an eta) and seconds per clock unit. */
export interface ListClock {
  now: bigint;
  time: bigint;
  secondsPerUnit: number;
}

const ProposalItem = memo(function ProposalItem({ item, clock, quorum, symbol, decimals }: { item: ListedProposal; clock: ListClock; quorum: bigint; symbol: string; decimals: number }) {
  const { row, state } = item;
  const safety = safetyOf(row, state !== "Pending" && state !== "Active");
  const forVotes = BigInt(row.forVotes);
  const against = BigInt(row.againstVotes);
  const abstain = BigInt(row.abstainVotes);
  const total = forVotes + against + abstain;
  const left = secondsLeft({ voteStart: BigInt(row.voteStart), voteEnd: BigInt(row.voteEnd), eta: row.eta === null ? null : BigInt(row.eta) }, state, clock.now, clock.time, clock.secondsPerUnit);
  return (
    <li className="proposal-row" data-testid="proposal-row">
      <div className="row-head">
        <StateBadge state={state} />
        <RiskBadge risk={row.decisions[0]?.risk} />
        {safety.concerned && (
          <span className="badge safety-marker" data-testid="safety-marker" title={safety.headline}>
            <span aria-hidden="true">⚠ </span>
            {safety.marker}
          </span>
        )}
        <Link to="/proposals/$proposalId" params={{ proposalId: row.id }} className="row-title">
          {row.title || "(untitled)"}
        </Link>
      </div>
      <div className="row-meta">
        <span>
          For {formatAmount(forVotes, decimals, 0)} · Against {formatAmount(against, decimals, 0)} · Abstain {formatAmount(abstain, decimals, 0)} {symbol}
        </span>
        <span data-testid="row-quorum">{quorumText(forVotes + abstain, quorum, symbol, decimals, 0)}</span>
        <span>{plural(row.voterCount, "voter")}</span>
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

export function ProposalsList({ items, clock, quorum, symbol, decimals = 18 }: { items: ListedProposal[]; clock: ListClock; quorum: bigint; symbol: string; decimals?: number }) {
  return (
    <ol className="proposals" aria-label="Proposals">
      {items.map((item) => (
        <ProposalItem key={item.row.id} item={item} clock={clock} quorum={quorum} symbol={symbol} decimals={decimals} />
      ))}
    </ol>
  );
}
