// The treasury page on fixture answers: every indexed asset and every token a proposal moves, with
// balances read from the chain in the token's own units, a token that does not say its decimals
// shown by address and never with guessed decimals, and the history with each payment's proposal.
import { screen, waitFor, within } from "@testing-library/react";
import { encodeAbiParameters, encodeFunctionData, erc20Abi, numberToHex, type Address } from "viem";
import { describe, expect, it } from "vitest";

import { balanceSeries, movementsOf } from "../src/routes/treasury.tsx";
import type { TreasuryFlowRow } from "../src/lib/queries.ts";
import { config, NOW } from "./fixtures.ts";
import { renderAt } from "./render.tsx";

const DUSD = "0x976EA74026E726554dB657fA54763abd0C3a0aa9" as Address;
const MYSTERY = "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955" as Address;
const CAROL = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
const E6 = 10n ** 6n;
const E18 = 10n ** 18n;

function chain(method: string, params: unknown[]): unknown {
  if (method === "eth_call") {
    const { to, data } = params[0] as { to: string; data: string };
    const selector = data.slice(0, 10);
    if (to.toLowerCase() === config.contracts.token.toLowerCase() && selector === "0x70a08231") return encodeAbiParameters([{ type: "uint256" }], [400_000n * E18]);
    if (to.toLowerCase() !== DUSD.toLowerCase()) return "0x"; // MYSTERY answers nothing
    if (selector === "0x313ce567") return encodeAbiParameters([{ type: "uint8" }], [6]);
    if (selector === "0x95d89b41") return encodeAbiParameters([{ type: "string" }], ["dUSD"]);
    if (selector === "0x70a08231") return encodeAbiParameters([{ type: "uint256" }], [997_500n * E6]);
    return "0x";
  }
  if (method === "eth_getBalance") return numberToHex(95n * E18);
  return undefined;
}

const proposal = { id: "7", title: "Pay for the audit" };
const flow = (id: string, asset: { id: string; kind: "ETH" | "DAO_TOKEN" | "ERC20" }, direction: "IN" | "OUT", amount: bigint, at: bigint, extra: Partial<TreasuryFlowRow> = {}): TreasuryFlowRow => ({
  id,
  direction,
  amount: amount.toString(),
  counterparty: null,
  timestamp: at.toString(),
  logIndex: "0",
  tx: `0x${"ab".repeat(32)}`,
  asset: { ...asset, address: asset.id === "eth" ? null : asset.id },
  proposal: null,
  ...extra,
});
const dusdAsset = { id: DUSD.toLowerCase(), kind: "ERC20" as const };
const ethAsset = { id: "eth", kind: "ETH" as const };
const flows = [
  flow("f1", dusdAsset, "IN", 1_000_000n * E6, NOW - 1000n),
  flow("f2", dusdAsset, "OUT", 2_500n * E6, NOW - 100n, { counterparty: CAROL, proposal }),
  flow("f3", ethAsset, "OUT", 5n * E18, NOW - 50n, { counterparty: CAROL, proposal }),
];

function graphql() {
  return {
    treasuryAssets: [
      { id: "eth", kind: "ETH", address: null, totalIn: "0", totalOut: String(5n * E18), flowCount: 1 },
      { id: DUSD.toLowerCase(), kind: "ERC20", address: DUSD.toLowerCase(), totalIn: String(1_000_000n * E6), totalOut: String(2_500n * E6), flowCount: 2 },
    ],
    treasuryFlows: flows,
    proposalActions: [
      { id: "7-0", target: DUSD.toLowerCase(), value: "0", calldata: encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [CAROL as Address, 2_500n * E6] }), proposal },
      { id: "8-0", target: MYSTERY.toLowerCase(), value: "0", calldata: encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [CAROL as Address, 10n] }), proposal: { id: "8", title: "Move the mystery token" } },
    ],
  };
}

describe("treasury page", () => {
  it("lists ETH, the DAO token, listed assets and tokens proposals move, in token units", async () => {
    renderAt("/treasury", { graphql, rpc: chain });
    await waitFor(() => expect(screen.getByTestId(`treasury-balance-${DUSD.toLowerCase()}`).textContent).toBe("997,500"));
    expect(within(screen.getByTestId(`treasury-asset-${DUSD.toLowerCase()}`)).getByRole("rowheader").textContent).toMatch(/^dUSD/);
    await waitFor(() => expect(screen.getByTestId("treasury-eth").textContent).toBe("95"));
    await waitFor(() => expect(screen.getByTestId("treasury-token").textContent).toBe("400,000"));
  });

  it("shows a token that does not answer symbol or decimals by address, with a note, never with guessed decimals", async () => {
    renderAt("/treasury", { graphql, rpc: chain });
    const row = await screen.findByTestId(`treasury-asset-${MYSTERY.toLowerCase()}`);
    await waitFor(() => expect(screen.getByTestId(`treasury-balance-${MYSTERY.toLowerCase()}`).textContent).toBe("could not be read"));
    expect(within(row).getByRole("rowheader").textContent).toMatch(/0x14dC…9955/);
    expect(row.textContent).toMatch(/Not a listed treasury asset/);
    expect(row.textContent).toMatch(/Move the mystery token/);
    // Without a balance either, the note does not promise one in base units.
    expect(row.textContent).toMatch(/Does not answer as a token on this chain: neither its symbol, its decimals nor the treasury's balance could be read/);
    expect(row.textContent).not.toMatch(/the balance is in base units/);
  });

  it("a token that answers balanceOf but not symbol or decimals: the balance in base units, and the note says so", async () => {
    const balanceOnly = (method: string, params: unknown[]): unknown => {
      const call = params[0] as { to?: string; data?: string } | undefined;
      if (method === "eth_call" && call?.to?.toLowerCase() === MYSTERY.toLowerCase() && call.data?.startsWith("0x70a08231")) return encodeAbiParameters([{ type: "uint256" }], [123n]);
      return chain(method, params);
    };
    renderAt("/treasury", { graphql, rpc: balanceOnly });
    await waitFor(() => expect(screen.getByTestId(`treasury-balance-${MYSTERY.toLowerCase()}`).textContent).toBe("123"));
    expect(screen.getByTestId(`treasury-asset-${MYSTERY.toLowerCase()}`).textContent).toMatch(/Does not report its symbol or decimals: the balance is in base units/);
  });

  it("lists every movement with its date, amount in token units, counterparty and proposal", async () => {
    renderAt("/treasury", { graphql, rpc: chain });
    await waitFor(() => expect(screen.getAllByTestId("treasury-movement").map((r) => r.textContent)[1]).toMatch(/−2,500 dUSD/));
    const rows = screen.getAllByTestId("treasury-movement");
    expect(rows).toHaveLength(3);
    expect(rows[0]!.textContent).toMatch(/−5 ETHto 0x90F7…b906Pay for the audit/);
    expect(rows[1]!.textContent).toMatch(/^\d{4}-\d{2}-\d{2}\d{2}:\d{2}:\d{2}−2,500 dUSDto 0x90F7…b906Pay for the audit$/);
    expect(rows[2]!.textContent).toMatch(/\+1,000,000 dUSDfrom nobody \(minted\)—/);
    expect(within(rows[1]!).getByRole("link").getAttribute("href")).toBe("/proposals/7");
  });
});

describe("balanceSeries", () => {
  it("walks back from the balance read now, oldest first, and ends at now", () => {
    const points = balanceSeries(997_500n, movementsOf(flows.slice(0, 2)).map((m) => ({ ...m, amount: m.amount / E6 })), Number(NOW));
    expect(points.map((p) => [p.t, p.balance])).toEqual([
      [Number(NOW - 1000n), 0n],
      [Number(NOW - 1000n), 1_000_000n],
      [Number(NOW - 100n), 997_500n],
      [Number(NOW), 997_500n],
    ]);
  });
});
