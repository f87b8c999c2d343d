import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { createPublicClient, http, parseEther } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { readDeployment } from "@ai-dao/deployment";

import {
  DEV_ACCOUNT_NAMES,
  delegateAll,
  deployLocalDAO,
  devAccount,
  devAddresses,
  devPrivateKey,
  ethTransfer,
  passProposal,
  sampleDeployment,
  serveRpc,
  tempDeployment,
  type LocalDAO,
} from "../src/index.ts";
import { privateKeyToAccount } from "viem/accounts";

let connection: NetworkConnection;
let dao: LocalDAO;

beforeAll(async () => {
  connection = await network.create();
  dao = await deployLocalDAO(connection);
});

afterAll(async () => {
  await connection?.close();
});

describe("development accounts", () => {
  it("are the node's eth_accounts, in order, under the fixture's names", async () => {
    const nodeAccounts = (await connection.provider.request({ method: "eth_accounts" })) as string[];
    const named = devAddresses();
    DEV_ACCOUNT_NAMES.forEach((name, i) => {
      expect(named[name].toLowerCase()).toBe(nodeAccounts[i]!.toLowerCase());
      expect(dao.accounts[name].account.address.toLowerCase()).toBe(named[name].toLowerCase());
      expect(devAccount(i).address).toBe(named[name]);
    });
  });

  it("give their private keys", () => {
    expect(privateKeyToAccount(devPrivateKey("executor")).address).toBe(devAccount(9).address);
    expect(() => devAccount("nobody" as never)).toThrow(/no development account named nobody/);
  });
});

describe("local DAO fixture", () => {
  it("deploys the DAO with the local profile's holders, delegates and passes a proposal", async () => {
    expect(dao.deployment.chainId).toBe(31337);
    expect(await dao.token.read.balanceOf([dao.accounts.alice.account.address])).toBe(parseEther("250000"));
    expect(await dao.token.read.getVotes([dao.accounts.alice.account.address])).toBe(0n);
    await delegateAll(dao, connection);
    expect(await dao.token.read.getVotes([dao.accounts.alice.account.address])).toBe(parseEther("250000"));

    const [deployer] = await connection.viem.getWalletClients();
    await deployer!.sendTransaction({ to: dao.deployment.contracts.timelock, value: parseEther("2") });
    const to = dao.accounts.outsider.account.address;
    const before = await dao.publicClient.getBalance({ address: to });
    await passProposal(dao, connection, ethTransfer(to, parseEther("1"), "Pay the outsider 1 ETH"));
    expect(await dao.publicClient.getBalance({ address: to })).toBe(before + parseEther("1"));
  });
});

describe("chain over HTTP", () => {
  it("answers JSON-RPC from the in-process chain", async () => {
    const rpc = await serveRpc(connection.provider);
    try {
      const client = createPublicClient({ transport: http(rpc.url) });
      expect(await client.getChainId()).toBe(31337);
      expect(await client.getBlockNumber()).toBe(await dao.publicClient.getBlockNumber({ cacheTime: 0 }));
    } finally {
      await rpc.close();
    }
  });
});

describe("sample deployment", () => {
  it("writes a deployment file that validates", async () => {
    const { file } = await tempDeployment(sampleDeployment({ startBlock: 7 }));
    const deployment = await readDeployment(file);
    expect(deployment.startBlock).toBe(7);
    expect(deployment.deployer).toBe(devAccount("deployer").address);
  });
});
