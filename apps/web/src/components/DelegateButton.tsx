import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { isAddress, type Address } from "viem";

import { tokenAbi } from "@ai-dao/protocol";
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
  const delegate = (delegatee: string, label: string) =>
    void wallet.run(noTokens ? `${label} (this account holds no ${symbol}, so this gives no voting power)` : label, (client, from) =>
      simulateAndWrite(publicClient, client, from, { address: config.contracts.token as Address, abi: tokenAbi, functionName: "delegate", args: [delegatee as Address] }),
    );
  if (!account) return <p className="muted">Connect a wallet to delegate.</p>;
  return (
    <section className="card delegate-form" aria-label="Delegate">
      {noTokens && (
        <p className="note" data-testid="delegate-no-tokens">
          This account holds no {symbol}, so delegating gives no voting power to anyone: votes come from tokens held. You can still delegate
          now; the choice applies to tokens the account receives later.
        </p>
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
