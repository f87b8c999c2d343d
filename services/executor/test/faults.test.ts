import { writeDeployment } from "@ai-dao/deployment";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import path from "node:path";
import { parseAbi, parseEther, type PublicClient } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ProposalState } from "@ai-dao/protocol";
import { devAccount, devPrivateKey, ethTransfer, freePort, kill9, startHardhatNode, stop, TcpProxy, waitFor, type Child, type LocalDAO } from "@ai-dao/testkit";
import { Journal } from "../src/store.ts";
import { clientOf, proposeAndVote, setupDAO, startExecutor, tempDir } from "./helpers.ts";

const executedAbi = parseAbi(["event ProposalExecuted(uint256 proposalId)"]);

let node: Child;
let connection: NetworkConnection;
let dao: LocalDAO;
let client: PublicClient;
let nodePort: number;
let deploymentFile: string;
const children: Child[] = [];

beforeAll(async () => {
  nodePort = await freePort();
  node = await startHardhatNode(nodePort);
  connection = await network.create({ network: "localhost", override: { url: `http://127.0.0.1:${nodePort}` } });
  dao = await setupDAO(connection);
  client = clientOf(connection);
  await dao.accounts.deployer.sendTransaction({ to: dao.deployment.contracts.timelock, value: parseEther("10") });
  deploymentFile = path.join(tempDir(), "31337.json");
  await writeDeployment(deploymentFile, dao.deployment);
});

afterAll(async () => {
  for (const child of children) await stop(child);
  await connection?.close();
  if (node !== undefined) await stop(node);
});

function executor(dataDir: string, extra: Record<string, string> = {}, rpcPort = nodePort): Child {
  const child = startExecutor({
    RPC_URL: `http://127.0.0.1:${rpcPort}`,
    DEPLOYMENT_FILE: deploymentFile,
    EXECUTOR_PRIVATE_KEY: devPrivateKey(9),
    EXECUTOR_DATA_DIR: dataDir,
    EXECUTOR_POLL_INTERVAL_MS: "150",
    EXECUTOR_MAX_BACKOFF_MS: "400",
    ...extra,
  });
  children.push(child);
  return child;
}

const state = (id: bigint) => dao.governor.read.state([id]);
const executions = async (id: bigint) =>
  (await client.getContractEvents({ address: dao.deployment.contracts.governor, abi: executedAbi, eventName: "ProposalExecuted", fromBlock: 0n })).filter((l) => l.args.proposalId === id).length;
const executorNonce = () => client.getTransactionCount({ address: devAccount(9).address });

/** Reads the journal of a (possibly dead) executor. */
function journalTxs(dataDir: string) {
  const journal = Journal.open(dataDir);
  try {
    return journal.allTxs();
  } finally {
    journal.close();
  }
}

async function queuedAndReady(description: string, amount: bigint) {
  const proposal = ethTransfer(dao.accounts.erin.account.address, amount, description);
  const id = await proposeAndVote(dao, connection, proposal);
  await dao.governor.write.queue([id], { account: dao.accounts.alice.account });
  await connection.networkHelpers.time.increaseTo(await dao.governor.read.proposalEta([id]));
  return id;
}

describe("faults (executor as a child process against a hardhat node)", () => {
  it("kill -9 after the execute is sent, before it is mined: a restart executes exactly once", async () => {
    const amount = parseEther("1");
    const id = await queuedAndReady("Pay erin 1 ETH (kill -9)", amount);
    const nonceBefore = await executorNonce();
    const erinBefore = await client.getBalance({ address: dao.accounts.erin.account.address });
    const dataDir = tempDir();

    await connection.provider.request({ method: "evm_setAutomine", params: [false] });
    const first = executor(dataDir);
    // Wait until the signed execute is journaled and sitting in the node's mempool, then kill -9.
    const hash = await waitFor("execute in the mempool", async () => {
      const tx = journalTxs(dataDir).find((t) => t.action === "execute" && t.status === "sent");
      if (tx === undefined) return undefined;
      const pending = await client.getBlock({ blockTag: "pending" });
      return pending.transactions.length > 0 ? tx : undefined;
    });
    await kill9(first);
    expect(await state(id)).toBe(ProposalState.Queued);

    const second = executor(dataDir);
    await waitFor("restarted executor polling", () => second.output().includes("executor started"));
    await new Promise((r) => setTimeout(r, 1_000)); // several polls with the tx still pending
    await connection.networkHelpers.mine();
    await waitFor("proposal executed", async () => (await state(id)) === ProposalState.Executed);
    await new Promise((r) => setTimeout(r, 1_000)); // more polls after execution
    await connection.provider.request({ method: "evm_setAutomine", params: [true] });
    await stop(second);

    expect(await executions(id)).toBe(1);
    expect(await executorNonce()).toBe(nonceBefore + 1);
    expect((await client.getBalance({ address: dao.accounts.erin.account.address })) - erinBefore).toBe(amount);
    const txs = journalTxs(dataDir).filter((t) => t.action !== "publish");
    expect(txs.map((t) => [t.action, t.status, t.minedHash])).toEqual([["execute", "confirmed", hash.minedHash ?? txs[0]!.minedHash]]);
  });

  it("kill -9 after signing and journaling, before broadcasting: the restart sends the journaled bytes, once", async () => {
    const amount = parseEther("0.5");
    const id = await queuedAndReady("Pay erin 0.5 ETH (crash before broadcast)", amount);
    const nonceBefore = await executorNonce();
    const dataDir = tempDir();

    // The executor kills itself right after the journal write.
    const first = executor(dataDir, { EXECUTOR_FAULT: "kill-after-sign" });
    await first.exited;
    const [journaled] = journalTxs(dataDir);
    expect(journaled).toMatchObject({ action: "execute", status: "signed" });
    expect(await executorNonce()).toBe(nonceBefore); // nothing reached the chain
    expect(await state(id)).toBe(ProposalState.Queued);

    const second = executor(dataDir);
    await waitFor("proposal executed", async () => (await state(id)) === ProposalState.Executed);
    await new Promise((r) => setTimeout(r, 1_000));
    await stop(second);
    expect(second.output()).toContain("rebroadcasting the journaled bytes");
    expect(await executions(id)).toBe(1);
    expect(await executorNonce()).toBe(nonceBefore + 1);
    const txs = journalTxs(dataDir);
    expect(txs).toHaveLength(1);
    expect(txs[0]).toMatchObject({ id: journaled!.id, status: "confirmed", nonce: journaled!.nonce });
  });

  it("survives an RPC outage in the middle of a run and finishes the work after", async () => {
    const amount = parseEther("0.25");
    const proposal = ethTransfer(dao.accounts.erin.account.address, amount, "Pay erin 0.25 ETH (outage)");
    const id = await proposeAndVote(dao, connection, proposal);
    const proxy = new TcpProxy(await freePort(), nodePort);
    await proxy.start();
    const dataDir = tempDir();
    const child = executor(dataDir, {}, proxy.port);
    await waitFor("queued by the executor", async () => (await state(id)) === ProposalState.Queued);

    await proxy.stop();
    // The chain moves on while the executor cannot reach it.
    await connection.networkHelpers.time.increaseTo(await dao.governor.read.proposalEta([id]));
    await waitFor("failed polls logged", () => (child.output().match(/poll failed/g)?.length ?? 0) >= 3, 30_000);
    expect(child.process.exitCode).toBeNull();
    expect(await state(id)).toBe(ProposalState.Queued);

    await proxy.start();
    await waitFor("executed after the outage", async () => (await state(id)) === ProposalState.Executed, 60_000);
    // The poll that executed logs the recovery when it ends, which can be just after the block.
    await waitFor("the recovery in the log", () => child.output().includes("RPC reachable again"));
    const port = Number(/"port":(\d+)/.exec(child.output())![1]);
    const metrics = await waitFor("execution settled in the metrics", async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return /executor_proposals_executed_total 1/.test(text) ? text : undefined;
    });
    expect(Number(/executor_rpc_errors_total (\d+)/.exec(metrics)![1])).toBeGreaterThanOrEqual(3);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", chainId: 31337, address: devAccount(9).address });
    await stop(child);
    await proxy.stop();
    expect(await executions(id)).toBe(1);
  });
});
