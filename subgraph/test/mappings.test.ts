import { beforeAll, describe, expect, inject, it } from "vitest";

import {
  addresses,
  analysisReport,
  compressedGuard,
  deployTiers,
  descriptionHash,
  governanceTiers,
  operationId,
  proposalId,
  runLifecycle,
  salt,
  tokenCodeHash,
} from "./synthetic-lifecycle.ts";

const buildDir = inject("buildDir");

// The compiled mappings, run with the test host on a proposal's whole lifecycle.
describe("mappings", () => {
  let store: Awaited<ReturnType<typeof runLifecycle>>["store"];
  let logs: string[];

  beforeAll(async () => {
    ({ store, logs } = await runLifecycle(buildDir));
  });

  const id = proposalId.toString();

  it("records the proposal, its action and its timeline", () => {
    expect(store.plain("Proposal", id)).toMatchObject({
      proposalId,
      proposer: addresses.analyst,
      title: "Pay bob",
      descriptionHash,
      descriptionExact: true,
      status: "EXECUTED",
      forVotes: 100n,
      againstVotes: 0n,
      abstainVotes: 0n,
      voterCount: 1,
      actionCount: 1,
      extended: true,
      decisionCount: 2,
      timelockOperation: operationId,
    });
    expect(store.plain("ProposalAction", `${id}-0`)).toMatchObject({
      target: addresses.token,
      selector: "0xa9059cbb",
      functionSignature: "transfer(address,uint256)",
    });
    const timeline = store.all("ProposalStateChange").map((change) => change.status);
    expect(timeline.sort()).toEqual(["CREATED", "EXECUTED", "QUEUED"]);
  });

  it("pins the code of each action's target", () => {
    expect(store.all("CodePin")).toEqual([
      {
        id: `${id}-0`,
        proposal: id,
        action: `${id}-0`,
        index: 0,
        target: addresses.token,
        codeHash: tokenCodeHash,
        hasCode: true,
        block: 3n,
        timestamp: expect.any(BigInt),
        tx: expect.any(String),
        logIndex: 1n,
      },
    ]);
  });

  it("records the risk delay under the tiers in force when the proposal was queued", () => {
    const sets = store.all("RiskTierSet").sort((a, b) => Number((a.block as bigint) - (b.block as bigint)));
    expect(sets.map((set) => ({ block: set.block, tierCount: set.tierCount }))).toEqual([
      { block: 1n, tierCount: 2 },
      { block: 30n, tierCount: 2 },
    ]);
    const tiersOf = (setId: unknown) =>
      store
        .all("RiskTier")
        .filter((tier) => tier.tierSet === setId)
        .sort((a, b) => (a.index as number) - (b.index as number))
        .map((tier) => ({ tier: tier.tier, minRisk: tier.minRisk, delay: Number(tier.delay) }));
    expect(tiersOf(sets[0]!.id)).toEqual(deployTiers.map((tier, i) => ({ tier: i + 1, ...tier })));
    expect(tiersOf(sets[1]!.id)).toEqual(governanceTiers.map((tier, i) => ({ tier: i + 1, ...tier })));
    expect(store.plain("Governor", addresses.governor)).toMatchObject({ riskTiers: sets[1]!.id });
    expect(store.plain("Proposal", id)).toMatchObject({
      riskDelayAnalysed: true,
      riskDelayRisk: 42,
      riskDelayTier: 0,
      riskDelay: 60n,
      riskDelayTiers: sets[1]!.id,
    });
  });

  it("links the timelock operation to the proposal through the Governor's salt", () => {
    expect(store.plain("TimelockOperation", operationId)).toMatchObject({
      proposal: id,
      status: "EXECUTED",
      salt,
      delay: 60n,
      callCount: 1,
      executedCallCount: 1,
    });
    expect(store.plain("TimelockCall", `${operationId}-0`)).toMatchObject({ executed: true });
  });

  it("records votes as immutable entities with the voter's account", () => {
    expect(store.plain("Vote", `${id}-${addresses.alice}`)).toMatchObject({
      proposal: id,
      voter: addresses.alice,
      support: 1,
      choice: "FOR",
      weight: 100n,
      reason: "good",
      params: "0x",
    });
  });

  it("reads the main fields of a JSON report and keeps a compressed one as bytes with its encoding", () => {
    expect(store.plain("Decision", "0")).toMatchObject({
      kind: "ANALYSIS",
      proposal: id,
      risk: 42,
      recommendation: "FOR",
      reportIsJson: true,
      schemaVersion: "1",
      reportRisk: analysisReport.scores.risk,
      riskFloor: analysisReport.riskFloor,
      reportRecommendation: "for",
      summary: analysisReport.summary,
      findingCount: 2,
    });
    const draft = store.plain("Decision", "2");
    expect(draft).toMatchObject({ kind: "DRAFT", recommendation: "ABSTAIN", reportIsJson: true, schemaVersion: "2.0" });
    for (const field of ["proposal", "reportRisk", "riskFloor", "findingCount", "summary"]) expect(draft).not.toHaveProperty(field);
    expect(store.plain("Decision", "0")).toMatchObject({ encoding: "JSON" });
    expect(draft).toMatchObject({ encoding: "JSON" });
    // A compressed report is kept as its exact bytes with its encoding; the mapping cannot inflate it, so no field is read.
    const guard = store.plain("Decision", "1");
    expect(guard).toMatchObject({ kind: "EXECUTION_GUARD", recommendation: "NEEDS_REVIEW", encoding: "DEFLATE_RAW", reportIsJson: false, report: compressedGuard });
    expect(guard).not.toHaveProperty("summary");
    expect(guard).not.toHaveProperty("schemaVersion");
  });

  it("keeps accounts, delegation and the token's supply", () => {
    expect(store.plain("Account", addresses.alice)).toMatchObject({
      balance: 100n,
      delegate: addresses.alice,
      delegatorCount: 1,
      delegatedVotes: 100n,
      votesCast: 1,
    });
    expect(store.plain("Account", addresses.analyst)).toMatchObject({ isAnalyst: true, isPublisher: true, proposalsMade: 1, decisionsPublished: 3 });
    expect(store.plain("Token", addresses.token)).toMatchObject({ totalSupply: 150n, holderCount: 3, transferCount: 3 });
  });

  it("keeps the Governor's parameters, timelock roles and daily activity", () => {
    expect(store.plain("Governor", addresses.governor)).toMatchObject({
      votingDelay: 10n,
      quorumNumerator: 4n,
      timelock: addresses.timelock,
      analystCount: 1,
      proposalCount: 1,
      queuedCount: 1,
      executedCount: 1,
      voteCount: 1,
    });
    expect(store.plain("Governor", addresses.governor)).not.toHaveProperty("proposalGuardian");
    expect(store.all("TimelockRoleMember")).toEqual([expect.objectContaining({ roleName: "PROPOSER_ROLE", active: true })]);
    expect(store.plain("Timelock", addresses.timelock)).toMatchObject({ minDelay: 60n, operationCount: 1, executedCount: 1 });
    const days = store.all("DailyGovernanceSnapshot");
    expect(days).toHaveLength(1);
    expect(days[0]).toMatchObject({ proposalsCreated: 1, votesCast: 1, forWeight: 100n, decisionsPublished: 3, executionGuardDecisions: 1 });
    expect(logs.filter((line) => !line.startsWith("3:"))).toEqual([]);
  });
});
