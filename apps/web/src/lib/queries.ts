// GraphQL queries over subgraph/schema.graphql (graph-node conventions: BigInt and Bytes as strings).
import type { ReportEncodingGraphName } from "@ai-dao/reports";

export interface ProposalRow {
  id: string;
  proposalId: string;
  title: string;
  proposer: { id: string };
  status: "CREATED" | "QUEUED" | "EXECUTED" | "CANCELED";
  voteStart: string;
  voteEnd: string;
  forVotes: string;
  againstVotes: string;
  abstainVotes: string;
  eta: string | null;
  voterCount: number;
  createdTimestamp: string;
  timelockOperation: { status: "SCHEDULED" | "EXECUTED" | "CANCELED" } | null;
  /** The latest analysis (risk, recommendation and, from the queries below, its report's bytes). */
  decisions: { risk: number; recommendation: string; decisionId?: string; report?: string; encoding?: string }[];
  /** The executor's latest guard decisions (a few, newest first), for the list's safety marker. */
  guards?: { decisionId: string; risk: number; report: string; encoding?: string }[];
}

export interface GovernanceTotals {
  governors: { quorumNumerator: string | null }[];
  tokens: { totalSupply: string }[];
}

// Every top-level field asks with `subgraphError: allow`: when the indexer had to skip an event
// it could not process (graph-node's nonFatalErrors), the pages keep showing what it has, and the
// layout says the lists may be incomplete (INDEX_HEALTH_QUERY) instead of every page failing.

/** Whether the index skipped events it could not process. */
export const INDEX_HEALTH_QUERY = `query IndexHealth { _meta { hasIndexingErrors } }`;

const proposalRowFields = `
  id proposalId title proposer { id } status voteStart voteEnd forVotes againstVotes abstainVotes
  eta voterCount createdTimestamp timelockOperation { status }
  decisions(where: { kind: ANALYSIS }, orderBy: decisionId, orderDirection: desc, first: 1) { risk recommendation decisionId encoding report }
  guards: decisions(where: { kind: EXECUTION_GUARD }, orderBy: decisionId, orderDirection: desc, first: 3) { decisionId risk encoding report }
`;

export const PROPOSALS_QUERY = `
query Proposals($first: Int!, $skip: Int!, $where: Proposal_filter) {
  proposals(first: $first, skip: $skip, where: $where, orderBy: createdTimestamp, orderDirection: desc, subgraphError: allow) { ${proposalRowFields} }
  governors(first: 1, subgraphError: allow) { quorumNumerator }
  tokens(first: 1, subgraphError: allow) { totalSupply }
}`;

export interface ProposalDetail extends ProposalRow {
  description: string;
  descriptionHash: string | null;
  originalVoteEnd: string;
  extended: boolean;
  createdBlock: string;
  createdTx: string;
  queuedTimestamp: string | null;
  executedTimestamp: string | null;
  canceledTimestamp: string | null;
  actions: { index: number; target: string; value: string; signature: string; calldata: string; selector: string | null; functionSignature: string | null }[];
  votes: { id: string; voter: { id: string }; support: number; weight: string; reason: string; timestamp: string; tx: string }[];
  stateChanges: { status: string; eta: string | null; timestamp: string; tx: string }[];
  extensions: { extendedDeadline: string; timestamp: string }[];
  allDecisions: DecisionRow[];
}

export interface DecisionRow {
  id: string;
  decisionId: string;
  proposalId: string;
  proposal: { id: string; title: string } | null;
  kind: "ANALYSIS" | "DRAFT" | "EXECUTION_GUARD";
  actor: { id: string };
  risk: number;
  riskFloor: number | null;
  recommendation: string;
  reportHash: string;
  /** How `report` encodes the JSON: JSON (also when absent), or compressed (the indexer's summary and riskFloor are then null). */
  encoding?: ReportEncodingGraphName;
  report: string;
  summary: string | null;
  timestamp: string;
  block: string;
  tx: string;
}

const decisionFields = `id decisionId proposalId proposal { id title } kind actor { id } risk riskFloor recommendation reportHash encoding report summary timestamp block tx`;

export const PROPOSAL_QUERY = `
query Proposal($id: ID!) {
  proposal(id: $id, subgraphError: allow) {
    ${proposalRowFields}
    description descriptionHash originalVoteEnd extended createdBlock createdTx queuedTimestamp executedTimestamp canceledTimestamp
    actions(orderBy: index) { index target value signature calldata selector functionSignature }
    votes(first: 1000, orderBy: weight, orderDirection: desc) { id voter { id } support weight reason timestamp tx }
    stateChanges(orderBy: timestamp) { status eta timestamp tx }
    extensions(orderBy: timestamp) { extendedDeadline timestamp }
    allDecisions: decisions(orderBy: decisionId) { ${decisionFields} }
  }
  governors(first: 1, subgraphError: allow) { quorumNumerator }
  tokens(first: 1, subgraphError: allow) { totalSupply }
}`;

export const DECISIONS_QUERY = `
query Decisions($first: Int!, $skip: Int!, $where: Decision_filter) {
  decisions(first: $first, skip: $skip, where: $where, orderBy: decisionId, orderDirection: desc, subgraphError: allow) { ${decisionFields} }
}`;

export interface AccountRow {
  id: string;
  balance: string;
  delegatedVotes: string;
  delegatorCount: number;
  votesCast: number;
  proposalsMade: number;
  isAnalyst: boolean;
  delegate: { id: string } | null;
}

const accountFields = `id balance delegatedVotes delegatorCount votesCast proposalsMade isAnalyst delegate { id }`;

export const DELEGATES_QUERY = `
query Delegates($first: Int!, $skip: Int!) {
  accounts(first: $first, skip: $skip, orderBy: delegatedVotes, orderDirection: desc, where: { delegatedVotes_gt: "0" }, subgraphError: allow) { ${accountFields} }
  tokens(first: 1, subgraphError: allow) { totalSupply }
}`;

export const ACCOUNT_QUERY = `
query Account($id: ID!) {
  account(id: $id, subgraphError: allow) {
    ${accountFields}
    delegators(first: 100, orderBy: balance, orderDirection: desc) { id balance }
    votes(first: 100, orderBy: timestamp, orderDirection: desc) { id support weight reason timestamp proposal { id title } }
    proposals(first: 100, orderBy: createdTimestamp, orderDirection: desc) { id title status }
  }
}`;

// --- Treasury page (routes/treasury.tsx) -------------------------------------------------------

/**
 * The treasury's indexed assets and their flows (ETH paid by executed calls, the DAO token, every
 * ERC-20 the deployment lists), each outflow with the proposal that paid it when known, and every
 * proposal action, so tokens proposals touch are shown even when they are not indexed.
 */
export const TREASURY_QUERY = `
query Treasury($treasury: String!) {
  treasuryAssets(first: 100, orderBy: firstTimestamp, subgraphError: allow) { id kind address totalIn totalOut flowCount }
  treasuryFlows(first: 1000, where: { treasury: $treasury }, orderBy: timestamp, orderDirection: desc, subgraphError: allow) {
    id direction amount counterparty timestamp logIndex tx asset { id kind address } proposal { id title }
  }
  proposalActions(first: 1000, subgraphError: allow) { id target value calldata proposal { id title } }
}`;

export interface TreasuryAssetRow {
  /** The token's address in lower case, or "eth". */
  id: string;
  kind: "ETH" | "DAO_TOKEN" | "ERC20";
  address: string | null;
  totalIn: string;
  totalOut: string;
  flowCount: number;
}
export interface TreasuryFlowRow {
  id: string;
  direction: "IN" | "OUT";
  amount: string;
  counterparty: string | null;
  timestamp: string;
  logIndex: string;
  tx: string;
  asset: { id: string; kind: TreasuryAssetRow["kind"]; address: string | null };
  proposal: { id: string; title: string } | null;
}
export interface TreasuryProposalActionRow {
  id: string;
  target: string;
  value: string;
  calldata: string;
  proposal: { id: string; title: string };
}
// --- end of the treasury page's queries -----------------------------------------------------------
