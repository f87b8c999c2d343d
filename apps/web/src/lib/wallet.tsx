import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { createWalletClient, custom, getAddress, http, numberToHex, type Address, type EIP1193Provider, type Hash, type WalletClient } from "viem";

import { LOCAL_CHAIN_ID } from "./config.ts";
import { explainError } from "./errors.ts";
import { useServices } from "./services.tsx";

declare global {
  interface Window {
    ethereum?: EIP1193Provider;
  }
}

export interface TrackedTx {
  id: number;
  label: string;
  hash?: Hash;
  status: "signing" | "pending" | "confirmed" | "failed";
  error?: string;
  /** When it confirmed or failed (ms since epoch): confirmed notices are let go a while after this. */
  settledAt?: number;
}

type Source = { kind: "injected" } | { kind: "dev"; account: Address };

export interface Wallet {
  account: Address | null;
  source: Source | null;
  walletChainId: number | null;
  wrongNetwork: boolean;
  devAccounts: Address[];
  injectedAvailable: boolean;
  txs: TrackedTx[];
  connectInjected(): Promise<void>;
  useDevAccount(account: Address): void;
  disconnect(): void;
  switchNetwork(): Promise<void>;
  /** Removes transaction notices (the member dismissed them, or a confirmed one timed out). */
  dismissTxs(ids: readonly number[]): void;
  /** Sends a transaction built by `send`, tracks it until mined, refreshes the data. Returns the receipt status. */
  run(label: string, send: (client: WalletClient, account: Address) => Promise<Hash>): Promise<boolean>;
}

const WalletContext = createContext<Wallet | null>(null);

export function WalletProvider({ children }: { children: ReactNode }) {
  const { config, chain, publicClient } = useServices();
  const queryClient = useQueryClient();
  const [source, setSource] = useState<Source | null>(null);
  const [account, setAccount] = useState<Address | null>(null);
  const [walletChainId, setWalletChainId] = useState<number | null>(null);
  const [devAccounts, setDevAccounts] = useState<Address[]>([]);
  const [txs, setTxs] = useState<TrackedTx[]>([]);
  const injected = typeof window !== "undefined" ? window.ethereum : undefined;

  // On the local chain the node's unlocked development accounts sign, so no extension is needed.
  useEffect(() => {
    if (config.chainId !== LOCAL_CHAIN_ID) return;
    publicClient
      .request({ method: "eth_accounts" } as never)
      .then((accounts) => {
        const list = (accounts as string[]).map((a) => getAddress(a));
        setDevAccounts(list);
        // Keep the chosen development account across reloads (local chain only; nothing secret).
        const saved = window.localStorage?.getItem("dev-account");
        if (saved && list.includes(saved as Address)) {
          setSource({ kind: "dev", account: saved as Address });
          setAccount(saved as Address);
          setWalletChainId(config.chainId);
        }
      })
      .catch(() => setDevAccounts([]));
  }, [config.chainId, publicClient]);

  useEffect(() => {
    if (source?.kind !== "injected" || !injected) return;
    const onAccounts = (accounts: string[]) => setAccount((accounts[0] as Address | undefined) ?? null);
    const onChain = (id: string) => setWalletChainId(Number(id));
    injected.on("accountsChanged", onAccounts as never);
    injected.on("chainChanged", onChain as never);
    return () => {
      injected.removeListener("accountsChanged", onAccounts as never);
      injected.removeListener("chainChanged", onChain as never);
    };
  }, [source, injected]);

  const client = useMemo<WalletClient | null>(() => {
    if (source === null || account === null) return null;
    if (source.kind === "dev") return createWalletClient({ account, chain, transport: http(config.rpcUrl) });
    if (!injected) return null;
    return createWalletClient({ account, chain, transport: custom(injected) });
  }, [source, account, chain, config.rpcUrl, injected]);

  const connectInjected = useCallback(async () => {
    if (!injected) throw new Error("No browser wallet found. Install one, or use a development account on the local chain.");
    const accounts = (await injected.request({ method: "eth_requestAccounts" })) as Address[];
    const id = (await injected.request({ method: "eth_chainId" })) as string;
    setSource({ kind: "injected" });
    setAccount(accounts[0] ?? null);
    setWalletChainId(Number(id));
  }, [injected]);

  const useDevAccount = useCallback(
    (dev: Address) => {
      setSource({ kind: "dev", account: dev });
      setAccount(dev);
      window.localStorage?.setItem("dev-account", dev);
      setWalletChainId(config.chainId);
    },
    [config.chainId],
  );

  const switchNetwork = useCallback(async () => {
    if (!injected) return;
    const chainId = numberToHex(config.chainId);
    try {
      await injected.request({ method: "wallet_switchEthereumChain", params: [{ chainId }] });
    } catch {
      await injected.request({
        method: "wallet_addEthereumChain",
        params: [{ chainId, chainName: chain.name, rpcUrls: [config.rpcUrl], nativeCurrency: chain.nativeCurrency }],
      });
    }
    setWalletChainId(config.chainId);
  }, [injected, config.chainId, config.rpcUrl, chain]);

  const wrongNetwork = source !== null && walletChainId !== null && walletChainId !== config.chainId;

  const run = useCallback<Wallet["run"]>(
    async (label, send) => {
      const id = Date.now() + Math.random();
      const update = (patch: Partial<TrackedTx>) => setTxs((list) => list.map((t) => (t.id === id ? { ...t, ...patch } : t)));
      // Notices past the newest few are folded away by the list, so keep enough to expand.
      setTxs((list) => [{ id, label, status: "signing" as const }, ...list].slice(0, 20));
      if (client === null || account === null) {
        update({ status: "failed", error: "Connect a wallet first.", settledAt: Date.now() });
        return false;
      }
      if (wrongNetwork) {
        update({ status: "failed", error: `Your wallet is on chain ${walletChainId}; switch to chain ${config.chainId}.`, settledAt: Date.now() });
        return false;
      }
      try {
        const hash = await send(client, account);
        update({ hash, status: "pending" });
        const receipt = await publicClient.waitForTransactionReceipt({ hash });
        const ok = receipt.status === "success";
        update(ok ? { status: "confirmed", settledAt: Date.now() } : { status: "failed", error: "The transaction reverted.", settledAt: Date.now() });
        // Chain reads (state(), hasVoted, balances) see the new block at once; the indexer needs a
        // moment (it polls about every second), so refresh now and twice more shortly after.
        void queryClient.invalidateQueries();
        for (const delay of [1_500, 4_000]) setTimeout(() => void queryClient.invalidateQueries(), delay);
        return ok;
      } catch (error) {
        update({ status: "failed", error: explainError(error, config.token), settledAt: Date.now() });
        return false;
      }
    },
    [client, account, wrongNetwork, walletChainId, config.chainId, publicClient, queryClient],
  );

  const dismissTxs = useCallback((ids: readonly number[]) => {
    const gone = new Set(ids);
    setTxs((list) => list.filter((t) => !gone.has(t.id)));
  }, []);

  const value: Wallet = {
    account,
    source,
    walletChainId,
    wrongNetwork,
    devAccounts,
    injectedAvailable: Boolean(injected),
    txs,
    connectInjected,
    useDevAccount,
    disconnect: () => {
      window.localStorage?.removeItem("dev-account");
      setSource(null);
      setAccount(null);
    },
    switchNetwork,
    dismissTxs,
    run,
  };
  return <WalletContext.Provider value={value}>{children}</WalletContext.Provider>;
}

export function useWallet(): Wallet {
  const wallet = useContext(WalletContext);
  if (wallet === null) throw new Error("useWallet outside WalletProvider");
  return wallet;
}
