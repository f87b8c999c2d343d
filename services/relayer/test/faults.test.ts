// kill -9 between signing and confirmation: the relayer as a child process against a Hardhat node.
import { writeDeployment } from "@ai-dao/deployment";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import path from "node:path";
import { parseEventLogs, type PublicClient } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { governorAbi, Support } from "@ai-dao/protocol";
import { devAccount, devPrivateKey, ethTransfer, freePort, propose, startHardhatNode, startVoting, stop, waitFor, type Child, type LocalDAO } from "@ai-dao/testkit";

import { RelayStore } from "../src/store.ts";
import { clientOf, RELAYER_INDEX, setupDAO, signedBallot, startRelayer, tempDir } from "./helpers.ts";

let node: Child;
let connection: NetworkConnection;
let dao: LocalDAO;
let client: PublicClient;
let deploymentFile: string;
let proposalId: bigint;
const children: Child[] = [];
const relayerAddress = devAccount(RELAYER_INDEX).address;

beforeAll(async () => {
  const nodePort = await freePort();
  node = await startHardhatNode(nodePort);
  connection = await network.create({ network: "localhost", override: { url: `http://127.0.0.1:${nodePort}` } });
  dao = await setupDAO(connection);
  client = clientOf(connection);
  deploymentFile = path.join(tempDir(), "31337.json");
  await writeDeployment(deploymentFile, dao.deployment);
  proposalId = await propose(dao, dao.accounts.alice.account.address, ethTransfer(dao.accounts.erin.account.address, 1n, "Relayer faults: pay erin 1 wei"));
  await startVoting(dao, connection, proposalId);

  function relayer(dataDir: string, extra: Record<string, string> = {}): Child {
    const child = startRelayer({
      RPC_URL: `http://127.0.0.1:${nodePort}`,
      DEPLOYMENT_FILE: deploymentFile,
      RELAYER_PRIVATE_KEY: devPrivateKey(RELAYER_INDEX),
      RELAYER_DATA_DIR: dataDir,
      RELAYER_POLL_INTERVAL_MS: "150",
      RELAYER_MAX_BACKOFF_MS: "400",
      ...extra,
    });
    children.push(child);
    return child;
  }
  start = relayer;
});

let start: (dataDir: string, extra?: Record<string, string>) => Child;

afterAll(async () => {
  for (const child of children) await stop(child);
  await connection?.close();
  if (node !== undefined) await stop(node);
});

async function urlOf(child: Child): Promise<string> {
  await waitFor("relayer started", () => child.output().includes("relayer started"));
  return `http://127.0.0.1:${/"port":(\d+)/.exec(child.output())![1]}`;
}

const post = (url: string, body: unknown) =>
  fetch(`${url}/vote`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body, (_k, v) => (typeof v === "bigint" ? v.toString() : v)) });

const relayerNonce = () => client.getTransactionCount({ address: relayerAddress });

/** VoteCast events of `voter` on the test proposal. */
async function votesOf(voter: string) {
  const logs = await client.getContractEvents({ address: dao.governor.address, abi: governorAbi, fromBlock: 0n });
  return parseEventLogs({ abi: governorAbi, logs, eventName: "VoteCast" }).filter((l) => l.args.proposalId === proposalId && l.args.voter.toLowerCase() === voter.toLowerCase());
}

function journalTxs(dataDir: string) {
  const store = RelayStore.open(dataDir);
  try {
    return store.txs.allTxs();
  } finally {
    store.close();
  }
}

describe("faults (relayer as a child process against a hardhat node)", () => {
  it("kill -9 after signing and journaling, before broadcasting: the restart relays the vote exactly once", async () => {
    const carol = devAccount(3);
    const body = await signedBallot(dao, carol, { proposalId, support: Support.For });
    const nonceBefore = await relayerNonce();
    const dataDir = tempDir();

    const first = start(dataDir, { RELAYER_FAULT: "kill-after-sign" });
    await expect(post(await urlOf(first), body)).rejects.toThrow();
    await first.exited;
    const [journaled] = journalTxs(dataDir);
    expect(journaled).toMatchObject({ kind: "vote", status: "signed", subject: carol.address });
    expect(await relayerNonce()).toBe(nonceBefore);
    expect(await dao.governor.read.hasVoted([proposalId, carol.address])).toBe(false);

    const second = start(dataDir);
    const url = await urlOf(second);
    await waitFor("vote relayed after the restart", () => dao.governor.read.hasVoted([proposalId, carol.address]));
    await new Promise((r) => setTimeout(r, 1_000)); // several more polls
    // The member, not knowing, sends the same ballot again: the existing relay, nothing new.
    const again = await post(url, body);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true, relay: { status: "confirmed", signer: carol.address } });
    await stop(second);

    expect(second.output()).toContain("rebroadcasting the journaled bytes");
    // The key is never written, neither by the run that crashed nor by the one that finished.
    for (const child of [first, second]) expect(child.output()).not.toContain(devPrivateKey(RELAYER_INDEX).slice(2));
    expect(await votesOf(carol.address)).toHaveLength(1);
    expect(await relayerNonce()).toBe(nonceBefore + 1);
    const txs = journalTxs(dataDir);
    expect(txs).toHaveLength(1);
    expect(txs[0]).toMatchObject({ id: journaled!.id, status: "confirmed", nonce: journaled!.nonce });
  });

  it("kill -9 after broadcasting, before the block: the restart follows the same transaction to confirmation", async () => {
    const dave = devAccount(4);
    const body = await signedBallot(dao, dave, { proposalId, support: Support.Against });
    const nonceBefore = await relayerNonce();
    const dataDir = tempDir();

    await connection.provider.request({ method: "evm_setAutomine", params: [false] });
    try {
      const first = start(dataDir, { RELAYER_FAULT: "kill-after-broadcast" });
      await expect(post(await urlOf(first), body)).rejects.toThrow();
      await first.exited;
      const [journaled] = journalTxs(dataDir);
      expect(journaled).toMatchObject({ kind: "vote", status: "sent" });
      expect((await client.getBlock({ blockTag: "pending" })).transactions).toHaveLength(1);

      const second = start(dataDir);
      await urlOf(second);
      await new Promise((r) => setTimeout(r, 1_000)); // polls with the transaction still pending
      await connection.networkHelpers.mine();
      await waitFor("vote mined", () => dao.governor.read.hasVoted([proposalId, dave.address]));
      await waitFor("journal confirmed", () => journalTxs(dataDir)[0]?.status === "confirmed");
      await stop(second);
    } finally {
      await connection.provider.request({ method: "evm_setAutomine", params: [true] });
    }
    expect(await votesOf(dave.address)).toHaveLength(1);
    expect(await relayerNonce()).toBe(nonceBefore + 1);
    expect(journalTxs(dataDir)).toHaveLength(1);
  });
});
