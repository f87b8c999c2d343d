import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { isAddress, type Address } from "viem";

import { tokenAbi } from "@ai-dao/protocol";
import { RelayerRefusal, relayDelegation } from "../lib/relayer.ts";
import { useServices } from "../lib/services.tsx";
import { simulateAndWrite } from "../lib/tx.ts";
import { useWallet } from "../lib/wallet.tsx";

/** Delegate the connected account's votes to itself, to a given address, or to any address typed in. */
export function DelegateForm({ to }: { to?: string }) {
  const wallet = useWallet();
  const { publicClient, config } = useServices();
  const [other, setOther] = useState(to ?? "");
  const inputId = useId();
  const account = wallet.account;
  const symbol = config.token.symbol;
  // Delegating moves voting power, not tokens: an account without tokens gains nothing by it, and
  // "confirmed" alone would suggest otherwise.
  const balance = useQuery({
    queryKey: ["token-balance", account],
    enabled: account !== null,
    queryFn: () => publicClient.readContract({ address: config.contracts.token as Address, abi: tokenAbi, functionName: "balanceOf", args: [account as Address] }),
  });
  const noTokens = balance.data === 0n;
  const relayerUrl = config.relayerUrl;
  /** The last gasless delegation the relayer declined, and why (the member may send it themselves). */
  const [refused, setRefused] = useState<{ delegatee: string; label: string; message: string } | null>(null);
  const delegate = (delegatee: string, label: string, gasless = relayerUrl !== undefined) => {
    setRefused(null);
    const title = `${label}${gasless ? " without gas" : ""}`;
    void wallet.run(noTokens ? `${title} (this account holds no ${symbol}, so this gives no voting power)` : title, async (client, from) => {
      if (!gasless || relayerUrl === undefined) {
        return simulateAndWrite(publicClient, client, from, { address: config.contracts.token as Address, abi: tokenAbi, functionName: "delegate", args: [delegatee as Address] });
      }
      try {
        return await relayDelegation({ publicClient, wallet: client, account: from, relayerUrl, chainId: config.chainId, token: config.contracts.token as Address }, delegatee as Address);
      } catch (error) {
        if (error instanceof RelayerRefusal) setRefused({ delegatee, label, message: error.message });
        throw error;
      }
    });
  };
  if (!account) return <p className="muted">Connect a wallet to delegate.</p>;
  return (
    <section className="card delegate-form" aria-label="Delegate">
      {noTokens && (
        <p className="note" data-testid="delegate-no-tokens">
          This account holds no {symbol}, so delegating gives no voting power to anyone: votes come from tokens held. You can still delegate
          now; the choice applies to tokens the account receives later.
        </p>
      )}
      {relayerUrl !== undefined && (
        <p className="muted" data-testid="gasless-delegate-note">
          Delegating without gas: your wallet asks you to sign a message, not to send a transaction, so you pay no fee. The DAO&apos;s relayer
          sends it for you.
        </p>
      )}
      {refused !== null && (
        <div role="alert" className="note" data-testid="relay-refused">
          <p>The relayer did not send your delegation: {refused.message}</p>
          <button type="button" onClick={() => delegate(refused.delegatee, refused.label, false)}>
            Send it myself
          </button>
        </div>
      )}
      <div className="delegate-controls">
        <button type="button" onClick={() => delegate(account, "Delegate to myself")}>
          Delegate to myself
        </button>
        <label htmlFor={inputId}>or to address</label>
        <input id={inputId} value={other} onChange={(e) => setOther(e.target.value)} placeholder="0x…" spellCheck={false} autoComplete="off" />
        <button type="button" disabled={!isAddress(other)} onClick={() => delegate(other, `Delegate to ${other.slice(0, 8)}…`)}>
          Delegate
        </button>
      </div>
    </section>
  );
}
