import { useState } from "react";
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
  const delegate = (delegatee: string) =>
    void wallet.run(`Delegate to ${delegatee.slice(0, 8)}…`, (client, account) =>
      simulateAndWrite(publicClient, client, account, { address: config.contracts.token as Address, abi: tokenAbi, functionName: "delegate", args: [delegatee as Address] }),
    );
  if (!wallet.account) return <p className="muted">Connect a wallet to delegate.</p>;
  return (
    <div className="card" aria-label="Delegate">
      <button type="button" onClick={() => delegate(wallet.account!)}>
        Delegate to myself
      </button>{" "}
      <label>
        or to address <input value={other} onChange={(e) => setOther(e.target.value)} placeholder="0x…" />
      </label>{" "}
      <button type="button" disabled={!isAddress(other)} onClick={() => delegate(other)}>
        Delegate
      </button>
    </div>
  );
}
