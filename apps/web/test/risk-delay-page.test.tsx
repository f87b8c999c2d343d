// The proposal page with the Governor's risk delay, the guardian's cancel and a target whose code
// changed, in happy-dom with the chain answered by fixtures.
import { decisionLogAbi, governorAbi, timelockAbi } from "@ai-dao/protocol";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { encodeAbiParameters, encodeErrorResult, encodeFunctionResult, getAddress, stringToHex, toFunctionSelector, type Hex } from "viem";
import { afterEach, describe, expect, it } from "vitest";

import { v1Report } from "../../../packages/reports/test/fixtures.ts";
import { PROPOSAL_QUERY, type DecisionRow, type ProposalDetail } from "../src/lib/queries.ts";
import { alice, detail, NOW, totals } from "./fixtures.ts";
import { renderAt } from "./render.tsx";

const E18 = 10n ** 18n;
const GUARDIAN = "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955";
const TARGET = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const sel = (signature: string) => toFunctionSelector(signature);
const selector = {
  state: sel("state(uint256)"),
  proposalEta: sel("proposalEta(uint256)"),
  riskTiers: sel("riskTiers()"),
  getMinDelay: sel("getMinDelay()"),
  latestRisk: sel("latestRisk(uint256,uint8)"),
  riskDelayFor: sel("riskDelayFor(bool,uint8)"),
  proposalRiskDelay: sel("proposalRiskDelay(uint256)"),
  proposalGuardian: sel("proposalGuardian()"),
  execute: sel("execute(uint256)"),
  cancel: sel("cancel(uint256)"),
};
const word = (v: bigint) => encodeAbiParameters([{ type: "uint256" }], [v]);

function analysis(risk: number): DecisionRow {
  return {
    id: "1", decisionId: "1", proposalId: "102", proposal: { id: "102", title: "Pay erin" }, kind: "ANALYSIS", actor: { id: "0x23618e81e3f5cdf7f54c3d65f7fbc0abf5b21e8f" },
    risk, riskFloor: null, recommendation: "FOR", reportHash: `0x${"00".repeat(32)}`, report: stringToHex(JSON.stringify({ ...v1Report, findings: [], scores: { risk }, recommendation: "for" })), summary: null, timestamp: String(NOW - 20n), block: "30", tx: `0x${"33".repeat(32)}`,
  };
}

function ended(overrides: Partial<ProposalDetail> = {}): ProposalDetail {
  return { ...detail, voteStart: String(NOW - 400n), voteEnd: String(NOW - 10n), forVotes: String(400_000n * E18), allDecisions: [analysis(97)], ...overrides };
}

/** The chain with the local profile's levels (40 → 3 min, 70 → 10 min, minimum 1 min). */
function chain(answers: { state: number; eta?: bigint; latest?: [boolean, number]; queued?: { delay: number; tier: number; risk: number; analysed: boolean }; guardian?: string; execute?: Hex }) {
  return (method: string, params: unknown[]) => {
    if (method === "eth_accounts") return [alice, GUARDIAN.toLowerCase()];
    if (method !== "eth_call") return undefined;
    const data = (params[0] as { data?: string; input?: string }).data ?? (params[0] as { input?: string }).input ?? "";
    const is = (s: Hex) => data.startsWith(s);
    if (is(selector.state)) return word(BigInt(answers.state));
    if (is(selector.proposalEta)) return word(answers.eta ?? 0n);
    if (is(selector.riskTiers)) return encodeFunctionResult({ abi: governorAbi, functionName: "riskTiers", result: [{ minRisk: 40, delay: 180 }, { minRisk: 70, delay: 600 }] });
    if (is(selector.getMinDelay)) return encodeFunctionResult({ abi: timelockAbi, functionName: "getMinDelay", result: 60n });
    if (is(selector.latestRisk) && answers.latest) return encodeFunctionResult({ abi: decisionLogAbi, functionName: "latestRisk", result: answers.latest });
    if (is(selector.riskDelayFor)) {
      const risk = Number(BigInt(`0x${data.slice(74, 138)}`));
      const analysed = data.slice(10, 74).endsWith("1");
      const [tier, delay] = !analysed ? [2, 600] : risk >= 70 ? [2, 600] : risk >= 40 ? [1, 180] : [0, 60];
      return encodeFunctionResult({ abi: governorAbi, functionName: "riskDelayFor", result: [tier, delay] });
    }
    if (is(selector.proposalRiskDelay)) {
      const q = answers.queued ?? { delay: 0, tier: 0, risk: 0, analysed: false };
      return encodeFunctionResult({ abi: governorAbi, functionName: "proposalRiskDelay", result: { ...q, queued: answers.queued !== undefined, proposed: true } });
    }
    if (is(selector.proposalGuardian)) return encodeFunctionResult({ abi: governorAbi, functionName: "proposalGuardian", result: (answers.guardian ?? GUARDIAN) as `0x${string}` });
    if (is(selector.execute)) return answers.execute ? { rpcError: { code: 3, message: "execution reverted", data: answers.execute } } : "0x";
    // The cancel gets as far as its simulation and no further.
    if (is(selector.cancel)) return "not hex";
    return undefined;
  };
}

const calls = (all: { rpc: { method: string; params: unknown[] }[] }, fn: Hex) => all.rpc.filter((c) => c.method === "eth_call" && JSON.stringify(c.params).includes(fn.slice(2)));
const connect = (address: string) => window.localStorage.setItem("dev-account", getAddress(address));
afterEach(() => window.localStorage.clear());

describe("the wait a proposal's risk earns", () => {
  it("before queueing: how long it would wait if queued now, and why, from the chain", async () => {
    connect(alice);
    renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: ended(), ...totals } : {}), rpc: chain({ state: 4, latest: [true, 97] }) });
    const forecast = await screen.findByTestId("risk-delay");
    expect(forecast.textContent).toMatch(/If it is queued now, it will wait 10 minutes before it can be executed, because the latest analysis rates its risk 97 out of 100, and a risk of 70 or more gets the longest wait\./);
    expect(forecast.textContent).toMatch(/Risk below 40: 1 minute.*Risk 40 to 69: 3 minutes.*Risk 70 or more: 10 minutes.*No analysis: 10 minutes/);
    expect(screen.getByRole("button", { name: "Queue" })).toBeTruthy();
  });

  it("before queueing without an analysis on chain: the longest wait, said plainly", async () => {
    connect(alice);
    renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: ended({ allDecisions: [] }), ...totals } : {}), rpc: chain({ state: 4, latest: [false, 0] }) });
    expect((await screen.findByTestId("risk-delay")).textContent).toMatch(/wait 10 minutes before it can be executed, because no analysis of it has been published, and a proposal without one gets the longest wait\./);
  });

  it("queued: the wait it got, why, a countdown, and no Execute before the eta", async () => {
    connect(alice);
    const queued = ended({ status: "QUEUED", eta: String(NOW + 552n) });
    renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: queued, ...totals } : {}), rpc: chain({ state: 5, eta: NOW + 552n, queued: { delay: 600, tier: 2, risk: 97, analysed: true } }) });
    await waitFor(() => expect(screen.getByTestId("risk-delay").textContent).toMatch(/It waits 10 minutes between queueing and execution because, when it was queued, the latest analysis rated its risk 97 out of 100/));
    expect(screen.getByTestId("execute-countdown").textContent).toMatch(/^Can be executed in 9 minutes and (12|11|10) seconds/);
    expect(screen.queryByRole("button", { name: "Execute" })).toBeNull();
  });

  it("queued and ready, but a target's code changed: the Governor will refuse, and Execute is not offered", async () => {
    connect(alice);
    const queued = ended({ status: "QUEUED", eta: String(NOW - 5n) });
    const revert = encodeErrorResult({ abi: governorAbi, errorName: "GovernorTargetCodeChanged", args: [102n, TARGET, `0x${"ab".repeat(32)}`, `0x${"cd".repeat(32)}`] });
    renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: queued, ...totals } : {}), rpc: chain({ state: 5, eta: NOW - 5n, queued: { delay: 600, tier: 2, risk: 97, analysed: true }, execute: revert }) });
    const note = await screen.findByTestId("code-changed");
    expect(note.textContent).toMatch(/The Governor will refuse to execute this proposal: the code at 0x5FbD…0aa3 changed since the vote\./);
    expect(note.textContent).toMatch(/Its code was replaced since the proposal was made\./);
    expect(note.textContent).not.toMatch(/GovernorTargetCodeChanged|0x[0-9a-f]{64}/);
    expect(screen.queryByRole("button", { name: "Execute" })).toBeNull();
  });

  it("queued and ready with nothing wrong: Execute is offered", async () => {
    connect(alice);
    const queued = ended({ status: "QUEUED", eta: String(NOW - 5n), allDecisions: [analysis(10)] });
    renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: queued, ...totals } : {}), rpc: chain({ state: 5, eta: NOW - 5n, queued: { delay: 60, tier: 0, risk: 10, analysed: true } }) });
    expect(await screen.findByRole("button", { name: "Execute" })).toBeTruthy();
    expect(screen.queryByTestId("code-changed")).toBeNull();
    expect(screen.queryByTestId("execute-countdown")).toBeNull();
  });
});

describe("the guardian's cancel", () => {
  const queued = () => ended({ status: "QUEUED", eta: String(NOW + 300n) });

  it("the guardian sees Cancel proposal, the banner points to it, and it asks before sending cancel(proposalId)", async () => {
    connect(GUARDIAN);
    const { calls: all } = renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: queued(), ...totals } : {}), rpc: chain({ state: 5, eta: NOW + 300n, queued: { delay: 600, tier: 2, risk: 97, analysed: true } }) });
    const card = await screen.findByTestId("cancel-card");
    expect(card.textContent).toMatch(/You are the proposal guardian: you can cancel this proposal at any time before it is executed\./);
    await waitFor(() => expect(screen.getByTestId("guardian-advice").textContent).toMatch(/^You are the proposal guardian: you can cancel this proposal before it is executed\. Cancel proposal$/));
    expect(within(screen.getByTestId("safety-banner")).getByRole("link", { name: "Cancel proposal" }).getAttribute("href")).toBe("#cancel-proposal");

    const button = within(card).getByRole("button", { name: "Cancel proposal" });
    fireEvent.click(button);
    const dialog = (await screen.findByTestId("cancel-dialog")) as HTMLDialogElement;
    expect(dialog.open).toBe(true);
    expect(document.activeElement).toBe(within(dialog).getByRole("heading", { name: "Cancel this proposal?" }));
    expect(dialog.textContent).toMatch(/will be canceled for good: it can never be executed/);
    expect(dialog.textContent).toMatch(/Its scheduled execution in the treasury is called off too\./);
    fireEvent.click(within(dialog).getByRole("button", { name: "Keep it" }));
    await waitFor(() => expect(screen.queryByTestId("cancel-dialog")).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(button));
    expect(calls(all, selector.cancel)).toEqual([]);

    fireEvent.click(button);
    fireEvent.click(within(await screen.findByTestId("cancel-dialog")).getByRole("button", { name: "Yes, cancel it" }));
    await waitFor(() => expect(calls(all, selector.cancel).length).toBeGreaterThan(0));
    expect(JSON.stringify(calls(all, selector.cancel)[0]!.params)).toContain(`${selector.cancel.slice(2)}${(102n).toString(16).padStart(64, "0")}`);
  });

  it("another member sees no cancel, and the banner says the guardian can still cancel", async () => {
    connect(alice);
    renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: queued(), ...totals } : {}), rpc: chain({ state: 5, eta: NOW + 300n }) });
    await waitFor(() => expect(screen.getByTestId("guardian-advice").textContent).toBe("The proposal guardian can still cancel it before it is executed."));
    expect(screen.queryByTestId("cancel-card")).toBeNull();
  });

  it("the proposer may cancel while Pending, not once voting started", async () => {
    connect(alice);
    const pending = { ...detail, voteStart: String(NOW + 5n), voteEnd: String(NOW + 305n), forVotes: "0", votes: [] };
    renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: pending, ...totals } : {}), rpc: chain({ state: 0 }) });
    expect((await screen.findByTestId("cancel-card")).textContent).toMatch(/You made this proposal: you can cancel it until voting starts\./);
  });

  it("the proposer of an active proposal has no cancel when there is a guardian", async () => {
    connect(alice);
    renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: detail, ...totals } : {}), rpc: chain({ state: 1 }) });
    await screen.findByTestId("proposal-state");
    await new Promise((r) => setTimeout(r, 300));
    expect(screen.queryByTestId("cancel-card")).toBeNull();
  });
});
