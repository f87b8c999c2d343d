import assert from "node:assert/strict";
import { before, describe, it } from "node:test";

import { network } from "hardhat";
import { parseEther, parseUnits } from "viem";

import { ProposalState, Support } from "@ai-dao/protocol";
import {
  delegateAll,
  deployLocalDAO,
  descriptionHash,
  endVoting,
  erc20Transfer,
  propose,
  startVoting,
  type LocalDAO,
} from "@ai-dao/testkit";

describe("proposal lifecycle: delegate, propose, vote, queue, wait, execute", async () => {
  const connection = await network.create();
  const { viem, networkHelpers } = connection;
  let dao: LocalDAO;

  before(async () => {
    dao = await deployLocalDAO(connection);
  });

  it("moves ETH and an ERC-20 out of the treasury exactly as voted", async () => {
    const { accounts, governor, timelock, token, publicClient } = dao;
    const recipient = accounts.outsider.account.address;

    // The treasury holds ETH and a stablecoin.
    await accounts.deployer.sendTransaction({ to: timelock.address, value: parseEther("10") });
    const usd = await viem.deployContract("MockERC20", ["Test USD", "TUSD", 6, timelock.address, parseUnits("50000", 6)]);

    // Votes count only once delegated.
    assert.equal(await token.read.getVotes([accounts.alice.account.address]), 0n);
    await delegateAll(dao, connection);
    assert.equal(await token.read.getVotes([accounts.alice.account.address]), parseEther("250000"));

    const proposal = {
      targets: [recipient, usd.address],
      values: [parseEther("1.5"), 0n],
      calldatas: ["0x", erc20Transfer(usd.address, recipient, parseUnits("1200", 6))] as `0x${string}`[],
      description: "# Pay the auditor\nSend 1.5 ETH and 1,200 TUSD to the auditor.",
    };
    const proposalId = await propose(dao, accounts.alice.account.address, proposal);
    assert.equal(await governor.read.state([proposalId]), ProposalState.Pending);
    assert.equal(await governor.read.proposalCount(), 1n, "GovernorStorage enumerates the proposal");

    await startVoting(dao, connection, proposalId);
    assert.equal(await governor.read.state([proposalId]), ProposalState.Active);
    await governor.write.castVote([proposalId, Support.For], { account: accounts.alice.account });
    await governor.write.castVote([proposalId, Support.Against], { account: accounts.bob.account });
    await governor.write.castVoteWithReason([proposalId, Support.Abstain, "conflict of interest"], {
      account: accounts.carol.account,
    });
    const [against, forVotes, abstain] = await governor.read.proposalVotes([proposalId]);
    assert.deepEqual([against, forVotes, abstain], [parseEther("150000"), parseEther("250000"), parseEther("100000")]);
    assert.equal(await governor.read.hasVoted([proposalId, accounts.bob.account.address]), true);

    await endVoting(dao, connection, proposalId);
    assert.equal(await governor.read.state([proposalId]), ProposalState.Succeeded);

    await governor.write.queue([proposalId], { account: accounts.dave.account });
    assert.equal(await governor.read.state([proposalId]), ProposalState.Queued);
    const eta = await governor.read.proposalEta([proposalId]);
    const queuedAt = BigInt(await networkHelpers.time.latest());
    // No analysis was published for it, so it waits the longest risk tier.
    const tiers = dao.deployment.parameters.governor.riskTiers!;
    assert.equal(eta, queuedAt + BigInt(tiers[tiers.length - 1]!.delay));

    // Not before the timelock allows it.
    await viem.assertions.revertWithCustomError(
      governor.write.execute([proposal.targets, proposal.values, proposal.calldatas, descriptionHash(proposal)]),
      timelock,
      "TimelockUnexpectedOperationState",
    );

    await networkHelpers.time.increaseTo(eta);
    const ethBefore = await publicClient.getBalance({ address: recipient });
    const execution = governor.write.execute(
      [proposal.targets, proposal.values, proposal.calldatas, descriptionHash(proposal)],
      { account: accounts.erin.account },
    );
    await viem.assertions.balancesHaveChanged(execution, [
      { address: timelock.address, amount: -parseEther("1.5") },
    ]);
    assert.equal(await governor.read.state([proposalId]), ProposalState.Executed);
    assert.equal(await publicClient.getBalance({ address: recipient }), ethBefore + parseEther("1.5"));
    assert.equal(await usd.read.balanceOf([recipient]), parseUnits("1200", 6));
    assert.equal(await usd.read.balanceOf([timelock.address]), parseUnits("48800", 6));
    assert.equal(await publicClient.getBalance({ address: timelock.address }), parseEther("8.5"));

    // Executed exactly once.
    await viem.assertions.revertWithCustomError(
      governor.write.execute([proposalId]),
      governor,
      "GovernorUnexpectedProposalState",
    );
  });
});
