// The compiled mappings on the real contracts: deploy the DAO on Hardhat's in-process chain exactly
// as `npm run deploy` does, run two proposals through their lifecycle (one with a low-risk analysis,
// one without analysis that changes the risk tiers and calls an account without code), feed every
// log of the four contracts to the WASM in chain order, and compare the entities with what the
// contracts say.

import { network } from "hardhat";
import { type Hex, type PublicClient, encodeFunctionData, keccak256, parseEther, stringToHex, toHex, zeroHash } from "viem";
import { beforeAll, describe, expect, inject, it } from "vitest";

import { DecisionKind, Recommendation, ReportEncoding, Support } from "@ai-dao/protocol";
import { publishedReportBytes } from "@ai-dao/reports/node";
import {
  delegateAll,
  deployLocalDAO,
  descriptionHash,
  endVoting,
  erc20Transfer,
  propose,
  startVoting,
  timelockSalt,
  type LocalDAO,
} from "@ai-dao/testkit";
import { subgraphDir } from "../scripts/data-sources.ts";
import { buildManifest } from "../scripts/manifest.ts";
import { type ManifestDataSources, feedChain } from "./feed.ts";
import { Store } from "./wasm-host.ts";

const buildDir = inject("buildDir");

describe("mappings on the real contracts", () => {
  let dao: LocalDAO;
  let store: Store;
  let logs: string[];
  let proposalId: bigint;
  let proposal: { targets: Hex[]; values: bigint[]; calldatas: Hex[]; description: string };
  // Queued without any analysis: the highest tier. Its actions set new risk tiers and call dave, an
  // account without code.
  let unanalysedId: bigint;
  let guardBytes: Hex;
  let unanalysed: { targets: Hex[]; values: bigint[]; calldatas: Hex[]; description: string };
  const newTiers = [
    { minRisk: 30, delay: 120 },
    { minRisk: 60, delay: 300 },
    { minRisk: 90, delay: 900 },
  ];
  const report = { schemaVersion: 1, scores: { risk: 12 }, riskFloor: 5, recommendation: "for", summary: "Pays dave.", findings: [] };

  beforeAll(async () => {
    const connection = await network.create();
    dao = await deployLocalDAO(connection);
    const { accounts, governor, token, decisionLog, publicClient, deployment } = dao;
    const analyst = accounts.analyst.account;
    const executor = accounts.executor.account;

    await delegateAll(dao, connection);
    await token.write.delegate([accounts.alice.account.address], { account: accounts.erin.account });
    proposal = {
      targets: [token.address],
      values: [0n],
      calldatas: [erc20Transfer(token.address, accounts.dave.account.address, parseEther("1000"))],
      description: "# Grant to dave\nSend 1,000 DEMO from the treasury to dave.",
    };
    proposalId = await propose(dao, accounts.alice.account.address, proposal);
    const reportBytes = stringToHex(JSON.stringify(report));
    await decisionLog.write.publish(
      [proposalId, DecisionKind.Analysis, 12, Recommendation.For, ReportEncoding.Json, keccak256(reportBytes), reportBytes],
      { account: analyst },
    );
    unanalysed = {
      targets: [governor.address, accounts.dave.account.address],
      values: [0n, 0n],
      calldatas: [encodeFunctionData({ abi: governor.abi, functionName: "setRiskTiers", args: [newTiers] }), "0x"],
      description: "# New risk tiers\nThree tiers, and a call to dave.",
    };
    unanalysedId = await propose(dao, accounts.alice.account.address, unanalysed);
    await startVoting(dao, connection, unanalysedId);
    await governor.write.castVote([proposalId, Support.For], { account: accounts.alice.account });
    await governor.write.castVoteWithReason([proposalId, Support.Against, "too much"], { account: accounts.bob.account });
    await governor.write.castVote([proposalId, Support.Abstain], { account: accounts.carol.account });
    await governor.write.castVote([unanalysedId, Support.For], { account: accounts.alice.account });
    await endVoting(dao, connection, unanalysedId);
    await governor.write.queue([proposalId]);
    await governor.write.queue([unanalysedId]);
    await connection.networkHelpers.time.increaseTo(await governor.read.proposalEta([proposalId]));
    // Compressed against the report dictionary, as the executor publishes its reports.
    const published = publishedReportBytes({ kind: "execution-guard", summary: "simulation ok; executing" });
    const guard = toHex(published.bytes);
    guardBytes = guard;
    await decisionLog.write.publish(
      [proposalId, DecisionKind.ExecutionGuard, 3, Recommendation.For, published.encoding, keccak256(guard), guard],
      { account: executor },
    );
    await governor.write.execute([proposalId]);
    await connection.networkHelpers.time.increaseTo(await governor.read.proposalEta([unanalysedId]));
    await governor.write.execute([unanalysedId]);

    // Every log of the four contracts, in chain order, to the data source that watches it, as the
    // manifest of this deployment says (without treasury assets: this test has none to check).
    store = new Store();
    const manifest = (await buildManifest({ ...deployment, treasuryAssets: [] })) as ManifestDataSources;
    const sources = await feedChain(publicClient as PublicClient, manifest, subgraphDir, buildDir, store);
    logs = sources.flatMap((source) => source.mapping.logs);
  }, 120_000);

  it("indexes without warnings", () => {
    expect(logs.filter((line) => !line.startsWith("3:"))).toEqual([]);
  });

  it("has the proposal's final state, tallies and timelock operation as the contracts do", async () => {
    const { governor, timelock } = dao;
    const [against, forVotes, abstain] = await governor.read.proposalVotes([proposalId]);
    const salt = timelockSalt(governor.address, descriptionHash(proposal));
    const operationId = await timelock.read.hashOperationBatch([proposal.targets, proposal.values, proposal.calldatas, zeroHash, salt]);
    expect(store.plain("Proposal", proposalId.toString())).toMatchObject({
      status: "EXECUTED",
      forVotes,
      againstVotes: against,
      abstainVotes: abstain,
      voterCount: 3,
      voteStart: await governor.read.proposalSnapshot([proposalId]),
      voteEnd: await governor.read.proposalDeadline([proposalId]),
      eta: await governor.read.proposalEta([proposalId]),
      descriptionExact: true,
      descriptionHash: descriptionHash(proposal),
      title: "Grant to dave",
      timelockOperation: operationId,
    });
    expect(store.plain("TimelockOperation", operationId)).toMatchObject({
      proposal: proposalId.toString(),
      status: "EXECUTED",
      salt,
      delay: BigInt(dao.deployment.parameters.timelock.minDelay),
    });
    const bobVote = store.plain("Vote", `${proposalId}-${dao.accounts.bob.account.address.toLowerCase()}`);
    expect(bobVote).toMatchObject({ support: 0, choice: "AGAINST", reason: "too much" });
  });

  it("has the risk delay each proposal earned when queued, as the Governor recorded it", async () => {
    const { governor, timelock } = dao;
    const constructorTiers = store.all("RiskTierSet").find((set) => set.tierCount === 2)!;
    const lowRisk = await governor.read.proposalRiskDelay([proposalId]);
    expect(lowRisk).toMatchObject({ analysed: true, risk: 12, tier: 0, queued: true });
    // Below the first tier: the timelock's minimum delay.
    expect(lowRisk.delay).toBe(Number(await timelock.read.getMinDelay()));
    expect(store.plain("Proposal", proposalId.toString())).toMatchObject({
      riskDelayAnalysed: true,
      riskDelayRisk: lowRisk.risk,
      riskDelayTier: lowRisk.tier,
      riskDelay: BigInt(lowRisk.delay),
      riskDelayTiers: constructorTiers.id,
    });

    const none = await governor.read.proposalRiskDelay([unanalysedId]);
    const tiers = dao.deployment.parameters.governor.riskTiers!;
    expect(none).toMatchObject({ analysed: false, tier: tiers.length, delay: tiers.at(-1)!.delay, queued: true });
    const indexed = store.plain("Proposal", unanalysedId.toString())!;
    expect(indexed).toMatchObject({
      riskDelayAnalysed: false,
      riskDelayTier: none.tier,
      riskDelay: BigInt(none.delay),
      riskDelayTiers: constructorTiers.id,
      eta: await governor.read.proposalEta([unanalysedId]),
    });
    expect(indexed).not.toHaveProperty("riskDelayRisk");
    expect(indexed.eta).toBe((indexed.queuedTimestamp as bigint) + BigInt(none.delay));
    expect(store.plain("TimelockOperation", indexed.timelockOperation as string)).toMatchObject({ delay: BigInt(none.delay) });
  });

  it("pins each action's target with the code hash the Governor pinned", async () => {
    const { governor } = dao;
    for (const [id, actions] of [
      [proposalId, proposal],
      [unanalysedId, unanalysed],
    ] as const) {
      const pinned = await governor.read.proposalCodePins([id, BigInt(actions.targets.length)]);
      for (const [index, target] of actions.targets.entries()) {
        const codeHash = await governor.read.codeHashOf([target]);
        expect(pinned[index]).toBe(codeHash);
        expect(store.plain("CodePin", `${id}-${index}`)).toMatchObject({
          proposal: id.toString(),
          action: `${id}-${index}`,
          index,
          target: target.toLowerCase(),
          codeHash,
          hasCode: codeHash !== zeroHash,
        });
      }
    }
    // The token and the Governor have code; dave is an account without code, pinned as zero.
    expect(store.plain("CodePin", `${proposalId}-0`)).toMatchObject({ hasCode: true });
    expect(store.plain("CodePin", `${unanalysedId}-1`)).toMatchObject({ codeHash: zeroHash, hasCode: false });
    expect(store.all("CodePin")).toHaveLength(3);
  });

  it("has every setting of the risk tiers, the constructor's first, and the ones in force now", async () => {
    const { governor } = dao;
    const sets = store.all("RiskTierSet").sort((a, b) => Number((a.block as bigint) - (b.block as bigint)));
    expect(sets).toHaveLength(2);
    const tiersOf = (set: Record<string, unknown>) =>
      store
        .all("RiskTier")
        .filter((tier) => tier.tierSet === set.id)
        .sort((a, b) => (a.index as number) - (b.index as number))
        .map((tier) => ({ tier: tier.tier, minRisk: tier.minRisk, delay: Number(tier.delay) }));
    const [constructorSet, governanceSet] = sets as [Record<string, unknown>, Record<string, unknown>];
    expect(constructorSet).toMatchObject({ governor: governor.address.toLowerCase(), tierCount: 2 });
    expect(constructorSet.block as bigint).toBeLessThan(store.plain("Proposal", proposalId.toString())!.createdBlock as bigint);
    expect(tiersOf(constructorSet)).toEqual(
      dao.deployment.parameters.governor.riskTiers!.map((tier, index) => ({ tier: index + 1, ...tier })),
    );
    // Set by governance when the unanalysed proposal executed.
    expect(governanceSet).toMatchObject({ tierCount: 3, tx: store.plain("Proposal", unanalysedId.toString())!.executedTx });
    const onChain = await governor.read.riskTiers();
    expect(tiersOf(governanceSet)).toEqual(onChain.map((tier, index) => ({ tier: index + 1, minRisk: tier.minRisk, delay: tier.delay })));
    expect(onChain.map((tier) => ({ ...tier }))).toEqual(newTiers);
    expect(store.plain("Governor", governor.address.toLowerCase())).toMatchObject({ riskTiers: governanceSet.id });
  });

  it("has every account's balance and voting power as the token does", async () => {
    const { token } = dao;
    const accounts = store.all("Account");
    expect(accounts.length).toBeGreaterThan(5);
    for (const account of accounts) {
      const address = account.id as Hex;
      expect(account.balance, `balance of ${address}`).toBe(await token.read.balanceOf([address]));
      expect(account.delegatedVotes, `votes of ${address}`).toBe(await token.read.getVotes([address]));
    }
    expect(store.plain("Account", dao.accounts.alice.account.address.toLowerCase())).toMatchObject({ delegatorCount: 2 });
    expect(store.plain("Token", token.address.toLowerCase())).toMatchObject({
      totalSupply: await token.read.totalSupply(),
    });
  });

  it("has the Governor's parameters, analysts and publishers from the constructors' events", () => {
    const parameters = dao.deployment.parameters;
    expect(store.plain("Governor", dao.governor.address.toLowerCase())).toMatchObject({
      votingDelay: BigInt(parameters.governor.votingDelay),
      votingPeriod: BigInt(parameters.governor.votingPeriod),
      proposalThreshold: BigInt(parameters.governor.proposalThreshold),
      quorumNumerator: BigInt(parameters.governor.quorumPercent),
      lateQuorumVoteExtension: BigInt(parameters.governor.lateQuorumVoteExtension),
      proposalGuardian: parameters.governor.proposalGuardian?.toLowerCase(),
      timelock: dao.timelock.address.toLowerCase(),
      analystCount: parameters.analysts.length,
    });
    for (const analyst of parameters.analysts) {
      expect(store.plain("Account", analyst.toLowerCase())).toMatchObject({ isAnalyst: true });
    }
    for (const publisher of parameters.publishers) {
      expect(store.plain("Account", publisher.toLowerCase())).toMatchObject({ isPublisher: true });
    }
  });

  it("has the decisions with their reports", () => {
    expect(store.plain("Decision", "0")).toMatchObject({
      kind: "ANALYSIS",
      proposal: proposalId.toString(),
      actor: dao.accounts.analyst.account.address.toLowerCase(),
      reportIsJson: true,
      reportRisk: 12,
      riskFloor: 5,
      summary: "Pays dave.",
      findingCount: 0,
    });
    expect(store.plain("Decision", "0")).toMatchObject({ encoding: "JSON" });
    expect(store.plain("Decision", "1")).toMatchObject({ kind: "EXECUTION_GUARD", encoding: "DEFLATE_RAW_DICTIONARY_1", reportIsJson: false, report: guardBytes });
    expect(store.plain("Decision", "1")).not.toHaveProperty("summary");
  });

  it("has the timelock's roles as the timelock does", async () => {
    const members = store.all("TimelockRoleMember");
    expect(members.length).toBeGreaterThan(0);
    for (const member of members) {
      const holds = await dao.timelock.read.hasRole([member.role as Hex, member.account as Hex]);
      expect(member.active, `${member.roleName as string} of ${member.account as string}`).toBe(holds);
    }
  });
});
