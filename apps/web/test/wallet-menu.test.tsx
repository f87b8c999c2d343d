import { devAddresses, DEV_ACCOUNT_NAMES } from "@ai-dao/testkit/accounts";
import { tempDeployment } from "@ai-dao/testkit/deployment";
import { QueryClientProvider } from "@tanstack/react-query";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { decodeFunctionData, encodeAbiParameters, getAddress, parseAbi, type Address, type Hash } from "viem";
import { describe, expect, it } from "vitest";

import { createQueryClient } from "../src/app.tsx";
import { TX_AUTO_DISMISS_MS, TX_SHOWN, TxList, WalletMenu } from "../src/components/WalletMenu.tsx";
import { runtimeConfigSchema } from "../src/lib/config.ts";
import { DEV_ACCOUNTS } from "../src/lib/dev-accounts.ts";
import { createServices, ServicesProvider } from "../src/lib/services.tsx";
import { useWallet, WalletProvider } from "../src/lib/wallet.tsx";
import { buildRuntimeConfig } from "../vite-config-plugin.ts";
import { PROPOSALS_QUERY } from "../src/lib/queries.ts";
import { config, mockFetch, totals, type MockOptions } from "./fixtures.ts";
import { renderAt } from "./render.tsx";

const E18 = 10n ** 18n;
const names = devAddresses();
const holdings: Record<string, { balance: bigint; votes: bigint }> = {
  [names.deployer.toLowerCase()]: { balance: 0n, votes: 0n },
  [names.alice.toLowerCase()]: { balance: 250_000n * E18, votes: 250_000n * E18 },
  [names.bob.toLowerCase()]: { balance: 150_000n * E18, votes: 0n },
};
const tokenReads = parseAbi(["function balanceOf(address) view returns (uint256)", "function getVotes(address) view returns (uint256)"]);
const uint = (value: bigint) => encodeAbiParameters([{ type: "uint256" }], [value]);

/** The node's accounts and their DAO token balance and votes, as a Hardhat node answers. */
function chain(extra?: MockOptions["rpc"]): MockOptions["rpc"] {
  return (method, params) => {
    const answer = extra?.(method, params);
    if (answer !== undefined) return answer;
    if (method === "eth_accounts") return [names.deployer, names.alice, names.bob].map((a) => a.toLowerCase());
    if (method === "eth_call") {
      const { to, data } = params[0] as { to: string; data: `0x${string}` };
      if (to.toLowerCase() !== config.contracts.token.toLowerCase()) return undefined;
      const call = decodeFunctionData({ abi: tokenReads, data });
      const held = holdings[(call.args[0] as string).toLowerCase()] ?? { balance: 0n, votes: 0n };
      return uint(call.functionName === "balanceOf" ? held.balance : held.votes);
    }
    return undefined;
  };
}

describe("development account names", () => {
  it("are the local deploy config's names for the node's accounts", () => {
    expect(DEV_ACCOUNTS.map((a) => a.name)).toEqual([...DEV_ACCOUNT_NAMES]);
    expect(Object.fromEntries(DEV_ACCOUNTS.map((a) => [a.name, a.address]))).toEqual(names);
  });
});

describe("wallet menu", () => {
  it("offers the development accounts by name with their balance and votes", async () => {
    renderAt("/proposals", { rpc: chain(), graphql: (q) => (q === PROPOSALS_QUERY ? { proposals: [], ...totals } : {}) });
    const select = (await screen.findByLabelText("Development account")) as HTMLSelectElement;
    await waitFor(() => expect(select.options[2]?.textContent).toBe("alice (0x7099…79C8) · 250,000 DEMO · 250,000 votes"));
    const options = [...select.options].slice(1);
    expect(options.map((o) => o.value)).toEqual([names.deployer, names.alice, names.bob]);
    expect(options.map((o) => o.textContent)).toEqual([
      "deployer (0xf39F…2266) · 0 DEMO · 0 votes",
      "alice (0x7099…79C8) · 250,000 DEMO · 250,000 votes",
      "bob (0x3C44…93BC) · 150,000 DEMO · 0 votes",
    ]);
    // No browser wallet here: said in words, not as a disabled button whose tooltip a phone never shows.
    expect(screen.getByTestId("no-wallet").textContent).toBe("No wallet found in this browser");
    expect(screen.queryByRole("button", { name: /Connect/ })).toBeNull();
  });

  it("shows the connected account's name, balance and voting power, and disconnects", async () => {
    renderAt("/proposals", { rpc: chain(), graphql: (q) => (q === PROPOSALS_QUERY ? { proposals: [], ...totals } : {}) });
    const select = await screen.findByLabelText("Development account");
    fireEvent.change(select, { target: { value: names.bob } });
    const connected = await screen.findByTestId("connected-account");
    expect(connected.getAttribute("title")).toBe(names.bob);
    expect(connected.textContent).toBe("bob 0x3C44…93BC");
    await waitFor(() => expect(screen.getByTestId("connected-holdings").textContent).toBe("150,000 DEMO · 0 votes"));
    fireEvent.click(screen.getByRole("button", { name: "Disconnect" }));
    expect(await screen.findByLabelText("Development account")).toBeTruthy();
  });
});

// Hashes whose last digit says how the mocked chain settles them: 1 mined, 0 reverted.
const hashOf = (n: number, ok: boolean) => `0x${n.toString(16).padStart(63, "0")}${ok ? "1" : "0"}` as Hash;

function receipts(method: string, params: unknown[]) {
  if (method !== "eth_getTransactionReceipt") return undefined;
  const hash = params[0] as string;
  return {
    transactionHash: hash,
    transactionIndex: "0x0",
    blockHash: `0x${"22".repeat(32)}`,
    blockNumber: "0x14",
    from: names.alice.toLowerCase(),
    to: config.contracts.token.toLowerCase(),
    cumulativeGasUsed: "0x5208",
    gasUsed: "0x5208",
    effectiveGasPrice: "0x1",
    contractAddress: null,
    logs: [],
    logsBloom: `0x${"00".repeat(256)}`,
    status: hash.endsWith("1") ? "0x1" : "0x0",
    type: "0x2",
  };
}

/** The wallet and its notices alone, with a button that sends a transaction the mocked chain settles. */
function renderToasts(options: { explorerUrl?: string; autoDismissMs?: number } = {}) {
  const { fetch } = mockFetch({ rpc: chain(receipts) });
  const services = createServices(runtimeConfigSchema.parse({ ...config, ...(options.explorerUrl ? { explorerUrl: options.explorerUrl } : {}) }), fetch);
  const queryClient = createQueryClient();
  let sent = 0;
  function Sender() {
    const wallet = useWallet();
    return (
      <>
        <button type="button" onClick={() => wallet.useDevAccount(getAddress(names.alice) as Address)}>
          connect
        </button>
        {[true, false].map((ok) => (
          <button key={String(ok)} type="button" onClick={() => void wallet.run(`Vote For #${++sent}`, async () => hashOf(sent, ok))}>
            {ok ? "send" : "send failing"}
          </button>
        ))}
      </>
    );
  }
  render(
    <ServicesProvider services={services}>
      <QueryClientProvider client={queryClient}>
        <WalletProvider>
          <Sender />
          <WalletMenu />
          <TxList {...(options.autoDismissMs ? { autoDismissMs: options.autoDismissMs } : {})} />
        </WalletProvider>
      </QueryClientProvider>
    </ServicesProvider>,
  );
  fireEvent.click(screen.getByRole("button", { name: "connect" }));
  const send = async (ok = true) => {
    // Connecting goes through wagmi, which settles a moment later.
    await screen.findByTestId("connected-account");
    fireEvent.click(screen.getByRole("button", { name: ok ? "send" : "send failing" }));
    const label = `Vote For #${sent}`;
    await waitFor(() => expect(screen.getAllByTestId("tx").find((t) => t.textContent?.startsWith(label))?.textContent).toMatch(/confirmed|failed/), { timeout: 5_000 });
  };
  return { send };
}

describe("transaction notices", () => {
  it("show the newest three; older ones fold into N earlier transactions, to expand or clear", async () => {
    const { send } = renderToasts();
    for (let i = 0; i < 5; i++) await send();
    let toasts = screen.getAllByTestId("tx");
    expect(toasts).toHaveLength(TX_SHOWN);
    expect(toasts.map((t) => t.querySelector("strong")?.textContent)).toEqual(["Vote For #5", "Vote For #4", "Vote For #3"]);
    expect(toasts[0]!.textContent).toMatch(/^Vote For #5: confirmed/);
    expect(screen.getByText("2 earlier transactions")).toBeTruthy();

    const show = screen.getByRole("button", { name: "Show" });
    fireEvent.click(show);
    expect(show.getAttribute("aria-expanded")).toBe("true");
    toasts = screen.getAllByTestId("tx");
    expect(toasts.map((t) => t.querySelector("strong")?.textContent)).toEqual(["Vote For #5", "Vote For #4", "Vote For #3", "Vote For #2", "Vote For #1"]);

    fireEvent.click(screen.getByRole("button", { name: "Clear" }));
    expect(screen.getAllByTestId("tx")).toHaveLength(3);
    expect(screen.queryByText(/earlier transaction/)).toBeNull();
  });

  it("each can be dismissed; failures are alerts, progress and success are polite status", async () => {
    const { send } = renderToasts();
    await send(true);
    await send(false);
    const [failed, confirmed] = screen.getAllByTestId("tx");
    expect(failed!.textContent).toMatch(/^Vote For #2: failed.*The transaction reverted/);
    expect(within(failed!).getByRole("alert")).toBeTruthy();
    expect(within(confirmed!).getByRole("status").textContent).toMatch(/^Vote For #1: confirmed/);
    expect(within(confirmed!).queryByRole("alert")).toBeNull();

    fireEvent.click(within(failed!).getByRole("button", { name: "Dismiss" }));
    expect(screen.getAllByTestId("tx").map((t) => t.querySelector("strong")?.textContent)).toEqual(["Vote For #1"]);
    fireEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryAllByTestId("tx")).toHaveLength(0);
  });

  it("confirmed ones go by themselves, no sooner than 10 s in the app; failed ones stay", async () => {
    expect(TX_AUTO_DISMISS_MS).toBeGreaterThanOrEqual(10_000);
    const { send } = renderToasts({ autoDismissMs: 300 });
    await send(false);
    await send(true);
    expect(screen.getAllByTestId("tx")).toHaveLength(2);
    await waitFor(() => expect(screen.getAllByTestId("tx")).toHaveLength(1), { timeout: 3_000 });
    expect(screen.getByTestId("tx").textContent).toMatch(/^Vote For #1: failed/);
    await act(() => new Promise((r) => setTimeout(r, 600)));
    expect(screen.getByTestId("tx").textContent).toMatch(/failed/);
  });

  it("link the hash to the block explorer when one is configured", async () => {
    const { send } = renderToasts({ explorerUrl: "https://explorer.example/" });
    await send();
    const link = within(screen.getByTestId("tx")).getByRole("link");
    expect(link.getAttribute("href")).toBe(`https://explorer.example/tx/${hashOf(1, true)}`);
    expect(link.getAttribute("target")).toBe("_blank");
    expect(link.getAttribute("rel")).toContain("noopener");
    expect(within(screen.getByTestId("tx")).queryByRole("button", { name: /Copy/ })).toBeNull();
  });

  it("without an explorer show the hash shortened with a copy button", async () => {
    const copied: string[] = [];
    Object.defineProperty(navigator, "clipboard", { configurable: true, value: { writeText: async (text: string) => void copied.push(text) } });
    const { send } = renderToasts();
    await send();
    const toast = screen.getByTestId("tx");
    expect(within(toast).queryByRole("link")).toBeNull();
    expect(toast.querySelector("code")?.textContent).toBe(`${hashOf(1, true).slice(0, 10)}…${hashOf(1, true).slice(-6)}`);
    fireEvent.click(within(toast).getByRole("button", { name: "Copy transaction ID" }));
    await waitFor(() => expect(copied).toEqual([hashOf(1, true)]));
    expect(within(toast).getByRole("button", { name: "Transaction ID copied" })).toBeTruthy();
  });
});

describe("runtime config", () => {
  it("takes the block explorer from EXPLORER_URL, and has none without it", async () => {
    const { file } = await tempDeployment();
    const withExplorer = await buildRuntimeConfig({ DEPLOYMENT_FILE: file, EXPLORER_URL: "https://sepolia.etherscan.io" });
    expect(runtimeConfigSchema.parse(withExplorer).explorerUrl).toBe("https://sepolia.etherscan.io");
    const local = await buildRuntimeConfig({ DEPLOYMENT_FILE: file });
    expect("explorerUrl" in local).toBe(false);
    expect(runtimeConfigSchema.parse(local).explorerUrl).toBeUndefined();
    expect(runtimeConfigSchema.safeParse({ ...runtimeConfigSchema.parse(local), explorerUrl: "not a url" }).success).toBe(false);
  });
});
