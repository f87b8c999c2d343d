// Fetching ahead: while a batch's handlers run, the indexer already fetches the next batch. A reorg
// that replaces blocks of that batch before it is applied must make the indexer drop it and fetch
// the new branch, never apply the old one (and roll it back later).
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";

import { Support } from "@ai-dao/protocol";
import { overridesFromDeployment, rpcClient } from "../src/app.ts";
import { Indexer } from "../src/chain/indexer.ts";
import { EntityStore } from "../src/store/store.ts";
import { loadSubgraph } from "../src/subgraph.ts";
import { type Chain, headBlock, openVote, quietLogger, startChain } from "./helpers.ts";

describe("fetching the next batch ahead", () => {
  let chain: Chain;
  let proposalId: bigint;
  /** The chain with the vote open, which each case starts from. */
  let opened: string;

  beforeAll(async () => {
    chain = await startChain();
    proposalId = await openVote(chain, "# Fetch ahead\nA proposal whose later votes a reorg replaces.");
    opened = (await chain.connection.provider.request({ method: "evm_snapshot", params: [] })) as string;
  });

  afterAll(async () => {
    await chain?.rpc.stop();
  });

  it.each([
    ["in the follower's thread", false],
    ["in the fetch worker", true],
  ])("drops a batch fetched ahead (%s) whose blocks a reorg replaced", async (_where, inWorker) => {
    const { dao, connection } = chain;
    const provider = connection.provider;
    const rpc = (method: string, params: unknown[] = []) => provider.request({ method, params });
    await rpc("evm_revert", [opened]);
    opened = (await rpc("evm_snapshot")) as string;

    // The first batch ends at `cursor`; the one fetched ahead holds bob's vote, which the reorg replaces.
    const cursor = Number(await headBlock(chain));
    const snapshot = (await rpc("evm_snapshot")) as string;
    await dao.governor.write.castVote([proposalId, Support.For], { account: dao.accounts.bob.account });
    await connection.networkHelpers.mine(2);
    const oldHead = Number(await headBlock(chain));

    const subgraph = await loadSubgraph(inject("buildDir"), overridesFromDeployment(dao.deployment));
    const store = EntityStore.memory(subgraph.schema);
    const revert = vi.spyOn(store, "revertTo");
    // The second step waits at its first requests (the head, the cursor's block and the last block
    // fetched ahead, asked for together) until the reorg is made.
    const client = rpcClient(chain.rpc.url);
    let steps = 0;
    let reorged!: () => void;
    const reorgDone = new Promise<void>((resolve) => (reorged = resolve));
    let atSecondStep!: () => void;
    const secondStep = new Promise<void>((resolve) => (atSecondStep = resolve));
    const getBlockNumber = client.getBlockNumber.bind(client);
    client.getBlockNumber = async (args) => {
      if (++steps === 2) {
        atSecondStep();
        await reorgDone;
      }
      return getBlockNumber(args);
    };
    const getBlock = client.getBlock.bind(client);
    client.getBlock = (async (args: Parameters<typeof getBlock>[0]) => {
      if (steps >= 2) await reorgDone;
      return getBlock(args);
    }) as typeof client.getBlock;
    const fetchedAhead = () => (indexer as unknown as { prefetched?: { from: number; batch: Promise<{ to: number }> } }).prefetched;
    const batchSize = cursor - subgraph.startBlock + 1;
    const indexer = new Indexer({ subgraph, store, client, ...(inWorker ? { rpcUrl: chain.rpc.url } : {}), logger: quietLogger(), batchSize, pollIntervalMs: 50, maxBackoffMs: 200 });
    const aheadFetcher = () => (indexer as unknown as { aheadFetcher?: { ready: boolean } }).aheadFetcher;
    // In the worker: the first batch ahead goes there once it has loaded.
    while (inWorker && !aheadFetcher()?.ready) await new Promise((resolve) => setTimeout(resolve, 20));
    try {
      indexer.start();
      await secondStep;
      expect(store.cursor()!.number).toBe(cursor);
      // The batch after the cursor was fetched while the first one ran: bob's vote, blocks cursor+1 to oldHead.
      const ahead = fetchedAhead();
      expect(ahead?.from).toBe(cursor + 1);
      expect((await ahead!.batch).to).toBe(oldHead);

      // The other branch from the cursor on: carol votes instead, the chain grows past the old head.
      await rpc("evm_revert", [snapshot]);
      await dao.governor.write.castVote([proposalId, Support.Against], { account: dao.accounts.carol.account });
      await connection.networkHelpers.mine(3);
      const head = await dao.publicClient.getBlock({ blockTag: "latest" });
      reorged();

      await indexer.waitForBlock(head.number, 20_000);
      expect(store.cursor()!.hash).toBe(head.hash);
      // Nothing of the old branch was applied: no rollback was needed.
      expect(revert).not.toHaveBeenCalled();
      const [against, forVotes] = await dao.governor.read.proposalVotes([proposalId]);
      const proposal = store.current("Proposal", proposalId.toString())!;
      expect({ forVotes: proposal.forVotes, againstVotes: proposal.againstVotes, voterCount: proposal.voterCount }).toEqual({ forVotes, againstVotes: against, voterCount: 2 });
      const voter = (account: { address: string }) => store.current("Vote", `${proposalId}-${account.address.toLowerCase()}`);
      expect(voter(dao.accounts.carol.account)).toBeDefined();
      expect(voter(dao.accounts.bob.account)).toBeUndefined();
      // Caught up, nothing is fetched ahead: the worker is stopped (its heap returned).
      if (inWorker) await vi.waitFor(() => expect(aheadFetcher()).toBeUndefined(), { timeout: 5_000 });
    } finally {
      reorged();
      await indexer.stop();
      store.close();
    }
  });
});
