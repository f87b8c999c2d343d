import { useState } from "react";
import type { Address } from "viem";

import { useServices } from "../lib/services.tsx";
import { useWallet } from "../lib/wallet.tsx";

export function WalletMenu() {
  const wallet = useWallet();
  const { config } = useServices();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="wallet">
      {wallet.account ? (
        <>
          <span data-testid="connected-account" title={wallet.account}>
            {wallet.source?.kind === "dev" ? "dev " : ""}
            {wallet.account.slice(0, 6)}…{wallet.account.slice(-4)}
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
          <button type="button" onClick={() => void wallet.connectInjected().catch((e: Error) => setError(e.message))} disabled={!wallet.injectedAvailable} title={wallet.injectedAvailable ? "" : "No browser wallet found"}>
            Connect wallet
          </button>
          {wallet.devAccounts.length > 0 && (
            <label>
              <span className="sr-only">Development account</span>
              <select aria-label="Development account" defaultValue="" onChange={(e) => e.target.value && wallet.useDevAccount(e.target.value as Address)}>
                <option value="">Dev account…</option>
                {wallet.devAccounts.map((a, i) => (
                  <option key={a} value={a}>
                    #{i} {a.slice(0, 8)}…{a.slice(-4)}
                  </option>
                ))}
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

export function TxList() {
  const { txs } = useWallet();
  if (txs.length === 0) return null;
  return (
    <section aria-label="Transactions" className="txs" aria-live="polite">
      <ul>
        {txs.map((tx) => (
          <li key={tx.id} className={`tx tx-${tx.status}`} data-testid="tx">
            <strong>{tx.label}</strong>: {tx.status}
            {tx.hash && <code> {tx.hash.slice(0, 10)}…</code>}
            {tx.error && <span className="tx-error"> — {tx.error}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
