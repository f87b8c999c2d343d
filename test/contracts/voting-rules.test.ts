import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";

import { network } from "hardhat";
import { parseEther, zeroHash } from "viem";

import { ProposalState, Support } from "@ai-dao/protocol";
import {
  deployVotingDAO,
  descriptionHash,
  endVoting,
  ethTransfer,
  propose,
  startVoting,
  timelockSalt,
  type LocalDAO,
} from "@ai-dao/testkit";

describe("voting rules", async () => {
  const connection = await network.create();
  const { viem, networkHelpers } = connection;
  let dao: LocalDAO;

  const deployed = () => deployVotingDAO(connection, parseEther("5"));

  beforeEach(async () => {
    dao = await networkHelpers.loadFixture(deployed);
  });

  const payment = (description: string) => ethTransfer(dao.accounts.outsider.account.address, parseEther("1"), description);

  it("defeats a proposal whose For and Abstain votes fall short of quorum", async () => {
    const { accounts, token, governor } = dao;
    // The outsider holds 10k of 1M tokens: 1%, below the 4% quorum.
    await token.write.transfer([accounts.outsider.account.address, parseEther("10000")], { account: accounts.erin.account });
    await token.write.delegate([accounts.outsider.account.address], { account: accounts.outsider.account });
    const proposalId = await propose(dao, accounts.alice.account.address, payment("Below quorum"));
    await startVoting(dao, connection, proposalId);
    await governor.write.castVote([proposalId, Support.For], { account: accounts.outsider.account });

    const snapshot = await governor.read.proposalSnapshot([proposalId]);
    assert.equal(await governor.read.quorum([snapshot]), parseEther("40000"));
    await endVoting(dao, connection, proposalId);
    assert.equal(await governor.read.state([proposalId]), ProposalState.Defeated);
    await viem.assertions.revertWithCustomError(governor.write.queue([proposalId]), governor, "GovernorUnexpectedProposalState");
  });

  it("defeats a proposal with more Against than For votes", async () => {
    const { accounts, governor } = dao;
    const proposalId = await propose(dao, accounts.alice.account.address, payment("Outvoted"));
    await startVoting(dao, connection, proposalId);
    await governor.write.castVote([proposalId, Support.For], { account: accounts.alice.account }); // 250k
    for (const voter of [accounts.bob, accounts.carol, accounts.dave]) {
      await governor.write.castVote([proposalId, Support.Against], { account: voter.account }); // 310k
    }
    await endVoting(dao, connection, proposalId);
    assert.equal(await governor.read.state([proposalId]), ProposalState.Defeated);
  });

  it("a tie is a defeat, one more vote For is a success", async () => {
    const { accounts, governor } = dao;
    const tie = await propose(dao, accounts.alice.account.address, payment("Exact tie"));
    const majority = await propose(dao, accounts.alice.account.address, payment("One more"));
    await startVoting(dao, connection, majority);
    for (const proposalId of [tie, majority]) {
      await governor.write.castVote([proposalId, Support.For], { account: accounts.alice.account }); // 250k
      await governor.write.castVote([proposalId, Support.Against], { account: accounts.bob.account }); // 150k
      await governor.write.castVote([proposalId, Support.Against], { account: accounts.carol.account }); // 100k
    }
    await governor.write.castVote([majority, Support.For], { account: accounts.erin.account }); // +40k
    await endVoting(dao, connection, majority);
    const [against, forVotes] = await governor.read.proposalVotes([tie]);
    assert.equal(forVotes, against);
    assert.equal(await governor.read.state([tie]), ProposalState.Defeated);
    assert.equal(await governor.read.state([majority]), ProposalState.Succeeded);
  });

  it("extends the vote when quorum is reached late", async () => {
    const { accounts, governor } = dao;
    const proposalId = await propose(dao, accounts.alice.account.address, payment("Late quorum"));
    await startVoting(dao, connection, proposalId);
    const originalDeadline = await governor.read.proposalDeadline([proposalId]);
    const extension = BigInt(dao.deployment.parameters.governor.lateQuorumVoteExtension);

    // Nobody votes until 5 seconds before the end; then quorum is reached.
    await networkHelpers.time.increaseTo(originalDeadline - 5n);
    const vote = governor.write.castVote([proposalId, Support.For], { account: accounts.bob.account });
    await viem.assertions.emit(vote, governor, "ProposalExtended");
    const votedAt = BigInt(await networkHelpers.time.latest());
    const extendedDeadline = await governor.read.proposalDeadline([proposalId]);
    assert.equal(extendedDeadline, votedAt + extension);
    assert.ok(extendedDeadline > originalDeadline);

    // Past the original deadline the vote is still open, and the others can still answer.
    await networkHelpers.time.increaseTo(originalDeadline + 1n);
    assert.equal(await governor.read.state([proposalId]), ProposalState.Active);
    await governor.write.castVote([proposalId, Support.Against], { account: accounts.alice.account });
    await endVoting(dao, connection, proposalId);
    assert.equal(await governor.read.state([proposalId]), ProposalState.Defeated);
  });

  it("lets the proposal guardian cancel at any stage, and nobody else", async () => {
    const { accounts, governor, timelock } = dao;
    const proposal = payment("To be cancelled while queued");
    const proposalId = await propose(dao, accounts.alice.account.address, proposal);
    await startVoting(dao, connection, proposalId);
    await governor.write.castVote([proposalId, Support.For], { account: accounts.alice.account });
    await endVoting(dao, connection, proposalId);
    await governor.write.queue([proposalId]);
    const operationId = await timelock.read.hashOperationBatch([
      proposal.targets,
      proposal.values,
      proposal.calldatas,
      zeroHash,
      timelockSalt(governor.address, descriptionHash(proposal)),
    ]);
    assert.equal(await timelock.read.isOperationPending([operationId]), true);

    // Neither a holder nor the proposer may cancel once voting started.
    for (const caller of [accounts.bob, accounts.alice]) {
      await viem.assertions.revertWithCustomError(
        governor.write.cancel([proposalId], { account: caller.account }),
        governor,
        "GovernorUnableToCancel",
      );
    }
    const cancel = governor.write.cancel([proposalId], { account: accounts.guardian.account });
    await viem.assertions.emitWithArgs(cancel, governor, "ProposalCanceled", [proposalId]);
    assert.equal(await governor.read.state([proposalId]), ProposalState.Canceled);
    assert.equal(await timelock.read.isOperation([operationId]), false, "the timelock operation is cancelled too");
  });

  it("rejects a front-runner proposing a description reserved with #proposer=", async () => {
    const { accounts, governor } = dao;
    const alice = accounts.alice.account.address;
    const reserved = payment(`Alice's proposal#proposer=${alice}`);
    await viem.assertions.revertWithCustomErrorWithArgs(
      governor.write.propose([reserved.targets, reserved.values, reserved.calldatas, reserved.description], {
        account: accounts.bob.account,
      }),
      governor,
      "GovernorRestrictedProposer",
      [accounts.bob.account.address],
    );
    const proposalId = await propose(dao, alice, reserved);
    assert.equal((await governor.read.proposalProposer([proposalId])).toLowerCase(), alice.toLowerCase());
  });

  it("counts one vote per account", async () => {
    const { accounts, governor } = dao;
    const proposalId = await propose(dao, accounts.alice.account.address, payment("Double vote"));
    await startVoting(dao, connection, proposalId);
    await governor.write.castVote([proposalId, Support.For], { account: accounts.bob.account });
    await viem.assertions.revertWithCustomError(
      governor.write.castVote([proposalId, Support.Against], { account: accounts.bob.account }),
      governor,
      "GovernorAlreadyCastVote",
    );
  });
});
