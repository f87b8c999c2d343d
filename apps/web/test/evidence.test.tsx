// A finding's evidence as a voter reads it: the actions it concerns linked to their place on the
// page, accounts by name, amounts in the token's units, shares as percentages, the evidence a claim
// cites linked to what it cites, and the claims as a table with their status.
import { canonicalJson, REPORT_SCHEMA_VERSION, type Report } from "@ai-dao/reports";
import { screen, waitFor, within } from "@testing-library/react";
import { encodeAbiParameters, keccak256, stringToBytes, type Address } from "viem";
import { describe, expect, it } from "vitest";

import { bpsText, evidenceLines, keyLabel, readCitation, shortText } from "../src/lib/evidence.ts";
import { config, decisionLog, decisionRow, detail, erin, totals } from "./fixtures.ts";
import { renderAt } from "./render.tsx";

const h = (byte: string) => `0x${byte.repeat(32)}` as const;
const treasury = config.contracts.timelock;
/** A 6-decimal token called dUSD, and a token that answers neither symbol() nor decimals(). */
const DUSD = "0x976EA74026E726554dB657fA54763abd0C3a0aa9" as Address;
const MYSTERY = "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955" as Address;

const report: Report = {
  schemaVersion: REPORT_SCHEMA_VERSION,
  status: "analysed",
  mode: "model",
  analyzer: { name: "@ai-dao/analyst", version: "0.1.0" },
  chainId: 31337,
  blockNumber: "40",
  inputHash: h("11"),
  proposal: {
    proposalId: "102",
    descriptionHash: h("22"),
    descriptionInfo: { byteLength: 30, invalidUtf8Sequences: 0, hiddenContent: 0, hiddenCharacters: 0 },
    targets: [DUSD, erin],
    values: ["0", "500000000000000000"],
    calldatas: ["0x", "0x"],
  },
  decodedCalls: [],
  targets: [{ address: erin, kind: "eoa", codeSize: 0, codeHash: null, balance: "0", nonce: 3, opcodes: { SELFDESTRUCT: false, DELEGATECALL: false, CREATE2: false } }],
  governance: { treasury, balances: [{ asset: DUSD, symbol: "dUSD", decimals: 6, balance: "1000000000000" }], governor: {} },
  findings: [
    {
      id: "treasury-outflow/recipient",
      check: "treasury-outflow",
      severity: "critical",
      title: "Sends 600,000 dUSD (60% of the treasury's dUSD) to erin",
      detail: "",
      evidence: { callIndex: 1, callIndexes: [1], address: erin, asset: DUSD, amount: "600000000000", treasuryBalance: "1000000000000", shareBps: 6000, flows: [{ to: erin, amount: "1" }] },
    },
    { id: "model/unsupported-claim", check: "model", severity: "high", title: "The description claims something no call does", detail: "", evidence: { claim: "Routine upkeep", cited: ["finding:0", "call:0", "balance:0", "target:0"] } },
    { id: "treasury-outflow/recipient", check: "treasury-outflow", severity: "medium", title: "Sends a token that does not say its decimals", detail: "", evidence: { callIndex: 0, address: erin, asset: MYSTERY, amount: "123456789" } },
    { id: "governor-parameters/votingPeriod", check: "governor-parameters", severity: "low", title: "Changes the Governor's parameters", detail: "", evidence: { address: config.contracts.governor, newValue: "7200", currentValue: "300" } },
  ],
  riskFloor: 80,
  scores: { risk: 90 },
  recommendation: "against",
  notes: [],
  intentVsEffect: {
    claims: [
      { claim: "Routine upkeep", status: "unsupported", evidence: ["call:1", "finding:0"], explanation: "Action 2 sends tokens." },
      { claim: "Pay erin for design work", status: "matched", evidence: [], explanation: "" },
    ],
    undisclosedEffects: [{ effect: "Sends 60% of the treasury's dUSD", evidence: ["balance:0", "call:1"] }],
  },
  simulation: { status: "failed", reason: "cannot fork the chain" },
};
const json = canonicalJson(report);

function chain(method: string, params: unknown[]): unknown {
  if (method === "eth_getLogs") return [decisionLog(102n, json)];
  if (method !== "eth_call") return undefined;
  const { to, data } = params[0] as { to: string; data: string };
  if (to.toLowerCase() === MYSTERY.toLowerCase()) return "0x";
  if (to.toLowerCase() !== DUSD.toLowerCase()) return undefined;
  if (data.startsWith("0x313ce567")) return encodeAbiParameters([{ type: "uint8" }], [6]);
  if (data.startsWith("0x95d89b41")) return encodeAbiParameters([{ type: "string" }], ["dUSD"]);
  return "0x";
}

const onPage = {
  graphql: () => ({ proposal: detail, ...totals }),
  analyst: (path: string) =>
    path === "/proposals/102/report" ? { status: 200, body: { report, reportJson: json, reportHash: keccak256(stringToBytes(json)), decisionId: "0", txHash: h("22"), blockNumber: 20, cid: null } } : { status: 404, body: {} },
  rpc: chain,
};

async function findings() {
  renderAt("/proposals/102", onPage);
  const panel = await screen.findByTestId("analysis-panel");
  await within(panel).findAllByTestId("finding");
  return panel;
}

const byTitle = (panel: HTMLElement, title: RegExp) => within(panel).getAllByTestId("finding").find((f) => title.test(f.textContent ?? ""))!;

describe("evidence read for voters (lib)", () => {
  it("merges callIndex and callIndexes into the actions a finding concerns, and reads each value by what it is", () => {
    const lines = evidenceLines(report.findings[0]!.evidence, report, "treasury-outflow");
    expect(lines[0]).toEqual({ kind: "actions", key: "callIndex", label: "Concerns", indexes: [1] });
    expect(lines.find((l) => l.key === "address")).toMatchObject({ kind: "address", address: erin });
    expect(lines.find((l) => l.key === "amount")).toMatchObject({ kind: "amount", amounts: ["600000000000"], unit: { kind: "token", address: DUSD } });
    expect(lines.find((l) => l.key === "shareBps")).toMatchObject({ kind: "text", label: "Share of the treasury", text: "60%" });
    expect(lines.find((l) => l.key === "flows")).toMatchObject({ kind: "nested", count: 1 });
  });

  it("counts amounts in the asset the check implies, and says when it is not named", () => {
    expect(evidenceLines({ amount: "5" }, report, "eoa-calls")[0]).toMatchObject({ unit: { kind: "eth" } });
    expect(evidenceLines({ amount: "5", votes: "7" }, report, "recent-voting-power").map((l) => l.kind === "amount" && l.unit.kind)).toEqual(["dao-token", "dao-token"]);
    expect(evidenceLines({ amount: "5" }, report, "treasury-outflow")[0]).toMatchObject({ unit: { kind: "unknown" } });
    expect(evidenceLines({ asset: "ETH", amount: "5" }, report, "x")).toMatchObject([{ unit: { kind: "eth" } }, { kind: "text", label: "Token", text: "ETH" }]);
  });

  it("reads cited ids as what they point at", () => {
    expect(readCitation(report, "call:0")).toEqual({ kind: "action", index: 0, text: "action 1" });
    expect(readCitation(report, "finding:0")).toMatchObject({ kind: "finding", index: 0 });
    expect(readCitation(report, "finding:9")).toEqual({ kind: "text", text: "finding 10" });
    expect(readCitation(report, "balance:0")).toEqual({ kind: "simulation", text: "treasury balance of dUSD" });
    expect(readCitation({ ...report, simulation: undefined }, "balance:0")).toEqual({ kind: "text", text: "treasury balance of dUSD" });
    expect(readCitation(report, "target:0")).toEqual({ kind: "address", text: "target", address: erin });
    expect(readCitation(report, "governor")).toEqual({ kind: "text", text: "the Governor's settings" });
  });

  it("words keys and shortens values", () => {
    expect(keyLabel("newOwner")).toBe("New owner");
    expect(keyLabel("priorInteractions")).toBe("Prior interactions");
    // A counterparty's kind of account and the facts that could not be read, in words.
    expect(evidenceLines({ kind: "eoa", singleKeyControl: true, unread: [] }, report, "counterparty-control")).toMatchObject([
      { label: "Account", text: "an ordinary account, run by a key (no code)" },
      { label: "Controlled by a single key", text: "yes" },
      { label: "Could not be read", text: "none" },
    ]);
    expect(evidenceLines({ kind: "upgrade" }, report, "x")).toMatchObject([{ label: "Kind", text: "upgrade" }]);
    expect(bpsText(125)).toBe("1.25%");
    expect(shortText(h("ab"))).toEqual({ text: "0xabababab…abababab", full: h("ab") });
    expect(shortText("x".repeat(400)).text).toHaveLength(160);
    expect(shortText("pay\u202Eevil").text).toBe("pay⟦U+202E⟧evil");
    // Rule ids the description check uses internally are left to the technical evidence.
    expect(evidenceLines({ claim: "no-outflow", statements: ["nothing moves"] }, report, "description-claims").map((l) => l.key)).toEqual(["statements"]);
  });
});

describe("a finding's evidence on the proposal page", () => {
  it("links the action it concerns to the decoded action (callIndex 1 → #action-2)", async () => {
    const panel = await findings();
    const outflow = byTitle(panel, /Sends 600,000 dUSD/);
    const link = within(outflow).getByRole("link", { name: "action 2" });
    expect(link.getAttribute("href")).toBe("#action-2");
    // The anchor exists: the decoded actions carry it.
    expect(document.getElementById("action-2")?.getAttribute("data-testid")).toBe("action");
  });

  it("shows a token amount in the token's units with its symbol, read from the chain, and the share as a percentage", async () => {
    const panel = await findings();
    const outflow = byTitle(panel, /Sends 600,000 dUSD/);
    await waitFor(() => expect(within(outflow).getAllByTestId("evidence-amount").map((a) => a.textContent)).toEqual(["600,000 dUSD", "1,000,000 dUSD"]));
    expect(outflow.textContent).toMatch(/Share of the treasury: 60%/);
    expect(outflow.textContent).toMatch(/^.*Concerns: action 2Address: 0x9965…A4dcAmount: 600,000 dUSDTreasury balance: 1,000,000 dUSDToken: 0x976E…0aa9Share of the treasury: 60%Flows: 1 entry/);
    expect(outflow.textContent).toMatch(/Flows: 1 entry, listed under “All evidence \(technical\)”/);
    // Nothing is lost: the exact record is folded below.
    const raw = within(outflow).getByText("All evidence (technical)").closest("details")!;
    expect(JSON.parse(raw.querySelector("pre")!.textContent!)).toEqual(report.findings[0]!.evidence);
  });

  it("never assumes 18 decimals: a token that does not say its decimals is shown in its smallest units", async () => {
    const panel = await findings();
    const mystery = byTitle(panel, /does not say its decimals/);
    await waitFor(() => expect(within(mystery).getByTestId("evidence-amount").textContent).toMatch(/^123456789 \(smallest units of tokens of 0x14dC…9955: the token does not say its decimals\)$/));
  });

  it("names the DAO's own contracts", async () => {
    const panel = await findings();
    expect(byTitle(panel, /Governor's parameters/).textContent).toMatch(/Address: Governor 0x9fE4…a6e0/);
  });

  it("links cited evidence: finding:0 to #finding-1, call:0 to #action-1, a balance to the simulation, a target by address", async () => {
    const panel = await findings();
    const model = byTitle(panel, /no call does/);
    const cites = within(model).getByTestId("finding-evidence");
    expect(within(cites).getByRole("link", { name: /^finding “Sends 600,000 dUSD/ }).getAttribute("href")).toBe("#finding-1");
    expect(within(cites).getByRole("link", { name: "action 1" }).getAttribute("href")).toBe("#action-1");
    expect(within(cites).getByRole("link", { name: "treasury balance of dUSD" }).getAttribute("href")).toBe("#simulation");
    expect(cites.textContent).toMatch(/target 0x9965…A4dc/);
    // The anchors exist: each finding by its place in the report (1-based), the simulation section.
    expect(document.getElementById("finding-1")?.textContent).toMatch(/Sends 600,000 dUSD/);
    expect(document.getElementById("simulation")?.getAttribute("data-testid")).toBe("simulation");
  });
});

describe("claims as a table", () => {
  it("one row per claim: the claim, its status and its evidence as links", async () => {
    const panel = await findings();
    const section = within(panel).getByTestId("intent-vs-effect");
    const table = within(section).getByRole("table");
    expect(within(table).getAllByRole("columnheader").map((c) => c.textContent)).toEqual(["Claim", "Status", "Evidence"]);
    const rows = within(section).getAllByTestId("claim");
    expect(rows.map((r) => r.tagName)).toEqual(["TR", "TR"]);
    const cells = (row: HTMLElement) => within(row).getAllByRole("cell").map((c) => c.textContent);
    expect(cells(rows[0]!)).toEqual(["“Routine upkeep”", "✗ no call does thisAction 2 sends tokens.", "action 2, finding “Sends 600,000 dUSD (60% of the treasury's dUSD) to erin”"]);
    expect(cells(rows[1]!)).toEqual(["“Pay erin for design work”", "✓ matches the calls", "none cited"]);
    expect(within(rows[0]!).getByRole("link", { name: "action 2" }).getAttribute("href")).toBe("#action-2");
    expect(within(rows[0]!).getByRole("link", { name: /^finding/ }).getAttribute("href")).toBe("#finding-1");
    const effect = within(section).getByTestId("undisclosed-effect");
    expect(effect.textContent).toBe("Sends 60% of the treasury's dUSD — evidence: treasury balance of dUSD, action 2");
    expect(within(effect).getByRole("link", { name: "treasury balance of dUSD" }).getAttribute("href")).toBe("#simulation");
  });

  it("in the decision log, where the actions are not on the page, an action links to the proposal's page", async () => {
    const row = decisionRow({ json, risk: 90, riskFloor: 80, recommendation: "AGAINST" });
    renderAt("/decisions", { graphql: () => ({ decisions: [row] }), rpc: chain });
    const decision = await screen.findByTestId("decision-row");
    within(decision).getByRole("button", { name: "View" }).click();
    const claims = await screen.findAllByTestId("claim");
    expect(within(claims[0]!).getByRole("link", { name: "action 2" }).getAttribute("href")).toBe("/proposals/102#action-2");
    expect(within(claims[0]!).getByRole("link", { name: /^finding/ }).getAttribute("href")).toBe("#finding-1");
  });
});
