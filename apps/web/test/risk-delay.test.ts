// The wait a proposal's risk earns, in words: durations, the level a risk reaches (as the Governor's
// riskDelayFor works it out), the reason before and after queueing, the levels list, who may cancel,
// and what a simulated execute's revert means.
import { governorAbi } from "@ai-dao/protocol";
import { BaseError, encodeErrorResult, zeroAddress, type Hex } from "viem";
import { describe, expect, it } from "vitest";

import { codeChangeWords, executeCheckOf } from "../src/lib/execute-check.ts";
import { cancelRole, delayFor, delayReason, durationInWords, forecastSentence, queuedSentence, tierLines, type RiskTier } from "../src/lib/risk-delay.ts";

const local: RiskTier[] = [
  { minRisk: 40, delay: 180 },
  { minRisk: 70, delay: 600 },
];
const production: RiskTier[] = [
  { minRisk: 40, delay: 4 * 86_400 },
  { minRisk: 70, delay: 7 * 86_400 },
];
const DAY = 86_400;

describe("durations in words", () => {
  it.each([
    [600, "10 minutes"],
    [7 * DAY, "7 days"],
    [2 * DAY, "2 days"],
    [60, "1 minute"],
    [1, "1 second"],
    [3_600, "1 hour"],
    [90, "1 minute and 30 seconds"],
    [552, "9 minutes and 12 seconds"],
    [2 * DAY + 4 * 3_600 + 59, "2 days and 4 hours"],
    [DAY + 30, "1 day"],
    [3 * 3_600 + 5 * 60 + 7, "3 hours and 5 minutes"],
    [0, "no time"],
    [-5, "no time"],
  ])("%s s is %s", (seconds, words) => {
    expect(durationInWords(seconds)).toBe(words);
    expect(durationInWords(BigInt(seconds))).toBe(words);
  });
});

describe("the wait a risk earns, as riskDelayFor computes it", () => {
  it("below the first level: the timelock's minimum; then each level's; no analysis: the last level's", () => {
    expect(delayFor(local, 60, true, 0)).toEqual({ delay: 60, tier: 0, risk: 0, analysed: true });
    expect(delayFor(local, 60, true, 39)).toMatchObject({ delay: 60, tier: 0 });
    expect(delayFor(local, 60, true, 40)).toMatchObject({ delay: 180, tier: 1 });
    expect(delayFor(local, 60, true, 69)).toMatchObject({ delay: 180, tier: 1 });
    expect(delayFor(local, 60, true, 70)).toMatchObject({ delay: 600, tier: 2 });
    expect(delayFor(local, 60, true, 100)).toMatchObject({ delay: 600, tier: 2 });
    expect(delayFor(local, 60, false, 0)).toEqual({ delay: 600, tier: 2, risk: 0, analysed: false });
    expect(delayFor(production, 2 * DAY, true, 97)).toMatchObject({ delay: 7 * DAY, tier: 2 });
  });

  it("never below the timelock's minimum, even when a level asks for less", () => {
    expect(delayFor([{ minRisk: 50, delay: 30 }], 60, true, 80)).toMatchObject({ delay: 60, tier: 1 });
  });
});

describe("why, in plain words", () => {
  it("before queueing: the latest analysis' risk, or no analysis", () => {
    expect(forecastSentence(delayFor(local, 60, true, 97), local)).toBe(
      "If it is queued now, it will wait 10 minutes before it can be executed, because the latest analysis rates its risk 97 out of 100, and a risk of 70 or more gets the longest wait.",
    );
    expect(forecastSentence(delayFor(local, 60, true, 55), local)).toBe(
      "If it is queued now, it will wait 3 minutes before it can be executed, because the latest analysis rates its risk 55 out of 100, and a risk of 40 or more gets a wait of 3 minutes.",
    );
    expect(forecastSentence(delayFor(local, 60, true, 12), local)).toBe(
      "If it is queued now, it will wait 1 minute before it can be executed, because the latest analysis rates its risk 12 out of 100, below 40, so it gets the shortest wait.",
    );
    expect(forecastSentence(delayFor(production, 2 * DAY, false, 0), production)).toBe(
      "If it is queued now, it will wait 7 days before it can be executed, because no analysis of it has been published, and a proposal without one gets the longest wait.",
    );
  });

  it("after queueing: what it was given and why, in the past", () => {
    expect(queuedSentence({ delay: 600, tier: 2, risk: 97, analysed: true }, local)).toBe(
      "It waits 10 minutes between queueing and execution because, when it was queued, the latest analysis rated its risk 97 out of 100, and a risk of 70 or more gets the longest wait.",
    );
    expect(queuedSentence({ delay: 7 * DAY, tier: 2, risk: 0, analysed: false }, production)).toBe(
      "It waits 7 days between queueing and execution because no analysis of it had been published when it was queued, and a proposal without one gets the longest wait.",
    );
    expect(queuedSentence({ delay: 2 * DAY, tier: 0, risk: 5, analysed: true }, production)).toBe(
      "It waits 2 days between queueing and execution because, when it was queued, the latest analysis rated its risk 5 out of 100, below 40, so it gets the shortest wait.",
    );
  });

  it("no developer words: no tier numbers, seconds, function names or hex", () => {
    for (const risk of [0, 40, 70, 100]) {
      for (const text of [forecastSentence(delayFor(local, 60, true, risk), local), queuedSentence(delayFor(local, 60, true, risk), local), delayReason(delayFor(local, 60, false, 0), local, "now")]) {
        expect(text).not.toMatch(/tier|\d+ ?s\b|seconds?\b|riskDelayFor|timelock|0x/i);
      }
    }
  });

  it("the levels list, from the shortest wait to no analysis", () => {
    expect(tierLines(local, 60)).toEqual([
      { label: "Risk below 40", wait: "1 minute" },
      { label: "Risk 40 to 69", wait: "3 minutes" },
      { label: "Risk 70 or more", wait: "10 minutes" },
      { label: "No analysis", wait: "10 minutes" },
    ]);
    expect(tierLines(production, 2 * DAY).map((l) => l.wait)).toEqual(["2 days", "4 days", "7 days", "7 days"]);
  });
});

describe("who may cancel", () => {
  const guardian = "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955";
  const proposer = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  const other = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
  it("the guardian at every stage before execution; the proposer only while Pending", () => {
    for (const state of ["Pending", "Active", "Succeeded", "Queued"]) expect(cancelRole({ account: guardian.toLowerCase(), guardian, proposer, state })).toBe("guardian");
    for (const state of ["Canceled", "Executed", "Defeated", "Expired"]) expect(cancelRole({ account: guardian, guardian, proposer, state })).toBeNull();
    expect(cancelRole({ account: proposer, guardian, proposer, state: "Pending" })).toBe("proposer");
    expect(cancelRole({ account: proposer, guardian, proposer, state: "Queued" })).toBeNull();
    expect(cancelRole({ account: other, guardian, proposer, state: "Queued" })).toBeNull();
    expect(cancelRole({ account: null, guardian, proposer, state: "Queued" })).toBeNull();
  });
  it("without a guardian the proposer may cancel at any stage, and nobody is the zero address's guardian", () => {
    expect(cancelRole({ account: proposer, guardian: zeroAddress, proposer, state: "Queued" })).toBe("proposer");
    expect(cancelRole({ account: zeroAddress, guardian: zeroAddress, proposer, state: "Queued" })).toBeNull();
  });
});

describe("a simulated execute", () => {
  const revertWith = (data: Hex) => Object.assign(new BaseError("execution reverted"), { data });
  const pinned = `0x${"ab".repeat(32)}` as Hex;
  const current = `0x${"cd".repeat(32)}` as Hex;
  const target = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
  it("a changed target's code is named with the target and what changed", () => {
    const data = encodeErrorResult({ abi: governorAbi, errorName: "GovernorTargetCodeChanged", args: [7n, target, pinned, current] });
    expect(executeCheckOf(revertWith(data))).toEqual({ kind: "code-changed", target, pinned, current });
    expect(codeChangeWords({ pinned, current })).toBe("Its code was replaced since the proposal was made.");
    expect(codeChangeWords({ pinned: `0x${"00".repeat(32)}`, current })).toBe("It had no code when the proposal was made; it has code now.");
    expect(codeChangeWords({ pinned, current: `0x${"00".repeat(32)}` })).toBe("Its code is gone since the proposal was made.");
  });
  it("passes, other reverts in words, and no answer is nothing known", () => {
    expect(executeCheckOf(null)).toEqual({ kind: "ok" });
    const notReady = encodeErrorResult({ abi: governorAbi, errorName: "GovernorUnexpectedProposalState", args: [7n, 4, `0x${"00".repeat(31)}20`] });
    expect(executeCheckOf(revertWith(notReady))).toMatchObject({ kind: "refused", message: expect.stringMatching(/^The proposal is Succeeded; this needs it to be Queued/) });
    expect(executeCheckOf(new Error("fetch failed"))).toEqual({ kind: "unknown" });
  });
});
