// The notifier's only source: the indexer's graph-node-style GraphQL (the embedded indexer locally,
// a graph-node or The Graph in production: the same queries). Every answer is checked with zod
// before use; a malformed one fails the poll, which is retried with backoff.
import { z } from "zod";

import { reportEncodingGraphNames } from "@ai-dao/reports";
import { redactText } from "@ai-dao/service-kit";

export class IndexerError extends Error {
  override name = "IndexerError";
}

/** POSTs one query; returns `data` or throws with the first error (the URL shown as its origin only). */
export async function graphql<T>(url: string, query: string, variables: Record<string, unknown>, schema: z.ZodType<T>, timeoutMs = 10_000): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new IndexerError(`indexer unreachable: ${redactText((error as Error).message, url)}`);
  }
  const text = await response.text();
  let body: { data?: unknown; errors?: { message?: unknown }[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new IndexerError(`indexer answered ${response.status} with a body that is not JSON`);
  }
  if (body.errors?.length) throw new IndexerError(`indexer query failed: ${String(body.errors[0]?.message ?? "unknown error").slice(0, 300)}`);
  if (!response.ok) throw new IndexerError(`indexer answered ${response.status}`);
  const parsed = schema.safeParse(body.data);
  if (!parsed.success) throw new IndexerError(`indexer answer has an unexpected shape: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

const big = z.string().regex(/^-?\d+$/);
const int = z.coerce.number().int();
const id = z.string().min(1).max(200);
const ref = z.object({ id });

export const metaSchema = z.object({
  _meta: z.object({ block: z.object({ number: int, timestamp: z.union([int, z.null()]).optional() })}),
});
export const META_QUERY = "{ _meta { block { number timestamp } } }";

const proposalFields = z.object({
  id: big,
  title: z.string(),
  proposer: ref,
  status: z.enum(["CREATED", "QUEUED", "EXECUTED", "CANCELED"]),
  voteStart: big,
  voteEnd: big,
  eta: big.nullable(),
  riskDelay: big.nullable(),
  forVotes: big,
  againstVotes: big,
  abstainVotes: big,
});
export type ProposalFields = z.output<typeof proposalFields>;
const PROPOSAL_FIELDS = "id title proposer { id } status voteStart voteEnd eta riskDelay forVotes againstVotes abstainVotes";

const decisionFields = z.object({
  id,
  decisionId: big,
  proposalId: big,
  kind: z.enum(["ANALYSIS", "DRAFT", "EXECUTION_GUARD"]),
  risk: int,
  recommendation: z.string(),
  summary: z.string().nullable(),
  findingCount: int.nullable(),
  /** How `report` encodes the JSON (the subgraph's ReportEncoding); compressed reports have no summary or findingCount in the subgraph. */
  encoding: z.enum(reportEncodingGraphNames).default("JSON"),
  report: z.string(),
  block: big,
  timestamp: big,
  tx: z.string(),
});
export type DecisionFields = z.output<typeof decisionFields>;
const DECISION_FIELDS = "id decisionId proposalId kind risk recommendation summary findingCount encoding report block timestamp tx";

const stateChange = z.object({ id, status: z.enum(["CREATED", "QUEUED", "EXECUTED", "CANCELED"]), eta: big.nullable(), block: big, timestamp: big, tx: z.string(), proposal: proposalFields });
export type StateChange = z.output<typeof stateChange>;

const vote = z.object({ id, support: int, choice: z.string(), weight: big, reason: z.string(), block: big, timestamp: big, voter: ref, proposal: z.object({ id: big, title: z.string() }) });
export type VoteFields = z.output<typeof vote>;

/** Most rows one list query asks for; a fuller answer makes the poll stop early and continue at once. */
export const PAGE = 500;

export const changesSchema = z.object({
  proposalStateChanges: z.array(stateChange),
  decisions: z.array(decisionFields.extend({ proposal: z.object({ id: big, title: z.string(), createdBlock: big }).nullable() })),
});
export type Changes = z.output<typeof changesSchema>;

export const CHANGES_QUERY = `query Changes($from: BigInt!, $to: BigInt!, $block: Int!) {
  proposalStateChanges(first: ${PAGE}, orderBy: block, orderDirection: asc, where: { block_gt: $from, block_lte: $to }, block: { number: $block }) {
    id status eta block timestamp tx proposal { ${PROPOSAL_FIELDS} }
  }
  decisions(first: ${PAGE}, orderBy: block, orderDirection: asc, where: { block_gt: $from, block_lte: $to, kind_in: [ANALYSIS, EXECUTION_GUARD] }, block: { number: $block }) {
    ${DECISION_FIELDS} proposal { id title createdBlock }
  }
}`;

export const votesSchema = z.object({ votes: z.array(vote) });
export const VOTES_QUERY = `query Votes($from: BigInt!, $to: BigInt!, $block: Int!, $voters: [String!]!) {
  votes(first: 1000, orderBy: block, orderDirection: asc, where: { block_gt: $from, block_lte: $to, voter_in: $voters }, block: { number: $block }) {
    id support choice weight reason block timestamp voter { id } proposal { id title }
  }
}`;

export const timedSchema = z.object({
  ending: z.array(proposalFields),
  ended: z.array(proposalFields),
  governors: z.array(z.object({ quorumNumerator: big.nullable() })),
  tokens: z.array(z.object({ totalSupply: big })),
});
export const TIMED_QUERY = `query Timed($now: BigInt!, $windowEnd: BigInt!, $since: BigInt!, $block: Int!) {
  ending: proposals(first: 200, orderBy: voteEnd, where: { status: CREATED, voteStart_lt: $now, voteEnd_gte: $now, voteEnd_lte: $windowEnd }, block: { number: $block }) { ${PROPOSAL_FIELDS} }
  ended: proposals(first: 200, orderBy: voteEnd, where: { voteEnd_gte: $since, voteEnd_lt: $now }, block: { number: $block }) { ${PROPOSAL_FIELDS} }
  governors(first: 1, block: { number: $block }) { quorumNumerator }
  tokens(first: 1, block: { number: $block }) { totalSupply }
}`;

export const latestAnalysesSchema = z.object({
  proposals: z.array(z.object({ id: big, decisions: z.array(decisionFields) })),
});
/** The latest analyses of some proposals (two each: the newest and the one before). */
export const LATEST_ANALYSES_QUERY = `query Latest($ids: [ID!]!, $block: Int!) {
  proposals(first: 1000, where: { id_in: $ids }, block: { number: $block }) {
    id decisions(first: 2, orderBy: decisionId, orderDirection: desc, where: { kind: ANALYSIS }) { ${DECISION_FIELDS} }
  }
}`;

export const accountsSchema = z.object({ accounts: z.array(z.object({ id, delegate: ref.nullable() })) });
export const ACCOUNTS_QUERY = `query Accounts($ids: [ID!]!, $block: Int!) {
  accounts(first: 1000, where: { id_in: $ids }, block: { number: $block }) { id delegate { id } }
}`;

export const votersSchema = z.object({ votes: z.array(z.object({ voter: ref, proposal: z.object({ id: big }) })) });
export const VOTERS_QUERY = `query Voters($proposals: [String!]!, $voters: [String!]!, $block: Int!) {
  votes(first: 1000, where: { proposal_in: $proposals, voter_in: $voters }, block: { number: $block }) { voter { id } proposal { id } }
}`;
