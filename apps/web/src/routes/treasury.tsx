import { createCallDecoder } from "@ai-dao/protocol";
import { useQueries, useQuery } from "@tanstack/react-query";
import { Link, createFileRoute } from "@tanstack/react-router";
import { Suspense, lazy, useMemo, useState, type ReactNode } from "react";
import { formatUnits, getAddress, isAddress, type Address as Addr, type Hex } from "viem";

import { Address, Empty, ErrorNote, Loading } from "../components/ui.tsx";
import type { BalancePoint } from "../components/TreasuryChart.tsx";
import type { RuntimeConfig } from "../lib/config.ts";
import { formatAmount, formatTimestamp, shortAddress } from "../lib/format.ts";
import { TREASURY_QUERY, type TreasuryAssetRow, type TreasuryFlowRow, type TreasuryProposalActionRow } from "../lib/queries.ts";
import { useServices } from "../lib/services.tsx";
import { listedTokens, tokenLabel, treasuryBalanceQuery, useTokenMetadata } from "../lib/tokens.ts";

// Chart.js is loaded only when a chart is shown: it stays out of the app's first load.
const TreasuryChart = lazy(() => import("../components/TreasuryChart.tsx"));

export const Route = createFileRoute("/treasury")({
  component: Treasury,
});

/** ERC-20 calls that move or commit the caller's (the treasury's) tokens. */
const TOKEN_MOVES = new Set(["transfer", "transferFrom", "approve", "increaseAllowance"]);

/** One asset of the treasury as the page shows it. */
export interface AssetView {
  /** "eth" or the token's lower-case address. */
  key: string;
  token: Addr | null;
  /** What members read: "ETH", "DEMO", "dUSD", or "tokens of 0x12…ab" when the token does not say. */
  label: string;
  /** A second line: "Ether", "Demo DAO token", the token's address. */
  detail: string;
  /** Null when the token does not answer decimals(): amounts are then base units. */
  decimals: number | null;
  /** Still reading symbol and decimals. */
  pending: boolean;
  /** Flows indexed by the subgraph (ETH payouts, the DAO token, listed assets). */
  indexed: boolean;
  /** Proposals whose actions move this token from the treasury. */
  proposals: { id: string; title: string }[];
}

/** One movement in the history, with its asset. */
export interface Movement {
  id: string;
  asset: string;
  incoming: boolean;
  amount: bigint;
  counterparty: string | null;
  timestamp: number;
  order: number;
  tx: string;
  proposal: { id: string; title: string } | null;
}

export function movementsOf(flows: readonly TreasuryFlowRow[]): Movement[] {
  return flows
    .map((f) => ({
      id: f.id,
      asset: f.asset.id,
      incoming: f.direction === "IN",
      amount: BigInt(f.amount),
      counterparty: f.counterparty,
      timestamp: Number(f.timestamp),
      order: Number(f.logIndex),
      tx: f.tx,
      proposal: f.proposal,
    }))
    .sort((a, b) => b.timestamp - a.timestamp || b.order - a.order);
}

/**
 * Tokens that proposals' actions move out of the treasury (ERC-20 transfer, transferFrom, approve,
 * increaseAllowance), by lower-case address, with the proposals. Decoded with @ai-dao/protocol's
 * decoder, the one the analyst and the proposal page use. The DAO token is left out (always shown).
 */
export function tokensTouchedByProposals(actions: readonly TreasuryProposalActionRow[], config: RuntimeConfig): Map<string, { id: string; title: string }[]> {
  const decode = createCallDecoder(config.contracts as Record<keyof RuntimeConfig["contracts"], Addr>);
  const out = new Map<string, { id: string; title: string }[]>();
  actions.forEach((action, i) => {
    if (!isAddress(action.target, { strict: false })) return;
    const call = decode(i, getAddress(action.target), BigInt(action.value), action.calldata as Hex);
    if (!call.decoded || call.abiSource !== "ERC20" || !TOKEN_MOVES.has(call.functionName ?? "")) return;
    const key = action.target.toLowerCase();
    if (key === config.contracts.token.toLowerCase()) return;
    const list = out.get(key) ?? [];
    if (!list.some((p) => p.id === action.proposal.id)) list.push(action.proposal);
    out.set(key, list);
  });
  return out;
}

/** Balance after each movement of one asset (oldest first), walking back from the balance read now, and a last point at `now`. */
export function balanceSeries(current: bigint, movements: readonly Movement[], now: number): { t: number; balance: bigint; movement?: Movement }[] {
  const newestFirst = [...movements].sort((a, b) => b.timestamp - a.timestamp || b.order - a.order);
  const points: { t: number; balance: bigint; movement?: Movement }[] = [];
  let balance = current;
  for (const m of newestFirst) {
    points.push({ t: m.timestamp, balance, movement: m });
    balance += m.incoming ? -m.amount : m.amount;
  }
  points.reverse();
  // Where the history starts: the balance before the oldest movement.
  if (points.length > 0) points.unshift({ t: points[0]!.t, balance });
  const last = points.at(-1);
  if (last && now > last.t) points.push({ t: now, balance: current });
  return points;
}

/** An amount in token units with its label, or in base units when the token does not report its decimals. */
function amountText(amount: bigint, asset: Pick<AssetView, "decimals" | "label">): string {
  if (asset.decimals === null) return `${amount.toString()} base units of ${asset.label}`;
  return `${formatAmount(amount, asset.decimals, asset.decimals === 18 ? 4 : Math.min(asset.decimals, 6))} ${asset.label}`;
}

function chartPoints(asset: AssetView, current: bigint, movements: readonly Movement[], now: number): BalancePoint[] {
  const decimals = asset.decimals ?? 0;
  return balanceSeries(current, movements, now).map((p) => ({
    t: p.t,
    y: Number(formatUnits(p.balance, decimals)),
    balanceText: amountText(p.balance, asset),
    ...(p.movement
      ? {
          change: `${p.movement.incoming ? "+" : "−"}${amountText(p.movement.amount, asset)} ${p.movement.incoming ? "from" : "to"} ${p.movement.counterparty ? shortAddress(getAddress(p.movement.counterparty)) : "nobody (mint)"}${p.movement.proposal ? ` (${p.movement.proposal.title})` : ""}`,
        }
      : {}),
  }));
}

function Treasury() {
  const { gql, config, publicClient } = useServices();
  const treasury = config.contracts.timelock as Addr;
  const daoToken = config.contracts.token.toLowerCase();

  const history = useQuery({
    queryKey: ["treasury-history", config.chainId],
    queryFn: () =>
      gql<{ treasuryAssets: TreasuryAssetRow[]; treasuryFlows: TreasuryFlowRow[]; proposalActions: TreasuryProposalActionRow[] }>(TREASURY_QUERY, {
        treasury: treasury.toLowerCase(),
      }),
    refetchInterval: 10_000,
  });
  const touched = useMemo(() => tokensTouchedByProposals(history.data?.proposalActions ?? [], config), [history.data, config]);
  // Assets the deployment lists (from config.json, shown before their first flow) and those the index has seen.
  const indexedTokens = useMemo(
    () => [
      ...new Set([
        ...listedTokens(config).map((a) => a.toLowerCase()),
        ...(history.data?.treasuryAssets ?? []).filter((a) => a.kind === "ERC20" && a.address !== null).map((a) => a.id),
      ]),
    ],
    [history.data, config],
  );
  const otherTokens = useMemo(() => [...new Set([...indexedTokens, ...touched.keys()])].filter((t) => t !== daoToken), [indexedTokens, touched, daoToken]);
  const { tokens: metadata, pending } = useTokenMetadata(otherTokens);

  const assets: AssetView[] = useMemo(() => {
    const indexed = new Set(indexedTokens);
    const list: AssetView[] = [
      { key: "eth", token: null, label: "ETH", detail: "Ether", decimals: 18, pending: false, indexed: true, proposals: [] },
      {
        key: daoToken,
        token: getAddress(daoToken),
        label: config.token.symbol,
        detail: `${config.token.name} token (the DAO's votes)`,
        decimals: config.token.decimals,
        pending: false,
        indexed: true,
        proposals: [],
      },
    ];
    for (const key of otherTokens) {
      const meta = metadata.get(key);
      const address = getAddress(key);
      list.push({
        key,
        token: address,
        label: meta ? tokenLabel(meta, config) : shortAddress(address),
        detail: address,
        decimals: meta?.decimals ?? null,
        pending: pending.has(key),
        indexed: indexed.has(key),
        proposals: touched.get(key) ?? [],
      });
    }
    return list;
  }, [indexedTokens, otherTokens, metadata, pending, touched, config, daoToken]);

  const balanceQueries = useQueries({
    queries: assets.map((a) => ({ ...treasuryBalanceQuery(publicClient, config, a.token), refetchInterval: 5_000 })),
  });
  const chainNow = useQuery({
    queryKey: ["treasury-chain-time", config.chainId],
    queryFn: async () => Number((await publicClient.getBlock()).timestamp),
    refetchInterval: 10_000,
  });

  const movements = useMemo(() => movementsOf(history.data?.treasuryFlows ?? []), [history.data]);
  const byKey = new Map(assets.map((a) => [a.key, a]));
  const charted = assets.filter((a) => a.decimals !== null && movements.some((m) => m.asset === a.key));
  const [chosen, setChosen] = useState<string | null>(null);
  const selected = charted.find((a) => a.key === chosen) ?? charted[0];
  const selectedIndex = selected ? assets.indexOf(selected) : -1;
  const selectedBalance = selectedIndex >= 0 ? balanceQueries[selectedIndex]?.data : undefined;
  const selectedMoves = selected ? movements.filter((m) => m.asset === selected.key) : [];
  const points = useMemo(
    () => (selected && selectedBalance !== undefined ? chartPoints(selected, selectedBalance, selectedMoves, chainNow.data ?? 0) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [selected?.key, selected?.label, selected?.decimals, selectedBalance, history.data, chainNow.data],
  );

  return (
    <section>
      <h1>Treasury</h1>
      <p>
        The timelock <Address value={treasury} /> holds the DAO's assets and pays out what passed proposals decide.
      </p>

      <h2>Holdings</h2>
      <table data-testid="treasury-assets" className="treasury-assets">
        <thead>
          <tr>
            <th scope="col">Asset</th>
            <th scope="col" style={{ textAlign: "right" }}>
              Balance
            </th>
            <th scope="col">Notes</th>
          </tr>
        </thead>
        <tbody>
          {assets.map((asset, i) => {
            const balance = balanceQueries[i];
            const testId = asset.key === "eth" ? "treasury-eth" : asset.key === daoToken ? "treasury-token" : `treasury-balance-${asset.key}`;
            return (
              <tr key={asset.key} data-testid={`treasury-asset-${asset.key}`}>
                <th scope="row">
                  {asset.pending ? "…" : asset.label}
                  <br />
                  <small className="muted" title={asset.token ?? undefined}>
                    {asset.token && asset.detail === asset.token ? shortAddress(asset.token) : asset.detail}
                  </small>
                </th>
                <td data-testid={testId} style={{ textAlign: "right", fontVariantNumeric: "tabular-nums", whiteSpace: balance?.error ? undefined : "nowrap" }}>
                  {balance?.error
                    ? "could not be read"
                    : balance?.data === undefined
                      ? "…"
                      : asset.decimals === null
                        ? balance.data.toString()
                        : formatAmount(balance.data, asset.decimals, asset.key === "eth" ? 6 : 4)}
                </td>
                <td className="muted">
                  <AssetNotes asset={asset} unreadable={Boolean(balance?.error)} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted">Balances are read from the chain every few seconds.</p>

      <h2>Balance over time</h2>
      {history.error ? null : !history.data ? (
        <Loading what="the history" />
      ) : !selected ? (
        <Empty>No movements indexed yet.</Empty>
      ) : (
        <figure style={{ margin: 0 }}>
          {charted.length > 1 && (
            <div role="group" aria-label="Asset shown in the chart" style={{ display: "flex", flexWrap: "wrap", gap: 6, marginBottom: 8 }}>
              {charted.map((a) => (
                <button key={a.key} type="button" aria-pressed={a.key === selected.key} onClick={() => setChosen(a.key)} style={a.key === selected.key ? { fontWeight: 700, outline: "2px solid var(--accent)" } : undefined}>
                  {a.label}
                </button>
              ))}
            </div>
          )}
          <Suspense fallback={<div style={{ height: "clamp(200px, 45vw, 280px)" }} role="status">Loading the chart …</div>}>
            {points.length > 0 ? (
              <TreasuryChart
                points={points}
                unit={selected.label}
                label={`${selected.label} held by the treasury over time: ${points.length - 1} points, now ${points.at(-1)!.balanceText}`}
              />
            ) : (
              <div style={{ height: "clamp(200px, 45vw, 280px)" }} role="status">Loading the chart …</div>
            )}
          </Suspense>
          <figcaption className="muted">
            {selected.label} held by the treasury after each indexed movement, up to now. Hover or tap a point for the movement.
          </figcaption>
        </figure>
      )}

      <h2>History</h2>
      {history.error ? (
        <ErrorNote error={history.error} title="Could not load the history" />
      ) : !history.data ? (
        <Loading what="history" />
      ) : movements.length === 0 ? (
        <Empty>No movements yet.</Empty>
      ) : (
        <table data-testid="treasury-history">
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Movement</th>
              <th scope="col">Proposal</th>
            </tr>
          </thead>
          <tbody>
            {movements.map((m) => {
              const asset = byKey.get(m.asset) ?? { label: shortAddress(m.asset), decimals: null };
              const [date, time] = formatTimestamp(m.timestamp).split(" ");
              return (
                <tr key={m.id} data-testid="treasury-movement">
                  <td style={{ whiteSpace: "nowrap" }}>
                    {date}
                    <br />
                    <small className="muted">{time}</small>
                  </td>
                  <td>
                    <span className={m.incoming ? "ok" : "bad"} style={{ fontVariantNumeric: "tabular-nums" }}>
                      {m.incoming ? "+" : "−"}
                      {amountText(m.amount, asset)}
                    </span>
                    <br />
                    <small className="muted">
                      {m.incoming ? "from " : "to "}
                      {m.counterparty && isAddress(m.counterparty, { strict: false }) ? <Address value={getAddress(m.counterparty)} /> : "nobody (minted)"}
                    </small>
                  </td>
                  <td>{m.proposal ? <Link to="/proposals/$proposalId" params={{ proposalId: m.proposal.id }}>{m.proposal.title}</Link> : <span className="muted">—</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p className="muted">
        The history lists ETH paid out by executed proposals, the {config.token.symbol} token and every token the deployment lists as a treasury asset. ETH sent to the
        treasury by a plain transfer leaves no event, so only the balance shows it.
      </p>
    </section>
  );
}

function AssetNotes({ asset, unreadable }: { asset: AssetView; unreadable: boolean }) {
  const notes: ReactNode[] = [];
  if (!asset.pending && asset.token && asset.decimals === null && asset.key !== "eth") {
    notes.push(
      <span key="decimals">
        {unreadable ? "Does not answer as a token on this chain: neither its symbol, its decimals nor the treasury's balance could be read." : "Does not report its symbol or decimals: the balance is in base units."}
      </span>,
    );
  }
  notes.push(
    <span key="indexed">
      {!asset.indexed
        ? "Not a listed treasury asset: its history is not indexed."
        : asset.key === "eth"
          ? "Proposal payouts are in the history."
          : "All movements are in the history."}
    </span>,
  );
  if (asset.proposals.length > 0) {
    notes.push(
      <span key="proposals">
        Moved by {asset.proposals.length === 1 ? "proposal" : "proposals"}{" "}
        {asset.proposals.map((p, i) => (
          <span key={p.id}>
            {i > 0 ? ", " : ""}
            <Link to="/proposals/$proposalId" params={{ proposalId: p.id }}>
              {p.title}
            </Link>
          </span>
        ))}
        .
      </span>,
    );
  }
  return (
    <>
      {notes.map((n, i) => (
        <span key={i}>
          {i > 0 && " "}
          {n}
        </span>
      ))}
    </>
  );
}
