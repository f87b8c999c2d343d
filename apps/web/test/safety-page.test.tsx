// The proposal page and the list with the safety banner, the confirmation dialog, the chain's state,
// quorum in token units and the vote box, in happy-dom with every network call answered by fixtures.
import { type GuardReport } from "@ai-dao/reports";
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { encodeAbiParameters, getAddress, stringToHex, toFunctionSelector } from "viem";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { guardReport, modelReport, v1Report } from "../../../packages/reports/test/fixtures.ts";
import { PROPOSAL_QUERY, PROPOSALS_QUERY, type DecisionRow, type ProposalDetail } from "../src/lib/queries.ts";
import { alice, detail, listRows, NOW, row, totals } from "./fixtures.ts";
import { renderAt } from "./render.tsx";

const E18 = 10n ** 18n;
const hex = (value: unknown) => stringToHex(JSON.stringify(value));
const selector = {
  state: toFunctionSelector("state(uint256)"),
  proposalEta: toFunctionSelector("proposalEta(uint256)"),
  hasVoted: toFunctionSelector("hasVoted(uint256,address)"),
  getVotes: toFunctionSelector("getVotes(address,uint256)"),
  quorum: toFunctionSelector("quorum(uint256)"),
  queue: toFunctionSelector("queue(uint256)"),
  execute: toFunctionSelector("execute(uint256)"),
};
const word = (v: bigint | boolean) => encodeAbiParameters([{ type: "uint256" }], [typeof v === "boolean" ? (v ? 1n : 0n) : v]);

function decision(decisionId: string, kind: DecisionRow["kind"], report: unknown): DecisionRow {
  return {
    id: decisionId, decisionId, proposalId: "102", proposal: { id: "102", title: "Pay erin" }, kind, actor: { id: "0xa0ee7a142d267c1f36714e4a8f75612f20a79720" },
    risk: 90, riskFloor: null, recommendation: "NEEDS_REVIEW", reportHash: `0x${"00".repeat(32)}`, report: hex(report), summary: null, timestamp: String(NOW - 20n), block: "30", tx: `0x${"33".repeat(32)}`,
  };
}

const hold: GuardReport = {
  ...guardReport,
  proposalId: "102",
  action: "queue",
  decision: "hold",
  reason: "analysis-critical",
  summary: "the latest analysis has 1 critical finding(s): treasury-outflow/recipient; waiting for an operator override",
  evidence: { risk: 90, findings: [{ id: "treasury-outflow/recipient", title: "Sends 60 % of the treasury's ETH to one account", severity: "critical" }] },
};
const clean = { ...v1Report, findings: [], scores: { risk: 5 }, recommendation: "for" };

/** A proposal whose vote ended with 400,000 For (Succeeded at NOW). */
function ended(decisions: DecisionRow[], overrides: Partial<ProposalDetail> = {}): ProposalDetail {
  return { ...detail, voteStart: String(NOW - 400n), voteEnd: String(NOW - 10n), forVotes: String(400_000n * E18), allDecisions: decisions, ...overrides };
}

/** The chain: Governor.state() / proposalEta / hasVoted / getVotes / quorum as given; every other call answers 0. */
function chain(answers: { state?: number; eta?: bigint; hasVoted?: boolean; votes?: bigint; quorum?: bigint } = {}) {
  return (method: string, params: unknown[]) => {
    if (method !== "eth_call") return undefined;
    const data = (params[0] as { data?: string; input?: string }).data ?? (params[0] as { input?: string }).input ?? "";
    // Queue/Execute get as far as their simulation (what the tests check) and no further: an answer
    // that is not hex fails it, so nothing is sent through the development wallet's own transport.
    if (data.startsWith(selector.queue) || data.startsWith(selector.execute)) return "not hex";
    if (data.startsWith(selector.state) && answers.state !== undefined) return word(BigInt(answers.state));
    if (data.startsWith(selector.proposalEta) && answers.eta !== undefined) return word(answers.eta);
    if (data.startsWith(selector.hasVoted) && answers.hasVoted !== undefined) return word(answers.hasVoted);
    if (data.startsWith(selector.getVotes) && answers.votes !== undefined) return word(answers.votes);
    if (data.startsWith(selector.quorum) && answers.quorum !== undefined) return word(answers.quorum);
    return undefined;
  };
}

/** Calls of `fn` on the chain (the simulation every transaction starts with). */
const sentCalls = (calls: { rpc: { method: string; params: unknown[] }[] }, fn: `0x${string}`) => calls.rpc.filter((c) => c.method === "eth_call" && JSON.stringify(c.params).includes(fn.slice(2)));

beforeEach(() => window.localStorage.setItem("dev-account", getAddress(alice)));
afterEach(() => window.localStorage.clear());

describe("the proposal page leads with its concerns", () => {
  const held = ended([decision("1", "ANALYSIS", modelReport), decision("2", "EXECUTION_GUARD", hold), decision("3", "EXECUTION_GUARD", hold)]);

  it("a banner at the very top names the hold and the findings in plain words", async () => {
    renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: held, ...totals } : {}), rpc: chain({ state: 4 }) });
    const banner = await screen.findByTestId("safety-banner");
    expect(banner.getAttribute("role")).toBe("alert");
    // First on the page: before the title and everything else in the article.
    const article = banner.closest("article")!;
    expect(banner.compareDocumentPosition(within(article).getByRole("heading", { level: 1 })) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(article.querySelectorAll("[data-testid=safety-banner] ~ * [role=alert], h1 ~ * [data-testid=safety-banner]").length).toBe(0);
    expect(banner.textContent).toMatch(/Warning: The executor is holding this proposal for review; the analysis found critical problems\./);
    expect(banner.textContent).toMatch(/The executor is holding it before it may queue because the published analysis has a critical finding\./);
    expect(banner.textContent).toMatch(/Critical: Sends 60 % of the treasury's ETH to one account/);
    expect(within(banner).getAllByTestId("safety-guard")).toHaveLength(1);
    expect(banner.textContent).not.toMatch(/EXECUTION_GUARD|NEEDS_REVIEW|needs-review|calldata|0x[0-9a-f]{4}/i);
    expect(screen.getByTestId("next-step-warning").textContent).toMatch(/asked to confirm/);
  });

  it("Queue asks for confirmation in a modal dialog: the box must be ticked, Cancel and Escape send nothing", async () => {
    const { calls } = renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: held, ...totals } : {}), rpc: chain({ state: 4 }) });
    await screen.findByTestId("connected-account");
    const queue = await screen.findByRole("button", { name: "Queue" });
    await waitFor(() => expect((queue as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(queue);
    const dialog = (await screen.findByTestId("confirm-dialog")) as HTMLDialogElement;
    expect(dialog.tagName).toBe("DIALOG");
    expect(dialog.open).toBe(true);
    expect(dialog.getAttribute("aria-labelledby")).toBe("confirm-heading");
    expect(document.activeElement).toBe(within(dialog).getByRole("heading", { name: "Queue this proposal despite the warnings?" }));
    expect(dialog.textContent).toMatch(/Critical: Sends 60 % of the treasury's ETH to one account/);
    expect(dialog.textContent).toMatch(/holding it before it may queue because the published analysis has a critical finding/);
    const confirm = within(dialog).getByRole("button", { name: "Queue anyway" }) as HTMLButtonElement;
    const box = within(dialog).getByLabelText("I have read these findings and still want to queue") as HTMLInputElement;
    expect(confirm.disabled).toBe(true);

    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByTestId("confirm-dialog")).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole("button", { name: "Queue" })));

    fireEvent.click(screen.getByRole("button", { name: "Queue" }));
    const again = await screen.findByTestId("confirm-dialog");
    expect((within(again).getByLabelText(/still want to queue/) as HTMLInputElement).checked).toBe(false);
    // Escape: the dialog's cancel event.
    await act(async () => {
      again.dispatchEvent(new Event("cancel", { cancelable: true }));
    });
    await waitFor(() => expect(screen.queryByTestId("confirm-dialog")).toBeNull());
    expect(box.checked).toBe(false);
    expect(sentCalls(calls, selector.queue)).toEqual([]);

    fireEvent.click(screen.getByRole("button", { name: "Queue" }));
    const third = await screen.findByTestId("confirm-dialog");
    fireEvent.click(within(third).getByLabelText(/still want to queue/));
    const go = within(third).getByRole("button", { name: "Queue anyway" }) as HTMLButtonElement;
    expect(go.disabled).toBe(false);
    fireEvent.click(go);
    await waitFor(() => expect(screen.queryByTestId("confirm-dialog")).toBeNull());
    await waitFor(() => expect(sentCalls(calls, selector.queue).length).toBeGreaterThan(0));
  });

  it("a proposal without concerns queues with one click and shows no banner", async () => {
    const { calls } = renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: ended([decision("1", "ANALYSIS", clean)]), ...totals } : {}), rpc: chain({ state: 4 }) });
    await screen.findByTestId("connected-account");
    const queue = await screen.findByRole("button", { name: "Queue" });
    await waitFor(() => expect((queue as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByTestId("safety-banner")).toBeNull();
    fireEvent.click(queue);
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    await waitFor(() => expect(sentCalls(calls, selector.queue).length).toBeGreaterThan(0));
  });

  it("fails closed: no analysis once voting has ended is a concern, and Queue asks to confirm", async () => {
    renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: ended([]), ...totals } : {}), rpc: chain({ state: 4 }) });
    expect((await screen.findByTestId("safety-banner")).textContent).toMatch(/No analysis of this proposal has been published, and voting has ended\./);
    await screen.findByTestId("connected-account");
    const queue = await screen.findByRole("button", { name: "Queue" });
    await waitFor(() => expect((queue as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(queue);
    expect(await screen.findByTestId("confirm-dialog")).toBeTruthy();
  });

  it("a queued proposal with a code-drift refusal says why executing is unsafe", async () => {
    const drift: GuardReport = { ...guardReport, proposalId: "102", action: "execute", decision: "refuse", reason: "code-drift" };
    const queued = ended([decision("1", "ANALYSIS", clean), decision("2", "EXECUTION_GUARD", drift)], { status: "QUEUED", eta: String(NOW - 5n) });
    renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: queued, ...totals } : {}), rpc: chain({ state: 5, eta: NOW - 5n }) });
    const banner = await screen.findByTestId("safety-banner");
    expect(banner.textContent).toMatch(/Unsafe to execute: the executor refused it because contract code changed/);
    expect(banner.textContent).toMatch(/Executing it now would run code that nobody reviewed/);
    expect(banner.textContent).toMatch(/Do not execute it until someone has reviewed the changed code/);
    const execute = await screen.findByRole("button", { name: "Execute" });
    await waitFor(() => expect((execute as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(execute);
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(within(dialog).getByLabelText("I have read these findings and still want to execute")).toBeTruthy();
  });
});

describe("one state: the chain's", () => {
  it("right after queuing, the chain's Queued is shown and used (no Queue button, no Execute before the eta), once", async () => {
    renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: ended([decision("1", "ANALYSIS", clean)]), ...totals } : {}), rpc: chain({ state: 5, eta: NOW + 60n }) });
    await waitFor(() => expect(screen.getByTestId("proposal-state").textContent).toBe("Queued"));
    await waitFor(() => expect(screen.getByTestId("execute-countdown").textContent).toMatch(/^Can be executed in (1 minute|59 seconds)/));
    expect(screen.queryByRole("button", { name: "Execute" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Queue" })).toBeNull();
    const header = screen.getByTestId("proposal-state").parentElement!;
    expect(header.textContent!.match(/Queued/g)).toHaveLength(1);
    expect(header.textContent).toMatch(/Proposed by/);
    expect(screen.getByTestId("onchain-state").parentElement!.textContent).toMatch(/the history still says Succeeded/);
  });

  it("the state word appears once next to the badge, and the #proposer suffix is not shown in the description", async () => {
    renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: detail, ...totals } : {}) });
    const badge = await screen.findByTestId("proposal-state");
    expect(badge.textContent).toBe("Active");
    expect(badge.parentElement!.textContent).not.toMatch(/Active\s*Active/);
    const description = await screen.findByTestId("description");
    expect(description.textContent).not.toMatch(/#proposer/);
    expect(description.textContent).toMatch(/bold/);
  });
});

describe("quorum, plurals and the vote box", () => {
  it("the tally says quorum in tokens against the line", async () => {
    renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: detail, ...totals } : {}), rpc: chain({ state: 1, votes: 0n, quorum: 300_000n * E18 }) });
    // The line is what the Governor says quorum(voteStart) is.
    await waitFor(() => expect(screen.getByTestId("quorum").textContent).toBe("Quorum: 250,000 of 300,000 DEMO (for + abstain)"));
  });

  it("after voting: the account's vote in words and the form disabled", async () => {
    renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: detail, ...totals } : {}), rpc: chain({ state: 1, hasVoted: true, votes: 250_000n * E18 }) });
    expect((await screen.findByTestId("your-vote")).textContent).toBe("You voted For with 250,000 DEMO.");
    expect((screen.getByRole("group", { name: "Your vote" }) as HTMLFieldSetElement).disabled).toBe(true);
    expect((screen.getByRole("radio", { name: "For" }) as HTMLInputElement).checked).toBe(false);
    expect((screen.getByRole("button", { name: "Submit vote" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("no voting power at the snapshot is said plainly", async () => {
    const noVotes = { ...detail, votes: [] };
    renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: noVotes, ...totals } : {}), rpc: chain({ state: 1, hasVoted: false, votes: 0n }) });
    expect((await screen.findByTestId("voting-power")).textContent).toBe("You had no voting power when voting started; delegate to yourself before the next proposal.");
  });

  it("shows the voting power at the snapshot when there is some", async () => {
    const noVotes = { ...detail, votes: [] };
    renderAt("/proposals/102", { graphql: (q) => (q === PROPOSAL_QUERY ? { proposal: noVotes, ...totals } : {}), rpc: chain({ state: 1, hasVoted: false, votes: 1_500n * E18 }) });
    expect((await screen.findByTestId("voting-power")).textContent).toMatch(/Your voting power for this proposal: 1,500 DEMO/);
  });
});

describe("the proposals list", () => {
  const heldRow = row({
    id: "106", title: "Pay erin (held)", voteStart: String(NOW - 400n), voteEnd: String(NOW - 10n), forVotes: String(400_000n * E18), voterCount: 1,
    decisions: [{ risk: 90, recommendation: "NEEDS_REVIEW", decisionId: "1", report: hex(modelReport) }],
    guards: [{ decisionId: "2", risk: 90, report: hex(hold) }],
  });

  it("marks a held proposal in words, says quorum in tokens and counts voters right", async () => {
    renderAt("/proposals", { graphql: (q) => (q === PROPOSALS_QUERY ? { proposals: [heldRow, ...listRows], ...totals } : {}) });
    const rows = await screen.findAllByTestId("proposal-row");
    expect(within(rows[0]!).getByTestId("safety-marker").textContent).toBe("⚠ Held by the executor · Critical analysis");
    expect(within(rows[0]!).getByTestId("safety-marker").getAttribute("title")).toMatch(/holding this proposal for review/);
    expect(within(rows[1]!).queryByTestId("safety-marker")).toBeNull(); // pending, nothing published yet
    expect(within(rows[2]!).getByTestId("safety-marker").textContent).toBe("⚠ Risky analysis"); // risk 82
    expect(within(rows[3]!).queryByTestId("safety-marker")).toBeNull(); // risk 15, for
    expect(within(rows[0]!).getByTestId("row-quorum").textContent).toBe("Quorum reached: 400,000 DEMO of 40,000 needed");
    expect(within(rows[4]!).getByTestId("row-quorum").textContent).toBe("Quorum: 30,000 of 40,000 DEMO (for + abstain)");
    expect(within(rows[0]!).getByText("1 voter")).toBeTruthy();
    expect(within(rows[3]!).getByText("2 voters")).toBeTruthy();
    expect(rows.map((r) => r.textContent).join()).not.toMatch(/%/);
  });

  it("polls: a row goes from Succeeded to Queued without a reload", async () => {
    let n = 0;
    renderAt("/proposals", {
      graphql: (q) => {
        if (q !== PROPOSALS_QUERY) return {};
        n++;
        return { proposals: [n === 1 ? heldRow : { ...heldRow, status: "QUEUED", eta: String(NOW + 60n) }], ...totals };
      },
    });
    const badge = () => screen.getAllByTestId("proposal-row")[0]!.querySelector(".badge")!.textContent;
    await waitFor(() => expect(badge()).toBe("Succeeded"));
    await waitFor(() => expect(badge()).toBe("Queued"), { timeout: 7_000 });
  }, 10_000);
});
