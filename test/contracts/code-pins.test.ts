import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";

import { network } from "hardhat";
import { concat, createWalletClient, custom, encodeFunctionData, getAddress, keccak256, parseAbi, parseEther, toHex, zeroHash, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { DecisionKind, ProposalState, Recommendation, ReportEncoding } from "@ai-dao/protocol";
import { deployVotingDAO, descriptionHash, ethTransfer, passVote, timelockSalt, type LocalDAO, type Proposal } from "@ai-dao/testkit";

const pingAbi = parseAbi(["function ping() payable returns (uint256)"]);

/**
 * GovernorCodePins: the code of every target is pinned at propose, and queue and execute revert with
 * GovernorTargetCodeChanged when it differs, whoever calls them. On chains since Cancun (EIP-6780) a
 * deployed contract can no longer be destroyed and redeployed, and the Governor needs Cancun's MCOPY,
 * so the destroy-and-redeploy of a CREATE2 target is reproduced by replacing its code with the
 * node's setCode (the executor's pre-Cancun test runs the real SELFDESTRUCT sequence against its own
 * pins); code appearing at an empty CREATE2 address and an EIP-7702 delegation are real transactions.
 */
describe("code pins (GovernorCodePins)", async () => {
  const connection = await network.create();
  const { viem, networkHelpers } = connection;
  let dao: LocalDAO;
  let counter = 0;

  const deployed = () => deployVotingDAO(connection, parseEther("10"));
  beforeEach(async () => {
    dao = await networkHelpers.loadFixture(deployed);
  });

  /** Proposes, passes the vote, and publishes a low-risk analysis (so the minimum delay applies). */
  async function passed(proposal: Proposal): Promise<bigint> {
    const proposalId = await passVote(dao, connection, proposal);
    const report = toHex(`{"risk":5,"n":${++counter}}`);
    await dao.decisionLog.write.publish([proposalId, DecisionKind.Analysis, 5, Recommendation.For, ReportEncoding.Json, keccak256(report), report], { account: dao.accounts.analyst.account });
    return proposalId;
  }

  async function queueAndWait(proposalId: bigint) {
    await dao.governor.write.queue([proposalId], { account: dao.accounts.outsider.account });
    await networkHelpers.time.increaseTo(await dao.governor.read.proposalEta([proposalId]));
  }

  const codeHash = async (address: Address) => keccak256((await dao.publicClient.getCode({ address }))!);

  async function refusedBoth(proposalId: bigint, proposal: Proposal, target: Address, pinned: Hex, current: Hex) {
    const { governor, timelock, accounts } = dao;
    await viem.assertions.revertWithCustomErrorWithArgs(governor.write.execute([proposalId], { account: accounts.outsider.account }), governor, "GovernorTargetCodeChanged", [
      proposalId,
      target,
      pinned,
      current,
    ]);
    // Nor can anyone go around the Governor: only it may execute on the timelock.
    await viem.assertions.revertWithCustomError(
      timelock.write.executeBatch([proposal.targets, proposal.values, proposal.calldatas, zeroHash, timelockSalt(governor.address, descriptionHash(proposal))], {
        account: accounts.outsider.account,
      }),
      timelock,
      "AccessControlUnauthorizedAccount",
    );
    assert.equal(await governor.read.state([proposalId]), ProposalState.Queued);
  }

  it("pins each target's code at propose and records it in an event (zero for an account without code)", async () => {
    const { governor, accounts } = dao;
    const v1 = await viem.deployContract("ExecMutableTargetV1");
    const eoa = accounts.outsider.account.address;
    const fresh = privateKeyToAccount(generatePrivateKey()).address;
    const proposal: Proposal = {
      targets: [v1.address, eoa, fresh],
      values: [0n, 1n, 1n],
      calldatas: [encodeFunctionData({ abi: pingAbi, functionName: "ping" }), "0x", "0x"],
      description: "Ping the helper and pay two accounts",
    };
    const proposing = governor.write.propose([proposal.targets, proposal.values, proposal.calldatas, proposal.description], { account: accounts.alice.account });
    const proposalId = await governor.read.hashProposal([proposal.targets, proposal.values, proposal.calldatas, descriptionHash(proposal)]);
    await viem.assertions.emitWithArgs(proposing, governor, "ProposalCodePinned", [proposalId, proposal.targets.map((t) => getAddress(t)), [await codeHash(v1.address), zeroHash, zeroHash]]);
    assert.deepEqual(await governor.read.proposalCodePins([proposalId, 3n]), [await codeHash(v1.address), zeroHash, zeroHash]);
    assert.equal(await governor.read.codeHashOf([eoa]), zeroHash, "an account with a balance but no code");
    assert.equal(await governor.read.codeHashOf([fresh]), zeroHash, "an account that does not exist");
  });

  it("refuses to execute, for anyone, a target whose code was replaced after the vote (a metamorphic redeploy)", async () => {
    const v1 = await viem.deployContract("ExecMutableTargetV1");
    const v2 = await viem.deployContract("ExecMutableTargetV2");
    const proposal: Proposal = { targets: [v1.address], values: [parseEther("1")], calldatas: [encodeFunctionData({ abi: pingAbi, functionName: "ping" })], description: "Ping the helper with 1 ETH" };
    const proposalId = await passed(proposal);
    await queueAndWait(proposalId);

    const pinned = await codeHash(v1.address);
    await networkHelpers.setCode(v1.address, (await dao.publicClient.getCode({ address: v2.address }))!);
    const current = await codeHash(v1.address);
    assert.notEqual(current, pinned);
    await refusedBoth(proposalId, proposal, v1.address, pinned, current);
    assert.equal(await dao.publicClient.getBalance({ address: dao.timelock.address }), parseEther("10"));
  });

  it("refuses to queue when code appeared at a CREATE2 address that was empty when proposed", async () => {
    const factory = await viem.deployContract("ExecCreate2Factory");
    const v1 = await viem.deployContract("ExecMutableTargetV1");
    const salt = keccak256(toHex("treasury helper"));
    const target = await factory.read.addressOf([salt]);
    assert.equal(await dao.publicClient.getCode({ address: target }), undefined);
    const proposal = ethTransfer(target, parseEther("1"), "Fund the helper's address");
    const proposalId = await passed(proposal);

    await factory.write.deploy([salt, v1.address]);
    await viem.assertions.revertWithCustomErrorWithArgs(dao.governor.write.queue([proposalId], { account: dao.accounts.outsider.account }), dao.governor, "GovernorTargetCodeChanged", [
      proposalId,
      target,
      zeroHash,
      await codeHash(target),
    ]);
    assert.equal(await dao.governor.read.state([proposalId]), ProposalState.Succeeded);
  });

  it("refuses to execute a payment to an account that took an EIP-7702 delegation after the vote", async () => {
    const { publicClient, accounts } = dao;
    const key = generatePrivateKey();
    const eoa = privateKeyToAccount(key);
    await accounts.deployer.sendTransaction({ to: eoa.address, value: parseEther("1") });
    const proposal = ethTransfer(eoa.address, parseEther("2"), "Pay the contributor 2 ETH");
    const proposalId = await passed(proposal);
    await queueAndWait(proposalId);

    // The account delegates its code to a contract: its code is now the 23-byte designator.
    const delegate = await viem.deployContract("ExecMutableTargetV2");
    const wallet = createWalletClient({ account: eoa, chain: publicClient.chain, transport: custom(connection.provider) });
    const authorization = await wallet.signAuthorization({ contractAddress: delegate.address, executor: "self" });
    await wallet.sendTransaction({ to: eoa.address, authorizationList: [authorization] });
    const code = await publicClient.getCode({ address: eoa.address });
    assert.equal(code, concat(["0xef0100", delegate.address.toLowerCase() as Hex]));

    await refusedBoth(proposalId, proposal, eoa.address, zeroHash, keccak256(code!));
  });

  it("still pays a recipient that was funded by someone else between the vote and execution", async () => {
    const recipient = privateKeyToAccount(generatePrivateKey()).address;
    const proposal = ethTransfer(recipient, parseEther("1"), "Pay a new contributor 1 ETH");
    const proposalId = await passed(proposal);
    await dao.accounts.bob.sendTransaction({ to: recipient, value: 1n });
    await queueAndWait(proposalId);
    await dao.governor.write.execute([proposalId], { account: dao.accounts.outsider.account });
    assert.equal(await dao.publicClient.getBalance({ address: recipient }), parseEther("1") + 1n);
  });
});
