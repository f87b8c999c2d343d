// The compiled mappings on DAOs the platform did not deploy: for each Governor flavour the chain
// tests cover (OpenZeppelin 4.9 with a block-number clock, OpenZeppelin 5 without GovernorStorage,
// Uniswap's GovernorAlpha with its Compound Timelock), deploy the DAO on Hardhat's in-process chain,
// attach to it with `attachDAO` (ignition/attach.ts), write the manifest from the deployment file it
// wrote, make a short history (a grant voted For and Against, queued and executed through the
// timelock; a second proposal canceled), feed every log to the flavour's WASM and compare the
// entities with what the contracts say.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import path from "node:path";

import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import {
  type Address,
  type Hex,
  type PublicClient,
  encodeAbiParameters,
  encodePacked,
  keccak256,
  parseEther,
  toFunctionSelector,
  toHex,
  zeroHash,
} from "viem";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import type { Deployment, GovernorFlavour } from "@ai-dao/deployment";
import { Support } from "@ai-dao/protocol";
import { deployGovernorAlphaDAO, deployOpenZeppelin4DAO, deployOpenZeppelin5DAO, erc20Transfer, timelockSalt } from "@ai-dao/testkit";
import { attachDAO } from "../../ignition/attach.ts";
import { subgraphDir } from "../scripts/data-sources.ts";
import { writeManifest } from "../scripts/manifest.ts";
import { type ManifestDataSources, feedChain } from "./feed.ts";
import { Store } from "./wasm-host.ts";

const flavourBuildDirs = inject("flavourBuildDirs");
const temporaryDirs: string[] = [];

afterAll(async () => {
  for (const dir of temporaryDirs) await rm(dir, { recursive: true, force: true });
});

interface Indexed {
  deployment: Deployment;
  store: Store;
  /** Every line the mappings logged below info level (warnings and errors). */
  warnings: string[];
}

/**
 * Attaches to `governor` (before the history, as an operator would), and returns a function that,
 * once the history is made, writes the manifest from attach's deployment file, checks that it has
 * the data sources the flavour's build was made with, and feeds the chain to that build.
 */
async function attach(connection: NetworkConnection, governor: Address, flavour: GovernorFlavour): Promise<() => Promise<Indexed>> {
  const [, , , , , , , , analyst] = await connection.viem.getWalletClients();
  // The manifest lives inside subgraph/ so its ABI paths point to subgraph/abis/.
  const dir = await mkdtemp(path.join(subgraphDir, ".tmp-attached-"));
  temporaryDirs.push(dir);
  const result = await attachDAO(connection, { governor, publishers: [analyst!.account.address], outDir: dir });
  expect(result.deployment.attached?.flavour).toBe(flavour);
  return async () => {
    const manifest = (await writeManifest(result.file!, path.join(dir, "subgraph.yaml"))) as ManifestDataSources;
    const buildDir = flavourBuildDirs[flavour]!;
    const built = YAML.parse(await readFile(path.join(buildDir, "subgraph.yaml"), "utf8")) as ManifestDataSources;
    const shape = (m: ManifestDataSources) =>
      m.dataSources.map((source) => ({ name: source.name, abi: source.source.abi, handlers: source.mapping.eventHandlers }));
    expect(shape(manifest)).toEqual(shape(built));

    const store = new Store();
    const publicClient = (await connection.viem.getPublicClient()) as PublicClient;
    const sources = await feedChain(publicClient, manifest, dir, buildDir, store);
    const warnings = sources.flatMap((source) => source.mapping.logs).filter((line) => !line.startsWith("3:"));
    return { deployment: result.deployment, store, warnings };
  };
}

/** What every flavour leaves null: the platform's own extensions. */
function expectNoPlatformExtensions(store: Store, proposalIds: bigint[]) {
  for (const id of proposalIds) {
    const proposal = store.plain("Proposal", id.toString())!;
    for (const field of ["riskDelay", "riskDelayAnalysed", "riskDelayRisk", "riskDelayTier", "riskDelayTiers"]) {
      expect(proposal, `${field} of ${id}`).not.toHaveProperty(field);
    }
    expect(proposal).toMatchObject({ extended: false, decisionCount: 0 });
  }
  expect(store.all("CodePin")).toEqual([]);
  expect(store.all("RiskTierSet")).toEqual([]);
  expect(store.all("AnalystChange")).toEqual([]);
}

describe("an OpenZeppelin 4.9 Governor with a block-number clock", () => {
  let dao: Awaited<ReturnType<typeof deployOpenZeppelin4DAO>>;
  let indexed: Indexed;
  let grantId: bigint;
  let canceledId: bigint;
  let queuedEta: bigint;
  const grant = { targets: [] as Address[], values: [0n], calldatas: [] as Hex[], description: "# Grant to dave\nPay dave 100 LEG." };
  const ping = { targets: [] as Address[], values: [0n], calldatas: ["0x"] as Hex[], description: "# Ping dave\nWithdrawn before voting." };

  beforeAll(async () => {
    const connection = await network.create();
    dao = await deployOpenZeppelin4DAO(connection);
    const { governor, token, timelock, accounts } = dao;
    const { alice, bob, dave } = accounts;
    const index = await attach(connection, governor.address, "openzeppelin-4");

    await token.write.transfer([timelock.address, parseEther("1000")], { account: alice.account });
    grant.targets = [token.address];
    grant.calldatas = [erc20Transfer(token.address, dave.account.address, parseEther("100"))];
    ping.targets = [dave.account.address];
    const hashOf = (description: string) => keccak256(toHex(description));
    await governor.write.propose([grant.targets, grant.values, grant.calldatas, grant.description], { account: alice.account });
    grantId = await governor.read.hashProposal([grant.targets, grant.values, grant.calldatas, hashOf(grant.description)]);
    await governor.write.propose([ping.targets, ping.values, ping.calldatas, ping.description], { account: bob.account });
    canceledId = await governor.read.hashProposal([ping.targets, ping.values, ping.calldatas, hashOf(ping.description)]);
    // 4.9 lets the proposer cancel while the proposal is pending.
    await governor.write.cancel([ping.targets, ping.values, ping.calldatas, hashOf(ping.description)], { account: bob.account });
    await governor.write.castVote([grantId, Support.For], { account: alice.account });
    await governor.write.castVoteWithReason([grantId, Support.Against, "too generous"], { account: bob.account });
    await connection.networkHelpers.mine(51);
    await governor.write.queue([grant.targets, grant.values, grant.calldatas, hashOf(grant.description)]);
    // 4.9's proposalEta answers 0 once the proposal is executed.
    queuedEta = await governor.read.proposalEta([grantId]);
    await connection.networkHelpers.time.increase(3_601);
    await governor.write.execute([grant.targets, grant.values, grant.calldatas, hashOf(grant.description)]);
    indexed = await index();
  }, 120_000);

  it("indexes without warnings", () => {
    expect(indexed.warnings).toEqual([]);
  });

  it("has the proposals' status, tallies, block-number vote window, eta and votes as the Governor does", async () => {
    const { governor } = dao;
    const [against, forVotes, abstain] = await governor.read.proposalVotes([grantId]);
    expect(await governor.read.state([grantId])).toBe(7); // Executed
    expect(indexed.store.plain("Proposal", grantId.toString())).toMatchObject({
      status: "EXECUTED",
      forVotes,
      againstVotes: against,
      abstainVotes: abstain,
      voterCount: 2,
      // Block numbers: the Governor's clock, not converted.
      voteStart: await governor.read.proposalSnapshot([grantId]),
      voteEnd: await governor.read.proposalDeadline([grantId]),
      eta: queuedEta,
      descriptionHash: keccak256(toHex(grant.description)),
      descriptionExact: true,
      title: "Grant to dave",
      actionCount: 1,
    });
    expect(await governor.read.state([canceledId])).toBe(2); // Canceled
    expect(indexed.store.plain("Proposal", canceledId.toString())).toMatchObject({ status: "CANCELED", voterCount: 0 });
    const snapshot = await governor.read.proposalSnapshot([grantId]);
    for (const [voter, support, reason] of [
      [dao.accounts.alice, 1, ""],
      [dao.accounts.bob, 0, "too generous"],
    ] as const) {
      expect(indexed.store.plain("Vote", `${grantId}-${voter.account.address.toLowerCase()}`)).toMatchObject({
        support,
        reason,
        weight: await governor.read.getVotes([voter.account.address, snapshot]),
      });
    }
    expect(indexed.store.plain("ProposalAction", `${grantId}-0`)).toMatchObject({
      target: grant.targets[0]!.toLowerCase(),
      value: 0n,
      signature: "",
      calldata: grant.calldatas[0],
      functionSignature: "transfer(address,uint256)",
    });
    expectNoPlatformExtensions(indexed.store, [grantId, canceledId]);
  });

  it("links the timelock operation, whose salt is the description hash in 4.x", async () => {
    const { timelock } = dao;
    const salt = keccak256(toHex(grant.description));
    const operationId = await timelock.read.hashOperationBatch([grant.targets, grant.values, grant.calldatas, zeroHash, salt]);
    expect(await timelock.read.isOperationDone([operationId])).toBe(true);
    expect(indexed.store.plain("Proposal", grantId.toString())).toMatchObject({ timelockOperation: operationId });
    expect(indexed.store.plain("TimelockOperation", operationId)).toMatchObject({
      proposal: grantId.toString(),
      status: "EXECUTED",
      salt,
      delay: await timelock.read.getMinDelay(),
      callCount: 1,
      executedCallCount: 1,
    });
  });

  it("has the Governor's settings from its constructor's events, and the token's balances and votes", async () => {
    const { governor, token } = dao;
    expect(indexed.store.plain("Governor", governor.address.toLowerCase())).toMatchObject({
      votingDelay: await governor.read.votingDelay(),
      votingPeriod: await governor.read.votingPeriod(),
      proposalThreshold: await governor.read.proposalThreshold(),
      quorumNumerator: await governor.read.quorumNumerator(),
      timelock: dao.timelock.address.toLowerCase(),
      proposalCount: 2,
      executedCount: 1,
      canceledCount: 1,
      voteCount: 2,
    });
    for (const account of indexed.store.all("Account")) {
      const address = account.id as Address;
      expect(account.balance, `balance of ${address}`).toBe(await token.read.balanceOf([address]));
      expect(account.delegatedVotes, `votes of ${address}`).toBe(await token.read.getVotes([address]));
    }
  });
});

describe("an OpenZeppelin 5 Governor without GovernorStorage", () => {
  let dao: Awaited<ReturnType<typeof deployOpenZeppelin5DAO>>;
  let indexed: Indexed;
  let grantId: bigint;
  let canceledId: bigint;
  const grant = { targets: [] as Address[], values: [0n], calldatas: [] as Hex[], description: "# Grant to dave\nPay dave 100 VAN." };
  const ping = { targets: [] as Address[], values: [0n], calldatas: ["0x"] as Hex[], description: "# Ping dave\nWithdrawn before voting." };

  beforeAll(async () => {
    const connection = await network.create();
    dao = await deployOpenZeppelin5DAO(connection);
    const { governor, token, timelock, accounts } = dao;
    const { alice, bob, dave } = accounts;
    const index = await attach(connection, governor.address, "openzeppelin-5");

    await token.write.transfer([timelock.address, parseEther("1000")], { account: alice.account });
    grant.targets = [token.address];
    grant.calldatas = [erc20Transfer(token.address, dave.account.address, parseEther("100"))];
    ping.targets = [dave.account.address];
    const hashOf = (description: string) => keccak256(toHex(description));
    await governor.write.propose([grant.targets, grant.values, grant.calldatas, grant.description], { account: alice.account });
    grantId = await governor.read.hashProposal([grant.targets, grant.values, grant.calldatas, hashOf(grant.description)]);
    await governor.write.propose([ping.targets, ping.values, ping.calldatas, ping.description], { account: bob.account });
    canceledId = await governor.read.hashProposal([ping.targets, ping.values, ping.calldatas, hashOf(ping.description)]);
    await governor.write.cancel([ping.targets, ping.values, ping.calldatas, hashOf(ping.description)], { account: bob.account });
    await connection.networkHelpers.time.increaseTo((await governor.read.proposalSnapshot([grantId])) + 1n);
    await governor.write.castVote([grantId, Support.For], { account: alice.account });
    await governor.write.castVoteWithReason([grantId, Support.Against, "too generous"], { account: bob.account });
    await connection.networkHelpers.time.increaseTo((await governor.read.proposalDeadline([grantId])) + 1n);
    await governor.write.queue([grant.targets, grant.values, grant.calldatas, hashOf(grant.description)]);
    await connection.networkHelpers.time.increaseTo(await governor.read.proposalEta([grantId]));
    await governor.write.execute([grant.targets, grant.values, grant.calldatas, hashOf(grant.description)]);
    indexed = await index();
  }, 120_000);

  it("indexes without warnings", () => {
    expect(indexed.warnings).toEqual([]);
  });

  it("has the proposals' status, tallies, timestamps, eta, votes and the linked timelock operation", async () => {
    const { governor, timelock } = dao;
    const [against, forVotes, abstain] = await governor.read.proposalVotes([grantId]);
    const salt = timelockSalt(governor.address, keccak256(toHex(grant.description)));
    const operationId = await timelock.read.hashOperationBatch([grant.targets, grant.values, grant.calldatas, zeroHash, salt]);
    expect(await governor.read.state([grantId])).toBe(7);
    expect(indexed.store.plain("Proposal", grantId.toString())).toMatchObject({
      status: "EXECUTED",
      forVotes,
      againstVotes: against,
      abstainVotes: abstain,
      voterCount: 2,
      voteStart: await governor.read.proposalSnapshot([grantId]),
      voteEnd: await governor.read.proposalDeadline([grantId]),
      eta: await governor.read.proposalEta([grantId]),
      descriptionHash: keccak256(toHex(grant.description)),
      descriptionExact: true,
      timelockOperation: operationId,
    });
    expect(await governor.read.state([canceledId])).toBe(2);
    expect(indexed.store.plain("Proposal", canceledId.toString())).toMatchObject({ status: "CANCELED" });
    expect(indexed.store.plain("TimelockOperation", operationId)).toMatchObject({
      proposal: grantId.toString(),
      status: "EXECUTED",
      salt,
      delay: await timelock.read.getMinDelay(),
    });
    const snapshot = await governor.read.proposalSnapshot([grantId]);
    for (const [voter, support] of [
      [dao.accounts.alice, 1],
      [dao.accounts.bob, 0],
    ] as const) {
      expect(indexed.store.plain("Vote", `${grantId}-${voter.account.address.toLowerCase()}`)).toMatchObject({
        support,
        weight: await governor.read.getVotes([voter.account.address, snapshot]),
      });
    }
    expectNoPlatformExtensions(indexed.store, [grantId, canceledId]);
  });

  it("has the token's balances and votes", async () => {
    for (const account of indexed.store.all("Account")) {
      const address = account.id as Address;
      expect(account.balance, `balance of ${address}`).toBe(await dao.token.read.balanceOf([address]));
      expect(account.delegatedVotes, `votes of ${address}`).toBe(await dao.token.read.getVotes([address]));
    }
  });
});

describe("Uniswap's GovernorAlpha with its Compound Timelock", () => {
  let dao: Awaited<ReturnType<typeof deployGovernorAlphaDAO>>;
  let indexed: Indexed;
  let grantId: bigint;
  let canceledId: bigint;
  const grant = {
    targets: [] as Address[],
    values: [0n, 0n],
    signatures: ["transfer(address,uint256)", ""],
    calldatas: [] as Hex[],
    description: "# Grant to dave\nPay dave 100 UNI, and call him.",
  };

  beforeAll(async () => {
    const connection = await network.create();
    dao = await deployGovernorAlphaDAO(connection);
    const { governor, uni, timelock, accounts, write, read } = dao;
    const { deployer, alice, bob, dave } = accounts;
    const index = await attach(connection, governor, "compound-alpha");

    await write(alice, uni, "Uni", "transfer", [timelock, parseEther("1000")]);
    // Compound style: a signature and the arguments, then a plain call with no signature.
    grant.targets = [uni, dave.account.address];
    grant.calldatas = [encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [dave.account.address, parseEther("100")]), "0x"];
    await write(alice, governor, "GovernorAlpha", "propose", [grant.targets, grant.values, grant.signatures, grant.calldatas, grant.description]);
    grantId = (await read(governor, "GovernorAlpha", "proposalCount")) as bigint;
    await write(bob, governor, "GovernorAlpha", "propose", [[dave.account.address], [0n], [""], ["0x"], "# Ping dave\nCanceled."]);
    canceledId = (await read(governor, "GovernorAlpha", "proposalCount")) as bigint;
    await connection.networkHelpers.mine();
    await write(alice, governor, "GovernorAlpha", "castVote", [grantId, true]);
    await write(bob, governor, "GovernorAlpha", "castVote", [grantId, false]);
    // Below the proposal threshold, bob's proposal can be canceled by anyone.
    await write(bob, uni, "Uni", "delegate", [alice.account.address]);
    await connection.networkHelpers.mine();
    await write(deployer, governor, "GovernorAlpha", "cancel", [canceledId]);
    await connection.networkHelpers.mine(Number(await read(governor, "GovernorAlpha", "votingPeriod")));
    await write(deployer, governor, "GovernorAlpha", "queue", [grantId]);
    const [, , eta] = (await read(governor, "GovernorAlpha", "proposals", [grantId])) as readonly [bigint, Address, bigint];
    await connection.networkHelpers.time.increaseTo(eta);
    await write(deployer, governor, "GovernorAlpha", "execute", [grantId]);
    indexed = await index();
  }, 120_000);

  it("indexes without warnings", () => {
    expect(indexed.warnings).toEqual([]);
  });

  it("has the proposals' status, tallies, block-number vote window, eta and voters' weights as the Governor does", async () => {
    const { governor, read } = dao;
    const [, proposer, eta, startBlock, endBlock, forVotes, againstVotes] = (await read(governor, "GovernorAlpha", "proposals", [grantId])) as readonly [
      bigint,
      Address,
      bigint,
      bigint,
      bigint,
      bigint,
      bigint,
    ];
    expect(await read(governor, "GovernorAlpha", "state", [grantId])).toBe(7); // Executed
    const indexedGrant = indexed.store.plain("Proposal", grantId.toString())!;
    expect(indexedGrant).toMatchObject({
      proposalId: grantId,
      proposer: proposer.toLowerCase(),
      status: "EXECUTED",
      forVotes,
      againstVotes,
      abstainVotes: 0n,
      voterCount: 2,
      voteStart: startBlock,
      voteEnd: endBlock,
      eta,
      // A counter id: nothing to check the description against.
      descriptionExact: false,
      actionCount: 2,
    });
    expect(indexedGrant).not.toHaveProperty("descriptionHash");
    expect(await read(governor, "GovernorAlpha", "state", [canceledId])).toBe(2); // Canceled
    expect(indexed.store.plain("Proposal", canceledId.toString())).toMatchObject({ status: "CANCELED" });
    for (const [voter, support] of [
      [dao.accounts.alice, 1],
      [dao.accounts.bob, 0],
    ] as const) {
      const receipt = (await read(governor, "GovernorAlpha", "getReceipt", [grantId, voter.account.address])) as { support: boolean; votes: bigint };
      expect(receipt.support).toBe(support === 1);
      expect(indexed.store.plain("Vote", `${grantId}-${voter.account.address.toLowerCase()}`)).toMatchObject({
        support,
        weight: receipt.votes,
        reason: "",
      });
    }
    expectNoPlatformExtensions(indexed.store, [grantId, canceledId]);
  });

  it("has the actions with their Compound signatures as getActions returns them", async () => {
    const [targets, values, signatures, calldatas] = (await dao.read(dao.governor, "GovernorAlpha", "getActions", [grantId])) as readonly [
      Address[],
      bigint[],
      string[],
      Hex[],
    ];
    for (const [index, target] of targets.entries()) {
      expect(indexed.store.plain("ProposalAction", `${grantId}-${index}`)).toMatchObject({
        target: target.toLowerCase(),
        value: values[index],
        signature: signatures[index],
        calldata: calldatas[index],
        ...(signatures[index] ? { functionSignature: signatures[index], selector: toFunctionSelector(signatures[index]!) } : {}),
      });
    }
    expect(indexed.store.plain("ProposalAction", `${grantId}-1`)).not.toHaveProperty("selector");
  });

  it("has one timelock operation per queued transaction, keyed by the Timelock's txHash and linked to the proposal", async () => {
    const { timelock, read } = dao;
    const eta = indexed.store.plain("Proposal", grantId.toString())!.eta as bigint;
    const queuedBlock = indexed.store.plain("Proposal", grantId.toString())!.queuedTimestamp as bigint;
    const txHashes = grant.targets.map((target, i) =>
      keccak256(
        encodeAbiParameters(
          [{ type: "address" }, { type: "uint256" }, { type: "string" }, { type: "bytes" }, { type: "uint256" }],
          [target, grant.values[i]!, grant.signatures[i]!, grant.calldatas[i]!, eta],
        ),
      ),
    );
    expect(indexed.store.plain("Proposal", grantId.toString())).toMatchObject({ timelockOperation: txHashes[0] });
    for (const [i, txHash] of txHashes.entries()) {
      // Executed: the Timelock no longer holds it as queued.
      expect(await read(timelock, "Timelock", "queuedTransactions", [txHash])).toBe(false);
      expect(indexed.store.plain("TimelockOperation", txHash)).toMatchObject({
        proposal: grantId.toString(),
        status: "EXECUTED",
        readyAt: eta,
        delay: eta - queuedBlock,
        predecessor: zeroHash,
        callCount: 1,
        executedCallCount: 1,
      });
      const data = grant.signatures[i] ? encodePacked(["bytes4", "bytes"], [toFunctionSelector(grant.signatures[i]!), grant.calldatas[i]!]) : grant.calldatas[i];
      const call = indexed.store.plain("TimelockCall", `${txHash}-0`)!;
      expect(call).toMatchObject({ target: grant.targets[i]!.toLowerCase(), data, executed: true });
      // A transaction without a signature has none (null), as a TimelockController's calls.
      if (grant.signatures[i]) expect(call.signature).toBe(grant.signatures[i]);
      else expect(call).not.toHaveProperty("signature");
    }
    expect(indexed.store.plain("TimelockOperation", txHashes[0]!)).not.toHaveProperty("salt");
    expect(await read(timelock, "Timelock", "delay")).toBe(eta - queuedBlock);
  });

  it("has the token's balances and votes, and the treasury's UNI outflow tied to the proposal", async () => {
    const { uni, timelock, read } = dao;
    for (const account of indexed.store.all("Account")) {
      const address = account.id as Address;
      expect(account.balance, `balance of ${address}`).toBe(await read(uni, "Uni", "balanceOf", [address]));
      expect(account.delegatedVotes, `votes of ${address}`).toBe(await read(uni, "Uni", "getCurrentVotes", [address]));
    }
    const outflows = indexed.store.all("TreasuryFlow").filter((flow) => flow.direction === "OUT");
    expect(outflows).toMatchObject([{ treasury: timelock.toLowerCase(), amount: parseEther("100"), proposal: grantId.toString() }]);
  });
});
