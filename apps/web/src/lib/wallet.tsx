import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { createWalletClient, custom, getAddress, type Address, type EIP1193Provider, type Hash, type WalletClient } from "viem";
import { createConfig, WagmiProvider, type Config, type Connector, type CreateConnectorFn } from "wagmi";
import { connect, disconnect, getConnection, getConnectors, reconnect, switchChain, watchConnection, watchConnectors } from "wagmi/actions";
import { injected } from "wagmi/connectors/injected";
import { safe } from "wagmi/connectors/safe";

import { LOCAL_CHAIN_ID } from "./config.ts";
import { devAccountsConnector } from "./dev-accounts.ts";
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

type Source = { kind: "injected" | "walletConnect" | "safe"; name: string } | { kind: "dev"; account: Address };

/** A wallet the member can connect: a browser wallet found on the page, WalletConnect, or the Safe around the app. */
export interface WalletOption {
  id: string;
  name: string;
  /** The wallet's own icon (a data: URI from EIP-6963), when it gives one. */
  icon?: string;
}

export interface Wallet {
  account: Address | null;
  source: Source | null;
  walletChainId: number | null;
  wrongNetwork: boolean;
  devAccounts: Address[];
  injectedAvailable: boolean;
  /** The wallets that can be connected here, each by its own name. */
  wallets: WalletOption[];
  txs: TrackedTx[];
  connectInjected(): Promise<void>;
  /** Connects the wallet `id` of `wallets`. */
  connectWallet(id: string): Promise<void>;
  useDevAccount(account: Address): void;
  disconnect(): void;
  switchNetwork(): Promise<void>;
  /** Removes transaction notices (the member dismissed them, or a confirmed one timed out). */
  dismissTxs(ids: readonly number[]): void;
  /** Sends a transaction built by `send`, tracks it until mined, refreshes the data. Returns the receipt status. */
  run(label: string, send: (client: WalletClient, account: Address) => Promise<Hash>): Promise<boolean>;
  /** A client of the connected wallet, for signing messages (no transaction); null when none is connected. */
  client(): Promise<WalletClient | null>;
}

const WalletContext = createContext<Wallet | null>(null);

const WALLET_CONNECT = "walletConnect";
const DEV = "dev-accounts";
/** The generic injected connector's id (window.ethereum), used when no wallet announced itself by EIP-6963. */
const GENERIC_INJECTED = "injected";

/** Inside a Safe the app is a Safe App, loaded in the Safe's frame. */
const inFrame = () => typeof window !== "undefined" && window.parent !== window;

/**
 * The wallet connection, kept by wagmi: browser wallets found by EIP-6963 (and window.ethereum),
 * WalletConnect when the deployment has a project id, the Safe when the app runs as a Safe App, and
 * on the local chain the node's development accounts.
 */
export function WalletProvider({ children }: { children: ReactNode }) {
  const { config, chain, publicClient } = useServices();
  const { wagmiConfig, dev } = useMemo(() => {
    const dev = devAccountsConnector({ chain, request: (args) => publicClient.request(args as never) });
    const connectors: CreateConnectorFn[] = [injected(), safe()];
    if (config.chainId === LOCAL_CHAIN_ID) connectors.push(dev.connector);
    const wagmiConfig = createConfig({
      chains: [chain],
      // The app's own RPC client, so wagmi reads the same node (and tests see one mocked chain).
      transports: { [chain.id]: custom({ request: (args) => publicClient.request(args as never) }) },
      connectors,
      multiInjectedProviderDiscovery: true,
    });
    return { wagmiConfig, dev };
  }, [config.chainId, chain, publicClient]);
  return (
    <WagmiProvider config={wagmiConfig} reconnectOnMount={false}>
      <WalletState wagmiConfig={wagmiConfig} dev={dev}>
        {children}
      </WalletState>
    </WagmiProvider>
  );
}

function useWagmiState(wagmiConfig: Config) {
  const [connection, setConnection] = useState(() => getConnection(wagmiConfig));
  const [connectors, setConnectors] = useState<readonly Connector[]>(() => getConnectors(wagmiConfig));
  useEffect(() => {
    setConnection(getConnection(wagmiConfig));
    setConnectors(getConnectors(wagmiConfig));
    const stopConnection = watchConnection(wagmiConfig, { onChange: setConnection });
    const stopConnectors = watchConnectors(wagmiConfig, { onChange: setConnectors });
    return () => {
      stopConnection();
      stopConnectors();
    };
  }, [wagmiConfig]);
  return { connection, connectors };
}

function WalletState({ wagmiConfig, dev, children }: { wagmiConfig: Config; dev: ReturnType<typeof devAccountsConnector>; children: ReactNode }) {
  const { config, chain, publicClient } = useServices();
  const queryClient = useQueryClient();
  const { connection, connectors } = useWagmiState(wagmiConfig);
  const [devAccounts, setDevAccounts] = useState<Address[]>([]);
  const [txs, setTxs] = useState<TrackedTx[]>([]);

  // A wallet connected before the reload comes back first; then, on the local chain, the node's
  // accounts are listed and the development account chosen before (nothing secret) is taken again.
  useEffect(() => {
    let live = true;
    void (async () => {
      await reconnect(wagmiConfig).catch(() => []);
      if (config.chainId !== LOCAL_CHAIN_ID) return;
      let list: Address[];
      try {
        list = ((await publicClient.request({ method: "eth_accounts" } as never)) as string[]).map((a) => getAddress(a));
      } catch {
        list = [];
      }
      if (!live) return;
      setDevAccounts(list);
      const saved = window.localStorage?.getItem("dev-account");
      if (saved && list.includes(saved as Address) && !getConnection(wagmiConfig).isConnected) {
        const connector = getConnectors(wagmiConfig).find((c) => c.id === DEV);
        if (!connector) return;
        dev.choose(saved as Address);
        await connect(wagmiConfig, { connector }).catch(() => undefined);
      }
    })();
    return () => {
      live = false;
    };
  }, [wagmiConfig, dev, config.chainId, publicClient]);

  const wallets = useMemo<WalletOption[]>(() => {
    const announced = connectors.filter((c) => c.type === "injected" && c.id !== GENERIC_INJECTED);
    const list: WalletOption[] = announced.map((c) => ({ id: c.id, name: c.name, ...(c.icon ? { icon: c.icon } : {}) }));
    // Without EIP-6963 announcements, a wallet that only sets window.ethereum is still offered.
    if (list.length === 0 && typeof window !== "undefined" && window.ethereum) list.push({ id: GENERIC_INJECTED, name: "Browser wallet" });
    if (config.walletConnectProjectId) list.push({ id: WALLET_CONNECT, name: "WalletConnect" });
    if (inFrame()) list.push({ id: "safe", name: "Safe" });
    return list;
  }, [connectors, config.walletConnectProjectId]);

  const connectWallet = useCallback(
    async (id: string) => {
      if (id === WALLET_CONNECT) {
        if (!config.walletConnectProjectId) throw new Error("WalletConnect is not set up for this deployment.");
        // Loaded only when chosen: WalletConnect's code is large and most members never use it.
        const { walletConnect } = await import("wagmi/connectors/walletConnect");
        await connect(wagmiConfig, { connector: walletConnect({ projectId: config.walletConnectProjectId, showQrModal: true }), chainId: config.chainId });
        return;
      }
      const connector = getConnectors(wagmiConfig).find((c) => c.id === id);
      if (!connector) throw new Error("That wallet is no longer available on this page.");
      if (getConnection(wagmiConfig).connector?.uid === connector.uid) return;
      await connect(wagmiConfig, { connector });
    },
    [wagmiConfig, config.walletConnectProjectId, config.chainId],
  );

  const connectInjected = useCallback(async () => {
    const first = wallets.find((w) => w.id !== WALLET_CONNECT && w.id !== "safe");
    if (!first) throw new Error("No browser wallet found. Install one, or use a development account on the local chain.");
    await connectWallet(first.id);
  }, [wallets, connectWallet]);

  const useDevAccount = useCallback(
    (account: Address) => {
      const connector = getConnectors(wagmiConfig).find((c) => c.id === DEV);
      if (!connector) return;
      dev.choose(account);
      window.localStorage?.setItem("dev-account", account);
      const current = getConnection(wagmiConfig);
      if (current.connector?.uid === connector.uid) connector.onAccountsChanged([account]);
      else void (async () => {
        if (current.isConnected) await disconnect(wagmiConfig).catch(() => undefined);
        await connect(wagmiConfig, { connector });
      })().catch(() => undefined);
    },
    [wagmiConfig, dev],
  );

  const switchNetwork = useCallback(async () => {
    await switchChain(wagmiConfig, {
      chainId: config.chainId,
      addEthereumChainParameter: { chainName: chain.name, rpcUrls: [config.rpcUrl], nativeCurrency: chain.nativeCurrency },
    });
  }, [wagmiConfig, config.chainId, config.rpcUrl, chain]);

  const account = connection.isConnected ? (connection.address ?? null) : null;
  const walletChainId = connection.isConnected ? (connection.chainId ?? null) : null;
  const connector = connection.isConnected ? connection.connector : undefined;
  const source = useMemo<Source | null>(() => {
    if (!connector || account === null) return null;
    if (connector.id === DEV) return { kind: "dev", account };
    return { kind: connector.type === WALLET_CONNECT ? "walletConnect" : connector.type === "safe" ? "safe" : "injected", name: connector.name };
  }, [connector, account]);
  const wrongNetwork = source !== null && walletChainId !== null && walletChainId !== config.chainId;

  const run = useCallback<Wallet["run"]>(
    async (label, send) => {
      const id = Date.now() + Math.random();
      const update = (patch: Partial<TrackedTx>) => setTxs((list) => list.map((t) => (t.id === id ? { ...t, ...patch } : t)));
      // Notices past the newest few are folded away by the list, so keep enough to expand.
      setTxs((list) => [{ id, label, status: "signing" as const }, ...list].slice(0, 20));
      if (connector === undefined || account === null) {
        update({ status: "failed", error: "Connect a wallet first.", settledAt: Date.now() });
        return false;
      }
      if (wrongNetwork) {
        update({ status: "failed", error: `Your wallet is on chain ${walletChainId}; switch to chain ${config.chainId}.`, settledAt: Date.now() });
        return false;
      }
      try {
        // The connector's own provider signs: the browser wallet, WalletConnect, the Safe, or the development account.
        const provider = (await connector.getProvider()) as EIP1193Provider;
        const client = createWalletClient({ account, chain, transport: custom(provider) });
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
    [connector, account, chain, wrongNetwork, walletChainId, config.chainId, config.token, publicClient, queryClient],
  );

  const walletClient = useCallback<Wallet["client"]>(async () => {
    if (connector === undefined || account === null) return null;
    const provider = (await connector.getProvider()) as EIP1193Provider;
    return createWalletClient({ account, chain, transport: custom(provider) });
  }, [connector, account, chain]);

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
    injectedAvailable: wallets.some((w) => w.id !== WALLET_CONNECT && w.id !== "safe"),
    wallets,
    txs,
    connectInjected,
    connectWallet,
    useDevAccount,
    disconnect: () => {
      window.localStorage?.removeItem("dev-account");
      void disconnect(wagmiConfig).catch(() => undefined);
    },
    switchNetwork,
    dismissTxs,
    run,
    client: walletClient,
  };
  return <WalletContext.Provider value={value}>{children}</WalletContext.Provider>;
}

export function useWallet(): Wallet {
  const wallet = useContext(WalletContext);
  if (wallet === null) throw new Error("useWallet outside WalletProvider");
  return wallet;
}
