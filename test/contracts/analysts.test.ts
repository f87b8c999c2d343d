import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";

import { network } from "hardhat";
import { encodeFunctionData, parseEther, zeroAddress } from "viem";

import { ProposalState, Support } from "@ai-dao/protocol";
import {
  delegateAll,
  deployLocalDAO,
  ethTransfer,
  passProposal,
  propose,
  startVoting,
  type LocalDAO,
} from "@ai-dao/testkit";

describe("analysts (GovernorAnalysts)", async () => {
  const connection = await network.create();
  const { viem, networkHelpers } = connection;
  let dao: LocalDAO;

  async function deployed() {
    const result = await deployLocalDAO(connection);
    await delegateAll(result, connection);
    return result;
  }

  beforeEach(async () => {
    dao = await networkHelpers.loadFixture(deployed);
  });

  const draft = (description: string) => ethTransfer(dao.accounts.outsider.account.address, parseEther("1"), description);
  const setAnalyst = (account: `0x${string}`, registered: boolean) => ({
    targets: [dao.governor.address],
    values: [0n],
    calldatas: [encodeFunctionData({ abi: dao.governor.abi, functionName: "setAnalyst", args: [account, registered] })],
    description: `${registered ? "Register" : "Remove"} analyst ${account}`,
  });

  it("lets a registered analyst with no votes propose below the threshold", async () => {
    const { accounts, governor, token } = dao;
    const analyst = accounts.analyst.account.address;
    assert.equal(await governor.read.isAnalyst([analyst]), true);
    assert.equal(await token.read.getVotes([analyst]), 0n);
    assert.ok((await governor.read.proposalThreshold()) > 0n);

    const proposalId = await propose(dao, analyst, draft("Drafted by the analyst"));
    assert.equal(await governor.read.state([proposalId]), ProposalState.Pending);
    assert.equal((await governor.read.proposalProposer([proposalId])).toLowerCase(), analyst.toLowerCase());
  });

  it("refuses a proposal from a non-analyst below the threshold", async () => {
    const { accounts, governor } = dao;
    const outsider = accounts.outsider.account.address;
    const proposal = draft("Spam");
    await viem.assertions.revertWithCustomErrorWithArgs(
      governor.write.propose([proposal.targets, proposal.values, proposal.calldatas, proposal.description], {
        account: outsider,
      }),
      governor,
      "GovernorInsufficientProposerVotes",
      [outsider, 0n, parseEther("1000")],
    );
  });

  it("still applies the #proposer= restriction to analysts", async () => {
    const { accounts, governor } = dao;
    const proposal = draft(`Not yours#proposer=${accounts.alice.account.address}`);
    await viem.assertions.revertWithCustomError(
      governor.write.propose([proposal.targets, proposal.values, proposal.calldatas, proposal.description], {
        account: accounts.analyst.account,
      }),
      governor,
      "GovernorRestrictedProposer",
    );
  });

  it("never lets an analyst vote, not even with power delegated to it", async () => {
    const { accounts, governor, token } = dao;
    const analyst = accounts.analyst.account;
    await token.write.delegate([analyst.address], { account: accounts.erin.account });
    const proposalId = await propose(dao, accounts.alice.account.address, draft("Borrowed votes"));
    await startVoting(dao, connection, proposalId);
    const snapshot = await governor.read.proposalSnapshot([proposalId]);
    assert.equal(await governor.read.getVotes([analyst.address, snapshot]), parseEther("40000"));

    for (const vote of [
      governor.write.castVote([proposalId, Support.For], { account: analyst }),
      governor.write.castVoteWithReason([proposalId, Support.Against, "I was lent these"], { account: analyst }),
    ]) {
      await viem.assertions.revertWithCustomErrorWithArgs(vote, governor, "GovernorAnalystCannotVote", [analyst.address]);
    }
    const [against, forVotes, abstain] = await governor.read.proposalVotes([proposalId]);
    assert.deepEqual([against, forVotes, abstain], [0n, 0n, 0n]);
    assert.equal(await governor.read.hasVoted([proposalId, analyst.address]), false);
  });

  it("registers and removes analysts only through governance", async () => {
    const { accounts, governor } = dao;
    const outsider = accounts.outsider.account.address;
    const analyst = accounts.analyst.account.address;

    for (const caller of [accounts.deployer, accounts.alice, accounts.analyst, accounts.guardian]) {
      await viem.assertions.revertWithCustomError(
        governor.write.setAnalyst([outsider, true], { account: caller.account }),
        governor,
        "GovernorOnlyExecutor",
      );
    }

    const register = passProposal(dao, connection, setAnalyst(outsider, true));
    await viem.assertions.emitWithArgs(register, governor, "AnalystSet", [outsider, true]);
    assert.equal(await governor.read.isAnalyst([outsider]), true);
    await propose(dao, outsider, draft("Now allowed"));

    await passProposal(dao, connection, setAnalyst(analyst, false));
    assert.equal(await governor.read.isAnalyst([analyst]), false);
    const proposal = draft("No longer allowed");
    await viem.assertions.revertWithCustomError(
      governor.write.propose([proposal.targets, proposal.values, proposal.calldatas, proposal.description], {
        account: analyst,
      }),
      governor,
      "GovernorInsufficientProposerVotes",
    );
  });

  it("rejects the zero address as an analyst", async () => {
    const { governor } = dao;
    const proposalId = await propose(dao, dao.accounts.alice.account.address, setAnalyst(zeroAddress, true));
    await startVoting(dao, connection, proposalId);
    await governor.write.castVote([proposalId, Support.For], { account: dao.accounts.alice.account });
    await networkHelpers.time.increaseTo((await governor.read.proposalDeadline([proposalId])) + 1n);
    await governor.write.queue([proposalId]);
    await networkHelpers.time.increaseTo(await governor.read.proposalEta([proposalId]));
    await viem.assertions.revertWithCustomErrorWithArgs(
      governor.write.execute([proposalId]),
      governor,
      "GovernorInvalidAnalyst",
      [zeroAddress],
    );
  });
});
