// The batch fetcher (src/chain/fetch.ts): an answer with far more logs than a batch is aimed at is
// cut into batches, and the logs after a cut are kept for the next batch instead of being asked
// for again; logs kept from a branch that a reorg replaced must never be returned.
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";

import { Support } from "@ai-dao/protocol";
import { overridesFromDeployment, rpcClient } from "../src/app.ts";
import { BatchFetcher, type FetchedBatch, type SourceFilter } from "../src/chain/fetch.ts";
import { sourceFilters } from "../src/chain/indexer.ts";
import { loadSubgraph } from "../src/subgraph.ts";
import { type Chain, headBlock, openVote, startChain } from "./helpers.ts";

const json = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v instanceof Map ? [...v] : v));
const summary = (batch: FetchedBatch) => batch.triggers.map((t) => `${t.blockNumber} ${t.blockHash} ${t.logIndex} ${json(t.values)}`);

describe("the batch fetcher", () => {
  let chain: Chain;
  let proposalId: bigint;
  let sources: SourceFilter[];
  let opened: string;
  const rpc = (method: string, params: unknown[] = []) => chain.connection.provider.request({ method, params });

  beforeAll(async () => {
    chain = await startChain();
    proposalId = await openVote(chain, "# Batch fetcher\nA proposal whose votes are fetched in cut batches.");
    const subgraph = await loadSubgraph(inject("buildDir"), overridesFromDeployment(chain.dao.deployment));
    sources = sourceFilters(subgraph);
    opened = (await rpc("evm_snapshot")) as string;
  });

  afterAll(async () => {
    await chain?.rpc.stop();
  });

  /** From the opened vote: each of `voters` votes in a block of its own; returns the first block and the head. */
  async function votes(voters: ("bob" | "carol" | "dave")[], support: number): Promise<{ from: number; head: number }> {
    await rpc("evm_revert", [opened]);
    opened = (await rpc("evm_snapshot")) as string;
    const from = Number(await headBlock(chain)) + 1;
    for (const voter of voters) await chain.dao.governor.write.castVote([proposalId, support], { account: chain.dao.accounts[voter].account });
    return { from, head: Number(await headBlock(chain)) };
  }

  it("cuts a large answer into batches and serves the next one from the logs kept", async () => {
    const { from, head } = await votes(["bob", "carol", "dave"], Support.For);
    const client = rpcClient(chain.rpc.url);
    const getLogs = vi.spyOn(client, "getLogs");
    // One log a batch: the three blocks' logs are more than twice that.
    const fetcher = new BatchFetcher(client, sources, { targetLogs: 1 });
    const first = await fetcher.batch(from, head);
    expect(first.to).toBe(from);
    expect(first.triggers.length).toBeGreaterThan(0);
    expect(first.triggers.every((t) => t.blockNumber === from)).toBe(true);
    expect(first.end.number).toBe(from);
    const second = await fetcher.batch(first.to + 1, head);
    expect(getLogs).toHaveBeenCalledTimes(1);
    expect(second.to).toBe(head);
    // The same as asked for afresh.
    const fresh = await new BatchFetcher(rpcClient(chain.rpc.url), sources).batch(from, head);
    expect([...summary(first), ...summary(second)]).toEqual(summary(fresh));
    expect(json([...second.blocks.values()])).toBe(json([...fresh.blocks.values()].filter((b) => b.ptr.number > first.to)));
  });

  it("never returns logs kept from a branch a reorg replaced", async () => {
    const { from, head } = await votes(["bob", "carol", "dave"], Support.For);
    const client = rpcClient(chain.rpc.url);
    const fetcher = new BatchFetcher(client, sources, { targetLogs: 1 });
    const first = await fetcher.batch(from, head);
    expect(first.to).toBe(from);

    // Another branch from the same block: the votes in another order, against.
    const branch = await votes(["dave", "carol", "bob"], Support.Against);
    expect(branch.from).toBe(from);
    await expect(fetcher.batch(first.to + 1, branch.head)).rejects.toThrow(/changed while fetching \(reorg\)/);
    // Asked again, the logs come from the chain as it is now.
    const again = await fetcher.batch(first.to + 1, branch.head);
    const fresh = await new BatchFetcher(rpcClient(chain.rpc.url), sources).batch(first.to + 1, branch.head);
    expect(summary(again)).toEqual(summary(fresh).slice(0, again.triggers.length));
    const onChain = await chain.dao.publicClient.getBlock({ blockNumber: BigInt(again.to) });
    expect(again.end.hash).toBe(onChain.hash);
  });

  it("sees logs that a reorg put into blocks that had none while the batch was fetched", async () => {
    // Three blocks without logs on one branch; on the other, the same heights hold three votes.
    await rpc("evm_revert", [opened]);
    opened = (await rpc("evm_snapshot")) as string;
    const from = Number(await headBlock(chain)) + 1;
    for (let i = 0; i < 3; i++) await rpc("evm_mine");
    const to = Number(await headBlock(chain));
    const client = rpcClient(chain.rpc.url);
    const getLogs = client.getLogs.bind(client);
    let reorged = false;
    // The reorg lands between the node's answer to getLogs (no logs) and the fetch of the blocks.
    vi.spyOn(client, "getLogs").mockImplementation(async (args) => {
      const logs = await getLogs(args as never);
      if (!reorged) {
        reorged = true;
        const branch = await votes(["bob", "carol", "dave"], Support.For);
        expect(branch).toEqual({ from, head: to });
      }
      return logs as never;
    });
    const fetcher = new BatchFetcher(client, sources);
    await expect(fetcher.batch(from, to)).rejects.toThrow(/changed while fetching \(reorg\)/);
    // Asked again, the votes are there.
    const again = await fetcher.batch(from, to);
    expect(again.triggers.filter((t) => t.blockNumber >= from).length).toBeGreaterThanOrEqual(3);
    const fresh = await new BatchFetcher(rpcClient(chain.rpc.url), sources).batch(from, to);
    expect(summary(again)).toEqual(summary(fresh));
  });
});
