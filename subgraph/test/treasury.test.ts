// Treasury flows through the compiled WASM on the real contracts: the DAO deployed with the local
// config (which lists the demo stablecoin by its creator and nonce), a 6-decimal token deployed
// where that entry says, and a proposal paying dUSD, ETH and DAO tokens from the treasury. Every
// log of the DAO's contracts and of the listed asset goes to its data source's WASM in chain order;
// the flows must add up to the balances the contracts report and name the proposal that paid them.
import { network } from "hardhat";
import { type Address, type Hex, type PublicClient, parseEther, parseUnits, zeroHash } from "viem";
import { beforeAll, describe, expect, inject, it } from "vitest";

import { treasuryAssetSources } from "@ai-dao/deployment";
import { Support } from "@ai-dao/protocol";
import { delegateAll, deployLocalDAO, descriptionHash, endVoting, erc20Transfer, propose, startVoting, timelockSalt, type LocalDAO } from "@ai-dao/testkit";
import { subgraphDir } from "../scripts/data-sources.ts";
import { buildManifest } from "../scripts/manifest.ts";
import { type ManifestDataSources, feedChain } from "./feed.ts";
import { Store } from "./wasm-host.ts";

const buildDir = inject("buildDir");
const E6 = 10n ** 6n;

describe("treasury flows on the real contracts", () => {
  let dao: LocalDAO;
  let store: Store;
  let logs: string[];
  let proposalId: bigint;
  let operationId: Hex;
  let dusd: Address;
  let dusdBalance: (address: Address) => Promise<bigint>;

  beforeAll(async () => {
    const connection = await network.create();
    dao = await deployLocalDAO(connection);
    const { accounts, governor, token, timelock, publicClient, deployment } = dao;
    const wallets = await connection.viem.getWalletClients();

    // The local config lists the stablecoin as "created by account #19 with nonce 0": deploy it so.
    const listed = treasuryAssetSources(deployment);
    expect(listed).toHaveLength(1);
    const stablecoin = await connection.viem.deployContract("MockERC20", ["Demo Dollar", "dUSD", 6, timelock.address, parseUnits("1000000", 6)], {
      client: { wallet: wallets[19]! },
    });
    dusd = stablecoin.address;
    expect(dusd.toLowerCase()).toBe(listed[0]!.address.toLowerCase());
    dusdBalance = (address) => stablecoin.read.balanceOf([address]);

    await accounts.deployer.sendTransaction({ to: timelock.address, value: parseEther("10") });
    await delegateAll(dao, connection);

    const proposal = {
      targets: [dusd, accounts.erin.account.address, token.address] as Address[],
      values: [0n, parseEther("1"), 0n],
      calldatas: [
        erc20Transfer(dusd, accounts.carol.account.address, 2_500n * E6),
        "0x" as Hex,
        erc20Transfer(token.address, accounts.dave.account.address, parseEther("1000")),
      ],
      description: "# Pay for the audit\nSend 2,500 dUSD to carol, 1 ETH to erin and 1,000 DEMO to dave.",
    };
    proposalId = await propose(dao, accounts.alice.account.address, proposal);
    await startVoting(dao, connection, proposalId);
    await governor.write.castVote([proposalId, Support.For], { account: accounts.alice.account });
    await governor.write.castVote([proposalId, Support.For], { account: accounts.bob.account });
    await endVoting(dao, connection, proposalId);
    await governor.write.queue([proposalId]);
    await connection.networkHelpers.time.increaseTo(await governor.read.proposalEta([proposalId]));
    await governor.write.execute([proposalId]);
    operationId = await timelock.read.hashOperationBatch([
      proposal.targets,
      proposal.values,
      proposal.calldatas,
      zeroHash,
      timelockSalt(governor.address, descriptionHash(proposal)),
    ]);
    // After the proposal, carol sends 100 dUSD back: an inflow no proposal caused.
    await stablecoin.write.transfer([timelock.address, 100n * E6], { account: accounts.carol.account });

    store = new Store();
    const manifest = (await buildManifest(deployment)) as ManifestDataSources;
    // Every asset data source runs the same compiled mapping; the test build has TreasuryAsset0.
    const wasmOf = (name: string) => (name.startsWith("TreasuryAsset") ? "TreasuryAsset0" : name);
    const sources = await feedChain(publicClient as PublicClient, manifest, subgraphDir, buildDir, store, wasmOf);
    logs = sources.flatMap((source) => source.mapping.logs);
  }, 180_000);

  it("indexes without warnings", () => {
    expect(logs.filter((line) => !line.startsWith("3:"))).toEqual([]);
  });

  it("adds up each asset's flows to the treasury balance the contracts report", async () => {
    const timelock = dao.timelock.address;
    const dusdAsset = store.plain("TreasuryAsset", dusd.toLowerCase())!;
    expect(dusdAsset).toMatchObject({ kind: "ERC20", totalIn: 1_000_100n * E6, totalOut: 2_500n * E6, flowCount: 3 });
    expect((dusdAsset.totalIn as bigint) - (dusdAsset.totalOut as bigint)).toBe(await dusdBalance(timelock));

    const daoToken = store.plain("TreasuryAsset", dao.token.address.toLowerCase())!;
    expect(daoToken.kind).toBe("DAO_TOKEN");
    expect((daoToken.totalIn as bigint) - (daoToken.totalOut as bigint)).toBe(await dao.token.read.balanceOf([timelock]));

    // ETH: only what executed calls paid out (plain ETH transfers in emit no event).
    expect(store.plain("TreasuryAsset", "eth")).toMatchObject({ kind: "ETH", totalOut: parseEther("1"), totalIn: 0n });
  });

  it("names the proposal and timelock operation that paid each outflow", () => {
    const flows = store.all("TreasuryFlow");
    const out = flows.filter((flow) => flow.direction === "OUT");
    expect(out).toHaveLength(3);
    for (const flow of out) expect(flow, `flow ${flow.id as string}`).toMatchObject({ proposal: proposalId.toString(), operation: operationId });
    expect(out.find((flow) => flow.asset === dusd.toLowerCase())).toMatchObject({
      amount: 2_500n * E6,
      counterparty: dao.accounts.carol.account.address.toLowerCase(),
    });
    expect(out.find((flow) => flow.asset === "eth")).toMatchObject({ amount: parseEther("1"), counterparty: dao.accounts.erin.account.address.toLowerCase() });
    expect(out.find((flow) => flow.asset === dao.token.address.toLowerCase())).toMatchObject({ amount: parseEther("1000") });
  });

  it("records inflows with their sender, a mint without one, and no proposal", () => {
    const incoming = store.all("TreasuryFlow").filter((flow) => flow.direction === "IN" && flow.asset === dusd.toLowerCase());
    expect(incoming.map((flow) => flow.amount).sort()).toEqual([100n * E6, 1_000_000n * E6].sort());
    const mint = incoming.find((flow) => flow.amount === 1_000_000n * E6)!;
    expect(mint.counterparty).toBeUndefined();
    const payback = incoming.find((flow) => flow.amount === 100n * E6)!;
    expect(payback.counterparty).toBe(dao.accounts.carol.account.address.toLowerCase());
    for (const flow of incoming) expect(flow.proposal).toBeUndefined();
  });
});
