// The decision log: filters read exactly and explained when they cannot be, actors named, exports
// with ISO times and exact values, each kind of report in its own view.
import { canonicalJson, REPORT_SCHEMA_VERSION, type FailedReport, type GuardReport } from "@ai-dao/reports";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { keccak256, stringToBytes } from "viem";
import { describe, expect, it } from "vitest";

import { ACTOR_ROLES_QUERY, actorDirectory, actorLabel, actorRoleName, parseActor, parseMinRisk, parseProposalId } from "../src/lib/decisions.ts";
import { decisionsToCsv, decisionsToJson, isoTime } from "../src/lib/export.ts";
import type { DecisionRow } from "../src/lib/queries.ts";
import { analyst as ANALYST, config, decisionRow, reportJson } from "./fixtures.ts";
import { renderAt } from "./render.tsx";

const EXECUTOR = "0xa0ee7a142d267c1f36714e4a8f75612f20a79720";
const STRANGER = "0x1111111111111111111111111111111111111111";
/** A real-sized proposal id (a keccak256 hash, 77 digits): more than a JSON number can hold exactly. */
const LONG_ID = BigInt(keccak256(stringToBytes("a proposal"))).toString();
const h = (byte: string) => `0x${byte.repeat(32)}` as const;

const guardReport: GuardReport = {
  schemaVersion: 1,
  kind: "execution-guard",
  executor: { name: "@ai-dao/executor", version: "0.1.0", address: "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720" },
  chainId: 31337,
  governor: config.contracts.governor,
  proposalId: "102",
  action: "queue",
  decision: "hold",
  reason: "analysis-missing",
  summary: "no published analysis yet",
  blockNumber: "50",
  evidence: { risk: 100, override: false },
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

const row = decisionRow;

const roles = { analysts: [{ id: ANALYST }], publishers: [{ id: ANALYST }, { id: EXECUTOR }] };

describe("decision filters", () => {
  it("reads a proposal id exactly: all its decimal digits, or 0x and 64 hex digits", () => {
    expect(parseProposalId(LONG_ID)).toEqual({ value: LONG_ID });
    expect(parseProposalId(`  ${LONG_ID} `)).toEqual({ value: LONG_ID });
    expect(parseProposalId(`0x${BigInt(LONG_ID).toString(16).padStart(64, "0")}`)).toEqual({ value: LONG_ID });
    expect(parseProposalId("102")).toEqual({ value: "102" });
    expect(parseProposalId("")).toEqual({});
  });

  it("explains a shortened, hex-too-short, oversized or non-numeric proposal id", () => {
    expect(parseProposalId(`${LONG_ID.slice(0, 10)}…`).error).toMatch(/shortened .*paste all of it/);
    expect(parseProposalId("0x1234abcd...").error).toMatch(/shortened/);
    expect(parseProposalId("0x1234abcd").error).toMatch(/has 8 digits, not 64, so it looks shortened/);
    expect(parseProposalId((2n ** 256n).toString()).error).toMatch(/larger than any proposal id/);
    expect(parseProposalId("grant").error).toMatch(/“grant” is not a proposal id: a proposal id is the whole number/);
    expect(parseProposalId("-5").error).toBeDefined();
  });

  it("explains an actor that is not a full address, and accepts a known actor's name", () => {
    expect(parseActor("0x23618E81E3f5cdF7f54C3d65f7FBc0aBf5B21E8F")).toEqual({ value: ANALYST });
    expect(parseActor("bob").error).toBe("“bob” is not an address: enter 0x followed by 40 hex digits.");
    expect(parseActor("0x2361…1E8f").error).toMatch(/shortened/);
    expect(parseActor("0x23618e81").error).toMatch(/40 hex digits after 0x; this has 8/);
    const directory = actorDirectory({ roles, executorAddress: EXECUTOR });
    expect(parseActor("Analyst", directory)).toEqual({ value: ANALYST });
    expect(parseActor("executor", directory)).toEqual({ value: EXECUTOR });
    expect(parseActor("bob", directory).error).toMatch(/or the name of a known actor \(analyst, executor\)/);
  });

  it("explains a risk outside 0–100", () => {
    expect(parseMinRisk("50")).toEqual({ value: 50 });
    expect(parseMinRisk("101").error).toMatch(/whole number from 0 to 100/);
    expect(parseMinRisk("high").error).toMatch(/whole number from 0 to 100/);
  });
});

describe("actor names", () => {
  it("names the Governor's analyst, the executor and other publishers; anyone else by short address", () => {
    const directory = actorDirectory({ roles: { ...roles, publishers: [...roles.publishers, { id: STRANGER }] }, executorAddress: EXECUTOR });
    expect(actorRoleName(ANALYST, directory)).toBe("analyst");
    expect(actorRoleName(EXECUTOR, directory)).toBe("executor");
    expect(actorRoleName(STRANGER, directory)).toBe("publisher");
    expect(actorRoleName("0x2222222222222222222222222222222222222222", directory)).toBeNull();
    expect(actorLabel(ANALYST, directory)).toBe("analyst (0x2361…1E8f)");
    expect(actorLabel("0x2222222222222222222222222222222222222222", directory)).toBe("0x2222…2222");
  });

  it("names the executor from its own guard report when its /health cannot be read, but only a publisher", () => {
    const guard = row({ kind: "EXECUTION_GUARD", actor: { id: EXECUTOR }, json: canonicalJson(guardReport) });
    expect(actorRoleName(EXECUTOR, actorDirectory({ roles, rows: [guard] }))).toBe("executor");
    expect(actorRoleName(EXECUTOR, actorDirectory({ roles: { analysts: roles.analysts, publishers: [] }, rows: [guard] }))).toBeNull();
    expect(actorRoleName(EXECUTOR, actorDirectory({ roles }))).toBe("publisher");
  });
});

describe("exports", () => {
  it("CSV: ISO 8601 UTC times, the actor's address and name", () => {
    const directory = actorDirectory({ roles, executorAddress: EXECUTOR });
    const csv = decisionsToCsv([row({ proposalId: LONG_ID })], (a) => actorRoleName(a, directory));
    const [header, line] = csv.split("\r\n");
    expect(header).toBe("decisionId,proposalId,kind,actor,actorName,risk,riskFloor,recommendation,reportHash,time,block,tx,summary");
    expect(line).toContain(`0,${LONG_ID},ANALYSIS,${ANALYST},analyst,75,70,NEEDS_REVIEW,`);
    expect(line).toContain(",2027-01-15T08:00:00Z,20,");
    expect(isoTime("0")).toBe("1970-01-01T00:00:00Z");
    expect(isoTime("99999999999999999999")).toBe("99999999999999999999");
  });

  it("JSON: every value exactly as indexed, with the name, the ISO time and the report's text beside them", () => {
    const json = JSON.parse(decisionsToJson([row({ proposalId: LONG_ID, timestamp: "1800000001" })], () => "analyst"));
    expect(json[0]).toMatchObject({ proposalId: LONG_ID, timestamp: "1800000001", time: "2027-01-15T08:00:01Z", actor: ANALYST, actorName: "analyst", block: "20", reportText: reportJson });
  });
});

describe("the decision log page", () => {
  const answer = (rows: DecisionRow[]) => (query: string) => (query === ACTOR_ROLES_QUERY ? roles : { decisions: rows });
  const decisionCalls = (calls: { graphql: { query: string; variables: Record<string, unknown> }[] }) => calls.graphql.filter((c) => c.query !== ACTOR_ROLES_QUERY);

  it("names each actor on the page", async () => {
    renderAt("/decisions", { graphql: answer([row(), row({ id: "1", decisionId: "1", kind: "EXECUTION_GUARD", actor: { id: EXECUTOR }, json: canonicalJson(guardReport) })]) });
    const rows = await screen.findAllByTestId("decision-row");
    await waitFor(() => expect(rows[0]!.textContent).toMatch(/analyst\s*0x2361…1E8f/));
    expect(rows[1]!.textContent).toMatch(/executor\s*0xa0Ee…9720/);
  });

  it("narrows by the proposal in the URL, to the exact 77-digit id", async () => {
    const { calls } = renderAt(`/decisions?proposal=${LONG_ID}`, { graphql: answer([row({ proposalId: LONG_ID })]) });
    await screen.findAllByTestId("decision-row");
    expect(decisionCalls(calls).at(-1)!.variables.where).toEqual({ proposalId: LONG_ID });
    expect((screen.getByLabelText("Proposal id") as HTMLInputElement).value).toBe(LONG_ID);
  });

  it("reads every filter in the URL as its text (a 77-digit id would not survive a JSON number)", async () => {
    const { calls, router } = renderAt(`/decisions?proposal=${LONG_ID}&actor=${ANALYST}&minRisk=50&kind=DRAFT`, { graphql: answer([row({ proposalId: LONG_ID, kind: "DRAFT" })]) });
    await screen.findAllByTestId("decision-row");
    expect(router.state.location.search).toEqual({ proposal: LONG_ID, actor: ANALYST, minRisk: "50", kind: "DRAFT" });
    expect(decisionCalls(calls).at(-1)!.variables.where).toEqual({ proposalId: LONG_ID, actor: ANALYST, risk_gte: 50, kind: "DRAFT" });
    expect((screen.getByLabelText("Risk at least") as HTMLInputElement).value).toBe("50");
  });

  it("keeps a minimum risk typed in the form in the URL, and filters by it", async () => {
    const { calls, router } = renderAt("/decisions", { graphql: answer([row()]) });
    await screen.findAllByTestId("decision-row");
    fireEvent.change(screen.getByLabelText("Risk at least"), { target: { value: "50" } });
    fireEvent.click(screen.getByRole("button", { name: "Filter" }));
    await waitFor(() => expect(decisionCalls(calls).at(-1)!.variables.where).toEqual({ risk_gte: 50 }));
    expect(router.state.location.searchStr).toBe("?minRisk=50");
  });

  it("narrows by a proposal typed in hex, and keeps it in the URL", async () => {
    const { calls, router } = renderAt("/decisions", { graphql: answer([row()]) });
    await screen.findAllByTestId("decision-row");
    fireEvent.change(screen.getByLabelText("Proposal id"), { target: { value: `0x${BigInt(LONG_ID).toString(16).padStart(64, "0")}` } });
    fireEvent.click(screen.getByRole("button", { name: "Filter" }));
    await waitFor(() => expect(decisionCalls(calls).at(-1)!.variables.where).toEqual({ proposalId: LONG_ID }));
    expect(router.state.location.searchStr).toBe(`?proposal=${LONG_ID}`);
    expect(router.state.location.search).toEqual({ proposal: LONG_ID });
  });

  it("explains an invalid actor at its field and does not filter without it", async () => {
    const { calls } = renderAt("/decisions", { graphql: answer([row()]) });
    await screen.findAllByTestId("decision-row");
    const before = decisionCalls(calls).length;
    const actor = screen.getByLabelText("Actor");
    fireEvent.change(actor, { target: { value: "bob" } });
    fireEvent.click(screen.getByRole("button", { name: "Filter" }));
    const error = await screen.findByTestId("actor-error");
    expect(error.textContent).toMatch(/“bob” is not an address: enter 0x followed by 40 hex digits/);
    expect(actor.getAttribute("aria-invalid")).toBe("true");
    expect(actor.getAttribute("aria-describedby")).toBe(error.id);
    expect(decisionCalls(calls).length).toBe(before);
  });

  it("explains a shortened proposal id from a link, and shows no decisions rather than all of them", async () => {
    const { calls } = renderAt(`/decisions?proposal=${encodeURIComponent(`${LONG_ID.slice(0, 10)}…`)}`, { graphql: answer([row()]) });
    expect((await screen.findByTestId("proposal-error")).textContent).toMatch(/shortened/);
    expect(screen.getByTestId("filters-invalid")).toBeTruthy();
    expect(screen.queryAllByTestId("decision-row")).toHaveLength(0);
    expect(decisionCalls(calls)).toHaveLength(0);
  });

  it("opens every kind of decision in its own view", async () => {
    const all = [
      row({ id: "3", decisionId: "3", json: reportJson }),
      row({ id: "2", decisionId: "2", json: canonicalJson(failedReport), risk: 100 }),
      row({ id: "1", decisionId: "1", kind: "EXECUTION_GUARD", actor: { id: EXECUTOR }, json: canonicalJson(guardReport) }),
      row({ id: "0", decisionId: "0", kind: "DRAFT", json: "not json" }),
    ];
    renderAt("/decisions", { graphql: answer(all) });
    const rows = await screen.findAllByTestId("decision-row");
    // What only each kind's view shows: an analysis's risk score (and no failure), a failed analysis,
    // a guard decision, and a report that cannot be read as a warning.
    const views: [string, string | null][] = [["risk-score", "analysis-failed"], ["analysis-failed", null], ["guard-report", null], ["report-unreadable", null]];
    for (const [i, [shows, not]] of views.entries()) {
      const button = within(rows[i]!).getByRole("button", { name: "View" });
      fireEvent.click(button);
      const detail = document.getElementById(button.getAttribute("aria-controls")!)!;
      expect(within(detail).getByTestId(shows)).toBeTruthy();
      if (not) expect(within(detail).queryByTestId(not)).toBeNull();
      // Headings step down one level at a time: the page's h1, the report's h2, its sections' h3s.
      expect(within(detail).getByRole("heading", { level: 2 }).textContent).toBe(`Report of decision ${3 - i} (${["analysis", "analysis", "execution guard", "draft"][i]})`);
      const levels = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map((h) => Number(h.tagName[1]));
      expect(levels.every((level, j) => j === 0 || level <= levels[j - 1]! + 1)).toBe(true);
      fireEvent.click(button);
    }
  });
});
