import { deflateRawSync } from "node:zlib";

import { readDecisionReport, type GuardReport, type Report } from "@ai-dao/reports";
import { stringToHex, toHex } from "viem";
import { describe, expect, it } from "vitest";

import { failedReport, failedReportV2, guardReport, modelReport, modelReportV2, v1Report } from "../../../packages/reports/test/fixtures.ts";
import { quorumText } from "../src/components/TallyChart.tsx";
import { withoutProposerSuffix } from "../src/lib/description.ts";
import { plural, proposalSafety, rowSafety, safetyFromDecisions, type DecisionInput, type Safety } from "../src/lib/safety.ts";
import { effectiveState } from "../src/lib/state.ts";

const hex = (value: unknown) => stringToHex(JSON.stringify(value));
const analysis = (decisionId: string, report: unknown): DecisionInput => ({ decisionId, kind: "ANALYSIS", report: hex(report) });
const guard = (decisionId: string, report: GuardReport): DecisionInput => ({ decisionId, kind: "EXECUTION_GUARD", report: hex(report) });

const clean = { ...v1Report, findings: [{ id: "x", check: "x", severity: "low", title: "ETH to a never-used account", detail: "", evidence: {} }], scores: { risk: 10 }, recommendation: "for" };
const hold: GuardReport = {
  ...guardReport,
  action: "queue",
  decision: "hold",
  reason: "analysis-critical",
  summary: "the latest analysis has 1 critical finding(s): governance/recent-voting-power; waiting for an operator override",
  evidence: { risk: 90, analysisDecisionId: "1", findings: [{ id: "governance/recent-voting-power", title: "Proposer's votes come from tokens received just before the proposal", severity: "critical" }] },
};
const drift: GuardReport = { ...guardReport, action: "execute", decision: "refuse", reason: "code-drift" };

/** Everything a member reads: no developer words, no addresses. */
function words(s: Safety) {
  return [s.headline, s.marker ?? "", ...s.analysisProblems, ...s.guards.map((g) => g.text), ...s.findings.map((f) => f.title)].join("\n");
}
function expectPlain(s: Safety) {
  expect(words(s)).not.toMatch(/EXECUTION_GUARD|NEEDS_REVIEW|needs-review|calldata|0x[0-9a-f]{6}|analysis-critical|code-drift/i);
}

describe("what concerns a proposal (lib/safety.ts)", () => {
  it("a clean analysis and no executor decision: no concern, no marker", () => {
    const s = safetyFromDecisions([analysis("1", clean)], true);
    expect(s).toMatchObject({ concerned: false, marker: null, findings: [], guards: [], analysisProblems: [], risk: 10 });
  });

  it("a compressed analysis reads like its JSON; one that does not inflate is unreadable, so a concern", () => {
    const packed = (value: unknown) => toHex(deflateRawSync(JSON.stringify(value), { level: 9 }));
    const compressed = (decisionId: string, report: string): DecisionInput => ({ decisionId, kind: "ANALYSIS", report, encoding: "DEFLATE_RAW" });
    expect(safetyFromDecisions([compressed("1", packed(clean))], true)).toMatchObject({ concerned: false, risk: 10 });
    for (const bad of [`${packed(clean)}00`, packed(clean).slice(0, -4), "0x07", toHex(deflateRawSync(Buffer.alloc(2 * 1024 * 1024, 0x20)))]) {
      const s = safetyFromDecisions([compressed("2", bad)], true);
      expect(s).toMatchObject({ concerned: true, marker: "Analysis failed", risk: null });
    }
    // The same bytes read as JSON (an indexer without the encoding field) are not JSON either.
    expect(safetyFromDecisions([{ decisionId: "3", kind: "ANALYSIS", report: packed(clean) }], true).concerned).toBe(true);
  });

  it("a critical finding: concerned, the finding named, risk and recommendation in words", () => {
    const s = safetyFromDecisions([analysis("1", modelReport)], false);
    expect(s.concerned).toBe(true);
    expect(s.findings).toEqual([{ severity: "critical", title: "Sends 60 % of the treasury's ETH to one account" }]);
    expect(s.analysisProblems).toEqual(["The analysis has 1 critical finding.", "The analysis rates its risk 90 out of 100.", "The analysis recommends voting against it."]);
    expect(s.headline).toBe("The analysis found critical problems");
    expect(s.marker).toBe("Critical analysis");
    expectPlain(s);
  });

  it("risk 70 or more without a critical finding, and a recommendation against, are each a concern", () => {
    const high = { ...clean, findings: [{ id: "h", check: "h", severity: "high", title: "Large outflow", detail: "", evidence: {} }], scores: { risk: 70 } };
    const a = safetyFromDecisions([analysis("1", high)], true);
    expect(a).toMatchObject({ concerned: true, marker: "Risky analysis", findings: [{ severity: "high", title: "Large outflow" }] });
    expect(a.analysisProblems).toEqual(["The analysis rates its risk 70 out of 100."]);
    expect(safetyFromDecisions([analysis("1", { ...clean, scores: { risk: 69 } })], true).concerned).toBe(false);
    const against = safetyFromDecisions([analysis("1", { ...clean, recommendation: "against" })], true);
    expect(against.analysisProblems).toEqual(["The analysis recommends voting against it."]);
  });

  it("fails closed: a failed, inconclusive or unreadable analysis is a concern", () => {
    const failed = safetyFromDecisions([analysis("1", failedReport)], false);
    expect(failed).toMatchObject({ concerned: true, marker: "Analysis failed", risk: 100 });
    expect(failed.analysisProblems).toEqual(["The analysis failed (the node timed out): nothing was checked."]);
    const inconclusive: Report = { ...modelReport, findings: [], scores: { risk: 20 }, riskFloor: 0, recommendation: "needs-review", inconclusive: true };
    expect(safetyFromDecisions([analysis("1", inconclusive)], true).analysisProblems).toEqual(["The analysis could not run every check that applies, so it cannot be relied on."]);
    // Version 2 reports on chain count alike.
    const inconclusiveV2 = { ...modelReportV2, findings: [], scores: { risk: 20 }, riskFloor: 0, recommendation: "needs-review", inconclusive: true };
    expect(safetyFromDecisions([analysis("1", inconclusiveV2)], true).analysisProblems).toEqual(["The analysis could not run every check that applies, so it cannot be relied on."]);
    expect(safetyFromDecisions([analysis("1", failedReportV2)], false)).toMatchObject({ concerned: true, marker: "Analysis failed", risk: 100 });
    for (const report of ["0xff", stringToHex("not json"), hex({ ...modelReport, scores: { risk: "low" } }), hex(guardReport)]) {
      const s = safetyFromDecisions([{ decisionId: "1", kind: "ANALYSIS", report }], false);
      expect(s.concerned).toBe(true);
      expect(s.analysisProblems[0]).toMatch(/^The published analysis cannot be read \(.+\), so nothing it says can be relied on\.$/);
      expect(s.marker).toBe("Analysis failed");
    }
  });

  it("a missing analysis is a concern once voting has ended, not before", () => {
    expect(safetyFromDecisions([], false).concerned).toBe(false);
    const s = safetyFromDecisions([], true);
    expect(s).toMatchObject({ concerned: true, marker: "No analysis", headline: "No analysis was published" });
    expect(s.analysisProblems).toEqual(["No analysis of this proposal has been published, and voting has ended."]);
  });

  it("the executor's hold: its reason in plain words and the findings it names, newest once", () => {
    const s = safetyFromDecisions([analysis("1", modelReport), guard("2", hold), guard("3", hold)], true);
    expect(s.guards).toHaveLength(1);
    expect(s.guards[0]).toMatchObject({ decisionId: "3", action: "queue", decision: "hold", reason: "analysis-critical" });
    expect(s.guards[0]!.text).toBe("The executor is holding it before it may queue because the published analysis has a critical finding.");
    expect(s.findings.map((f) => f.title)).toEqual(["Sends 60 % of the treasury's ETH to one account", "Proposer's votes come from tokens received just before the proposal"]);
    expect(s.headline).toBe("The executor is holding this proposal for review; the analysis found critical problems");
    expect(s.marker).toBe("Held by the executor · Critical analysis");
    expectPlain(s);
  });

  it("a hold alone (the analysis not at hand) is still a concern", () => {
    const s = proposalSafety({ analysis: readDecisionReport("Analysis", clean), guards: [{ decisionId: "4", read: readDecisionReport("ExecutionGuard", hold) }], votingEnded: true });
    expect(s).toMatchObject({ concerned: true, marker: "Held by the executor" });
  });

  it("a code-drift refusal says why executing is unsafe", () => {
    const s = safetyFromDecisions([analysis("1", clean), guard("2", drift)], true);
    expect(s.codeDrift).toBe(true);
    expect(s.headline).toBe("Unsafe to execute: the executor refused it because contract code changed");
    expect(s.guards[0]!.text).toBe(
      "The executor refused to execute it because the code of a contract this proposal calls changed after the proposal was created. Executing it now would run code that nobody reviewed when they voted.",
    );
    expect(s.marker).toBe("Refused by the executor");
    expectPlain(s);
  });

  it("a hold about an older analysis is replaced by the newer analysis; a code-drift refusal is not", () => {
    expect(safetyFromDecisions([analysis("1", modelReport), guard("2", hold), analysis("3", clean)], true).concerned).toBe(false);
    expect(safetyFromDecisions([guard("2", drift), analysis("3", clean)], true).codeDrift).toBe(true);
  });

  it("an executor decision that cannot be read is a concern", () => {
    const s = safetyFromDecisions([analysis("1", clean), { decisionId: "2", kind: "EXECUTION_GUARD", report: stringToHex("{") }], true);
    expect(s).toMatchObject({ concerned: true, marker: "Executor decision unreadable" });
    expect(s.guards[0]!.text).toMatch(/cannot be read/);
  });

  it("list rows: from the latest analysis' report and the latest guard decisions, or from the published risk alone", () => {
    expect(rowSafety({ decisions: [{ risk: 15, recommendation: "FOR" }] }, true).concerned).toBe(false);
    expect(rowSafety({ decisions: [{ risk: 82, recommendation: "AGAINST" }] }, false)).toMatchObject({ concerned: true, marker: "Risky analysis", risk: 82 });
    const held = rowSafety({ decisions: [{ risk: 10, recommendation: "FOR", decisionId: "1", report: hex(clean) }], guards: [{ decisionId: "2", report: hex(hold) }] }, true);
    expect(held).toMatchObject({ concerned: true, marker: "Held by the executor" });
    expect(rowSafety({ decisions: [] }, true).marker).toBe("No analysis");
    expect(rowSafety({ decisions: [] }, false).concerned).toBe(false);
  });
});

describe("state, quorum and description helpers", () => {
  it("shows the chain's state; the indexer's only while the chain has not answered or answered from before the snapshot", () => {
    const p = { voteStart: 100n, blockTime: 500n };
    expect(effectiveState("Queued", "Succeeded", p)).toBe("Queued");
    expect(effectiveState(undefined, "Succeeded", p)).toBe("Succeeded");
    expect(effectiveState("Pending", "Active", p)).toBe("Active");
    expect(effectiveState("Pending", "Pending", { voteStart: 600n, blockTime: 500n })).toBe("Pending");
    expect(effectiveState("Defeated", "Succeeded", p)).toBe("Defeated");
  });

  it("quorum as votes against the line in token units", () => {
    const E18 = 10n ** 18n;
    expect(quorumText(37_500n * E18, 40_000n * E18, "DEMO")).toBe("Quorum: 37,500 of 40,000 DEMO (for + abstain)");
    expect(quorumText(400_000n * E18, 40_000n * E18, "DEMO")).toBe("Quorum reached: 400,000 DEMO of 40,000 needed");
    expect(quorumText(40_000n * 10n ** 6n, 40_000n * 10n ** 6n, "USD", 6)).toBe("Quorum reached: 40,000 USD of 40,000 needed");
  });

  it("plural words", () => {
    expect(plural(1, "voter")).toBe("1 voter");
    expect(plural(2, "voter")).toBe("2 voters");
    expect(plural(0, "voter")).toBe("0 voters");
  });

  it("hides only an exact #proposer suffix at the very end", () => {
    const a = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    expect(withoutProposerSuffix(`# Pay erin\n\nText\n\n#proposer=${a}`)).toBe("# Pay erin\n\nText");
    expect(withoutProposerSuffix(`# Pay\n#proposer=${a} then more`)).toBe(`# Pay\n#proposer=${a} then more`);
    expect(withoutProposerSuffix(`#proposer=${a.slice(0, 30)}`)).toBe(`#proposer=${a.slice(0, 30)}`);
  });
});
