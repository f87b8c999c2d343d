// The proposal page's actions and the builder as members see them: token amounts in token units with
// the symbol read from the chain, and every problem of the builder next to its field.
import { QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { canonicalJson } from "@ai-dao/reports";
import { encodeAbiParameters, encodeFunctionData, erc20Abi, keccak256, maxUint256, numberToHex, pad, stringToBytes, stringToHex, toEventSelector, type Address } from "viem";
import { describe, expect, it } from "vitest";

import { createQueryClient } from "../src/app.tsx";
import { Actions } from "../src/components/Actions.tsx";
import { NO_MODEL } from "../src/lib/builder.ts";
import type { ProposalDetail } from "../src/lib/queries.ts";
import { createServices, ServicesProvider } from "../src/lib/services.tsx";
import { config, erin, mockFetch } from "./fixtures.ts";
import { renderAt } from "./render.tsx";

const DUSD = "0x976EA74026E726554dB657fA54763abd0C3a0aa9" as Address;
const MYSTERY = "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955" as Address;

/** A chain where DUSD is a 6-decimal token the treasury holds 1,000,000 of, and MYSTERY answers nothing. */
function chain(method: string, params: unknown[]): unknown {
  if (method === "eth_call") {
    const { to, data } = params[0] as { to: string; data: string };
    if (to.toLowerCase() !== DUSD.toLowerCase()) return to.toLowerCase() === config.contracts.token.toLowerCase() ? undefined : "0x";
    const selector = data.slice(0, 10);
    if (selector === "0x313ce567") return encodeAbiParameters([{ type: "uint8" }], [6]);
    if (selector === "0x95d89b41") return encodeAbiParameters([{ type: "string" }], ["dUSD"]);
    if (selector === "0x70a08231") return encodeAbiParameters([{ type: "uint256" }], [1_000_000n * 10n ** 6n]);
    return "0x";
  }
  if (method === "eth_getBalance") return numberToHex(10n ** 18n);
  if (method === "eth_getLogs") {
    const filter = (params[0] ?? {}) as { topics?: (string | null)[] };
    if (filter.topics?.[0] !== toEventSelector("event Transfer(address indexed from, address indexed to, uint256 value)")) return [];
    return [
      {
        address: DUSD.toLowerCase(),
        topics: [filter.topics[0], pad("0x0"), pad(config.contracts.timelock as Address)],
        data: encodeAbiParameters([{ type: "uint256" }], [1_000_000n * 10n ** 6n]),
        blockNumber: "0x2",
        blockHash: `0x${"11".repeat(32)}`,
        transactionHash: `0x${"22".repeat(32)}`,
        transactionIndex: "0x0",
        logIndex: "0x0",
        removed: false,
      },
    ];
  }
  return undefined;
}

function action(index: number, target: string, calldata: `0x${string}`): ProposalDetail["actions"][number] {
  return { index, target: target.toLowerCase(), value: "0", signature: "", calldata, selector: calldata.slice(0, 10), functionSignature: null };
}

function renderActions(actions: ProposalDetail["actions"]) {
  const services = createServices(config, mockFetch({ rpc: chain }).fetch);
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { retry: false } });
  return render(
    <ServicesProvider services={services}>
      <QueryClientProvider client={queryClient}>
        <Actions proposal={{ actions }} />
      </QueryClientProvider>
    </ServicesProvider>,
  );
}


describe("actions on the proposal page", () => {
  it("shows token amounts in the token's units with its symbol; raw values only in the folded details", async () => {
    renderActions([
      action(0, DUSD, encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [erin as Address, 600_000_000_000n] })),
      action(1, MYSTERY, encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [erin as Address, 600_000_000_000n] })),
      action(2, DUSD, encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [config.contracts.governor as Address, maxUint256] })),
    ]);
    const [dusd, mystery, approve] = screen.getAllByTestId("action");
    await waitFor(() => expect(within(dusd!).getByTestId("amount").textContent).toBe("600,000 dUSD"));
    expect(within(dusd!).getByTestId("action-summary").textContent).toBe("Send 600,000 dUSD from the treasury to 0x9965…A4dc");
    expect(dusd!.textContent).toMatch(/transfer on dUSD token/);
    // The raw value is still there, folded away with the technical details.
    const raw = within(dusd!).getAllByTestId("raw-value").map((e) => e.textContent);
    expect(raw).toContain("600000000000");
    expect(within(dusd!).getAllByTestId("raw-value")[1]!.closest("details")).not.toBeNull();

    await waitFor(() => expect(mystery!.textContent).toMatch(/600000000000 \(the token's decimals are unknown, so this is the raw number, not whole tokens\)/));
    expect(within(mystery!).queryByTestId("amount")).toBeNull();
    expect(mystery!.textContent).not.toMatch(/600,000|0\.0000006/);

    expect(within(approve!).getByTestId("amount").textContent).toBe("Unlimited dUSD");
    expect(within(approve!).getByTestId("action-summary").textContent).toBe("Allow Governor to take any amount of the treasury's dUSD, without limit");

    // No developer words outside the folded details.
    for (const item of [dusd!, mystery!, approve!]) {
      const visible = [...item.children].filter((c) => c.tagName !== "DETAILS").map((c) => c.textContent).join(" ");
      expect(visible).not.toMatch(/uint256|calldata|base units/i);
    }
  });
});

describe("the builder", () => {
  it("offers the treasury's tokens with balances, converts with the token's decimals and shows every problem at its field", async () => {
    renderAt("/proposals/new", { rpc: chain });
    const picker = (await screen.findByLabelText("What to send")) as HTMLSelectElement;
    await waitFor(() => expect([...picker.options].map((o) => o.textContent)).toContain("dUSD: 1,000,000 in the treasury"));
    expect([...picker.options].map((o) => o.textContent)).toEqual(expect.arrayContaining(["ETH: 1 in the treasury", "Another token (enter its address)"]));
    fireEvent.change(picker, { target: { value: DUSD.toLowerCase() } });

    fireEvent.change(screen.getByLabelText("Recipient address"), { target: { value: "0x123" } });
    fireEvent.change(screen.getByLabelText(/Amount \(tokens\)/), { target: { value: "1.1234567" } });
    expect(screen.queryAllByTestId("field-error")).toHaveLength(0); // nothing shown before a field is used
    fireEvent.click(screen.getByRole("button", { name: "Preview analysis" }));

    const problems = Object.fromEntries(
      screen.getAllByTestId("field-error").map((e) => {
        const input = document.querySelector(`[aria-describedby~="${e.id}"]`)!;
        expect(input.getAttribute("aria-invalid")).toBe("true");
        return [document.querySelector(`label[for="${input.id}"]`)!.textContent, e.textContent];
      }),
    );
    expect(problems).toEqual({
      "Recipient address": "“0x123” is not an address (0x followed by 40 hex digits).",
      "Amount (tokens)": "dUSD has 6 decimal places; this amount has 7.",
      "Description (Markdown; the first line is the title)": "Write a description: its first line is the title voters see.",
    });
    expect(screen.getByTestId("problem-count").textContent).toMatch(/^3 fields need fixing/);
    expect(screen.getByText("The treasury holds 1,000,000 dUSD.")).toBeTruthy();

    fireEvent.change(screen.getByLabelText("Recipient address"), { target: { value: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc" } });
    fireEvent.change(screen.getByLabelText(/Amount \(tokens\)/), { target: { value: "2000000" } });
    expect(screen.getByTestId("field-warning").textContent).toBe("More than the treasury holds (1,000,000 dUSD).");
    expect(screen.getAllByTestId("field-error")).toHaveLength(1);
  });

  it("reads a custom token's decimals and says at the field when the address is not a token", async () => {
    renderAt("/proposals/new", { rpc: chain });
    fireEvent.change(await screen.findByLabelText("What to send"), { target: { value: "custom" } });
    const token = screen.getByLabelText("Token address");
    fireEvent.change(token, { target: { value: MYSTERY } });
    await waitFor(() => expect(token.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(token.getAttribute("aria-describedby")!.split(" ").find((id) => id.endsWith("-error"))!)!.textContent).toMatch(/does not answer as a token/);

    fireEvent.change(token, { target: { value: DUSD } });
    expect(await screen.findByText("dUSD, counted in 6 decimal places (read from the token).")).toBeTruthy();
    await waitFor(() => expect(token.getAttribute("aria-invalid")).toBeNull());
  });

  it("turns Draft with AI off, saying why, when the analyst has no model", async () => {
    renderAt("/proposals/new", { rpc: chain, analyst: (path) => (path === "/health" ? { status: 200, body: { status: "ok", mode: "deterministic", model: null } } : { status: 404, body: {} }) });
    fireEvent.change(await screen.findByLabelText(/What should the DAO do/), { target: { value: "pay erin 1 ETH" } });
    const button = screen.getByRole("button", { name: "Draft with AI" });
    await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(true));
    expect(document.getElementById(button.getAttribute("aria-describedby")!)!.textContent).toBe(NO_MODEL);
  });

  it("says in words what drafted actions do, amounts in the token's units", async () => {
    const calldata = encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [erin as Address, 600_000_000_000n] });
    renderAt("/proposals/new", {
      rpc: chain,
      analyst: (path) =>
        path === "/draft"
          ? { status: 200, body: { proposal: { targets: [DUSD], values: ["0"], calldatas: [calldata], description: "# Pay erin" }, analysis: { report: {}, reportHash: "0x" } } }
          : { status: 404, body: {} },
    });
    fireEvent.change(await screen.findByLabelText(/What should the DAO do/), { target: { value: "pay erin 600,000 dUSD" } });
    fireEvent.click(screen.getByRole("button", { name: "Draft with AI" }));
    await waitFor(() => expect(screen.getByTestId("raw-preview").textContent).toBe("Send 600,000 dUSD from the treasury to 0x9965…A4dc"));
  });
});

describe("a drafted token payment in the decision log", () => {
  it("reads in the token's own units, its symbol and decimals from the chain", async () => {
    const draft = {
      schemaVersion: 1,
      kind: "draft",
      intent: "Pay erin 600,000 dUSD",
      actions: [{ template: "erc20-transfer", token: DUSD, recipient: erin, amount: "600000000000" }],
      proposal: { proposalId: "5", targets: [DUSD], values: ["0"], calldatas: [encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [erin as Address, 600_000_000_000n] })], descriptionHash: `0x${"88".repeat(32)}` },
      analysis: { reportHash: `0x${"99".repeat(32)}`, cid: "bafkreitest", mode: "deterministic", risk: 10, recommendation: "for" },
      provenance: { analyzer: { name: "@ai-dao/analyst", version: "0.1.0" }, model: "claude-test", systemPromptHash: `0x${"aa".repeat(32)}`, blockNumber: "60" },
    };
    const json = canonicalJson(draft);
    const row = {
      id: "7", decisionId: "7", proposalId: "5", proposal: { id: "5", title: "Pay erin" }, kind: "DRAFT", actor: { id: "0x23618e81e3f5cdf7f54c3d65f7fbc0abf5b21e8f" },
      risk: 10, riskFloor: 10, recommendation: "FOR", reportHash: keccak256(stringToBytes(json)), report: stringToHex(json), summary: null, timestamp: "1800000000", block: "20", tx: `0x${"22".repeat(32)}`,
    };
    renderAt("/decisions", { graphql: () => ({ decisions: [row] }), rpc: chain });
    fireEvent.click(within(await screen.findByTestId("decision-row")).getByRole("button", { name: "View" }));
    const view = await screen.findByTestId("draft-report");
    await waitFor(() => expect(view.textContent).toMatch(/Send 600,000 dUSD from the treasury to 0x9965…a4dc/i));
    expect(view.textContent).not.toMatch(/base units|600000000000/);
  });
});
