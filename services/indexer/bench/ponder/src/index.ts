// Ponder's handlers for the benchmark: the same bookkeeping the subgraph's mappings do for the
// tables of ponder.schema.ts (subgraph/src/token.ts, proposals.ts, decision-log.ts), and no more.
import { ponder } from "ponder:registry";
import { account, decision, proposal, vote } from "ponder:schema";

type AccountRow = typeof account.$inferSelect;
type Db = Parameters<Parameters<typeof ponder.on<"DAOToken:Transfer">>[1]>[0]["context"]["db"];

const ZERO = "0x0000000000000000000000000000000000000000";

/** Creates the account when it is new (like getOrCreateAccount), then applies `change` to it. */
async function updateAccount(db: Db, address: string, change: (row: AccountRow) => Partial<AccountRow>): Promise<void> {
  const id = address.toLowerCase() as `0x${string}`;
  const empty: AccountRow = { id, balance: 0n, delegate: null, delegatedVotes: 0n, delegatorCount: 0, votesCast: 0, proposalsMade: 0, decisionsPublished: 0 };
  await db.insert(account).values({ ...empty, ...change(empty) }).onConflictDoUpdate((row) => change(row));
}

/** The description's first line without Markdown heading marks (the subgraph's titleOf). */
function titleOf(description: string): string {
  let line = description.split("\n")[0]!;
  while (line.startsWith("#")) line = line.slice(1);
  return line.trim();
}

ponder.on("DAOToken:Transfer", async ({ event, context }) => {
  const { from, to, value } = event.args;
  if (from !== ZERO) await updateAccount(context.db, from, (row) => ({ balance: row.balance - value }));
  if (to !== ZERO) await updateAccount(context.db, to, (row) => ({ balance: row.balance + value }));
});

ponder.on("DAOToken:DelegateChanged", async ({ event, context }) => {
  const { delegator, fromDelegate, toDelegate } = event.args;
  await updateAccount(context.db, delegator, () => ({ delegate: toDelegate === ZERO ? null : (toDelegate.toLowerCase() as `0x${string}`) }));
  if (fromDelegate !== ZERO) await updateAccount(context.db, fromDelegate, (row) => ({ delegatorCount: row.delegatorCount - 1 }));
  if (toDelegate !== ZERO) await updateAccount(context.db, toDelegate, (row) => ({ delegatorCount: row.delegatorCount + 1 }));
});

ponder.on("DAOToken:DelegateVotesChanged", async ({ event, context }) => {
  await updateAccount(context.db, event.args.delegate, () => ({ delegatedVotes: event.args.newVotes }));
});

ponder.on("DAOGovernor:ProposalCreated", async ({ event, context }) => {
  const { proposalId, proposer, voteStart, voteEnd, description } = event.args;
  await updateAccount(context.db, proposer, (row) => ({ proposalsMade: row.proposalsMade + 1 }));
  await context.db.insert(proposal).values({
    id: proposalId,
    proposalId,
    proposer: proposer.toLowerCase() as `0x${string}`,
    description,
    title: titleOf(description),
    voteStart,
    voteEnd,
    status: "CREATED",
    forVotes: 0n,
    againstVotes: 0n,
    abstainVotes: 0n,
    voterCount: 0,
    eta: null,
    decisionCount: 0,
    createdBlock: event.block.number,
    createdTimestamp: event.block.timestamp,
    createdTx: event.transaction.hash,
  });
});

async function recordVote(db: Db, event: { block: { number: bigint; timestamp: bigint }; transaction: { hash: `0x${string}` }; log: { logIndex: number } }, voter: string, proposalId: bigint, support: number, weight: bigint, reason: string) {
  const voterId = voter.toLowerCase() as `0x${string}`;
  await updateAccount(db, voterId, (row) => ({ votesCast: row.votesCast + 1 }));
  const id = proposalId;
  await db.insert(vote).values({
    id: `${id}-${voterId}`,
    proposalId: id,
    voter: voterId,
    support,
    weight,
    reason,
    block: event.block.number,
    timestamp: event.block.timestamp,
    tx: event.transaction.hash,
    logIndex: event.log.logIndex,
  });
  if (await db.find(proposal, { id })) {
    await db.update(proposal, { id }).set((row) => ({
      againstVotes: support === 0 ? row.againstVotes + weight : row.againstVotes,
      forVotes: support === 1 ? row.forVotes + weight : row.forVotes,
      abstainVotes: support === 2 ? row.abstainVotes + weight : row.abstainVotes,
      voterCount: row.voterCount + 1,
    }));
  }
}

ponder.on("DAOGovernor:VoteCast", async ({ event, context }) => {
  const { voter, proposalId, support, weight, reason } = event.args;
  await recordVote(context.db, event, voter, proposalId, support, weight, reason);
});

ponder.on("DAOGovernor:VoteCastWithParams", async ({ event, context }) => {
  const { voter, proposalId, support, weight, reason } = event.args;
  await recordVote(context.db, event, voter, proposalId, support, weight, reason);
});

ponder.on("DAOGovernor:AnalystSet", async ({ event, context }) => {
  await updateAccount(context.db, event.args.account, () => ({}));
});

ponder.on("DecisionLog:PublisherSet", async ({ event, context }) => {
  await updateAccount(context.db, event.args.account, () => ({}));
});

ponder.on("DecisionLog:DecisionPublished", async ({ event, context }) => {
  const { decisionId, proposalId, kind, actor, risk, recommendation, reportHash, report } = event.args;
  await updateAccount(context.db, actor, (row) => ({ decisionsPublished: row.decisionsPublished + 1 }));
  await context.db.insert(decision).values({
    id: decisionId,
    proposalId,
    kind,
    actor: actor.toLowerCase() as `0x${string}`,
    risk,
    recommendation,
    reportHash,
    report,
    block: event.block.number,
    timestamp: event.block.timestamp,
    tx: event.transaction.hash,
  });
  const id = proposalId;
  if (await context.db.find(proposal, { id })) {
    await context.db.update(proposal, { id }).set((row) => ({ decisionCount: row.decisionCount + 1 }));
  }
});
