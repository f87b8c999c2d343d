import { useQuery } from "@tanstack/react-query";
import { Link, createFileRoute } from "@tanstack/react-router";
import { formatEther, type Address as Addr } from "viem";

import { Address, Empty, ErrorNote, Loading } from "../components/ui.tsx";
import { tokenAbi } from "@ai-dao/protocol";
import { formatAmount, formatTimestamp } from "../lib/format.ts";
import { TREASURY_QUERY, type TimelockCallRow, type TransferRow } from "../lib/queries.ts";
import { useServices } from "../lib/services.tsx";

export const Route = createFileRoute("/treasury")({
  component: Treasury,
});

interface Movement {
  id: string;
  asset: string;
  direction: "in" | "out";
  amount: bigint;
  counterparty: string | null;
  timestamp: bigint;
  tx: string | null;
  proposal?: { id: string; title: string } | null;
}

/** Token balance after each movement, walking back from the current balance. */
export function balanceSeries(current: bigint, movements: Movement[]): { t: bigint; balance: bigint }[] {
  const sorted = [...movements].sort((a, b) => Number(b.timestamp - a.timestamp));
  const points: { t: bigint; balance: bigint }[] = [];
  let balance = current;
  for (const m of sorted) {
    points.push({ t: m.timestamp, balance });
    balance += m.direction === "in" ? -m.amount : m.amount;
  }
  return points.reverse();
}

function BalanceChart({ points, symbol }: { points: { t: bigint; balance: bigint }[]; symbol: string }) {
  if (points.length < 2) return null;
  const w = 600;
  const h = 160;
  const max = points.reduce((m, p) => (p.balance > m ? p.balance : m), 1n);
  const t0 = points[0]!.t;
  const span = Number(points.at(-1)!.t - t0) || 1;
  const x = (t: bigint) => (Number(t - t0) / span) * (w - 20) + 10;
  const y = (b: bigint) => h - 10 - (Number((b * 1000n) / max) / 1000) * (h - 20);
  let d = `M ${x(points[0]!.t)} ${y(points[0]!.balance)}`;
  for (const p of points.slice(1)) d += ` H ${x(p.t)} V ${y(p.balance)}`;
  return (
    <figure>
      <svg viewBox={`0 0 ${w} ${h}`} width="100%" role="img" aria-label={`${symbol} balance of the treasury over time, from ${formatAmount(points[0]!.balance)} to ${formatAmount(points.at(-1)!.balance)}`}>
        <path d={d} fill="none" stroke="var(--accent)" strokeWidth={2} />
      </svg>
      <figcaption className="muted">{symbol} held by the treasury after each movement</figcaption>
    </figure>
  );
}

function Treasury() {
  const { gql, config, publicClient } = useServices();
  const treasury = config.contracts.timelock as Addr;
  const sym = config.token.symbol;
  const balances = useQuery({
    queryKey: ["treasury-balances"],
    queryFn: async () => {
      const [eth, token] = await Promise.all([
        publicClient.getBalance({ address: treasury }),
        publicClient.readContract({ address: config.contracts.token as Addr, abi: tokenAbi, functionName: "balanceOf", args: [treasury] }),
      ]);
      return { eth, token };
    },
    refetchInterval: 5_000,
  });
  const history = useQuery({
    queryKey: ["treasury-history"],
    queryFn: () => gql<{ incoming: TransferRow[]; outgoing: TransferRow[]; timelockCalls: TimelockCallRow[] }>(TREASURY_QUERY, { treasury: treasury.toLowerCase() }),
  });
  const movements: Movement[] = history.data
    ? [
        ...history.data.incoming.map((t) => ({ id: t.id, asset: sym, direction: "in" as const, amount: BigInt(t.value), counterparty: t.from?.id ?? null, timestamp: BigInt(t.timestamp), tx: t.tx })),
        ...history.data.outgoing.map((t) => ({ id: t.id, asset: sym, direction: "out" as const, amount: BigInt(t.value), counterparty: t.to?.id ?? null, timestamp: BigInt(t.timestamp), tx: t.tx })),
        ...history.data.timelockCalls.map((c) => ({
          id: c.id,
          asset: "ETH",
          direction: "out" as const,
          amount: BigInt(c.value),
          counterparty: c.target,
          timestamp: BigInt(c.operation.executedTimestamp ?? "0"),
          tx: c.executedTx,
          proposal: c.operation.proposal,
        })),
      ].sort((a, b) => Number(b.timestamp - a.timestamp))
    : [];
  const tokenMoves = movements.filter((m) => m.asset === sym);
  return (
    <section>
      <h1>Treasury</h1>
      <p>
        The timelock <Address value={treasury} /> holds the DAO's assets and executes passed proposals.
      </p>
      <h2>Balances</h2>
      {balances.error ? (
        <ErrorNote error={balances.error} title="Could not read balances" />
      ) : !balances.data ? (
        <Loading what="balances" />
      ) : (
        <table>
          <tbody>
            <tr>
              <th scope="row">ETH</th>
              <td data-testid="treasury-eth">{formatAmount(balances.data.eth, 18, 6)}</td>
            </tr>
            <tr>
              <th scope="row">{sym}</th>
              <td data-testid="treasury-token">{formatAmount(balances.data.token, config.token.decimals, 4)}</td>
            </tr>
          </tbody>
        </table>
      )}
      <h2>History</h2>
      {balances.data && <BalanceChart points={balanceSeries(balances.data.token, tokenMoves)} symbol={sym} />}
      {history.error ? (
        <ErrorNote error={history.error} title="Could not load the history" />
      ) : !history.data ? (
        <Loading what="history" />
      ) : movements.length === 0 ? (
        <Empty>No movements yet.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Direction</th>
              <th scope="col">Amount</th>
              <th scope="col">Counterparty</th>
              <th scope="col">Proposal</th>
            </tr>
          </thead>
          <tbody>
            {movements.map((m) => (
              <tr key={m.id}>
                <td>{formatTimestamp(m.timestamp)}</td>
                <td className={m.direction === "in" ? "ok" : "bad"}>{m.direction === "in" ? "in" : "out"}</td>
                <td>
                  {m.asset === "ETH" ? formatEther(m.amount) : formatAmount(m.amount)} {m.asset}
                </td>
                <td>{m.counterparty ? <Address value={m.counterparty} /> : "mint"}</td>
                <td>{m.proposal ? <Link to="/proposals/$proposalId" params={{ proposalId: m.proposal.id }}>{m.proposal.title}</Link> : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted">ETH sent to the treasury by plain transfers is not in the index (no event); the balance above is read from the chain.</p>
    </section>
  );
}
