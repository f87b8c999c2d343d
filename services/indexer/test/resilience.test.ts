// Restarts, an RPC outage and a reorg on a real chain: the indexer resumes from its cursor, applies
// nothing twice, waits out the outage and rolls back blocks that left the chain.
import { rm } from "node:fs/promises";

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { Support } from "@ai-dao/protocol";
import type { App } from "../src/app.ts";
import { type Chain, data, headBlock, openVote, startChain, startIndexer, tempDir } from "./helpers.ts";

const buildDir = inject("buildDir");

describe("indexer resilience", () => {
  let chain: Chain;
  let dataDir: string;
  let app: App | undefined;
  let proposalId: bigint;

  beforeAll(async () => {
    chain = await startChain();
    dataDir = await tempDir();
    const { dao, connection } = chain;
    proposalId = await openVote(chain, "# Resilience\nA proposal voted on while the indexer restarts.");
    await dao.governor.write.castVote([proposalId, Support.Against], { account: dao.accounts.bob.account });
    // Many small blocks so a restart lands in the middle of the history.
    for (let i = 0; i < 20; i++) await connection.networkHelpers.mine();
  });

  afterAll(async () => {
    await app?.stop();
    await chain?.rpc.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const tallies = async (url: string) =>
    (await data(url, `{ proposal(id: "${proposalId}") { forVotes againstVotes abstainVotes voterCount } votes { id } delegateVotesChanges(first: 1000) { id } accounts(where: { votesCast_gt: 0 }) { id votesCast } }`));

  const expectMatchesChain = async (url: string) => {
    const { governor, publicClient, token } = chain.dao;
    const [against, forVotes, abstain] = await governor.read.proposalVotes([proposalId]);
    const result = await tallies(url);
    const casts = await publicClient.getContractEvents({ address: governor.address, abi: governor.abi, eventName: "VoteCast", fromBlock: 0n });
    const powerChanges = await publicClient.getContractEvents({ address: token.address, abi: token.abi, eventName: "DelegateVotesChanged", fromBlock: 0n });
    expect(result.proposal).toEqual({ forVotes: forVotes.toString(), againstVotes: against.toString(), abstainVotes: abstain.toString(), voterCount: casts.length });
    expect(result.votes).toHaveLength(casts.length);
    expect(result.delegateVotesChanges).toHaveLength(powerChanges.length);
    expect(result.accounts.reduce((n: number, a: { votesCast: number }) => n + a.votesCast, 0)).toBe(casts.length);
  };

  it("resumes after a stop mid-way with the same answers and nothing applied twice", async () => {
    const head = await headBlock(chain);
    const startBlock = chain.dao.deployment.startBlock;
    app = await startIndexer(chain, buildDir, dataDir, { batchSize: 3 });
    const middle = startBlock + Math.floor((Number(head) - startBlock) / 2);
    await app.indexer.waitForBlock(middle);
    await app.stop();
    expect(app.indexer.status.block!.number).toBeLessThan(Number(head));
    app = await startIndexer(chain, buildDir, dataDir, { batchSize: 3 });
    await app.indexer.waitForBlock(head);
    await expectMatchesChain(app.url);
    // A third start on a fully indexed store changes nothing.
    const before = JSON.stringify(app.store.counts());
    await app.stop();
    app = await startIndexer(chain, buildDir, dataDir);
    await app.indexer.waitForBlock(head);
    expect(JSON.stringify(app.store.counts())).toBe(before);
    await expectMatchesChain(app.url);
  });

  it("waits out an RPC outage and catches up when it comes back", async () => {
    const { dao } = chain;
    chain.rpc.down = true;
    await dao.governor.write.castVote([proposalId, Support.Abstain], { account: dao.accounts.carol.account });
    const head = await headBlock(chain);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(app!.indexer.status.rpcDown).toBe(true);
    const health = await (await fetch(new URL("/health", app!.url))).json();
    expect(health).toMatchObject({ status: "ok", rpcDown: true });
    // Queries keep answering from the store during the outage.
    expect((await tallies(app!.url)).votes).toHaveLength(2);
    chain.rpc.down = false;
    await app!.indexer.waitForBlock(head, 20_000);
    expect(app!.indexer.status.rpcDown).toBe(false);
    await expectMatchesChain(app!.url);
  });

  it("rolls back blocks that a reorg removed", async () => {
    const { dao, connection } = chain;
    const provider = connection.provider;
    const snapshot = (await provider.request({ method: "evm_snapshot", params: [] })) as string;
    await dao.governor.write.castVote([proposalId, Support.For], { account: dao.accounts.dave.account });
    const forked = await headBlock(chain);
    await app!.indexer.waitForBlock(forked);
    expect((await tallies(app!.url)).proposal.voterCount).toBe(4);
    await provider.request({ method: "evm_revert", params: [snapshot] });
    // The other branch: erin votes instead, and the chain grows past the old head.
    await dao.governor.write.castVote([proposalId, Support.Against], { account: dao.accounts.erin.account });
    for (let i = 0; i < 3; i++) await connection.networkHelpers.mine();
    const head = await headBlock(chain);
    await app!.indexer.waitForBlock(head);
    // waitForBlock may resolve on the old branch's numbers; wait until the rollback shows.
    for (let i = 0; i < 100 && app!.store.cursor()?.hash !== (await dao.publicClient.getBlock({ blockNumber: head })).hash; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await expectMatchesChain(app!.url);
    const voters = (await data(app!.url, `{ votes { voter { id } } }`)).votes.map((v: { voter: { id: string } }) => v.voter.id);
    expect(voters).toContain(dao.accounts.erin.account.address.toLowerCase());
    expect(voters).not.toContain(dao.accounts.dave.account.address.toLowerCase());
  });

  it("splits the getLogs range when the node refuses an answer that large", async () => {
    await app?.stop();
    app = undefined;
    const fresh = await tempDir();
    chain.rpc.maxLogRange = 4;
    try {
      const head = await headBlock(chain);
      app = await startIndexer(chain, buildDir, fresh);
      await app.indexer.waitForBlock(head, 60_000);
      expect(app.indexer.status.rpcDown).toBe(false);
      await expectMatchesChain(app.url);
    } finally {
      chain.rpc.maxLogRange = undefined;
      await app?.stop();
      app = undefined;
      await rm(fresh, { recursive: true, force: true });
    }
  });
});
