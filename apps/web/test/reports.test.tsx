// Every kind of published report rendered with its real fields, read through @ai-dao/reports.
import { canonicalJson, REPORT_SCHEMA_VERSION, type FailedReport, type FailedReportV2, type GuardReport, type Report, type ReportV2 } from "@ai-dao/reports";
import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { keccak256, stringToBytes } from "viem";
import { describe, expect, it } from "vitest";

import type { DecisionRow } from "../src/lib/queries.ts";
import { config, decisionLog, decisionRow, detail, totals } from "./fixtures.ts";
import { renderAt } from "./render.tsx";

const h = (byte: string) => `0x${byte.repeat(32)}` as const;
const treasury = config.contracts.timelock;
const outsider = "0x000000000000000000000000000000000000dEaD";

const modelReport: Report = {
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
    targets: [outsider],
    values: ["60000000000000000000"],
    calldatas: ["0x"],
  },
  decodedCalls: [{ index: 0, target: outsider, value: "60000000000000000000", kind: "eth-transfer", selector: null, decoded: true }],
  targets: [{ address: outsider, kind: "empty", codeSize: 0, codeHash: null, balance: "0", nonce: 0, opcodes: { SELFDESTRUCT: false, DELEGATECALL: false, CREATE2: false } }],
  governance: { treasury, balances: [{ asset: "ETH", symbol: "ETH", decimals: 18, balance: "100000000000000000000" }], governor: {} },
  findings: [
    { id: "treasury-outflow/recipient", check: "treasury-outflow", severity: "critical", title: "Sends 60 % of the treasury's ETH to one account", detail: "60 ETH of 100 ETH", evidence: { callIndex: 0 } },
  ],
  riskFloor: 80,
  scores: { risk: 90, benefit: 5, confidence: 0.9 },
  recommendation: "against",
  notes: [],
  provenance: { analyzer: { name: "@ai-dao/analyst", version: "0.1.0" }, mode: "model", model: "claude-test", systemPromptHash: h("33"), inputHash: h("11"), blockNumber: "40", trigger: "created" },
  model: {
    id: "claude-test",
    requestId: null,
    attempts: 1,
    judgement: { risk: 90, benefit: 5, confidence: 0.9, recommendation: "against", reasoning: "The description says maintenance; the call sends most of the treasury away." },
    unknownCitations: [],
    adjustments: [],
  },
  intentVsEffect: {
    claims: [
      { claim: "Routine maintenance of the treasury contracts", status: "unsupported", evidence: ["call:0"], explanation: "No call maintains anything; the only call sends ETH." },
      { claim: "A small payment to the operator", status: "mismatched", evidence: ["call:0", "finding:0", "balance:0"], explanation: "The call sends 60 ETH, not a small amount." },
    ],
    undisclosedEffects: [{ effect: "Sends 60 ETH to an account with no history", evidence: ["call:0", "target:0"] }],
  },
  simulation: {
    status: "executed",
    forkBlock: "40",
    traceSource: "top-level",
    calls: [{ index: 0, success: true, gasUsed: "21000", logCount: 0 }],
    logs: [],
    trace: [],
    effects: {
      ethBalanceChanges: [{ address: treasury, before: "100000000000000000000", after: "40000000000000000000", delta: "-60000000000000000000" }],
      tokenBalanceChanges: [],
      treasuryTokenBalances: [],
      contractsCreated: [],
      roleChanges: [],
      ownershipChanges: [],
      proxyUpgrades: [],
      governanceChanges: [],
    },
  },
};

/** A deterministic report with the summary, the claims checked by code and coverage, inconclusive: the fork simulation failed. */
const { model: _model, intentVsEffect: _intentVsEffect, ...withoutModel } = modelReport;
const codeReport: Report = {
  ...withoutModel,
  mode: "deterministic",
  scores: { risk: 80 },
  provenance: { ...modelReport.provenance!, mode: "deterministic", model: null, systemPromptHash: null },
  summary: "Sends 60 ETH (60 % of the treasury) to 0x0000…dEaD while the description says nothing leaves the treasury.",
  descriptionClaims: {
    claims: [{ claim: "The description says the DAO's holdings do not change", status: "mismatched", evidence: ["call:0", "finding:0"], explanation: "Action 1 sends 60 ETH from the treasury." }],
    undisclosedEffects: [{ effect: "Action 1 sends 60 ETH from the treasury to 0x000000000000000000000000000000000000dEaD", evidence: ["call:0", "balance:0"] }],
  },
  // Version 3: the checks by id only; the page names them from the catalogue of @ai-dao/reports.
  coverage: [
    { check: "treasury-outflow", status: "ran" },
    { check: "access-control", status: "not-applicable" },
    { check: "undecodable-calls", status: "ran" },
    { check: "simulation", status: "skipped", reason: "the fork simulation failed: cannot fork the chain: fetch failed" },
    { check: "simulated-outflow", status: "skipped", reason: "the fork simulation failed: cannot fork the chain: fetch failed" },
    { check: "recent-voting-power", status: "skipped", reason: "voting power could not be read: HTTP request failed" },
  ],
  inconclusive: true,
  simulation: { status: "failed", reason: "cannot fork the chain: fetch failed" },
};

/**
 * The same analysis as stored on chain in version 2, when each coverage entry carried its check's
 * name. Two names differ from today's catalogue (as if the checks were renamed since): the page
 * shows the report's own.
 */
const codeReportV2: ReportV2 = {
  ...codeReport,
  schemaVersion: 2,
  coverage: [
    { check: "treasury-outflow", name: "Treasury outflow", status: "ran" },
    { check: "access-control", name: "Roles and ownership", status: "not-applicable" },
    { check: "undecodable-calls", name: "Calls that cannot be decoded", status: "ran" },
    { check: "simulation", name: "Fork simulation", status: "skipped", reason: "the fork simulation failed: cannot fork the chain: fetch failed" },
    { check: "simulated-outflow", name: "Treasury outflow measured on a copy of the chain", status: "skipped", reason: "the fork simulation failed: cannot fork the chain: fetch failed" },
    { check: "recent-voting-power", name: "Voting power acquired shortly before the snapshot", status: "skipped", reason: "voting power could not be read: HTTP request failed" },
  ],
};

const guardReport: GuardReport = {
  schemaVersion: 1,
  kind: "execution-guard",
  executor: { name: "@ai-dao/executor", version: "0.1.0", address: "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720" },
  chainId: 31337,
  governor: config.contracts.governor,
  proposalId: "102",
  action: "queue",
  decision: "refuse",
  reason: "code-drift",
  summary: "target code changed since the proposal was created",
  blockNumber: "50",
  evidence: { pinnedAtBlock: "12", changes: [{ address: outsider, field: "implementation", pinned: "0x1111111111111111111111111111111111111111", current: "0x2222222222222222222222222222222222222222" }], risk: 100 },
};

const failedReport: FailedReport = {
  schemaVersion: REPORT_SCHEMA_VERSION,
  status: "failed",
  mode: "deterministic",
  analyzer: { name: "@ai-dao/analyst", version: "0.1.0" },
  chainId: 31337,
  blockNumber: "41",
  inputHash: h("44"),
  proposal: { proposalId: "102", descriptionHash: null, targets: null, values: null, calldatas: null },
  failure: { reason: "the node timed out", attempts: 3, event: { name: "ProposalCreated", blockNumber: "41", transactionHash: h("55"), logIndex: 0 } },
  findings: [{ id: "analysis/failed", check: "analysis", severity: "critical", title: "Analysis failed: the node timed out", detail: "", evidence: {} }],
  riskFloor: 100,
  scores: { risk: 100 },
  recommendation: "needs-review",
  notes: [],
  provenance: { analyzer: { name: "@ai-dao/analyst", version: "0.1.0" }, mode: "deterministic", model: null, systemPromptHash: null, inputHash: h("44"), blockNumber: "41", trigger: "created" },
};

/** A decision the executor published about proposal 102, carrying `json`. */
function decisionOf(kind: DecisionRow["kind"], json: string) {
  return decisionRow({ id: "7", decisionId: "7", kind, json, proposal: { id: "102", title: "Routine maintenance" }, actor: { id: "0xa0ee7a142d267c1f36714e4a8f75612f20a79720" }, risk: 100, riskFloor: 100, recommendation: "AGAINST" });
}

async function openDecision(kind: "ANALYSIS" | "EXECUTION_GUARD" | "DRAFT", json: string) {
  renderAt("/decisions", { graphql: () => ({ decisions: [decisionOf(kind, json)] }) });
  const row = await screen.findByTestId("decision-row");
  fireEvent.click(within(row).getByRole("button", { name: "View" }));
}

describe("a model-mode analysis on the proposal page", () => {
  const json = canonicalJson(modelReport);
  const options = {
    graphql: () => ({ proposal: detail, ...totals }),
    analyst: (path: string) =>
      path === "/proposals/102/report" ? { status: 200, body: { report: modelReport, reportJson: json, reportHash: keccak256(stringToBytes(json)), decisionId: "0", txHash: h("22"), blockNumber: 20, cid: null } } : { status: 404, body: {} },
    rpc: (method: string) => (method === "eth_getLogs" ? [decisionLog(102n, json)] : undefined),
  };

  it("shows each claim with its status and cited evidence, and the undisclosed effects, in words", async () => {
    renderAt("/proposals/102", options);
    const panel = await screen.findByTestId("analysis-panel");
    const section = await within(panel).findByTestId("intent-vs-effect");
    const claims = within(section).getAllByTestId("claim");
    expect(claims).toHaveLength(2);
    expect(claims[0]!.textContent).toMatch(/“Routine maintenance of the treasury contracts”.*✗ no call does this/);
    expect(within(claims[0]!).getByTestId("claim-evidence").textContent).toBe("action 1");
    expect(within(claims[1]!).getByTestId("claim-status").textContent).toMatch(/differs from what the calls do/);
    expect(within(claims[1]!).getByTestId("claim-evidence").textContent).toBe("action 1, finding “Sends 60 % of the treasury's ETH to one account”, treasury balance of ETH");
    const undisclosed = within(section).getAllByTestId("undisclosed-effect");
    expect(undisclosed[0]!.textContent).toMatch(/Sends 60 ETH to an account with no history — evidence: action 1, target 0x0000…dEaD/);
    // Never a table of JSON strings.
    expect(section.textContent).not.toMatch(/[{}[\]]/);
    expect(within(panel).getByTestId("model-reasoning").textContent).toMatch(/sends most of the treasury away/);
    expect(within(panel).getByTestId("simulation").textContent).toMatch(/Treasury ETH would change by -60 ETH/);
    expect(within(panel).getByTestId("risk-score").textContent).toBe("90");
    expect(panel.textContent).toMatch(/\(floor 80\)/);
    expect(panel.textContent).toMatch(/model claude-test/);
  });

  it("shows the analyst's notes under a heading that fits them all: what read the proposal and what was not checked", async () => {
    const notes = ["Also read by the model claude-test; it can raise the risk score, never lower it below what the checks found.", "Voting power gained shortly before the snapshot was not checked: it could not be read (the token has no checkpoints)."];
    const report = { ...modelReport, notes };
    const text = canonicalJson(report);
    renderAt("/proposals/102", {
      ...options,
      analyst: (path: string) =>
        path === "/proposals/102/report" ? { status: 200, body: { report, reportJson: text, reportHash: keccak256(stringToBytes(text)), decisionId: "0", txHash: h("22"), blockNumber: 20, cid: null } } : { status: 404, body: {} },
      rpc: (method: string) => (method === "eth_getLogs" ? [decisionLog(102n, text)] : undefined),
    });
    const section = await screen.findByTestId("analysis-notes");
    expect(within(section).getByRole("heading").textContent).toBe("About this analysis");
    expect(within(section).getAllByRole("listitem").map((li) => li.textContent)).toEqual(notes);
  });

  it("shows a version 2 failure report as a failed analysis too", async () => {
    const failedV2: FailedReportV2 = { ...failedReport, schemaVersion: 2 };
    await openDecision("ANALYSIS", canonicalJson(failedV2));
    expect((await screen.findByTestId("analysis-failed")).textContent).toMatch(/Analysis failed: the node timed out/);
  });

  it("shows a failed analysis as such, at risk 100, without the analysed sections", async () => {
    const failedJson = canonicalJson(failedReport);
    renderAt("/proposals/102", {
      ...options,
      analyst: (path: string) => (path === "/proposals/102/report" ? { status: 200, body: { report: failedReport, reportJson: failedJson, reportHash: keccak256(stringToBytes(failedJson)), decisionId: "0", txHash: h("22"), blockNumber: 20 } } : { status: 404, body: {} }),
    });
    const panel = await screen.findByTestId("analysis-panel");
    const failed = await within(panel).findByTestId("analysis-failed");
    expect(failed.textContent).toMatch(/Analysis failed: the node timed out/);
    expect(failed.textContent).toMatch(/not a judgement of the proposal/);
    expect(within(panel).getByTestId("risk-score").textContent).toBe("100");
    expect(within(panel).queryByTestId("intent-vs-effect")).toBeNull();
  });

  it("lists a guard decision on the proposal page in plain words", async () => {
    const guardJson = canonicalJson(guardReport);
    renderAt("/proposals/102", { ...options, graphql: () => ({ proposal: { ...detail, allDecisions: [decisionOf("EXECUTION_GUARD", guardJson)] }, ...totals }) });
    const item = await screen.findByTestId("guard-decision");
    expect(item.textContent).toMatch(/refused to queue because the code of a contract this proposal calls changed/);
  });
});

describe("summary, claims checked by code and coverage", () => {
  const json = canonicalJson(codeReport);
  const onPage = {
    graphql: () => ({ proposal: detail, ...totals }),
    analyst: (path: string) =>
      path === "/proposals/102/report" ? { status: 200, body: { report: codeReport, reportJson: json, reportHash: keccak256(stringToBytes(json)), decisionId: "0", txHash: h("22"), blockNumber: 20, cid: null } } : { status: 404, body: {} },
    rpc: (method: string) => (method === "eth_getLogs" ? [decisionLog(102n, json)] : undefined),
  };

  /** What a person reads: the summary first, the warning, the coverage line, the claims under their own heading. */
  function expectReadable(panel: HTMLElement) {
    const summary = within(panel).getByTestId("analysis-summary");
    expect(summary.textContent).toBe("In short: Sends 60 ETH (60 % of the treasury) to 0x0000…dEaD while the description says nothing leaves the treasury.");
    // The summary comes before everything else of the analysis.
    const first = panel.querySelector("[data-testid=analysis-summary], [data-testid=risk-score], [data-testid=finding]");
    expect(first).toBe(summary);
    const warning = within(panel).getByTestId("analysis-inconclusive");
    expect(warning.textContent).toMatch(/This analysis is incomplete\. Some checks could not run, so problems may be missing from the findings below\. Have someone read the calls before voting\./);
    expect(warning.textContent).toMatch(/Not checked: Running the proposal on a copy of the chain, Treasury outflow measured on a copy of the chain — running the proposal on a copy of the chain failed\./);
    expect(warning.textContent).toMatch(/Not checked: Voting power acquired shortly before the snapshot — voting power could not be read from the chain\./);
    expect(within(panel).getByTestId("coverage-line").textContent).toBe("2 checks ran, 1 not applicable, 3 not run");
    const entries = within(panel).getAllByTestId("coverage-entry").map((e) => e.textContent);
    expect(entries).toContain("Roles, ownership, guardian, analysts, timelock delay: nothing to check in this proposal");
    expect(entries).toContain("Running the proposal on a copy of the chain: not checked (running the proposal on a copy of the chain failed)");
    const claims = within(panel).getByTestId("description-claims");
    expect(within(claims).getByRole("heading", { level: 3 }).textContent).toBe("Checked by code: what the description claims vs what the calls do");
    expect(within(claims).getAllByTestId("claim")[0]!.textContent).toMatch(/“The description says the DAO's holdings do not change”.*✗ differs from what the calls do.*action 1, finding “Sends 60 % of the treasury's ETH to one account”/);
    expect(within(claims).getByTestId("undisclosed-effect").textContent).toMatch(/Action 1 sends 60 ETH from the treasury to 0x0+dEaD — evidence: action 1, treasury balance of ETH/);
    expect(within(panel).queryByTestId("intent-vs-effect")).toBeNull();
    // No developer wording in what a member reads (the exact JSON is behind its own disclosure).
    for (const id of ["analysis-summary", "analysis-inconclusive", "analysis-coverage", "description-claims"]) {
      expect(within(panel).getByTestId(id).textContent).not.toMatch(/fetch failed|HTTP request|skipped|not-applicable|simulated-outflow|[{}]/);
    }
  }

  it("on the proposal page: the summary first, the warning naming what could not be checked, the coverage line, the claims checked by code", async () => {
    renderAt("/proposals/102", onPage);
    const panel = await screen.findByTestId("analysis-panel");
    await within(panel).findByTestId("analysis-summary");
    expectReadable(panel);
  });

  it("in the decision log's report view, the same", async () => {
    await openDecision("ANALYSIS", json);
    await screen.findByTestId("analysis-summary");
    expectReadable(document.body);
  });

  it("a model-mode report shows both readings under distinct headings, and no warning when the analysis is complete", async () => {
    const both: Report = { ...modelReport, summary: "Sends 60 ETH (60 % of the treasury) to 0x0000…dEaD.", descriptionClaims: codeReport.descriptionClaims!, coverage: codeReport.coverage!.map((c) => ({ ...c, status: c.status === "skipped" ? ("ran" as const) : c.status, reason: undefined })), inconclusive: false };
    const bothJson = canonicalJson(both);
    await openDecision("ANALYSIS", bothJson);
    const code = await screen.findByTestId("description-claims");
    const model = screen.getByTestId("intent-vs-effect");
    expect(within(code).getByRole("heading", { level: 3 }).textContent).toBe("Checked by code: what the description claims vs what the calls do");
    expect(within(model).getByRole("heading", { level: 3 }).textContent).toBe("The model's reading: what the description claims vs what the calls do");
    expect(screen.queryByTestId("analysis-inconclusive")).toBeNull();
    expect(screen.getByTestId("coverage-line").textContent).toBe("5 checks ran, 1 not applicable");
  });

  it("a stored version 2 report still reads, and its coverage shows the names it carries", async () => {
    await openDecision("ANALYSIS", canonicalJson(codeReportV2));
    await screen.findByTestId("analysis-summary");
    const entries = screen.getAllByTestId("coverage-entry").map((e) => e.textContent);
    expect(entries).toEqual([
      "Treasury outflow: checked",
      "Roles and ownership: nothing to check in this proposal",
      "Calls that cannot be decoded: checked",
      "Fork simulation: not checked (running the proposal on a copy of the chain failed)",
      "Treasury outflow measured on a copy of the chain: not checked (running the proposal on a copy of the chain failed)",
      "Voting power acquired shortly before the snapshot: not checked (voting power could not be read from the chain)",
    ]);
    expect(screen.getByTestId("analysis-inconclusive").textContent).toMatch(/Not checked: Fork simulation, Treasury outflow measured on a copy of the chain — running the proposal on a copy of the chain failed\./);
    expect(screen.getByTestId("coverage-line").textContent).toBe("2 checks ran, 1 not applicable, 3 not run");
  });

  it("a version 3 report's coverage is named from the catalogue, entry by entry", async () => {
    await openDecision("ANALYSIS", json);
    await screen.findByTestId("analysis-summary");
    expect(screen.getAllByTestId("coverage-entry").map((e) => e.textContent)).toEqual([
      "Treasury outflow: checked",
      "Roles, ownership, guardian, analysts, timelock delay: nothing to check in this proposal",
      "Calls that cannot be decoded: checked",
      "Running the proposal on a copy of the chain: not checked (running the proposal on a copy of the chain failed)",
      "Treasury outflow measured on a copy of the chain: not checked (running the proposal on a copy of the chain failed)",
      "Voting power acquired shortly before the snapshot: not checked (voting power could not be read from the chain)",
    ]);
  });

  it("a check this app does not know (a newer analyst) is shown by its id, and the page still renders", async () => {
    const newer: Report = {
      ...codeReport,
      coverage: [...codeReport.coverage!, { check: "oracle-manipulation", status: "skipped", reason: "the check failed: boom" }, { check: "price-impact", status: "ran" }],
    };
    const newerJson = canonicalJson(newer);
    renderAt("/proposals/102", { ...onPage, analyst: (path: string) => (path === "/proposals/102/report" ? { status: 200, body: { report: newer, reportJson: newerJson, reportHash: keccak256(stringToBytes(newerJson)), decisionId: "0", txHash: h("22"), blockNumber: 20, cid: null } } : { status: 404, body: {} }), rpc: (method: string) => (method === "eth_getLogs" ? [decisionLog(102n, newerJson)] : undefined) });
    const panel = await screen.findByTestId("analysis-panel");
    await within(panel).findByTestId("analysis-summary");
    const entries = within(panel).getAllByTestId("coverage-entry").map((e) => e.textContent);
    expect(entries).toHaveLength(8);
    expect(entries).toContain("oracle-manipulation: not checked (the check stopped with an error)");
    expect(entries).toContain("price-impact: checked");
    expect(entries).toContain("Treasury outflow: checked");
    expect(within(panel).getByTestId("analysis-inconclusive").textContent).toMatch(/Not checked: oracle-manipulation — the check stopped with an error\./);
    expect(within(panel).getByTestId("coverage-line").textContent).toBe("3 checks ran, 1 not applicable, 4 not run");
    expect(within(panel).getByTestId("risk-score").textContent).toBe("80");
  });

  it("a version-1 report's unvalidated extra fields are not shown", async () => {
    const v1 = { mode: "deterministic", findings: [], scores: { risk: 0 }, summary: "Everything is fine, vote for.", inconclusive: false, coverage: "x" };
    await openDecision("ANALYSIS", JSON.stringify(v1));
    await screen.findByText(/No findings/);
    expect(screen.queryByTestId("analysis-summary")).toBeNull();
    expect(screen.queryByTestId("analysis-coverage")).toBeNull();
  });
});

describe("an ExecutionGuard decision in the decision log", () => {
  it("shows the action, decision, reason in words, summary, changed code and the executor — not an analysis", async () => {
    await openDecision("EXECUTION_GUARD", canonicalJson(guardReport));
    const guard = await screen.findByTestId("guard-report");
    expect(within(guard).getByTestId("guard-headline").textContent).toBe("The executor refused to queue this proposal");
    expect(guard.textContent).toMatch(/Because the code of a contract this proposal calls changed after the proposal was created\./);
    expect(within(guard).getByTestId("guard-decision-kind").textContent).toBe("refuse (queue)");
    expect(within(guard).getByTestId("guard-summary").textContent).toBe("target code changed since the proposal was created");
    expect(within(guard).getByTestId("guard-evidence").textContent).toMatch(/the implementation behind the proxy changed since block 12 — was 0x1111.*now 0x2222/);
    expect(guard.textContent).toMatch(/@ai-dao\/executor 0\.1\.0/);
    expect(screen.queryByText(/no analysis/)).toBeNull();
    expect(screen.queryByText(/floor/)).toBeNull();
    expect(screen.getByTestId("report-json").textContent).toBe(canonicalJson(guardReport));
  });

  it("says what the Governor itself answers: it refuses too when a target's code changed, or anyone could still take the step", async () => {
    const target = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
    const pinned = `0x${"0".repeat(64)}`;
    const current = `0x${"ab".repeat(32)}`;
    const refusedOnChain: GuardReport = {
      ...guardReport,
      action: "execute",
      evidence: { ...guardReport.evidence, onChain: { call: "execute", reverts: true, error: "GovernorTargetCodeChanged", args: { proposalId: "102", target, pinned, current }, message: "GovernorTargetCodeChanged(…)" } },
    };
    await openDecision("EXECUTION_GUARD", canonicalJson(refusedOnChain));
    const onChain = await screen.findByTestId("guard-on-chain");
    expect(onChain.textContent).toMatch(/^The Governor refuses to execute it too: the code at .* changed since the proposal was created \(was no code, now 0xabab.*\)\. It can never run as voted\.$/);
    cleanup();

    const openOnChain: GuardReport = { ...guardReport, evidence: { ...guardReport.evidence, onChain: { call: "queue", reverts: false } } };
    await openDecision("EXECUTION_GUARD", canonicalJson(openOnChain));
    expect((await screen.findByTestId("guard-on-chain")).textContent).toBe("On chain nothing stops this: anyone may still queue it. Only the proposal guardian cancelling it keeps it from going through.");
  });

  it("shows a hold on a simulated revert with the revert and who can lift it", async () => {
    const hold: GuardReport = {
      ...guardReport,
      action: "execute",
      decision: "hold",
      reason: "analysis-critical",
      summary: "the latest analysis has 1 critical finding(s): treasury-outflow/recipient; waiting for an operator override",
      evidence: { findings: [{ id: "treasury-outflow/recipient", title: "Sends 60 % of the treasury's ETH", severity: "critical" }], guardian: "0x90F79bf6EB2c4f870365E785982E1f101E93b906", override: "EXECUTOR_OVERRIDES", risk: 90 },
    };
    await openDecision("EXECUTION_GUARD", canonicalJson(hold));
    const guard = await screen.findByTestId("guard-report");
    expect(within(guard).getByTestId("guard-headline").textContent).toBe("The executor is holding this proposal instead of executing it");
    expect(within(guard).getByTestId("guard-evidence").textContent).toMatch(/\[critical\] Sends 60 % of the treasury's ETH/);
    expect(guard.textContent).toMatch(/lifts by itself when a clean analysis is published/);
  });

  it("warns about a report published under another kind", async () => {
    await openDecision("EXECUTION_GUARD", canonicalJson(modelReport));
    expect((await screen.findByTestId("report-unreadable")).textContent).toMatch(/cannot be read.*says it is an analysis, but it was published as an execution-guard decision/);
  });

  it("warns about bytes that are not JSON", async () => {
    await openDecision("ANALYSIS", "not json at all");
    expect((await screen.findByTestId("report-unreadable")).textContent).toMatch(/the report is not JSON/);
    expect(screen.getByTestId("report-json").textContent).toBe("not json at all");
  });

  it("shows a Draft decision with its intent and actions in token units", async () => {
    const draft = {
      schemaVersion: 1,
      kind: "draft",
      intent: "Pay the auditor 1.5 ETH",
      actions: [{ template: "treasury-eth-transfer", recipient: outsider, amountWei: "1500000000000000000" }],
      proposal: { proposalId: "5", targets: [outsider], values: ["1500000000000000000"], calldatas: ["0x"], descriptionHash: h("88") },
      analysis: { reportHash: h("99"), cid: "bafkreitest", mode: "model", risk: 10, recommendation: "for" },
      provenance: { analyzer: { name: "@ai-dao/analyst", version: "0.1.0" }, model: "claude-test", systemPromptHash: h("aa"), blockNumber: "60" },
    };
    await openDecision("DRAFT", canonicalJson(draft));
    const view = await screen.findByTestId("draft-report");
    expect(view.textContent).toMatch(/from the intent: “Pay the auditor 1.5 ETH”/);
    expect(view.textContent).toMatch(/Send 1.5 ETH from the treasury to 0x0000…dEaD/);
  });
});
