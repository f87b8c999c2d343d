// Every event type, found in the indexer's answers and delivered to exactly the subscriptions whose
// filter takes it: all proposals, risk ≥ N, a given delegate's votes, my delegate's votes.
import { devAccount } from "@ai-dao/testkit/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Notifier } from "../src/notifier.ts";
import { FakeIndexer } from "./fake-indexer.ts";
import { Receiver, signIn, startTestNotifier, subscribe, waitFor } from "./helpers.ts";

const SECRET = "events-test-secret-0123456789";
const E18 = 10n ** 18n;

function guardReport(proposalId: string, decision: "hold" | "refuse", reason: string) {
  return {
    schemaVersion: 1,
    kind: "execution-guard",
    executor: { name: "executor", version: "0.1.0", address: devAccount("executor").address },
    chainId: 31337,
    governor: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    proposalId,
    action: "execute",
    decision,
    reason,
    summary: `Execution ${decision === "hold" ? "held" : "refused"}: the code of a target changed.`,
    blockNumber: "120",
    evidence: { risk: 80 },
  };
}

describe("events and filters", () => {
  const indexer = new FakeIndexer();
  const hook = new Receiver();
  let notifier: Notifier;
  const [alice, bob, carol, dave, erin] = (["alice", "bob", "carol", "dave", "erin"] as const).map((n) => devAccount(n));
  const lower = (a: string) => a.toLowerCase();
  /** Event ids delivered to one subscriber's path, in order. */
  const got = (path: string) => hook.acknowledged(path).map((r) => JSON.parse(r.body).event.id as string);
  /** Deliveries run concurrently, so events found in one poll may arrive in any order: compare as sorted lists. */
  const sorted = (ids: string[]) => [...ids].sort();
  const bodies = (path: string) => hook.acknowledged(path).map((r) => JSON.parse(r.body));

  beforeAll(async () => {
    await indexer.start();
    await hook.start();
    indexer.delegates.set(lower(alice!.address), lower(alice!.address));
    indexer.delegates.set(lower(bob!.address), lower(bob!.address));
    indexer.delegates.set(lower(erin!.address), lower(dave!.address));
    indexer.delegates.set(lower(carol!.address), null);
    notifier = await startTestNotifier(indexer.url);
    await waitFor("the first poll", () => notifier.store.cursor() !== null);
    const sub = async (who: typeof alice, path: string, filter: unknown) =>
      subscribe(notifier.url, await signIn(notifier.url, who!), { channel: { type: "webhook", url: `${hook.url}${path}`, secret: SECRET }, filter });
    await sub(alice, "/alice", { kind: "all" });
    await sub(bob, "/bob", { kind: "risk", min: 70 });
    await sub(carol, "/carol", { kind: "delegate", address: dave!.address });
    await sub(erin, "/erin", { kind: "my-delegate" });
  });
  afterAll(async () => {
    await notifier?.stop();
    await hook.stop();
    await indexer.stop();
  });

  /** Lets the notifier poll the current state at least twice. */
  async function settle(): Promise<void> {
    const polls = () => indexer.queries.get("Changes") ?? 0;
    const target = polls() + 2;
    await waitFor("two more polls", () => polls() >= target);
    await waitFor("the outbox drained", () => notifier.store.deliveries({ status: "pending" }).length === 0 && notifier.dispatcher.busy === 0);
  }

  it("follows one proposal from creation to execution, each event to the subscriptions that asked for it", async () => {
    const p1 = "1001";
    indexer.propose(p1, { title: "Upgrade the treasury module", votingDelay: 10, votingPeriod: 7_200 });
    indexer.publish(p1, "ANALYSIS", { risk: 20, recommendation: "FOR", summary: "Looks routine." });
    await settle();
    indexer.publish(p1, "ANALYSIS", { risk: 80, recommendation: "AGAINST", summary: "Re-analysed at queue: the target's code changed." });
    indexer.mine(30); // voting starts
    indexer.vote(p1, lower(dave!.address), 1, 60_000n * E18, "I checked the diff");
    indexer.vote(p1, lower(alice!.address), 1, 250_000n * E18);
    await settle();
    indexer.mine(4_000); // less than an hour of voting left: reminders
    await settle();
    indexer.mine(3_700); // voting over
    await settle();
    indexer.setStatus(p1, "QUEUED", { eta: String(indexer.time + 600), riskDelay: "600" });
    indexer.publish(p1, "EXECUTION_GUARD", { risk: 80, recommendation: "NEEDS_REVIEW", report: guardReport(p1, "hold", "code-drift") });
    indexer.publish(p1, "EXECUTION_GUARD", { risk: 100, recommendation: "AGAINST", report: "not json at all" });
    indexer.setStatus(p1, "EXECUTED");
    await settle();

    expect(sorted(got("/alice"))).toEqual(sorted([
      `proposal.created:${p1}`,
      "analysis.changed:2",
      // alice voted: no reminder
      `proposal.succeeded:${p1}`,
      `proposal.queued:${p1}`,
      "guard:3",
      "guard:4",
      `proposal.executed:${p1}`,
    ]));
    expect(sorted(got("/bob"))).toEqual(sorted([
      // created at risk 20: below bob's 70
      "analysis.changed:2",
      `voting.ending:${p1}`,
      `proposal.succeeded:${p1}`,
      `proposal.queued:${p1}`,
      "guard:3",
      "guard:4",
      `proposal.executed:${p1}`,
    ]));
    expect(got("/carol")).toEqual([`vote.cast:${p1}:${lower(dave!.address)}`]);
    expect(got("/erin")).toEqual([`vote.cast:${p1}:${lower(dave!.address)}`]);

    const a = Object.fromEntries(bodies("/alice").map((b) => [b.event.type, b]));
    expect(a["proposal.created"].event.data.analysis).toMatchObject({ risk: 20, recommendation: "for", summary: "Looks routine." });
    expect(a["analysis.changed"].event.data).toMatchObject({ previous: { risk: 20, recommendation: "for" }, analysis: { risk: 80, recommendation: "against" } });
    expect(a["proposal.succeeded"].event.data).toMatchObject({ forVotes: String(310_000n * E18), quorumReached: true });
    expect(a["proposal.queued"].event.data).toMatchObject({ riskDelay: "600" });
    expect(a["proposal.queued"].message.lines[0]).toMatch(/can execute from \d{4}-\d\d-\d\dT/);
    expect(a["guard.hold"].event).toMatchObject({ id: "guard:3", data: { action: "execute", reason: "code-drift" } });
    expect(a["guard.hold"].message.lines[0]).toContain("the code of a contract this proposal calls changed");
    expect(a["guard.refusal"].event).toMatchObject({ id: "guard:4", data: { reason: null } }); // unreadable guard bytes count as a refusal
    const ending = bodies("/bob").find((b) => b.event.type === "voting.ending");
    expect(ending.event.data.secondsLeft).toBeGreaterThan(0);
    expect(ending.message.lines[0]).toContain("neither you nor your delegate has voted");
    expect(bodies("/carol")[0].event.data).toMatchObject({ voter: lower(dave!.address), support: 1, reason: "I checked the diff" });
  });

  it("announces a guardian cancel and a defeat; a low-risk proposal reaches only the all-proposals subscriber", async () => {
    const before = { alice: got("/alice").length, bob: got("/bob").length };
    const p2 = "1002";
    const p3 = "1003";
    indexer.propose(p2, { title: "Grant", votingDelay: 10, votingPeriod: 600 });
    indexer.publish(p2, "ANALYSIS", { risk: 10 });
    indexer.propose(p3, { title: "Unpopular", votingDelay: 10, votingPeriod: 100 });
    indexer.publish(p3, "ANALYSIS", { risk: 75, recommendation: "AGAINST" });
    indexer.vote(p3, lower(bob!.address), 0, 150_000n * E18); // in the same poll as p3's start of voting
    await settle();
    indexer.mine(30);
    indexer.setStatus(p2, "CANCELED");
    indexer.mine(200);
    await settle();
    // Both votes are shorter than the reminder window: alice, who voted on neither, is reminded of both.
    expect(sorted(got("/alice").slice(before.alice))).toEqual(sorted([`proposal.created:${p2}`, `proposal.created:${p3}`, `voting.ending:${p2}`, `voting.ending:${p3}`, `guardian.alert:${p2}`, `proposal.defeated:${p3}`]));
    // bob voted on p3 himself, so no reminder; p2 is low risk but a guardian cancel is an alarm.
    expect(sorted(got("/bob").slice(before.bob))).toEqual(sorted([`proposal.created:${p3}`, `guardian.alert:${p2}`, `proposal.defeated:${p3}`]));
    const alert = bodies("/alice").find((b) => b.event.type === "guardian.alert");
    expect(alert.event.data.duringVote).toBe(true);
    expect(alert.message.lines[0]).toContain("by the proposal guardian");
  });
});

describe("the indexer it follows", () => {
  it("waits while the indexer is behind its cursor, and recovers", async () => {
    const indexer = new FakeIndexer();
    await indexer.start();
    const notifier = await startTestNotifier(indexer.url);
    try {
      await waitFor("the first poll", () => notifier.store.cursor() !== null);
      indexer.head -= 5;
      await waitFor("the wait for the indexer", () => notifier.watcher.lastError?.includes("behind this notifier's cursor"));
      expect(notifier.store.cursor()!.block).toBe(indexer.head + 5);
      indexer.head += 6;
      await waitFor("recovery", () => notifier.watcher.lastError === null);
      await waitFor("the cursor moving on", () => notifier.store.cursor()!.block === indexer.head);
    } finally {
      await notifier.stop();
      await indexer.stop();
    }
  });
});

describe("a new proposal and its analysis", () => {
  it("waits for the analysis, and announces without one (as high risk) once the wait is over", async () => {
    const indexer = new FakeIndexer();
    const hook = new Receiver();
    await indexer.start();
    await hook.start();
    const notifier = await startTestNotifier(indexer.url, { analysisWaitMs: 1_000 });
    try {
      await waitFor("the first poll", () => notifier.store.cursor() !== null);
      await subscribe(notifier.url, await signIn(notifier.url, devAccount("bob")), { channel: { type: "webhook", url: `${hook.url}/bob`, secret: SECRET }, filter: { kind: "risk", min: 70 } });
      indexer.propose("2001");
      indexer.propose("2002");
      await new Promise((r) => setTimeout(r, 300));
      expect(hook.received).toHaveLength(0); // both wait for their analysis
      indexer.publish("2002", "ANALYSIS", { risk: 90, recommendation: "AGAINST" });
      await waitFor("two announcements", () => hook.acknowledged().length === 2, 5_000);
      const [first, second] = hook.acknowledged().map((r) => JSON.parse(r.body).event);
      expect(first).toMatchObject({ id: "proposal.created:2002", risk: 90, data: { analysis: { risk: 90 } } });
      expect(second).toMatchObject({ id: "proposal.created:2001", risk: null, data: { analysis: null } });
      expect(JSON.parse(hook.acknowledged()[1]!.body).message.lines[1]).toContain("none published yet (treated as high risk)");
      indexer.publish("2001", "ANALYSIS", { risk: 95, recommendation: "AGAINST" });
      await waitFor("the late analysis", () => hook.acknowledged().length === 3, 5_000);
      expect(JSON.parse(hook.acknowledged()[2]!.body).event).toMatchObject({ type: "analysis.changed", data: { previous: null, analysis: { risk: 95 } } });
    } finally {
      await notifier.stop();
      await hook.stop();
      await indexer.stop();
    }
  });
});
