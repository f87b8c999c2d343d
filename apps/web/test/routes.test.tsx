import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { ACCOUNT_QUERY, PROPOSALS_QUERY } from "../src/lib/queries.ts";
import { alice, decisionLog, detail, listRows, reportBytes, reportHash, reportJson, totals } from "./fixtures.ts";
import { renderAt } from "./render.tsx";

describe("proposals list", () => {
  it("shows each proposal's state at chain time, its risk badge and tallies", async () => {
    renderAt("/", { graphql: (q) => (q === PROPOSALS_QUERY ? { proposals: listRows, ...totals } : {}) });
    const rows = await screen.findAllByTestId("proposal-row");
    expect(rows).toHaveLength(5);
    const states = rows.map((r) => r.querySelector(".badge")!.textContent);
    expect(states).toEqual(["Pending", "Active", "Succeeded", "Defeated", "Executed"]);
    expect(within(rows[1]!).getByText("risk 82")).toBeTruthy();
    expect(within(rows[0]!).getByText("no analysis")).toBeTruthy();
    expect(within(rows[1]!).getByText(/ends in 3m 21s/)).toBeTruthy();
    expect(within(rows[2]!).getByText(/For 400,000 · Against 100,000 · Abstain 0 DEMO/)).toBeTruthy();
  });

  it("filters by state and search through the GraphQL where, and pages with first/skip", async () => {
    const { calls } = renderAt("/proposals?state=Active&q=grant&page=2", { graphql: () => ({ proposals: [listRows[1]], ...totals }) });
    await screen.findAllByTestId("proposal-row");
    const last = calls.graphql.at(-1)!;
    expect(last.variables).toMatchObject({
      first: 26,
      skip: 25,
      where: { status: "CREATED", title_contains_nocase: "grant", voteStart_lt: "1800000000", voteEnd_gte: "1800000000" },
    });
    expect((screen.getByLabelText(/State/) as HTMLSelectElement).value).toBe("Active");
  });

  it("searches for what was typed, even when it looks like a number (a year, a long id)", async () => {
    for (const q of ["2024", "1.50", "115792089237316195423570985008687907853269984665640564039457584007913129639935"]) {
      const { calls, unmount } = renderAt(`/proposals?q=${q}`, { graphql: () => ({ proposals: [listRows[1]], ...totals }) });
      await screen.findAllByTestId("proposal-row");
      expect(calls.graphql.at(-1)!.variables.where).toMatchObject({ title_contains_nocase: q });
      unmount();
    }
  });

  it("says so when there are no proposals, and shows indexer errors", async () => {
    renderAt("/proposals", { graphql: () => ({ proposals: [], ...totals }) });
    expect(await screen.findByText(/No proposals/)).toBeTruthy();
  });

  it("ignores an invalid state in the URL", async () => {
    const { calls } = renderAt("/proposals?state=Bogus", { graphql: () => ({ proposals: listRows, ...totals }) });
    await screen.findAllByTestId("proposal-row");
    expect(calls.graphql.at(-1)!.variables.where).toEqual({});
  });
});

describe("proposal page", () => {
  const options = {
    graphql: () => ({ proposal: detail, ...totals }),
    analyst: (path: string) =>
      path === "/proposals/102/report"
        ? { status: 200, body: { report: JSON.parse(reportJson), reportJson, reportHash, decisionId: "0", txHash: `0x${"22".repeat(32)}`, blockNumber: 20, cid: null } }
        : { status: 404, body: { error: "not found" } },
    rpc: (method: string) => (method === "eth_getLogs" ? [decisionLog(102n, reportJson)] : undefined),
  };

  it("renders the description as sanitised Markdown and warns about hidden characters", async () => {
    renderAt("/proposals/102", options);
    const description = await screen.findByTestId("description");
    expect(description.querySelector("strong")!.textContent).toBe("bold");
    expect(description.querySelector("script")).toBeNull();
    expect(description.querySelector("img")).toBeNull();
    expect(description.querySelector('a[href^="javascript"]')).toBeNull();
    expect((window as { __pwned?: boolean }).__pwned).toBeUndefined();
    expect(screen.getByTestId("hidden-chars-warning").textContent).toMatch(/U\+200B/);
  });

  it("decodes every action with the target's name and amounts in token units", async () => {
    renderAt("/proposals/102", options);
    const actions = await screen.findAllByTestId("action");
    expect(actions[0]!.textContent).toMatch(/transfer on DEMO token/);
    expect(actions[0]!.textContent).toMatch(/1,000 DEMO/);
    // A plain ETH transfer in one sentence, like a token transfer.
    expect(actions[1]!.querySelector('[data-testid="action-summary"]')!.textContent).toMatch(/^Send 0\.5 ETH from the treasury to (0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4}|\w+)$/);
    expect(actions[1]!.textContent).toMatch(/No function is called: 0\.5 ETH goes to/);
  });

  it("shows the analysis, findings by severity and the intent-vs-effect table", async () => {
    renderAt("/proposals/102", options);
    const panel = await screen.findByTestId("analysis-panel");
    await within(panel).findByTestId("risk-score");
    expect(within(panel).getByTestId("risk-score").textContent).toBe("75");
    expect(panel.textContent).toMatch(/floor 70/);
    expect(panel.textContent).toMatch(/needs-review/);
    expect(panel.textContent).toMatch(/model claude-test-model/);
    const findings = within(panel).getAllByTestId("finding");
    expect(findings[0]!.textContent).toMatch(/\[critical\]/); // critical first
    expect(within(panel).getByTestId("intent-vs-effect").textContent).toMatch(/transfer\(erin, 1000 DEMO\)/);
  });

  it("says where the analysis was published, in a member's words, with a link to this proposal's decisions", async () => {
    renderAt("/proposals/102", options);
    const panel = await screen.findByTestId("analysis-panel");
    await within(panel).findByTestId("risk-score");
    expect(panel.textContent).toMatch(/Published on chain by the analyst; every decision on this proposal is in the decision log\./);
    expect(panel.textContent).not.toMatch(/as the (analyst service|indexer) gave it/);
    expect(within(panel).getByRole("link", { name: "decision log" }).getAttribute("href")).toBe("/decisions?proposal=102");
  });

  it("Verify: match against the DecisionPublished event, mismatch when the report on screen is altered", async () => {
    const { calls } = renderAt("/proposals/102", options);
    const panel = await screen.findByTestId("analysis-panel");
    await within(panel).findByTestId("report-json");
    fireEvent.click(within(panel).getByRole("button", { name: /Verify on chain/ }));
    expect((await within(panel).findByTestId("verify-verdict", {}, { timeout: 5000 })).textContent).toMatch(/^Match/);
    expect(calls.rpc.some((c) => c.method === "eth_getLogs")).toBe(true);

    within(panel).getByTestId("report-json").textContent = reportJson.replace('"risk":75', '"risk":5');
    fireEvent.click(within(panel).getByRole("button", { name: /Verify on chain/ }));
    await waitFor(() => expect(within(panel).getByTestId("verify-verdict").textContent).toMatch(/^MISMATCH/));
  });

  it("shows the vote box while Active and the votes with weights and reasons", async () => {
    renderAt("/proposals/102", options);
    expect(await screen.findByRole("heading", { name: "Cast your vote" })).toBeTruthy();
    expect(screen.getByRole("radio", { name: "For" })).toBeTruthy();
    const vote = screen.getByTestId("vote-row");
    expect(vote.textContent).toMatch(/For.*250,000 DEMO.*looks fine/);
  });
});

describe("new proposal", () => {
  it("previews the analysis of exactly what will be submitted", async () => {
    const { calls } = renderAt("/proposals/new", {
      analyst: (path) => (path === "/analyze" ? { status: 200, body: { report: JSON.parse(reportJson), reportJson, reportHash } } : { status: 404, body: {} }),
    });
    fireEvent.change(await screen.findByLabelText(/Recipient address/), { target: { value: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc" } });
    fireEvent.change(screen.getByLabelText(/Amount \(ETH\)/), { target: { value: "1.5" } });
    fireEvent.change(screen.getByLabelText(/Description/), { target: { value: "# Pay erin" } });
    fireEvent.click(screen.getByRole("button", { name: "Preview analysis" }));
    await screen.findByTestId("analysis-preview");
    expect(calls.analyst.at(-1)).toEqual({
      url: "/analyze",
      body: { targets: ["0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc"], values: ["1500000000000000000"], calldatas: ["0x"], description: "# Pay erin" },
    });
  });

  it("shows the analyst's 503 message when drafting has no model", async () => {
    renderAt("/proposals/new", { analyst: () => ({ status: 503, body: { error: "drafting needs a model: set ANTHROPIC_API_KEY on the analyst" } }) });
    fireEvent.change(await screen.findByLabelText(/What should the DAO do/), { target: { value: "pay erin 1 ETH" } });
    fireEvent.click(screen.getByRole("button", { name: "Draft with AI" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/Drafting is unavailable.*ANTHROPIC_API_KEY/);
  });
});

describe("decision log and local chain tools", () => {
  it("lists decisions with filters sent as the GraphQL where", async () => {
    const decision = {
      id: "0", decisionId: "0", proposalId: "102", proposal: { id: "102", title: "Pay erin" }, kind: "ANALYSIS", actor: { id: "0x23618e81e3f5cdf7f54c3d65f7fbc0abf5b21e8f" },
      risk: 75, riskFloor: 70, recommendation: "NEEDS_REVIEW", reportHash, encoding: "DEFLATE_RAW", report: reportBytes, summary: null, timestamp: "1800000000", block: "20", tx: `0x${"22".repeat(32)}`,
    };
    const { calls } = renderAt("/decisions?kind=ANALYSIS&minRisk=50", { graphql: () => ({ decisions: [decision] }) });
    expect(await screen.findAllByTestId("decision-row")).toHaveLength(1);
    expect(calls.graphql.at(-1)!.variables.where).toEqual({ kind: "ANALYSIS", risk_gte: 50 });
  });

  it("shows the time tools on the local chain", async () => {
    renderAt("/treasury", { graphql: () => ({ incoming: [], outgoing: [], timelockCalls: [] }) });
    expect(await screen.findByRole("button", { name: "Advance time" })).toBeTruthy();
  });
});

describe("index health", () => {
  it("says lists may be incomplete when the index skipped events it could not process, and still shows them", async () => {
    const { calls } = renderAt("/proposals", { graphql: () => ({ proposals: listRows, ...totals }), indexingErrors: true });
    expect((await screen.findByTestId("index-health-warning")).textContent).toMatch(/could not be processed/);
    expect(await screen.findAllByTestId("proposal-row")).toHaveLength(5);
    expect(calls.graphql.at(-1)!.query).toMatch(/proposals\([^)]*subgraphError: allow/);
  });

  it("shows no warning on a healthy index", async () => {
    renderAt("/proposals", { graphql: () => ({ proposals: listRows, ...totals }) });
    await screen.findAllByTestId("proposal-row");
    expect(screen.queryByTestId("index-health-warning")).toBeNull();
  });
});

describe("an account's page", () => {
  const account = (delegate: string | null) => ({
    account: {
      id: alice,
      balance: "250000000000000000000000",
      delegatedVotes: "250000000000000000000000",
      delegatorCount: "1",
      votesCast: "0",
      proposalsMade: "2",
      isAnalyst: false,
      delegate: delegate ? { id: delegate } : null,
      delegators: [{ id: alice, balance: "250000000000000000000000" }],
      votes: [],
      proposals: [
        { id: "1", title: "Fund the audit", status: "CREATED" },
        { id: "2", title: "Pay the designer", status: "EXECUTED" },
      ],
    },
  });

  it("says in words that an account delegates to itself, and what the indexer records of its proposals", async () => {
    renderAt(`/delegates/${alice}`, { graphql: (q) => (q === ACCOUNT_QUERY ? account(alice) : {}) });
    await screen.findByText("itself (its own tokens vote)");
    const items = screen.getAllByRole("listitem").filter((li) => /Fund the audit|Pay the designer/.test(li.textContent ?? ""));
    expect(items.map((li) => li.textContent)).toEqual(["Fund the audit proposed", "Pay the designer executed"]);
  });

  it("links another delegate by its checksummed address", async () => {
    renderAt(`/delegates/${alice}`, { graphql: (q) => (q === ACCOUNT_QUERY ? account("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc") : {}) });
    const link = await screen.findByRole("link", { name: "0x3C44…93BC" });
    expect(link.getAttribute("href")).toBe("/delegates/0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
  });
});
