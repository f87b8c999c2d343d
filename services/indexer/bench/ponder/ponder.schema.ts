// The tables the benchmark's queries read, shaped like the subgraph's entities of the same names
// (subgraph/schema.graphql): Proposal with its tallies, Vote, Account with its delegation and
// Decision. Only the current state: Ponder keeps no block-range versions of rows.
import { index, onchainTable, relations } from "ponder";

export const proposal = onchainTable(
  "proposal",
  (t) => ({
    /**
     * The proposal id (the subgraph's Proposal.id is its decimal string; GraphQL shows a BigInt as
     * one too). A number rather than text: Ponder's prefetch of rows its handlers will read
     * recognises a key taken from an event's uint256 and looks it up as a number.
     */
    id: t.bigint().primaryKey(),
    proposalId: t.bigint().notNull(),
    proposer: t.hex().notNull(),
    description: t.text().notNull(),
    title: t.text().notNull(),
    voteStart: t.bigint().notNull(),
    voteEnd: t.bigint().notNull(),
    status: t.text().notNull(),
    forVotes: t.bigint().notNull(),
    againstVotes: t.bigint().notNull(),
    abstainVotes: t.bigint().notNull(),
    voterCount: t.integer().notNull(),
    eta: t.bigint(),
    decisionCount: t.integer().notNull(),
    createdBlock: t.bigint().notNull(),
    createdTimestamp: t.bigint().notNull(),
    createdTx: t.hex().notNull(),
  }),
  (table) => ({ createdTimestampIndex: index().on(table.createdTimestamp) }),
);

export const vote = onchainTable(
  "vote",
  (t) => ({
    /** <proposal id>-<voter>, as in the subgraph. */
    id: t.text().primaryKey(),
    proposalId: t.bigint().notNull(),
    voter: t.hex().notNull(),
    support: t.integer().notNull(),
    weight: t.bigint().notNull(),
    reason: t.text().notNull(),
    block: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    tx: t.hex().notNull(),
    logIndex: t.integer().notNull(),
  }),
  (table) => ({
    proposalWeightIndex: index().on(table.proposalId, table.weight),
    voterTimestampIndex: index().on(table.voter, table.timestamp),
  }),
);

export const account = onchainTable(
  "account",
  (t) => ({
    /** The address, lowercase hex. */
    id: t.hex().primaryKey(),
    balance: t.bigint().notNull(),
    delegate: t.hex(),
    delegatedVotes: t.bigint().notNull(),
    delegatorCount: t.integer().notNull(),
    votesCast: t.integer().notNull(),
    proposalsMade: t.integer().notNull(),
    decisionsPublished: t.integer().notNull(),
  }),
  (table) => ({ delegatedVotesIndex: index().on(table.delegatedVotes), delegateIndex: index().on(table.delegate) }),
);

export const decision = onchainTable(
  "decision",
  (t) => ({
    /** The decision id. */
    id: t.bigint().primaryKey(),
    proposalId: t.bigint().notNull(),
    kind: t.integer().notNull(),
    actor: t.hex().notNull(),
    risk: t.integer().notNull(),
    recommendation: t.integer().notNull(),
    reportHash: t.hex().notNull(),
    report: t.hex().notNull(),
    block: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    tx: t.hex().notNull(),
  }),
  (table) => ({ proposalIndex: index().on(table.proposalId) }),
);

export const proposalRelations = relations(proposal, ({ many }) => ({ votes: many(vote), decisions: many(decision) }));
export const voteRelations = relations(vote, ({ one }) => ({
  proposal: one(proposal, { fields: [vote.proposalId], references: [proposal.id] }),
  voterAccount: one(account, { fields: [vote.voter], references: [account.id] }),
}));
export const accountRelations = relations(account, ({ one, many }) => ({
  delegateAccount: one(account, { fields: [account.delegate], references: [account.id], relationName: "delegation" }),
  delegators: many(account, { relationName: "delegation" }),
  votes: many(vote),
}));
export const decisionRelations = relations(decision, ({ one }) => ({
  proposal: one(proposal, { fields: [decision.proposalId], references: [proposal.id] }),
}));
