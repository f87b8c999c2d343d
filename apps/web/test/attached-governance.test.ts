// @vitest-environment node
// The web app on Governors it did not deploy, against the real contracts on an in-process Hardhat
// chain: an OpenZeppelin 4.9 Governor (block-number clock, no GovernorStorage) and Uniswap's
// GovernorAlpha with its Compound Timelock, each attached with `attachDAO`. The configuration the
// app is served (vite-config-plugin's `governanceOf`) picks the calls: a vote, then queue and
// execute, sent as the page sends them, move 1 ETH from the treasury; the state the app computes
// in blocks matches the Governor's at every step.
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { encodeAbiParameters, keccak256, parseEther, stringToHex, type Address, type PublicClient, type WalletClient } from "viem";
import { describe, expect, it } from "vitest";

import { proposalStateName } from "@ai-dao/protocol";
import { deployGovernorAlphaDAO, deployOpenZeppelin4DAO } from "@ai-dao/testkit";

import { attachDAO } from "../../../ignition/attach.ts";
import { runtimeConfigSchema, type RuntimeConfig } from "../src/lib/config.ts";
import { lifecycleCall, readChainState, readHasVoted, readVotesAt, voteCall, voteChoices } from "../src/lib/governance.ts";
import { proposalState, secondsLeft } from "../src/lib/state.ts";
import { simulateAndWrite } from "../src/lib/tx.ts";
import { governanceOf } from "../vite-config-plugin.ts";
import { config as baseConfig } from "./fixtures.ts";

async function configFor(connection: NetworkConnection, governor: Address): Promise<RuntimeConfig> {
  const { deployment } = await attachDAO(connection, { governor });
  return runtimeConfigSchema.parse({ ...baseConfig, chainId: deployment.chainId, contracts: deployment.contracts, governance: governanceOf(deployment) });
}

/** Sends a call the way the page does (simulated first, against the pending block) and waits for success. */
async function send(client: PublicClient, wallet: WalletClient, call: Parameters<typeof simulateAndWrite>[3]) {
  const receipt = await client.waitForTransactionReceipt({ hash: await simulateAndWrite(client, wallet, wallet.account!.address, call) });
  expect(receipt.status).toBe("success");
}

/** The state the app computes from what the indexer holds, on the Governor's block clock. */
async function computedState(client: PublicClient, input: { voteStart: bigint; voteEnd: bigint; forVotes: bigint; againstVotes: bigint; eta: bigint | null; quorum: bigint; executed: boolean }) {
  const now = await client.getBlockNumber();
  return proposalState({ status: input.executed ? "EXECUTED" : input.eta ? "QUEUED" : "CREATED", abstainVotes: 0n, ...input }, now);
}

describe("an attached OpenZeppelin 4.9 Governor (block clock, full-argument queue and execute)", () => {
  it("votes, queues and executes as the page does; the state in blocks follows the Governor's", async () => {
    const connection = await network.create();
    const d = await deployOpenZeppelin4DAO(connection);
    const client = (await connection.viem.getPublicClient()) as unknown as PublicClient;
    const { alice, dave } = d.accounts;
    await d.accounts.deployer.sendTransaction({ to: d.timelock.address, value: parseEther("10") });
    const config = await configFor(connection, d.governor.address);
    expect(config.governance).toMatchObject({ flavour: "openzeppelin-4", clock: "blocknumber", queueById: false, executeById: false, riskTiers: false });
    expect(voteChoices(config)).toEqual([1, 0, 2]);

    const description = "# Grant\n\nPays 1 ETH to dave for the documentation rewrite.";
    const targets = [dave.account.address];
    const values = [parseEther("1")];
    const calldatas = ["0x" as const];
    await d.governor.write.propose([targets, values, calldatas, description], { account: alice.account });
    const id = await d.governor.read.hashProposal([targets, values, calldatas, keccak256(stringToHex(description))]);
    const proposal = { id: id.toString(), actions: [{ target: targets[0]!, value: values[0]!.toString(), calldata: "0x" }], descriptionHash: keccak256(stringToHex(description)) };
    const voteStart = await d.governor.read.proposalSnapshot([id]);
    const voteEnd = await d.governor.read.proposalDeadline([id]);
    const tally = async () => {
      const [againstVotes, forVotes] = await d.governor.read.proposalVotes([id]);
      // quorum(snapshot) can be read once the snapshot block is past.
      const quorum = voteStart < (await client.getBlockNumber()) ? await d.governor.read.quorum([voteStart]) : 0n;
      return { voteStart, voteEnd, forVotes, againstVotes, quorum, eta: null, executed: false };
    };
    // Pending, in blocks: the countdown is the blocks left times the seconds per block.
    expect(await computedState(client, await tally())).toBe(proposalStateName(Number(await d.governor.read.state([id]))));
    const now = await client.getBlockNumber();
    expect(secondsLeft({ voteStart, voteEnd, eta: null }, "Pending", now, 0n, 12)).toBe((voteStart - now + 1n) * 12n);

    await connection.networkHelpers.mine(2);
    expect(await readVotesAt(client, config, alice.account.address, voteStart)).toBe(parseEther("600000"));
    const aliceWallet = (await connection.viem.getWalletClients()).find((w) => w.account.address === alice.account.address)!;
    await send(client, aliceWallet as unknown as WalletClient, voteCall(config, proposal.id, 1, "For the docs"));
    expect(await readHasVoted(client, config, proposal.id, alice.account.address)).toBe(true);
    expect(await computedState(client, await tally())).toBe("Active");

    await connection.networkHelpers.mine(Number(voteEnd - (await client.getBlockNumber())) + 1);
    expect(await computedState(client, await tally())).toBe("Succeeded");
    expect(proposalStateName((await readChainState(client, config, proposal.id)).state)).toBe("Succeeded");

    await send(client, aliceWallet as unknown as WalletClient, lifecycleCall(config, "queue", proposal));
    const { eta, state } = await readChainState(client, config, proposal.id);
    expect(proposalStateName(state)).toBe("Queued");
    expect(eta).toBeGreaterThan(0n);
    await connection.networkHelpers.time.increaseTo(eta);
    const before = await client.getBalance({ address: dave.account.address });
    await send(client, aliceWallet as unknown as WalletClient, lifecycleCall(config, "execute", proposal));
    expect((await client.getBalance({ address: dave.account.address })) - before).toBe(parseEther("1"));
    expect(proposalStateName((await readChainState(client, config, proposal.id)).state)).toBe("Executed");
    await connection.close();
  });
});

describe("an attached GovernorAlpha (Compound Timelock, votes for or against)", () => {
  it("votes with castVote(id, bool), queues and executes by id; the eta comes from proposals(id)", async () => {
    // A token payment: GovernorAlpha forwards an action's ETH from whoever executes, not from the treasury.
    const connection = await network.create();
    const d = await deployGovernorAlphaDAO(connection);
    const client = (await connection.viem.getPublicClient()) as unknown as PublicClient;
    const { alice, bob, dave } = d.accounts;
    await d.write(alice, d.uni, "Uni", "transfer", [d.timelock, parseEther("5000")]);
    const config = await configFor(connection, d.governor);
    expect(config.governance).toMatchObject({ flavour: "compound-alpha", clock: "blocknumber", queueById: true, executeById: true });
    expect(voteChoices(config)).toEqual([1, 0]);

    const payment = encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [dave.account.address, parseEther("1000")]);
    await d.write(alice, d.governor, "GovernorAlpha", "propose", [[d.uni], [0n], ["transfer(address,uint256)"], [payment], "# Grant\n\nPays 1,000 UNI to dave."]);
    const id = (await d.read(d.governor, "GovernorAlpha", "proposalCount")) as bigint;
    const proposal = { id: id.toString(), actions: [{ target: d.uni, value: "0", calldata: payment }], descriptionHash: null };
    // With ETH in its actions, executing would send their total from the caller.
    expect(lifecycleCall(config, "execute", { ...proposal, actions: [{ target: dave.account.address, value: parseEther("2").toString(), calldata: "0x" }] }).value).toBe(parseEther("2"));
    await connection.networkHelpers.mine(2);
    const [, , , startBlock, endBlock] = (await d.read(d.governor, "GovernorAlpha", "proposals", [id])) as readonly bigint[];
    expect(await readVotesAt(client, config, bob.account.address, startBlock!)).toBe(parseEther("400000000"));
    const wallets = await connection.viem.getWalletClients();
    const aliceWallet = wallets.find((w) => w.account.address === alice.account.address)! as unknown as WalletClient;
    const bobWallet = wallets.find((w) => w.account.address === bob.account.address)! as unknown as WalletClient;
    await send(client, aliceWallet, voteCall(config, proposal.id, 1, "ignored: GovernorAlpha keeps no reason"));
    await send(client, bobWallet, voteCall(config, proposal.id, 0, ""));
    const receipt = (await d.read(d.governor, "GovernorAlpha", "getReceipt", [id, bob.account.address])) as { hasVoted: boolean; support: boolean };
    expect(receipt).toMatchObject({ hasVoted: true, support: false });
    expect(await readHasVoted(client, config, proposal.id, alice.account.address)).toBe(true);

    await connection.networkHelpers.mine(Number(endBlock! - (await client.getBlockNumber())) + 1);
    expect(proposalStateName((await readChainState(client, config, proposal.id)).state)).toBe("Succeeded");
    await send(client, aliceWallet, lifecycleCall(config, "queue", proposal));
    const { eta, state } = await readChainState(client, config, proposal.id);
    expect(proposalStateName(state)).toBe("Queued");
    await connection.networkHelpers.time.increaseTo(eta);
    await send(client, aliceWallet, lifecycleCall(config, "execute", proposal));
    expect(await d.read(d.uni, "Uni", "balanceOf", [dave.account.address])).toBe(parseEther("1000"));
    expect(proposalStateName((await readChainState(client, config, proposal.id)).state)).toBe("Executed");
    await connection.close();
  });
});
