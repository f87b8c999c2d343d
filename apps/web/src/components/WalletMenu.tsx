import { tokenAbi } from "@ai-dao/protocol";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { Address, Hash } from "viem";

import { LOCAL_CHAIN_ID } from "../lib/config.ts";
import { devAccountName } from "../lib/dev-accounts.ts";
import { formatAmount, shortAddress } from "../lib/format.ts";
import { useServices } from "../lib/services.tsx";
import { useWallet, type TrackedTx } from "../lib/wallet.tsx";

interface Holdings {
  balance: bigint;
  votes: bigint;
}

/** DAO token balance and current voting power of each account; an account whose reads fail is left out. */
function useHoldings(addresses: readonly Address[]) {
  const { config, publicClient } = useServices();
  const token = config.contracts.token as Address;
  return useQuery({
    queryKey: ["wallet-holdings", token, ...addresses.map((a) => a.toLowerCase())],
    enabled: addresses.length > 0,
    queryFn: async () => {
      const rows = await Promise.all(
        addresses.map(async (address) => {
          try {
            const [balance, votes] = await Promise.all([
              publicClient.readContract({ address: token, abi: tokenAbi, functionName: "balanceOf", args: [address] }),
              publicClient.readContract({ address: token, abi: tokenAbi, functionName: "getVotes", args: [address] }),
            ]);
            return [address.toLowerCase(), { balance, votes }] as const;
          } catch {
            return null;
          }
        }),
      );
      return new Map(rows.filter((r) => r !== null));
    },
  });
}

export function WalletMenu() {
  const wallet = useWallet();
  const { config } = useServices();
  const [error, setError] = useState<string | null>(null);
  const local = config.chainId === LOCAL_CHAIN_ID;
  const watched = wallet.account && !wallet.devAccounts.includes(wallet.account) ? [...wallet.devAccounts, wallet.account] : wallet.devAccounts;
  const holdings = useHoldings(watched).data;
  const { decimals, symbol } = config.token;
  const holdingsText = (address: string): string | null => {
    const h = holdings?.get(address.toLowerCase());
    return h ? `${formatAmount(h.balance, decimals, 4, { symbol })} · ${formatAmount(h.votes, decimals)} votes` : null;
  };
  const nameOf = (address: string): string | undefined => (local ? devAccountName(address) : undefined);

  return (
    <div className="wallet">
      {wallet.account ? (
        <>
          <span className="wallet-account">
            <span data-testid="connected-account" title={wallet.account}>
              {nameOf(wallet.account) ? <strong>{nameOf(wallet.account)} </strong> : null}
              <span className="wallet-address">{shortAddress(wallet.account)}</span>
            </span>{" "}
            {holdingsText(wallet.account) && (
              <span className="wallet-holdings" data-testid="connected-holdings">
                {holdingsText(wallet.account)}
              </span>
            )}
          </span>
          {wallet.wrongNetwork && (
            <button type="button" className="warn" onClick={() => void wallet.switchNetwork().catch((e: Error) => setError(e.message))}>
              Wrong network ({wallet.walletChainId}): switch to {config.chainId}
            </button>
          )}
          <button type="button" onClick={wallet.disconnect}>
            Disconnect
          </button>
        </>
      ) : (
        <>
          {wallet.wallets.length === 0 ? (
            // Said in words: a disabled button's tooltip never shows on a phone.
            <span className="muted" data-testid="no-wallet">
              No wallet found in this browser
            </span>
          ) : (
            wallet.wallets.map((w) => (
              <button
                key={w.id}
                type="button"
                className="wallet-option"
                onClick={() => {
                  setError(null);
                  void wallet.connectWallet(w.id).catch((e: Error) => setError(e.message));
                }}
              >
                {w.icon && <img src={w.icon} alt="" width={16} height={16} />}
                <span className="sr-only">Connect </span>
                {w.name}
              </button>
            ))
          )}
          {wallet.devAccounts.length > 0 && (
            <label>
              <span className="sr-only">Development account</span>
              <select aria-label="Development account" defaultValue="" onChange={(e) => e.target.value && wallet.useDevAccount(e.target.value as Address)}>
                <option value="">Use a test account…</option>
                {wallet.devAccounts.map((a, i) => {
                  const held = holdingsText(a);
                  return (
                    <option key={a} value={a}>
                      {nameOf(a) ?? `Account ${i}`} ({shortAddress(a)}){held ? ` · ${held}` : ""}
                    </option>
                  );
                })}
              </select>
            </label>
          )}
        </>
      )}
      {error && (
        <span role="alert" className="error-inline">
          {error}
        </span>
      )}
    </div>
  );
}

/** A confirmed notice is let go this long after it confirms (the member may still be reading it). */
export const TX_AUTO_DISMISS_MS = 12_000;
/** Notices shown at once; older ones fold into "N earlier transactions". */
export const TX_SHOWN = 3;

const STATUS_TEXT: Record<TrackedTx["status"], string> = {
  signing: "sending…",
  pending: "sent, waiting for the chain…",
  confirmed: "confirmed",
  failed: "failed",
};

/** The transaction notices: the newest few as dismissible toasts, the rest folded away. */
export function TxList({ autoDismissMs = TX_AUTO_DISMISS_MS }: { autoDismissMs?: number }) {
  const { txs, dismissTxs } = useWallet();
  const [expanded, setExpanded] = useState(false);
  // Notices under the pointer or the keyboard focus are not taken away while being read.
  const held = useRef(new Set<number>());

  useEffect(() => {
    const confirmed = txs.filter((t) => t.status === "confirmed" && t.settledAt !== undefined);
    if (confirmed.length === 0) return;
    const timer = setInterval(
      () => {
        const now = Date.now();
        const due = confirmed.filter((t) => now - t.settledAt! >= autoDismissMs && !held.current.has(t.id)).map((t) => t.id);
        if (due.length > 0) dismissTxs(due);
      },
      Math.min(1_000, Math.max(10, autoDismissMs / 4)),
    );
    return () => clearInterval(timer);
  }, [txs, autoDismissMs, dismissTxs]);

  if (txs.length === 0) return null;
  const shown = txs.slice(0, TX_SHOWN);
  const earlier = txs.slice(TX_SHOWN);
  const hold = (id: number, on: boolean) => (on ? held.current.add(id) : held.current.delete(id));
  const toast = (tx: TrackedTx) => <TxToast key={tx.id} tx={tx} onDismiss={() => dismissTxs([tx.id])} onHold={(on) => hold(tx.id, on)} />;

  return (
    <section aria-label="Transactions" className="toasts">
      <ul className="toast-list">{shown.map(toast)}</ul>
      {earlier.length > 0 && (
        <div className="toast-earlier">
          <div className="toast-earlier-bar">
            <span>
              {earlier.length} earlier transaction{earlier.length === 1 ? "" : "s"}
            </span>
            <button type="button" aria-expanded={expanded} aria-controls="earlier-transactions" onClick={() => setExpanded(!expanded)}>
              {expanded ? "Hide" : "Show"}
            </button>
            <button
              type="button"
              onClick={() => {
                dismissTxs(earlier.map((t) => t.id));
                setExpanded(false);
              }}
            >
              Clear
            </button>
          </div>
          {expanded && (
            <ul className="toast-list toast-list-earlier" id="earlier-transactions">
              {earlier.map(toast)}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

function TxToast({ tx, onDismiss, onHold }: { tx: TrackedTx; onDismiss(): void; onHold(on: boolean): void }) {
  const failed = tx.status === "failed";
  const body = (
    <>
      <strong>{tx.label}</strong>: {STATUS_TEXT[tx.status]}
      {tx.hash && <TxHash hash={tx.hash} />}
      {tx.error && <span className="tx-error"> — {tx.error}</span>}
    </>
  );
  return (
    <li
      className={`toast tx tx-${tx.status}`}
      data-testid="tx"
      onMouseEnter={() => onHold(true)}
      onMouseLeave={() => onHold(false)}
      onFocus={() => onHold(true)}
      onBlur={() => onHold(false)}
    >
      {/* Failures interrupt (alert); progress is announced politely. Keyed so the role change is a new announcement. */}
      {failed ? (
        <div key="alert" role="alert" className="toast-body">
          {body}
        </div>
      ) : (
        <div key="status" role="status" className="toast-body">
          {body}
        </div>
      )}
      <button type="button" className="toast-dismiss" aria-label="Dismiss" title="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </li>
  );
}

/** A link to the block explorer when there is one; otherwise the shortened hash with a copy button. */
function TxHash({ hash }: { hash: Hash }) {
  const { config } = useServices();
  const [copied, setCopied] = useState(false);
  const short = `${hash.slice(0, 10)}…${hash.slice(-6)}`;
  if (config.explorerUrl) {
    return (
      <>
        {" "}
        <a className="tx-hash" href={`${config.explorerUrl.replace(/\/+$/, "")}/tx/${hash}`} target="_blank" rel="noopener noreferrer" title={hash}>
          {short}
          <span aria-hidden="true"> ↗</span>
          <span className="sr-only"> (view on the block explorer, opens in a new tab)</span>
        </a>
      </>
    );
  }
  return (
    <>
      {" "}
      <code className="tx-hash" title={hash}>
        {short}
      </code>{" "}
      <button
        type="button"
        className="toast-copy"
        aria-label={copied ? "Transaction ID copied" : "Copy transaction ID"}
        onClick={() =>
          void navigator.clipboard
            ?.writeText(hash)
            .then(() => setCopied(true))
            .catch(() => setCopied(false))
        }
      >
        {copied ? "Copied" : "Copy"}
      </button>
    </>
  );
}
