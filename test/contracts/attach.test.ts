import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";

import { readDeployment, type Deployment } from "@ai-dao/deployment";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import {
  getAddress,
  keccak256,
  parseEther,
  toHex,
  zeroAddress,
  type Abi,
  type Address,
  type Hex,
} from "viem";

import { AttachError, DEFAULT_CLOCK_MODE, attachDAO, type AttachResult } from "../../ignition/attach.ts";
import { PROPOSER_ROLE } from "../../ignition/modules/DAO.ts";
import { deployGovernorAlphaDAO, deployLocalDAO, deployOpenZeppelin4DAO, deployOpenZeppelin5DAO, uniswapArtifact } from "@ai-dao/testkit";

const uniswap = uniswapArtifact;

const DAY = 86_400n;

async function outDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), "dao-attach-"));
}

/** A TCP port on which nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Every transaction mined after `fromBlock`, with its sender and recipient (null: a creation). */
async function transactionsSince(connection: NetworkConnection, fromBlock: bigint) {
  const publicClient = await connection.viem.getPublicClient();
  const latest = await publicClient.getBlockNumber();
  const transactions: { from: Address; to: Address | null; hash: Hex }[] = [];
  for (let block = fromBlock + 1n; block <= latest; block++) {
    const { transactions: mined } = await publicClient.getBlock({ blockNumber: block, includeTransactions: true });
    for (const tx of mined) transactions.push({ from: getAddress(tx.from), to: tx.to === null ? null : getAddress(tx.to), hash: tx.hash });
  }
  return transactions;
}

/**
 * Runs attach and checks what every flavour must satisfy: the file on disk is the result, the one
 * transaction sent is the DecisionLog's creation (nothing to the DAO's contracts), and the
 * DecisionLog answers to the DAO's timelock with exactly the given publishers.
 */
async function attachAndCheck(
  connection: NetworkConnection,
  dao: { governor: Address; token: Address; timelock: Address },
  publishers: Address[],
  analyst?: Address,
): Promise<{ result: AttachResult; onDisk: Deployment }> {
  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  const [deployer] = await viem.getWalletClients();
  const before = await publicClient.getBlockNumber();
  const nonceBefore = await publicClient.getTransactionCount({ address: deployer!.account.address });

  const result = await attachDAO(connection, { governor: dao.governor, publishers, outDir: await outDir(), ...(analyst ? { analyst } : {}) });

  const onDisk = await readDeployment(result.file!);
  assert.deepEqual(onDisk, result.deployment, "the file on disk is what attach returned");
  assert.equal(path.basename(result.file!), `${onDisk.chainId}.json`);
  assert.equal(onDisk.profile, "attached");
  assert.deepEqual(
    { token: onDisk.contracts.token, governor: onDisk.contracts.governor, timelock: onDisk.contracts.timelock },
    { token: getAddress(dao.token), governor: getAddress(dao.governor), timelock: getAddress(dao.timelock) },
  );

  // One transaction, from the deployer, creating the DecisionLog; none to the DAO's contracts.
  const sent = await transactionsSince(connection, before);
  assert.deepEqual(sent, [{ from: getAddress(deployer!.account.address), to: null, hash: result.transaction! }]);
  assert.equal(await publicClient.getTransactionCount({ address: deployer!.account.address }), nonceBefore + 1);
  const receipt = await publicClient.getTransactionReceipt({ hash: result.transaction! });
  assert.equal(getAddress(receipt.contractAddress!), onDisk.contracts.decisionLog);

  const decisionLog = await viem.getContractAt("DecisionLog", onDisk.contracts.decisionLog);
  assert.equal(getAddress(await decisionLog.read.governance()), getAddress(dao.timelock));
  for (const publisher of publishers) assert.equal(await decisionLog.read.isPublisher([publisher]), true);
  assert.equal(await decisionLog.read.isPublisher([deployer!.account.address]), false, "the deployer is no publisher");
  assert.deepEqual(onDisk.parameters.publishers, publishers.map((p) => getAddress(p)));
  assert.equal(onDisk.parameters.decisionLog.maxReportBytes, Number(await decisionLog.read.MAX_REPORT_BYTES()));
  assert.equal(onDisk.attached!.decisionLogDeployed, true);

  // Indexers start at the first block holding any of the DAO's contracts.
  const created = [];
  for (const address of [dao.governor, dao.token, dao.timelock]) {
    let block = 0n;
    while ((await publicClient.getCode({ address, blockNumber: block })) === undefined) block++;
    created.push(block);
  }
  assert.equal(BigInt(onDisk.startBlock), created.reduce((a, b) => (b < a ? b : a)));
  return { result, onDisk };
}

describe("attach to an OpenZeppelin 4.9 Governor with a block-number clock", async () => {
  const connection = await network.create();
  const { viem, networkHelpers } = connection;
  const publicClient = await viem.getPublicClient();
  const [deployer, alice, , , , , , , analyst, executor] = await viem.getWalletClients();

  const { token, timelock, governor } = await deployOpenZeppelin4DAO(connection);

  it("detects the flavour, block clock, token, timelock and what the Governor lacks; deploys only the DecisionLog", async () => {
    const { onDisk, result } = await attachAndCheck(
      connection,
      { governor: governor.address, token: token.address, timelock: timelock.address },
      [analyst!.account.address],
      executor!.account.address,
    );
    const attached = onDisk.attached!;
    assert.equal(attached.flavour, "openzeppelin-4");
    assert.equal(attached.timelockKind, "timelock-controller");
    // The clock the chain reports: the token's block-number clock, through the Governor.
    assert.equal(await governor.read.CLOCK_MODE(), "mode=blocknumber&from=default");
    assert.equal(attached.clockMode, await governor.read.CLOCK_MODE());
    assert.equal(onDisk.parameters.governor.clockMode, attached.clockMode);
    assert.equal(attached.countingMode, await governor.read.COUNTING_MODE());
    assert.equal(getAddress(await governor.read.token()), onDisk.contracts.token);
    assert.equal(getAddress(await governor.read.timelock()), onDisk.contracts.timelock);

    assert.equal(BigInt(onDisk.parameters.governor.votingDelay), await governor.read.votingDelay());
    assert.equal(BigInt(onDisk.parameters.governor.votingPeriod), await governor.read.votingPeriod());
    assert.equal(BigInt(onDisk.parameters.governor.proposalThreshold), await governor.read.proposalThreshold());
    assert.equal(BigInt(onDisk.parameters.timelock.minDelay), await timelock.read.getMinDelay());
    assert.equal(attached.quorum.numerator, String(await governor.read.quorumNumerator()));
    assert.equal(attached.quorum.denominator, String(await governor.read.quorumDenominator()));
    assert.equal(onDisk.parameters.governor.quorumPercent, 4);
    assert.equal(BigInt(attached.quorum.votes), await governor.read.quorum([BigInt(result.detected.clock) - 1n]));
    assert.equal(onDisk.parameters.token.symbol, await token.read.symbol());
    assert.equal(BigInt(onDisk.parameters.token.totalSupply), await token.read.totalSupply());

    assert.deepEqual(attached.capabilities, {
      erc165: true,
      erc6372: true,
      countingMode: true,
      proposalNeedsQueuing: false,
      proposalEta: true,
      proposalCount: false,
      proposalDetails: false,
      proposals: false,
      queueById: false,
      executeById: false,
      proposalGuardian: false,
      lateQuorum: false,
      analysts: false,
      riskTiers: false,
      codePins: false,
    });
    // What the Governor says through ERC-165 agrees with its functions.
    for (const name of attached.interfaces) assert.doesNotMatch(name, /OpenZeppelin 5/);
    assert.ok(attached.interfaces.includes("IGovernor (OpenZeppelin 4.9)"));
    assert.ok(attached.interfaces.includes("IGovernorTimelock (OpenZeppelin 4.x)"));
    assert.equal(onDisk.parameters.governor.proposalGuardian, null);
    assert.equal(onDisk.parameters.governor.riskTiers, undefined);
  });

  it("prints a proposal that, passed by this DAO, makes the analyst a publisher", async () => {
    const { result } = await attachAndCheck(
      connection,
      { governor: governor.address, token: token.address, timelock: timelock.address },
      [executor!.account.address],
      analyst!.account.address,
    );
    const proposal = result.publisherProposal!;
    assert.equal(proposal.signatures, undefined);
    assert.match(proposal.sentence, new RegExp(`Authorise ${getAddress(analyst!.account.address)}`));

    // It is a normal proposal: propose, vote, queue through the timelock, execute.
    const { targets, values, calldatas, description } = proposal;
    await governor.write.propose([targets, values, calldatas, description], { account: alice!.account });
    const descriptionHash = keccak256(toHex(description));
    const proposalId = await governor.read.hashProposal([targets, values, calldatas, descriptionHash]);
    await networkHelpers.mine(2);
    await governor.write.castVote([proposalId, 1], { account: alice!.account });
    await networkHelpers.mine(51);
    await governor.write.queue([targets, values, calldatas, descriptionHash]);
    await networkHelpers.time.increase(3_601);
    await governor.write.execute([targets, values, calldatas, descriptionHash]);
    const decisionLog = await viem.getContractAt("DecisionLog", result.deployment.contracts.decisionLog);
    assert.equal(await decisionLog.read.isPublisher([analyst!.account.address]), true);
  });

  it("uses an existing DecisionLog governed by the timelock, sending nothing", async () => {
    const existing = await viem.deployContract("DecisionLog", [timelock.address, [analyst!.account.address]]);
    const nonce = await publicClient.getTransactionCount({ address: deployer!.account.address });
    const block = await publicClient.getBlockNumber();
    const result = await attachDAO(connection, {
      governor: governor.address,
      decisionLog: existing.address,
      publishers: [analyst!.account.address],
    });
    assert.equal(result.transaction, undefined);
    assert.equal(result.deployment.contracts.decisionLog, getAddress(existing.address));
    assert.equal(result.deployment.attached!.decisionLogDeployed, false);
    assert.deepEqual(result.deployment.parameters.publishers, [getAddress(analyst!.account.address)]);
    assert.equal(await publicClient.getTransactionCount({ address: deployer!.account.address }), nonce);
    assert.equal(await publicClient.getBlockNumber(), block);
  });
});

describe("attach to an OpenZeppelin 5 Governor without GovernorStorage", async () => {
  const connection = await network.create();
  const { viem } = connection;
  const [, , , , , , , , analyst, executor] = await viem.getWalletClients();

  const { token, timelock, governor } = await deployOpenZeppelin5DAO(connection);

  it("detects the flavour, timestamp clock and the extensions it does not have", async () => {
    const { onDisk, result } = await attachAndCheck(
      connection,
      { governor: governor.address, token: token.address, timelock: timelock.address },
      [analyst!.account.address, executor!.account.address],
    );
    const attached = onDisk.attached!;
    assert.equal(attached.flavour, "openzeppelin-5");
    assert.equal(attached.timelockKind, "timelock-controller");
    assert.equal(attached.clockMode, await governor.read.CLOCK_MODE());
    assert.equal(attached.clockMode, "mode=timestamp");
    assert.equal(attached.countingMode, await governor.read.COUNTING_MODE());
    assert.equal(BigInt(onDisk.parameters.governor.votingDelay), await governor.read.votingDelay());
    assert.equal(BigInt(onDisk.parameters.governor.votingPeriod), await governor.read.votingPeriod());
    assert.equal(BigInt(onDisk.parameters.timelock.minDelay), await timelock.read.getMinDelay());
    assert.equal(BigInt(attached.quorum.votes), await governor.read.quorum([BigInt(result.detected.clock) - 1n]));
    assert.equal(onDisk.parameters.governor.quorumPercent, Number(await governor.read.quorumNumerator()));
    assert.deepEqual(attached.capabilities, {
      erc165: true,
      erc6372: true,
      countingMode: true,
      proposalNeedsQueuing: true,
      proposalEta: true,
      proposalCount: false,
      proposalDetails: false,
      proposals: false,
      queueById: false,
      executeById: false,
      proposalGuardian: false,
      lateQuorum: false,
      analysts: false,
      riskTiers: false,
      codePins: false,
    });
    assert.ok(attached.interfaces.includes("IGovernor (OpenZeppelin 5.1+)"), `ERC-165 answers: ${attached.interfaces.join(", ")}`);
    assert.ok(!attached.interfaces.includes("IGovernor (OpenZeppelin 4.9)"));
    assert.equal(result.publisherProposal, undefined, "no analyst asked for: no proposal");
  });
});

describe("attach to a Compound GovernorAlpha with its Timelock (Uniswap's compiled artifacts)", async () => {
  const connection = await network.create();
  const { viem, networkHelpers } = connection;
  const publicClient = await viem.getPublicClient();
  const [, , , , , , , , analyst, executor] = await viem.getWalletClients();

  const { uni, timelock, governor, accounts } = await deployGovernorAlphaDAO(connection);
  const alphaAbi = uniswap("GovernorAlpha").abi;
  const readAlpha = (functionName: string) => publicClient.readContract({ address: governor, abi: alphaAbi, functionName } as never) as Promise<unknown>;

  it("detects GovernorAlpha, the Compound Timelock, the block clock and Compound's proposal functions", async () => {
    const { onDisk, result } = await attachAndCheck(connection, { governor, token: uni, timelock }, [analyst!.account.address], executor!.account.address);
    const attached = onDisk.attached!;
    assert.equal(attached.flavour, "compound-alpha");
    assert.equal(attached.timelockKind, "compound-timelock");
    // GovernorAlpha has no ERC-6372: its clock is the block number.
    await assert.rejects(publicClient.readContract({ address: governor, abi: [{ type: "function", name: "CLOCK_MODE", inputs: [], outputs: [{ type: "string" }], stateMutability: "view" }], functionName: "CLOCK_MODE" }));
    assert.equal(attached.clockMode, DEFAULT_CLOCK_MODE);
    assert.equal(attached.countingMode, null);
    assert.equal(getAddress((await readAlpha("uni")) as Address), onDisk.contracts.token);
    assert.equal(getAddress((await readAlpha("timelock")) as Address), onDisk.contracts.timelock);
    assert.equal(BigInt(onDisk.parameters.governor.votingDelay), await readAlpha("votingDelay"));
    assert.equal(BigInt(onDisk.parameters.governor.votingPeriod), await readAlpha("votingPeriod"));
    assert.equal(BigInt(onDisk.parameters.governor.proposalThreshold), await readAlpha("proposalThreshold"));
    assert.equal(BigInt(attached.quorum.votes), await readAlpha("quorumVotes"));
    assert.equal(attached.quorum.numerator, null);
    assert.equal(
      BigInt(onDisk.parameters.timelock.minDelay),
      await publicClient.readContract({ address: timelock, abi: uniswap("Timelock").abi, functionName: "delay" } as never),
    );
    assert.equal(onDisk.parameters.token.symbol, "UNI");
    assert.deepEqual(attached.capabilities, {
      erc165: false,
      erc6372: false,
      countingMode: false,
      proposalNeedsQueuing: false,
      proposalEta: false,
      proposalCount: true,
      proposalDetails: false,
      proposals: true,
      queueById: true,
      executeById: true,
      proposalGuardian: false,
      lateQuorum: false,
      analysts: false,
      riskTiers: false,
      codePins: false,
    });
    assert.deepEqual(attached.interfaces, []);

    // Compound Governors take signatures and calldatas without the selector; passed by this DAO,
    // the Compound Timelock calls setPublisher on the DecisionLog.
    const proposal = result.publisherProposal!;
    assert.deepEqual(proposal.signatures, ["setPublisher(address,bool)"]);
    assert.equal(proposal.calldatas[0]!.length, 2 + 64 * 2);
    // alice holds 600M UNI, delegated to herself: over the threshold and the quorum.
    const write = async (address: Address, abi: Abi, functionName: string, args: readonly unknown[]) => {
      const hash = await accounts.alice.writeContract({ address, abi, functionName, args, account: accounts.alice.account } as never);
      assert.equal((await publicClient.waitForTransactionReceipt({ hash })).status, "success", functionName);
    };
    await write(governor, alphaAbi, "propose", [proposal.targets, proposal.values, proposal.signatures, proposal.calldatas, proposal.description]);
    const proposalId = (await readAlpha("proposalCount")) as bigint;
    await networkHelpers.mine(2);
    await write(governor, alphaAbi, "castVote", [proposalId, true]);
    await networkHelpers.mine(Number(await readAlpha("votingPeriod")));
    await write(governor, alphaAbi, "queue", [proposalId]);
    await networkHelpers.time.increase(2n * DAY + 1n);
    await write(governor, alphaAbi, "execute", [proposalId]);
    const decisionLog = await viem.getContractAt("DecisionLog", result.deployment.contracts.decisionLog);
    assert.equal(await decisionLog.read.isPublisher([executor!.account.address]), true);
  });
});

describe("attach to the platform's own Governor: every optional extension answers", async () => {
  const connection = await network.create();
  const [, , , , , , , , analyst] = await connection.viem.getWalletClients();
  const dao = await deployLocalDAO(connection);

  it("finds GovernorStorage, the guardian, late quorum, analysts, risk tiers and code pins", async () => {
    const result = await attachDAO(connection, { governor: dao.governor.address, publishers: [analyst!.account.address] });
    const attached = result.deployment.attached!;
    assert.equal(attached.flavour, "openzeppelin-5");
    assert.equal(attached.clockMode, await dao.governor.read.CLOCK_MODE());
    assert.deepEqual(attached.capabilities, {
      erc165: true,
      erc6372: true,
      countingMode: true,
      proposalNeedsQueuing: true,
      proposalEta: true,
      proposalCount: true,
      proposalDetails: true,
      proposals: false,
      queueById: true,
      executeById: true,
      proposalGuardian: true,
      lateQuorum: true,
      analysts: true,
      riskTiers: true,
      codePins: true,
    });
    const governor = result.deployment.parameters.governor;
    assert.equal(BigInt(governor.lateQuorumVoteExtension), BigInt(await dao.governor.read.lateQuorumVoteExtension()));
    assert.equal(governor.proposalGuardian, dao.deployment.parameters.governor.proposalGuardian);
    assert.deepEqual(governor.riskTiers, dao.deployment.parameters.governor.riskTiers);
    assert.equal(getAddress(await dao.governor.read.timelock()), result.deployment.contracts.timelock);
  });
});

describe("attach refuses before sending anything", async () => {
  const connection = await network.create();
  const { viem, networkHelpers } = connection;
  const publicClient = await viem.getPublicClient();
  const [deployer, alice] = await viem.getWalletClients();
  const token = await viem.deployContract("DAOToken", ["Vanilla DAO", "VAN", [alice!.account.address], [parseEther("1000")]]);
  const timelock = await viem.deployContract("TimelockController", [600n, [], [zeroAddress], deployer!.account.address]);
  const governor = await viem.deployContract("VanillaGovernor", [token.address, timelock.address, 10, 300, 4n]);
  const strayLog = await viem.deployContract("DecisionLog", [alice!.account.address, []]);
  await timelock.write.grantRole([PROPOSER_ROLE, governor.address]);
  await networkHelpers.mine();

  async function refuses(run: () => Promise<unknown>, message: RegExp) {
    const nonce = await publicClient.getTransactionCount({ address: deployer!.account.address });
    const block = await publicClient.getBlockNumber();
    await assert.rejects(run, (error: unknown) => {
      assert.ok(error instanceof AttachError, `an AttachError, got ${String(error)}`);
      assert.match(error.message, message);
      return true;
    });
    assert.equal(await publicClient.getTransactionCount({ address: deployer!.account.address }), nonce, "the deployer sent nothing");
    assert.equal(await publicClient.getBlockNumber(), block, "no block was mined");
  }

  it("an address without code", async () => {
    const nobody = "0x000000000000000000000000000000000000dEaD";
    await refuses(() => attachDAO(connection, { governor: nobody }), /0x000000000000000000000000000000000000dEaD has no code on chain 31337: it is an account, not a Governor/);
  });

  it("an ERC-20 token", async () => {
    await refuses(() => attachDAO(connection, { governor: token.address }), /is an ERC-20 token \(VAN\) with votes, not a Governor/);
  });

  it("a contract that is neither", async () => {
    await refuses(() => attachDAO(connection, { governor: timelock.address }), /is a contract but not a Governor attach recognises .* it answered none/);
  });

  it("a malformed address or publisher", async () => {
    await refuses(() => attachDAO(connection, { governor: "0x1234" }), /--governor: "0x1234" is not an address/);
    await refuses(
      () => attachDAO(connection, { governor: governor.address, publishers: [alice!.account.address, alice!.account.address] }),
      /--publishers\[1\]: .* is listed twice/,
    );
  });

  it("a chain other than the expected one", async () => {
    await refuses(() => attachDAO(connection, { governor: governor.address, expectedChainId: 1 }), /serves chain 31337, not the expected chain 1 \(--chain-id\)/);
  });

  it("an RPC that does not answer", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const unreachable = await network.create({ network: "localhost", override: { url } });
    await assert.rejects(
      attachDAO(unreachable, { governor: governor.address, rpcLabel: url }),
      (error: unknown) => error instanceof AttachError && new RegExp(`cannot reach the RPC ${url}`).test(error.message),
    );
  });

  it("the node's own accounts on a chain that is not a local development chain", async () => {
    const other = await network.create({ override: { chainId: 10 } });
    await assert.rejects(
      attachDAO(other, { governor: governor.address, deployerSource: "node" }),
      (error: unknown) => error instanceof AttachError && /chain 10 is not a local development chain.*set DEPLOYER_PRIVATE_KEY/.test(error.message),
    );
    const [otherDeployer] = await other.viem.getWalletClients();
    assert.equal(await (await other.viem.getPublicClient()).getTransactionCount({ address: otherDeployer!.account.address }), 0);
  });

  it("a DecisionLog not governed by the DAO's timelock", async () => {
    await refuses(
      () => attachDAO(connection, { governor: governor.address, decisionLog: strayLog.address }),
      /--decision-log: .* is governed by .*, not by the DAO's timelock/,
    );
  });

  it("a deployer without ETH", async () => {
    const balance = await publicClient.getBalance({ address: deployer!.account.address });
    await networkHelpers.setBalance(deployer!.account.address, 0n);
    try {
      await refuses(() => attachDAO(connection, { governor: governor.address }), /the deployer 0x[0-9a-fA-F]{40} has no ETH on chain 31337/);
      await networkHelpers.setBalance(deployer!.account.address, 1_000n);
      await refuses(
        () => attachDAO(connection, { governor: governor.address }),
        /(has 0\.000000000000001 ETH on chain 31337, less than the .* ETH the DecisionLog deployment needs)|(cannot estimate the DecisionLog deployment)/,
      );
    } finally {
      await networkHelpers.setBalance(deployer!.account.address, balance);
    }
  });
});
