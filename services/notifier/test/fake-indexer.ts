// A stand-in for the indexer's GraphQL endpoint that answers the notifier's queries (picked by
// operation name) from an in-memory chain history, in the subgraph's real shapes: BigInts as
// decimal strings, Bytes as lowercase hex, enums by name, references as { id }. Each change is
// one new block; the clock moves only when a test says so.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { toHex } from "viem";

type Status = "CREATED" | "QUEUED" | "EXECUTED" | "CANCELED";

export interface FakeProposal {
  id: string;
  title: string;
  proposer: { id: string };
  status: Status;
  voteStart: string;
  voteEnd: string;
  eta: string | null;
  riskDelay: string | null;
  forVotes: string;
  againstVotes: string;
  abstainVotes: string;
  createdBlock: string;
}

interface FakeDecision {
  id: string;
  decisionId: string;
  proposalId: string;
  kind: "ANALYSIS" | "DRAFT" | "EXECUTION_GUARD";
  risk: number;
  recommendation: string;
  summary: string | null;
  findingCount: number | null;
  report: string;
  block: string;
  timestamp: string;
  tx: string;
}

interface FakeStateChange { id: string; status: Status; eta: string | null; block: string; timestamp: string; tx: string; proposalId: string }
interface FakeVote { id: string; support: number; choice: string; weight: string; reason: string; block: string; timestamp: string; voter: string; proposalId: string }

const CHOICE = ["AGAINST", "FOR", "ABSTAIN"];
const txOf = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;

export class FakeIndexer {
  head = 100;
  time = 1_700_000_000;
  proposals = new Map<string, FakeProposal>();
  stateChanges: FakeStateChange[] = [];
  decisions: FakeDecision[] = [];
  votes: FakeVote[] = [];
  delegates = new Map<string, string | null>();
  /** Queries answered, by operation name (tests assert the notifier keeps polling). */
  queries = new Map<string, number>();
  /** When set, every query fails with this HTTP status (an indexer outage). */
  failWith: number | null = null;
  private server: Server | null = null;
  private nextDecision = 1;
  url = "";

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      if (this.failWith !== null) {
        res.writeHead(this.failWith).end("down");
        return;
      }
      const { query, variables } = JSON.parse(body) as { query: string; variables: Record<string, any> };
      const name = /query\s+(\w+)/.exec(query)?.[1] ?? "Meta";
      this.queries.set(name, (this.queries.get(name) ?? 0) + 1);
      let data: unknown;
      try {
        data = this.answer(name, variables ?? {});
      } catch (error) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ message: (error as Error).message }] }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/subgraphs/name/dao`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A new block, `seconds` later. */
  mine(seconds = 12): number {
    this.head += 1;
    this.time += seconds;
    return this.head;
  }

  propose(id: string, o: { title?: string; proposer?: string; votingDelay?: number; votingPeriod?: number } = {}): FakeProposal {
    const block = this.mine();
    const p: FakeProposal = {
      id,
      title: o.title ?? `Proposal ${id}`,
      proposer: { id: o.proposer ?? "0x70997970c51812dc3a010c7d01b50e0d17dc79c8" },
      status: "CREATED",
      voteStart: String(this.time + (o.votingDelay ?? 86_400)),
      voteEnd: String(this.time + (o.votingDelay ?? 86_400) + (o.votingPeriod ?? 300)),
      eta: null,
      riskDelay: null,
      forVotes: "0",
      againstVotes: "0",
      abstainVotes: "0",
      createdBlock: String(block),
    };
    this.proposals.set(id, p);
    this.stateChanges.push({ id: `${txOf(block)}-0`, status: "CREATED", eta: null, block: String(block), timestamp: String(this.time), tx: txOf(block), proposalId: id });
    return p;
  }

  publish(proposalId: string, kind: FakeDecision["kind"], o: { risk?: number; recommendation?: string; summary?: string | null; report?: unknown } = {}): string {
    const block = this.mine();
    const decisionId = String(this.nextDecision++);
    const report = o.report === undefined ? { schemaVersion: 1, summary: o.summary ?? null } : o.report;
    this.decisions.push({
      id: decisionId,
      decisionId,
      proposalId,
      kind,
      risk: o.risk ?? 10,
      recommendation: o.recommendation ?? "FOR",
      summary: o.summary ?? null,
      findingCount: 1,
      report: toHex(typeof report === "string" ? report : JSON.stringify(report)),
      block: String(block),
      timestamp: String(this.time),
      tx: txOf(block),
    });
    return decisionId;
  }

  vote(proposalId: string, voter: string, support: 0 | 1 | 2, weight: bigint, reason = ""): void {
    const block = this.mine();
    const p = this.proposals.get(proposalId)!;
    const field = (["againstVotes", "forVotes", "abstainVotes"] as const)[support];
    p[field] = String(BigInt(p[field]) + weight);
    this.votes.push({ id: `${proposalId}-${voter}`, support, choice: CHOICE[support]!, weight: String(weight), reason, block: String(block), timestamp: String(this.time), voter: voter.toLowerCase(), proposalId });
  }

  setStatus(proposalId: string, status: Status, o: { eta?: string; riskDelay?: string } = {}): string {
    const block = this.mine();
    const p = this.proposals.get(proposalId)!;
    p.status = status;
    if (o.eta) p.eta = o.eta;
    if (o.riskDelay) p.riskDelay = o.riskDelay;
    this.stateChanges.push({ id: `${txOf(block)}-1`, status, eta: o.eta ?? null, block: String(block), timestamp: String(this.time), tx: txOf(block), proposalId });
    return txOf(block);
  }

  private proposal(id: string): FakeProposal {
    return this.proposals.get(id)!;
  }

  private answer(name: string, v: Record<string, any>): unknown {
    const inRange = (b: string) => BigInt(b) > BigInt(v.from) && BigInt(b) <= BigInt(v.to) && Number(b) <= v.block;
    const analyses = (pid: string) =>
      this.decisions.filter((d) => d.proposalId === pid && d.kind === "ANALYSIS" && Number(d.block) <= v.block).sort((a, b) => Number(b.decisionId) - Number(a.decisionId));
    switch (name) {
      case "Meta":
        return { _meta: { block: { number: this.head, timestamp: this.time } } };
      case "Changes":
        return {
          proposalStateChanges: this.stateChanges.filter((c) => inRange(c.block)).map(({ proposalId, ...c }) => ({ ...c, proposal: this.proposal(proposalId) })),
          decisions: this.decisions
            .filter((d) => inRange(d.block) && d.kind !== "DRAFT")
            .map((d) => {
              const p = this.proposals.get(d.proposalId);
              return { ...d, proposal: p ? { id: p.id, title: p.title, createdBlock: p.createdBlock } : null };
            }),
        };
      case "Votes":
        return {
          votes: this.votes
            .filter((x) => inRange(x.block) && (v.voters as string[]).includes(x.voter))
            .map(({ voter, proposalId, ...x }) => ({ ...x, voter: { id: voter }, proposal: { id: proposalId, title: this.proposal(proposalId).title } })),
        };
      case "Timed": {
        const now = BigInt(v.now);
        const all = [...this.proposals.values()];
        return {
          ending: all.filter((p) => p.status === "CREATED" && BigInt(p.voteStart) < now && BigInt(p.voteEnd) >= now && BigInt(p.voteEnd) <= BigInt(v.windowEnd)),
          ended: all.filter((p) => BigInt(p.voteEnd) >= BigInt(v.since) && BigInt(p.voteEnd) < now),
          governors: [{ quorumNumerator: "4" }],
          tokens: [{ totalSupply: "1000000000000000000000000" }],
        };
      }
      case "Latest":
        return { proposals: (v.ids as string[]).filter((id) => this.proposals.has(id)).map((id) => ({ id, decisions: analyses(id).slice(0, 2) })) };
      case "Prev":
        return { decisions: analyses(v.pid).filter((d) => BigInt(d.decisionId) < BigInt(v.did)).slice(0, 1) };
      case "Accounts":
        return { accounts: (v.ids as string[]).filter((id) => this.delegates.has(id)).map((id) => ({ id, delegate: this.delegates.get(id) ? { id: this.delegates.get(id) } : null })) };
      case "Voters":
        return {
          votes: this.votes
            .filter((x) => (v.proposals as string[]).includes(x.proposalId) && (v.voters as string[]).includes(x.voter))
            .map((x) => ({ voter: { id: x.voter }, proposal: { id: x.proposalId } })),
        };
      default:
        throw new Error(`the fake indexer does not know query ${name}`);
    }
  }
}
