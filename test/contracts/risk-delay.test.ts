import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";

import { network } from "hardhat";

import { MAX_RISK_DELAY, MAX_RISK_TIERS } from "@ai-dao/deployment";
import { encodeFunctionData, keccak256, parseEther, toHex, zeroHash } from "viem";

import { DecisionKind, ProposalState, Recommendation, ReportEncoding, governorAbi } from "@ai-dao/protocol";
import { deployVotingDAO, descriptionHash, ethTransfer, passVote, propose, timelockSalt, type LocalDAO, type Proposal } from "@ai-dao/testkit";

/**
 * GovernorRiskDelay on the local profile: timelock minimum 60 s, risk ≥ 40 → 180 s, risk ≥ 70 →
 * 600 s, no analysis → 600 s (the values are read from the deployment, not assumed).
 */
describe("risk-tiered timelock delay (GovernorRiskDelay)", async () => {
  const connection = await network.create();
  const { viem, networkHelpers } = connection;
  let dao: LocalDAO;
  let counter = 0;

  const deployed = () => deployVotingDAO(connection, parseEther("10"));
  beforeEach(async () => {
    dao = await networkHelpers.loadFixture(deployed);
  });

  const minDelay = () => BigInt(dao.deployment.parameters.timelock.minDelay);
  const tiers = () => dao.deployment.parameters.governor.riskTiers!;
  const longest = () => BigInt(tiers()[tiers().length - 1]!.delay);

  /** A 1 wei payment passed by vote (alice For), ready to queue. */
  async function passed(): Promise<{ proposal: Proposal; proposalId: bigint }> {
    const proposal = ethTransfer(dao.accounts.outsider.account.address, 1n, `Pay 1 wei (${++counter})`);
    return { proposal, proposalId: await passVote(dao, connection, proposal) };
  }

  async function publish(proposalId: bigint, risk: number, kind: number = DecisionKind.Analysis) {
    const report = toHex(JSON.stringify({ kind: "test", proposalId: proposalId.toString(), risk }));
    await dao.decisionLog.write.publish([proposalId, kind, risk, Recommendation.NeedsReview, ReportEncoding.Json, keccak256(report), report], { account: dao.accounts.analyst.account });
  }

  /** Queues from an account with no role at all; returns the delay the proposal got. */
  async function queue(proposalId: bigint): Promise<bigint> {
    await dao.governor.write.queue([proposalId], { account: dao.accounts.outsider.account });
    const queuedAt = BigInt(await networkHelpers.time.latest());
    return (await dao.governor.read.proposalEta([proposalId])) - queuedAt;
  }

  it("gives the timelock's minimum below the first tier, each tier's delay above it, and the longest when no analysis was published", async () => {
    const cases: [number | null, bigint, number][] = [
      [0, minDelay(), 0],
      [39, minDelay(), 0],
      [40, BigInt(tiers()[0]!.delay), 1],
      [69, BigInt(tiers()[0]!.delay), 1],
      [70, longest(), 2],
      [100, longest(), 2],
      [null, longest(), 2],
    ];
    for (const [risk, expected, tier] of cases) {
      const { proposal, proposalId } = await passed();
      if (risk !== null) await publish(proposalId, risk);
      const queued = dao.governor.write.queue([proposalId], { account: dao.accounts.outsider.account });
      await viem.assertions.emitWithArgs(queued, dao.governor, "ProposalRiskDelay", [proposalId, risk !== null, risk ?? 0, tier, expected]);
      const eta = await dao.governor.read.proposalEta([proposalId]);
      assert.equal(eta - BigInt(await networkHelpers.time.latest()), expected, `risk ${risk}`);
      assert.deepEqual(await dao.governor.read.proposalRiskDelay([proposalId]), {
        delay: Number(expected),
        tier,
        risk: risk ?? 0,
        analysed: risk !== null,
        queued: true,
        proposed: true,
      });
      // The delay is the timelock's own: the operation becomes ready exactly at the eta.
      const operationId = await dao.timelock.read.hashOperationBatch([proposal.targets, proposal.values, proposal.calldatas, zeroHash, timelockSalt(dao.governor.address, descriptionHash(proposal))]);
      assert.equal(await dao.timelock.read.getTimestamp([operationId]), eta);
    }
  });

  it("uses only the latest analysis, and an analysis published after queueing changes nothing", async () => {
    const { proposalId } = await passed();
    await publish(proposalId, 95);
    await publish(proposalId, 10);
    assert.equal(await queue(proposalId), minDelay(), "the later, lower analysis decides");
    const eta = await dao.governor.read.proposalEta([proposalId]);
    const record = await dao.governor.read.proposalRiskDelay([proposalId]);

    await publish(proposalId, 100);
    assert.equal(await dao.governor.read.proposalEta([proposalId]), eta);
    assert.deepEqual(await dao.governor.read.proposalRiskDelay([proposalId]), record);
    await networkHelpers.time.increaseTo(eta);
    await dao.governor.write.execute([proposalId], { account: dao.accounts.erin.account });
    assert.equal(await dao.governor.read.state([proposalId]), ProposalState.Executed);
  });

  it("does not count a draft or a guard decision as an analysis", async () => {
    const { proposalId } = await passed();
    await publish(proposalId, 0, DecisionKind.Draft);
    await publish(proposalId, 0, DecisionKind.ExecutionGuard);
    assert.equal(await queue(proposalId), longest());
  });

  it("lets anyone queue a risky proposal but nobody execute it before its long delay, and the guardian cancel it meanwhile", async () => {
    const { accounts, governor, timelock, publicClient } = dao;
    const { proposal, proposalId } = await passed();
    await publish(proposalId, 97);
    assert.equal(await queue(proposalId), longest());
    const eta = await governor.read.proposalEta([proposalId]);

    // One second short of the delay: neither the Governor nor the timelock itself will run it.
    await networkHelpers.time.increaseTo(eta - 2n);
    await viem.assertions.revertWithCustomError(governor.write.execute([proposalId], { account: accounts.outsider.account }), timelock, "TimelockUnexpectedOperationState");
    const salt = timelockSalt(governor.address, descriptionHash(proposal));
    await viem.assertions.revertWithCustomError(
      timelock.write.executeBatch([proposal.targets, proposal.values, proposal.calldatas, zeroHash, salt], { account: accounts.outsider.account }),
      timelock,
      "AccessControlUnauthorizedAccount",
    );

    const treasuryBefore = await publicClient.getBalance({ address: timelock.address });
    await governor.write.cancel([proposalId], { account: accounts.guardian.account });
    assert.equal(await governor.read.state([proposalId]), ProposalState.Canceled);
    const operationId = await timelock.read.hashOperationBatch([proposal.targets, proposal.values, proposal.calldatas, zeroHash, salt]);
    assert.equal(await timelock.read.isOperation([operationId]), false, "the timelock operation is cancelled too");
    await networkHelpers.time.increaseTo(eta + 1n);
    await viem.assertions.revertWithCustomError(governor.write.execute([proposalId], { account: accounts.outsider.account }), governor, "GovernorUnexpectedProposalState");
    assert.equal(await publicClient.getBalance({ address: timelock.address }), treasuryBefore);
  });

  it("cancels a proposal that was never queued without touching the timelock", async () => {
    const proposal = ethTransfer(dao.accounts.outsider.account.address, 1n, "Withdrawn before the vote");
    const proposalId = await propose(dao, dao.accounts.alice.account.address, proposal);
    await dao.governor.write.cancel([proposalId], { account: dao.accounts.alice.account });
    assert.equal(await dao.governor.read.state([proposalId]), ProposalState.Canceled);
  });

  it("takes new tiers from governance only, and refuses tiers that are out of order or out of range", async () => {
    const { accounts, governor, timelock } = dao;
    const newTiers = [
      { minRisk: 30, delay: 300 },
      { minRisk: 60, delay: 900 },
      { minRisk: 90, delay: 3600 },
    ];
    await viem.assertions.revertWithCustomErrorWithArgs(governor.write.setRiskTiers([newTiers], { account: accounts.alice.account }), governor, "GovernorOnlyExecutor", [
      accounts.alice.account.address,
    ]);

    const setTiers = (tiers: typeof newTiers) => encodeFunctionData({ abi: governorAbi, functionName: "setRiskTiers", args: [tiers] });
    const proposal: Proposal = { targets: [governor.address], values: [0n], calldatas: [setTiers(newTiers)], description: "Longer delays for risky proposals" };
    const proposalId = await passVote(dao, connection, proposal);
    await publish(proposalId, 5);
    await queue(proposalId);
    await networkHelpers.time.increaseTo(await governor.read.proposalEta([proposalId]));
    await viem.assertions.emit(governor.write.execute([proposalId]), governor, "RiskTiersSet");
    assert.deepEqual(await governor.read.riskTiers(), newTiers);
    assert.deepEqual(await governor.read.riskDelayFor([true, 95]), [3, 3600]);
    assert.deepEqual(await governor.read.riskDelayFor([false, 0]), [3, 3600]);
    assert.deepEqual(await governor.read.riskDelayFor([true, 29]), [0, Number(await timelock.read.getMinDelay())]);

    // The deploy config validates tiers against the same limits as the contract.
    assert.equal(await governor.read.MAX_RISK_TIERS(), BigInt(MAX_RISK_TIERS));
    assert.equal(await governor.read.MAX_RISK_DELAY(), MAX_RISK_DELAY);

    // Bad tiers never reach storage: the constructor applies the same rule as setRiskTiers.
    const bad: [string, { minRisk: number; delay: number }[], bigint][] = [
      ["no tier", [], 0n],
      ["six tiers", [1, 2, 3, 4, 5, 6].map((r) => ({ minRisk: r, delay: 100 })), 6n],
      ["risk 0", [{ minRisk: 0, delay: 100 }], 0n],
      ["risk above 100", [{ minRisk: 101, delay: 100 }], 0n],
      ["risks not increasing", [{ minRisk: 50, delay: 100 }, { minRisk: 50, delay: 200 }], 1n],
      ["a shorter delay for more risk", [{ minRisk: 40, delay: 200 }, { minRisk: 70, delay: 100 }], 1n],
      ["over 30 days", [{ minRisk: 40, delay: 30 * 86_400 + 1 }], 0n],
    ];
    for (const [, tiers, index] of bad) {
      await viem.assertions.revertWithCustomErrorWithArgs(deployGovernor(tiers), governor, "GovernorInvalidRiskTiers", [index]);
    }
  });

  function deployGovernor(riskTiers: { minRisk: number; delay: number }[]): Promise<unknown> {
    const p = dao.deployment.parameters.governor;
    return viem.deployContract("DAOGovernor", [
      "Another Governor",
      dao.token.address,
      dao.timelock.address,
      {
        votingDelay: p.votingDelay,
        votingPeriod: p.votingPeriod,
        proposalThreshold: 0n,
        quorumNumerator: 4n,
        lateQuorumVoteExtension: 0,
        proposalGuardian: "0x0000000000000000000000000000000000000000",
        decisionLog: dao.decisionLog.address,
        riskTiers,
      },
      [],
    ]);
  }
});

