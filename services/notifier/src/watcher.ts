// One poll: what happened in the indexed blocks since the cursor, and what the chain's clock made
// true since the last poll (a vote about to end, a vote ended), turned into events and queued in
// the outbox for every matching subscription — events, outbox rows, pending state and the cursor in
// one SQLite transaction, so a crash at any point leaves either all of a poll or none of it.
import { decodeReport, guardReportSchema, readDecisionReport } from "@ai-dao/reports";
import type { Logger } from "pino";
import { isHex } from "viem";
import { z } from "zod";

import type { AnalysisSummary, NotificationEvent } from "./events.ts";
import {
  ACCOUNTS_QUERY,
  accountsSchema,
  CHANGES_QUERY,
  changesSchema,
  type DecisionFields,
  graphql,
  LATEST_ANALYSES_QUERY,
  latestAnalysesSchema,
  META_QUERY,
  metaSchema,
  PAGE,
  type ProposalFields,
  TIMED_QUERY,
  timedSchema,
  VOTERS_QUERY,
  votersSchema,
  VOTES_QUERY,
  votesSchema,
} from "./indexer.ts";
import type { Metrics } from "./metrics.ts";
import type { Store } from "./store.ts";
import { matches, type MatchContext } from "./subscriptions.ts";

export interface WatcherOptions {
  indexerUrl: string;
  store: Store;
  logger: Logger;
  metrics: Metrics;
  /** Remind members this long (seconds of chain time) before voting ends. */
  reminderWindowS: number;
  /** How long a new proposal waits for its analysis before it is announced without one. */
  analysisWaitMs: number;
  /** Called when new deliveries were queued. */
  onQueued?: () => void;
  now?: () => number;
}

export interface TickResult {
  block: number;
  events: number;
  queued: number;
  /** True when a page was full: more is waiting and the next poll should come at once. */
  more: boolean;
}

/** The analysis fields a notification names; a compressed report's summary and findings are read from its bytes (the subgraph cannot inflate them). */
export function toAnalysis(d: DecisionFields): AnalysisSummary {
  let { summary, findingCount } = d;
  if (d.encoding !== "JSON") {
    const read = readDecisionReport("ANALYSIS", d.report, d.encoding);
    if (read.kind === "analysis" || read.kind === "analysis-failed") {
      summary = "summary" in read.report && typeof read.report.summary === "string" ? read.report.summary : null;
      findingCount = read.report.findings.length;
    }
  }
  return { decisionId: d.decisionId, risk: d.risk, recommendation: d.recommendation.toLowerCase().replace(/_/g, "-"), summary, findingCount };
}

export class Watcher {
  private readonly o: WatcherOptions;
  lastPollAt: number | null = null;
  lastError: string | null = null;

  constructor(o: WatcherOptions) {
    this.o = o;
  }

  private q<T>(query: string, variables: Record<string, unknown>, schema: z.ZodType<T>): Promise<T> {
    return graphql(this.o.indexerUrl, query, variables, schema);
  }

  async tick(): Promise<TickResult> {
    const { store, logger, metrics } = this.o;
    const now = this.o.now?.() ?? Date.now();
    const meta = await this.q(META_QUERY, {}, metaSchema);
    const head = meta._meta.block.number;
    const headTime = meta._meta.block.timestamp;
    if (headTime === null || headTime === undefined) {
      // The indexer answers but has no block yet: nothing to look at, and nothing wrong.
      this.lastPollAt = now;
      this.lastError = null;
      return { block: head, events: 0, queued: 0, more: false };
    }
    const cursor = store.cursor();
    if (cursor === null) {
      // First start: what happened before is history, not news. From here on everything is announced.
      store.setCursor({ block: head, time: headTime });
      logger.info({ block: head, time: headTime }, "first start: notifying about what happens after this block");
      this.lastPollAt = now;
      return { block: head, events: 0, queued: 0, more: false };
    }
    const from = cursor.block;
    // An indexer behind the cursor (re-syncing, or another one behind the same URL): wait, never re-announce.
    if (head < from) throw new Error(`the indexer is at block ${head}, behind this notifier's cursor (block ${from}); waiting for it to catch up`);
    let to = head;
    const block = to;

    const changes = await this.q(CHANGES_QUERY, { from: String(from), to: String(to), block }, changesSchema);
    let more = false;
    for (const list of [changes.proposalStateChanges, changes.decisions]) {
      if (list.length >= PAGE) {
        const last = Number(list.at(-1)!.block);
        if (last - 1 > from) {
          to = Math.min(to, last - 1);
          more = true;
        }
      }
    }
    const stateChanges = changes.proposalStateChanges.filter((c) => Number(c.block) <= to);
    const decisions = changes.decisions.filter((d) => Number(d.block) <= to);

    const subs = store.subscriptions();
    const owners = [...new Set(subs.map((s) => s.owner.toLowerCase()))];
    const delegateOf = new Map<string, string | null>();
    if (owners.length > 0) {
      for (let i = 0; i < owners.length; i += 1000) {
        const { accounts } = await this.q(ACCOUNTS_QUERY, { ids: owners.slice(i, i + 1000), block }, accountsSchema);
        for (const a of accounts) delegateOf.set(a.id.toLowerCase(), a.delegate ? a.delegate.id.toLowerCase() : null);
      }
    }
    const watchedVoters = new Set<string>();
    for (const s of subs) {
      if (s.filter.kind === "delegate") watchedVoters.add(s.filter.address.toLowerCase());
      if (s.filter.kind === "my-delegate") {
        const d = delegateOf.get(s.owner.toLowerCase());
        if (d) watchedVoters.add(d);
      }
    }
    const votes = watchedVoters.size > 0 ? (await this.q(VOTES_QUERY, { from: String(from), to: String(to), block, voters: [...watchedVoters] }, votesSchema)).votes : [];

    const timed = more ? null : await this.q(TIMED_QUERY, { now: String(headTime), windowEnd: String(headTime + this.o.reminderWindowS), since: String(cursor.time), block }, timedSchema);

    // Latest analyses of every proposal an event may be about (risk for the filters), and of the ones waiting to be announced.
    const pending = store.pendingCreated();
    const ids = new Set<string>([
      ...pending.map((p) => p.event.proposalId),
      ...stateChanges.map((c) => c.proposal.id),
      ...decisions.map((d) => d.proposalId),
      ...votes.map((v) => v.proposal.id),
      ...(timed ? [...timed.ending, ...timed.ended].map((p) => p.id) : []),
    ]);
    const latest = new Map<string, DecisionFields[]>();
    const idList = [...ids];
    for (let i = 0; i < idList.length; i += 1000) {
      const { proposals } = await this.q(LATEST_ANALYSES_QUERY, { ids: idList.slice(i, i + 1000), block }, latestAnalysesSchema);
      for (const p of proposals) latest.set(p.id, p.decisions);
    }
    const riskOf = (proposalId: string): number | null => latest.get(proposalId)?.[0]?.risk ?? null;

    // Who already voted on proposals whose vote ends soon (owners and their delegates), for reminders.
    const votersOf = new Map<string, Set<string>>();
    if (timed && timed.ending.length > 0 && owners.length > 0) {
      const voters = [...new Set([...owners, ...[...delegateOf.values()].filter((d): d is string => d !== null)])];
      const { votes: cast } = await this.q(VOTERS_QUERY, { proposals: timed.ending.map((p) => p.id), voters, block }, votersSchema);
      for (const v of cast) {
        const set = votersOf.get(v.proposal.id) ?? new Set<string>();
        set.add(v.voter.id.toLowerCase());
        votersOf.set(v.proposal.id, set);
      }
    }

    const found: NotificationEvent[] = [];
    const newPending: NotificationEvent[] = [];
    const base = (p: { id: string; title: string }, at: string | number, blockNumber: string | number) => ({
      proposalId: p.id,
      title: p.title,
      risk: riskOf(p.id),
      occurredAt: Number(at),
      block: Number(blockNumber),
    });

    for (const c of stateChanges) {
      const p = c.proposal;
      switch (c.status) {
        case "CREATED":
          if (!store.hasEvent(`proposal.created:${p.id}`)) {
            newPending.push({ id: `proposal.created:${p.id}`, type: "proposal.created", ...base(p, c.timestamp, c.block), risk: null, data: { proposer: p.proposer.id, voteStart: p.voteStart, voteEnd: p.voteEnd, analysis: null } });
          }
          break;
        case "QUEUED":
          found.push({ id: `proposal.queued:${p.id}`, type: "proposal.queued", ...base(p, c.timestamp, c.block), data: { eta: c.eta ?? p.eta, riskDelay: p.riskDelay } });
          break;
        case "EXECUTED":
          found.push({ id: `proposal.executed:${p.id}`, type: "proposal.executed", ...base(p, c.timestamp, c.block), data: { tx: c.tx } });
          break;
        case "CANCELED":
          found.push({ id: `guardian.alert:${p.id}`, type: "guardian.alert", ...base(p, c.timestamp, c.block), data: { tx: c.tx, duringVote: BigInt(c.timestamp) > BigInt(p.voteStart) } });
          break;
      }
    }

    const announcedNow = new Map<string, { decisionId: string | null; risk: number | null; recommendation: string | null }>();
    const pendingIds = new Set([...pending.map((p) => p.event.proposalId), ...newPending.map((e) => e.proposalId)]);
    for (const d of decisions) {
      const title = d.proposal?.title ?? "";
      if (d.kind === "EXECUTION_GUARD") {
        const guard = readGuard(d.report, d.encoding);
        const type = guard?.decision === "hold" ? "guard.hold" : "guard.refusal";
        found.push({ id: `guard:${d.decisionId}`, type, ...base({ id: d.proposalId, title }, d.timestamp, d.block), data: { decisionId: d.decisionId, action: guard?.action ?? null, reason: guard?.reason ?? null, summary: guard?.summary ?? d.summary } });
        continue;
      }
      if (d.proposal === null || pendingIds.has(d.proposalId)) continue; // a draft, or announced with its proposal
      const previous =
        announcedNow.get(d.proposalId) ??
        store.announced(d.proposalId) ??
        (await this.previousAnalysis(d, block));
      const analysis = toAnalysis(d);
      if (previous?.decisionId === d.decisionId) continue;
      const changed = previous === null || previous.risk === null || previous.risk !== analysis.risk || previous.recommendation !== analysis.recommendation;
      if (changed) {
        found.push({
          id: `analysis.changed:${d.decisionId}`,
          type: "analysis.changed",
          ...base({ id: d.proposalId, title }, d.timestamp, d.block),
          risk: analysis.risk,
          data: { previous: previous && previous.risk !== null ? { risk: previous.risk, recommendation: previous.recommendation ?? "unknown" } : null, analysis },
        });
      }
      announcedNow.set(d.proposalId, { decisionId: d.decisionId, risk: analysis.risk, recommendation: analysis.recommendation });
    }

    // New proposals are announced with their analysis, or without one once the wait is over.
    const announceCreated: NotificationEvent[] = [];
    for (const { event, firstSeenAt } of [...pending, ...newPending.map((event) => ({ event, firstSeenAt: now }))]) {
      if (event.type !== "proposal.created") continue;
      const newest = latest.get(event.proposalId)?.[0];
      if (!newest && now - firstSeenAt < this.o.analysisWaitMs) continue;
      const analysis = newest ? toAnalysis(newest) : null;
      announceCreated.push({ ...event, risk: analysis?.risk ?? null, data: { ...event.data, analysis } });
      announcedNow.set(event.proposalId, { decisionId: analysis?.decisionId ?? null, risk: analysis?.risk ?? null, recommendation: analysis?.recommendation ?? null });
    }
    found.unshift(...announceCreated);

    for (const v of votes) {
      found.push({
        id: `vote.cast:${v.proposal.id}:${v.voter.id.toLowerCase()}`,
        type: "vote.cast",
        ...base(v.proposal, v.timestamp, v.block),
        data: { voter: v.voter.id, support: v.support, choice: v.choice, weight: v.weight, reason: v.reason },
      });
    }

    if (timed) {
      for (const p of timed.ending) {
        found.push({ id: `voting.ending:${p.id}`, type: "voting.ending", ...base(p, headTime, block), data: { voteEnd: p.voteEnd, secondsLeft: Number(BigInt(p.voteEnd) - BigInt(headTime)) } });
      }
      const numerator = BigInt(timed.governors[0]?.quorumNumerator ?? "0");
      const supply = BigInt(timed.tokens[0]?.totalSupply ?? "0");
      const quorum = (supply * numerator) / 100n;
      for (const p of timed.ended) {
        if (p.status === "CANCELED") continue;
        const result = resultOf(p, quorum);
        found.push({ id: `${result.type}:${p.id}`, type: result.type, ...base(p, p.voteEnd, block), data: result.data });
      }
    }

    // Chain order, so the outbox (worked oldest first) sends in the order things happened.
    found.sort((a, b) => a.block - b.block);
    const ctx: MatchContext = { delegateOf, votersOf };
    let events = 0;
    let queued = 0;
    store.transaction(() => {
      for (const e of newPending) store.addPendingCreated(e, now);
      for (const e of announceCreated) store.removePendingCreated(e.proposalId);
      for (const [proposalId, a] of announcedNow) store.setAnnounced(proposalId, a);
      for (const event of found) {
        if (!store.addEvent(event, now)) continue;
        events++;
        for (const sub of subs) if (matches(event, sub, ctx) && store.enqueue(event.id, sub.id, now)) queued++;
      }
      store.setCursor({ block: to, time: more ? cursor.time : Math.max(headTime, cursor.time) });
    });
    if (events > 0) {
      metrics.events.inc(events);
      logger.info({ fromBlock: from, toBlock: to, events, queued }, "new events");
    }
    if (queued > 0) this.o.onQueued?.();
    metrics.cursorBlock.set(to);
    this.lastPollAt = now;
    this.lastError = null;
    return { block: to, events, queued, more };
  }

  /** The analysis published before `d` for the same proposal (for a proposal created before the notifier started). */
  private async previousAnalysis(d: DecisionFields, block: number): Promise<{ decisionId: string | null; risk: number | null; recommendation: string | null } | null> {
    const { decisions } = await this.q(
      `query Prev($pid: BigInt!, $did: BigInt!, $block: Int!) { decisions(first: 1, orderBy: decisionId, orderDirection: desc, where: { proposalId: $pid, kind: ANALYSIS, decisionId_lt: $did }, block: { number: $block }) { decisionId risk recommendation } }`,
      { pid: d.proposalId, did: d.decisionId, block },
      z.object({ decisions: z.array(z.object({ decisionId: z.string(), risk: z.coerce.number(), recommendation: z.string() })) }),
    );
    const p = decisions[0];
    return p ? { decisionId: p.decisionId, risk: p.risk, recommendation: p.recommendation.toLowerCase().replace(/_/g, "-") } : null;
  }
}

/** The outcome of a vote that ended, as GovernorCountingSimple decides it: quorum counts for and abstain, and for must beat against. */
export function resultOf(p: ProposalFields, quorum: bigint) {
  const forVotes = BigInt(p.forVotes);
  const quorumReached = forVotes + BigInt(p.abstainVotes) >= quorum;
  const passed = quorumReached && forVotes > BigInt(p.againstVotes);
  return {
    type: passed ? ("proposal.succeeded" as const) : ("proposal.defeated" as const),
    data: { forVotes: p.forVotes, againstVotes: p.againstVotes, abstainVotes: p.abstainVotes, quorum: quorum.toString(), quorumReached },
  };
}

/** A guard report's fields, when the decision's bytes are the executor's JSON; null otherwise (then it counts as a refusal). */
export function readGuard(reportHex: string, encoding: string = "JSON"): { decision: "hold" | "refuse"; action: string; reason: string; summary: string } | null {
  try {
    if (!isHex(reportHex)) return null;
    const parsed = guardReportSchema.safeParse(JSON.parse(decodeReport(encoding, reportHex)));
    return parsed.success ? { decision: parsed.data.decision, action: parsed.data.action, reason: parsed.data.reason, summary: parsed.data.summary } : null;
  } catch {
    return null;
  }
}
