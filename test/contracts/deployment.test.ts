import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";

import { ConfigError, readDeployment } from "@ai-dao/deployment";
import { network } from "hardhat";
import { getAddress, getContractAddress, zeroAddress, type Address, type Hex } from "viem";

import { deployDAO } from "../../ignition/deploy.ts";
import { CANCELLER_ROLE, DEFAULT_ADMIN_ROLE, EXECUTOR_ROLE, PROPOSER_ROLE } from "../../ignition/modules/DAO.ts";
import { deployLocalDAO, devAccount, localConfig } from "@ai-dao/testkit";

const root = path.resolve(import.meta.dirname, "../..");

describe("deployment", async () => {
  const connection = await network.create();
  const { viem } = connection;

  it("leaves no role or power to anyone but governance", async () => {
    const dao = await deployLocalDAO(connection);
    const { timelock, governor, decisionLog, token, deployment, publicClient } = dao;
    const fromBlock = BigInt(deployment.startBlock);

    // Replay every grant and revoke of the timelock to get the current holders of each role.
    const holders = new Map<Hex, Set<Address>>();
    const events = [
      ...(await timelock.getEvents.RoleGranted({}, { fromBlock })).map((e) => ({ ...e, granted: true })),
      ...(await timelock.getEvents.RoleRevoked({}, { fromBlock })).map((e) => ({ ...e, granted: false })),
    ].sort((a, b) => Number(a.blockNumber - b.blockNumber) || a.logIndex - b.logIndex);
    for (const event of events) {
      const role = event.args.role!;
      const set = holders.get(role) ?? new Set<Address>();
      if (event.granted) set.add(getAddress(event.args.account!));
      else set.delete(getAddress(event.args.account!));
      holders.set(role, set);
    }
    const expected = new Map<Hex, Address[]>([
      [DEFAULT_ADMIN_ROLE, [getAddress(timelock.address)]],
      [PROPOSER_ROLE, [getAddress(governor.address)]],
      [CANCELLER_ROLE, [getAddress(governor.address)]],
      [EXECUTOR_ROLE, [getAddress(governor.address)]],
    ]);
    assert.deepEqual(
      [...holders.entries()].map(([role, set]) => [role, [...set].sort()]).sort(),
      [...expected.entries()].sort(),
    );
    for (const [role, accounts] of expected) {
      for (const account of accounts) assert.equal(await timelock.read.hasRole([role, account]), true);
      assert.equal(await timelock.read.hasRole([role, deployment.deployer]), false, "the deployer keeps no timelock role");
    }

    // The Governor executes through the timelock; its settings change only through it.
    assert.equal(getAddress(await governor.read.timelock()), getAddress(timelock.address));
    assert.equal(getAddress(await governor.read.token()), getAddress(token.address));
    assert.equal(getAddress(await governor.read.proposalGuardian()), deployment.parameters.governor.proposalGuardian);
    const analysts = (await governor.getEvents.AnalystSet({}, { fromBlock })).map((e) => getAddress(e.args.account!));
    assert.deepEqual(analysts, deployment.parameters.analysts);

    // The DecisionLog answers to the timelock; publishers are exactly the configured ones.
    assert.equal(getAddress(await decisionLog.read.governance()), getAddress(timelock.address));
    const publishers = (await decisionLog.getEvents.PublisherSet({}, { fromBlock })).map((e) => getAddress(e.args.account!));
    assert.deepEqual(publishers, deployment.parameters.publishers);

    // The token has no owner and no way to mint after deployment.
    const tokenFunctions = token.abi.filter((item) => item.type === "function").map((item) => item.name);
    for (const power of ["owner", "mint", "transferOwnership", "grantRole", "pause", "upgradeToAndCall"]) {
      assert.ok(!tokenFunctions.includes(power as never), `DAOToken must not have ${power}`);
    }
    assert.equal(await token.read.totalSupply(), BigInt(deployment.parameters.token.totalSupply));
    assert.equal(await token.read.CLOCK_MODE(), "mode=timestamp");
    assert.equal(await governor.read.CLOCK_MODE(), "mode=timestamp");
    assert.equal(
      await token.read.balanceOf([timelock.address]),
      BigInt(deployment.parameters.token.allocations.find((a) => a.label === "treasury")!.amount),
    );

    // The start block is the block that created the first contract.
    assert.equal(await publicClient.getCode({ address: timelock.address, blockNumber: fromBlock - 1n }), undefined);
    assert.ok((await publicClient.getCode({ address: timelock.address, blockNumber: fromBlock }))?.length);
  });

  it("writes deployments/<chainId>.json that reads back and matches the chain", async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), "dao-deploy-"));
    const { deployment, file } = await deployDAO(connection, { profile: "local", config: await localConfig(), outDir });
    assert.equal(file, path.join(outDir, "31337.json"));
    const onDisk = await readDeployment(file!);
    assert.deepEqual(onDisk, deployment);
    // The demo stablecoin is listed by its creator (account #19) and nonce: the file has its address.
    assert.deepEqual(onDisk.treasuryAssets?.map((a) => a.address), [getContractAddress({ from: devAccount(19).address, nonce: 0n })]);
    const governor = await viem.getContractAt("DAOGovernor", onDisk.contracts.governor);
    assert.equal(await governor.read.votingDelay(), BigInt(onDisk.parameters.governor.votingDelay));
    assert.equal(await governor.read.votingPeriod(), BigInt(onDisk.parameters.governor.votingPeriod));
    assert.equal(await governor.read.proposalThreshold(), BigInt(onDisk.parameters.governor.proposalThreshold));
    assert.equal(await governor.read.quorumNumerator(), BigInt(onDisk.parameters.governor.quorumPercent));
    const timelock = await viem.getContractAt("TimelockController", onDisk.contracts.timelock);
    assert.equal(await timelock.read.getMinDelay(), BigInt(onDisk.parameters.timelock.minDelay));
  });

  it("applies the production profile's defaults", async () => {
    const config = await localConfig();
    delete config.governor;
    const { deployment } = await deployDAO(connection, { profile: "production", config });
    const governor = await viem.getContractAt("DAOGovernor", deployment.contracts.governor);
    const timelock = await viem.getContractAt("TimelockController", deployment.contracts.timelock);
    assert.equal(await governor.read.votingDelay(), 86_400n);
    assert.equal(await governor.read.votingPeriod(), 604_800n);
    assert.equal(await governor.read.quorumNumerator(), 4n);
    assert.equal(await timelock.read.getMinDelay(), 172_800n);
  });

  describe("bad input fails before any transaction, naming the field", () => {
    const cases: { name: string; edit: (config: any) => void; field: string }[] = [
      { name: "malformed recipient", edit: (c) => (c.token.allocations[1].recipient = "0x1234"), field: "token.allocations[1].recipient" },
      { name: "negative amount", edit: (c) => (c.token.allocations[2].amount = "-5"), field: "token.allocations[2].amount" },
      { name: "amount as a number", edit: (c) => (c.token.allocations[0].amount = 1000), field: "token.allocations[0].amount" },
      { name: "zero amount", edit: (c) => (c.token.allocations[3].amount = "0"), field: "token.allocations[3].amount" },
      { name: "repeated recipient", edit: (c) => (c.token.allocations[2].recipient = c.token.allocations[1].recipient), field: "token.allocations[2].recipient" },
      { name: "empty allocation list", edit: (c) => (c.token.allocations = []), field: "token.allocations" },
      { name: "allocations not a list", edit: (c) => (c.token.allocations = { alice: "1" }), field: "token.allocations" },
      { name: "unknown allocation field", edit: (c) => (c.token.allocations[0].amonut = "1"), field: "token.allocations[0]" },
      { name: "zero quorum", edit: (c) => (c.governor.quorumPercent = 0), field: "governor.quorumPercent" },
      { name: "quorum above 100", edit: (c) => (c.governor.quorumPercent = 101), field: "governor.quorumPercent" },
      { name: "voting period as text", edit: (c) => (c.governor.votingPeriod = "1 week"), field: "governor.votingPeriod" },
      { name: "voting period over uint32", edit: (c) => (c.governor.votingPeriod = 2 ** 32), field: "governor.votingPeriod" },
      { name: "fractional delay", edit: (c) => (c.timelock = { minDelay: 1.5 }), field: "timelock.minDelay" },
      { name: "threshold above supply", edit: (c) => (c.governor.proposalThreshold = "2000000"), field: "governor.proposalThreshold" },
      { name: "bad guardian", edit: (c) => (c.governor.proposalGuardian = "guardian"), field: "governor.proposalGuardian" },
      { name: "bad analyst", edit: (c) => (c.analysts = ["0xnope"]), field: "analysts[0]" },
      { name: "missing token", edit: (c) => delete c.token, field: "token" },
    ];
    for (const { name, edit, field } of cases) {
      it(name, async () => {
        const config = await localConfig();
        edit(config);
        const publicClient = await viem.getPublicClient();
        const [deployer] = await viem.getWalletClients();
        const blockBefore = await publicClient.getBlockNumber();
        const nonceBefore = await publicClient.getTransactionCount({ address: deployer!.account.address });
        await assert.rejects(deployDAO(connection, { profile: "local", config }), (error: unknown) => {
          assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
          assert.ok(
            error.problems.some((problem) => problem.startsWith(`${field}:`)),
            `expected a problem naming ${field}, got:\n${error.message}`,
          );
          return true;
        });
        assert.equal(await publicClient.getBlockNumber(), blockBefore, "no block was mined");
        assert.equal(await publicClient.getTransactionCount({ address: deployer!.account.address }), nonceBefore);
      });
    }

    it("an unknown profile", async () => {
      await assert.rejects(deployDAO(connection, { profile: "staging", config: await localConfig() }), /profile: "staging" is not one of local, production/);
    });

    it("the deploy command prints the field and exits non-zero", async () => {
      const dir = await mkdtemp(path.join(tmpdir(), "dao-config-"));
      const configFile = path.join(dir, "bad.json");
      const config = await localConfig();
      config.token.allocations[4].recipient = "0xnot-an-address";
      await writeFile(configFile, JSON.stringify(config));
      const run = promisify(execFile)(
        path.join(root, "node_modules/.bin/hardhat"),
        ["deploy-dao", "--dao-config", configFile, "--out", dir],
        { cwd: root },
      );
      await assert.rejects(run, (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr, /token\.allocations\[4\]\.recipient: must be "treasury" or an address/);
        assert.match(error.stderr, /Nothing was sent/);
        return true;
      });
      await assert.rejects(readFile(path.join(dir, "31337.json")), /ENOENT/, "no deployment file is written");
    });
  });
});
