import { devAddresses } from "@ai-dao/testkit/accounts";
import { tempDeployment } from "@ai-dao/testkit/deployment";
import { QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { parseTransaction, recoverTransactionAddress, type Address, type Hash, type TransactionSerialized } from "viem";

import { createQueryClient } from "../src/app.tsx";
import { TxList, WalletMenu } from "../src/components/WalletMenu.tsx";
import { runtimeConfigSchema } from "../src/lib/config.ts";
import { createServices, ServicesProvider } from "../src/lib/services.tsx";
import { useWallet, WalletProvider } from "../src/lib/wallet.tsx";
import { buildRuntimeConfig } from "../vite-config-plugin.ts";
import { config, mockFetch, type MockOptions } from "./fixtures.ts";

const names = devAddresses();
const ICON = "data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%2F%3E";

/** A browser wallet that announces itself by EIP-6963 and has `account` on the local chain. */
function announceWallet(account: Address) {
  const provider = {
    async request({ method }: { method: string }) {
      if (method === "eth_requestAccounts" || method === "eth_accounts") return [account];
      if (method === "eth_chainId") return "0x7a69";
      return null;
    },
    on() {},
    removeListener() {},
  };
  const announce = () =>
    window.dispatchEvent(
      new CustomEvent("eip6963:announceProvider", {
        detail: Object.freeze({ info: { uuid: "0b7f2d4e-0000-4000-8000-000000000001", name: "Test Wallet", icon: ICON, rdns: "org.example.wallet" }, provider }),
      }),
    );
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
  return () => window.removeEventListener("eip6963:requestProvider", announce);
}

function renderWallet(options: { rpc?: MockOptions["rpc"]; walletConnectProjectId?: string; send?: (client: Parameters<Parameters<ReturnType<typeof useWallet>["run"]>[1]>[0], account: Address) => Promise<Hash> } = {}) {
  const { fetch, calls } = mockFetch(options.rpc ? { rpc: options.rpc } : {});
  const services = createServices(runtimeConfigSchema.parse({ ...config, ...(options.walletConnectProjectId ? { walletConnectProjectId: options.walletConnectProjectId } : {}) }), fetch);
  function Sender() {
    const wallet = useWallet();
    return options.send ? (
      <button type="button" onClick={() => void wallet.run("Send", options.send!)}>
        send
      </button>
    ) : null;
  }
  render(
    <ServicesProvider services={services}>
      <QueryClientProvider client={createQueryClient()}>
        <WalletProvider>
          <WalletMenu />
          <Sender />
          <TxList />
        </WalletProvider>
      </QueryClientProvider>
    </ServicesProvider>,
  );
  return { calls };
}

let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  stop = undefined;
  window.localStorage.clear();
});

describe("wallets by wagmi", () => {
  it("lists a wallet announced by EIP-6963 by its name and icon, and connects it", async () => {
    stop = announceWallet(names.carol as Address);
    renderWallet();
    const button = await screen.findByRole("button", { name: "Connect Test Wallet" });
    expect(button.querySelector("img")?.getAttribute("src")).toBe(ICON);
    fireEvent.click(button);
    const connected = await screen.findByTestId("connected-account");
    expect(connected.getAttribute("title")).toBe(names.carol);
    fireEvent.click(screen.getByRole("button", { name: "Disconnect" }));
    expect(await screen.findByRole("button", { name: "Connect Test Wallet" })).toBeTruthy();
  });

  it("offers WalletConnect only when the deployment has a project id", async () => {
    renderWallet();
    expect(await screen.findByLabelText("Development account")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Connect WalletConnect" })).toBeNull();
    cleanup();
    renderWallet({ walletConnectProjectId: "0123456789abcdef" });
    expect(await screen.findByRole("button", { name: "Connect WalletConnect" })).toBeTruthy();
  });

  it("signs a development account's transactions in the page with that account's key", async () => {
    const hash = `0x${"ab".repeat(32)}` as Hash;
    const raws: TransactionSerialized[] = [];
    let value = 0n;
    const { calls } = renderWallet({
      rpc: (method, params) => {
        if (method === "eth_accounts") return [names.deployer, names.alice, names.bob].map((a) => a.toLowerCase());
        if (method === "eth_estimateGas") return "0x5208";
        if (method === "eth_getTransactionCount") return "0x0";
        if (method === "eth_maxPriorityFeePerGas" || method === "eth_gasPrice") return "0x1";
        if (method === "eth_sendRawTransaction") {
          raws.push(params[0] as TransactionSerialized);
          return hash;
        }
        if (method === "eth_getTransactionReceipt")
          return { transactionHash: hash, transactionIndex: "0x0", blockHash: `0x${"22".repeat(32)}`, blockNumber: "0x14", from: names.alice.toLowerCase(), to: names.bob.toLowerCase(), cumulativeGasUsed: "0x5208", gasUsed: "0x5208", effectiveGasPrice: "0x1", contractAddress: null, logs: [], logsBloom: `0x${"00".repeat(256)}`, status: "0x1", type: "0x2" };
        return undefined;
      },
      send: (client, account) => client.sendTransaction({ account, chain: client.chain, to: names.bob as Address, value: ++value }),
    });
    fireEvent.change(await screen.findByLabelText("Development account"), { target: { value: names.alice } });
    expect((await screen.findByTestId("connected-account")).getAttribute("title")).toBe(names.alice);
    fireEvent.click(screen.getByRole("button", { name: "send" }));
    await waitFor(() => expect(screen.getByTestId("tx").textContent).toMatch(/^Send: confirmed/), { timeout: 5_000 });
    // A second transaction is its own, not the first one again.
    fireEvent.click(screen.getByRole("button", { name: "send" }));
    await waitFor(() => expect(screen.getAllByTestId("tx").map((t) => t.textContent?.match(/^Send: confirmed/) !== null)).toEqual([true, true]), { timeout: 5_000 });
    expect(calls.rpc.some((c) => c.method === "eth_sendTransaction")).toBe(false);
    expect(raws).toHaveLength(2);
    for (const raw of raws) expect(await recoverTransactionAddress({ serializedTransaction: raw })).toBe(names.alice);
    expect(raws.map((raw) => parseTransaction(raw).value)).toEqual([1n, 2n]);
    expect(parseTransaction(raws[0]!).to?.toLowerCase()).toBe(names.bob.toLowerCase());
  });
});

describe("runtime config", () => {
  it("takes the WalletConnect project id from WALLETCONNECT_PROJECT_ID, and has none without it", async () => {
    const { file } = await tempDeployment();
    const withId = await buildRuntimeConfig({ DEPLOYMENT_FILE: file, WALLETCONNECT_PROJECT_ID: "0123456789abcdef" });
    expect(runtimeConfigSchema.parse(withId).walletConnectProjectId).toBe("0123456789abcdef");
    const without = await buildRuntimeConfig({ DEPLOYMENT_FILE: file });
    expect("walletConnectProjectId" in without).toBe(false);
  });
});
