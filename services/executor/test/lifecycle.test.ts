import { network } from "hardhat";
import { encodeFunctionData, keccak256, parseEther, toBytes } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DecisionKind, ProposalState, ReportEncoding, Support } from "@ai-dao/protocol";
import { decodeReport } from "@ai-dao/reports";
import { devAccount, erc20Transfer, ethTransfer, propose, type LocalDAO } from "@ai-dao/testkit";

import type { Executor } from "../src/executor.ts";
import { clientOf, decisionsOf, makeExecutor, proposeAndVote, publishAnalysis, setupDAO, voteOn } from "./helpers.ts";

const connection = await network.create();
let dao: LocalDAO;

beforeAll(async () => {
  dao = await setupDAO(connection);
  // Fund the treasury with ETH (it already holds 400k DEMO).
  await dao.accounts.deployer.sendTransaction({ to: dao.deployment.contracts.timelock, value: parseEther("10") });
});

afterAll(async () => {
  await connection.close();
});

async function mineToEta(proposalId: bigint) {
  await connection.networkHelpers.time.increaseTo(await dao.governor.read.proposalEta([proposalId]));
}

const state = (id: bigint) => dao.governor.read.state([id]);

describe("lifecycle", () => {
  it("queues and executes passed proposals, never touches defeated or canceled ones", async () => {
    const { alice, erin, carol, guardian } = dao.accounts;
    const client = clientOf(connection);
    const executor = makeExecutor(dao, connection);
    const treasury = dao.deployment.contracts.timelock;

    const payEth = ethTransfer(erin.account.address, parseEther("1.5"), "Pay erin 1.5 ETH");
    const payTokens = {
      targets: [dao.deployment.contracts.token],
      values: [0n],
      calldatas: [erc20Transfer(dao.deployment.contracts.token, carol.account.address, parseEther("1000"))],
      description: "Pay carol 1000 DEMO",
    };
    const defeated = ethTransfer(alice.account.address, parseEther("5"), "Pay alice 5 ETH (voted down)");
    const canceled = ethTransfer(alice.account.address, parseEther("4"), "Pay alice 4 ETH (canceled)");

    const ids = {
      payEth: await propose(dao, alice.account.address, payEth),
      payTokens: await propose(dao, alice.account.address, payTokens),
      defeated: await propose(dao, alice.account.address, defeated),
      canceled: await propose(dao, alice.account.address, canceled),
    };
    for (const id of Object.values(ids)) await publishAnalysis(dao, id);
    await executor.tick();
    expect(executor.journal.allProposals().map((p) => p.proposalId).sort()).toEqual(Object.values(ids).map(String).sort());

    // The guardian cancels one while it is pending.
    await dao.governor.write.cancel([canceled.targets, canceled.values, canceled.calldatas, keccak256(toBytes(canceled.description))], {
      account: guardian.account,
    });
    await connection.networkHelpers.time.increaseTo((await dao.governor.read.proposalSnapshot([ids.payEth])) + 1n);
    for (const id of [ids.payEth, ids.payTokens]) {
      await dao.governor.write.castVote([id, Support.For], { account: alice.account });
      await dao.governor.write.castVote([id, Support.For], { account: dao.accounts.bob.account });
    }
    await dao.governor.write.castVote([ids.defeated, Support.Against], { account: alice.account });
    await dao.governor.write.castVote([ids.defeated, Support.Against], { account: dao.accounts.bob.account });
    let lastDeadline = 0n;
    for (const id of Object.values(ids)) {
      if (id === ids.canceled) continue;
      const deadline = await dao.governor.read.proposalDeadline([id]);
      if (deadline > lastDeadline) lastDeadline = deadline;
    }
    await connection.networkHelpers.time.increaseTo(lastDeadline + 1n);

    expect(await state(ids.defeated)).toBe(ProposalState.Defeated);
    expect(await state(ids.canceled)).toBe(ProposalState.Canceled);

    await executor.tickUntil(async () => (await state(ids.payEth)) === ProposalState.Queued && (await state(ids.payTokens)) === ProposalState.Queued);
    // Not ready yet: nothing more happens before the timelock delay.
    await executor.tick();
    expect(await state(ids.payEth)).toBe(ProposalState.Queued);

    const erinBefore = await client.getBalance({ address: erin.account.address });
    const treasuryBefore = await client.getBalance({ address: treasury });
    const carolBefore = await dao.token.read.balanceOf([carol.account.address]);
    await mineToEta(ids.payTokens);
    await executor.tickUntil(async () => (await state(ids.payEth)) === ProposalState.Executed && (await state(ids.payTokens)) === ProposalState.Executed);

    expect((await client.getBalance({ address: erin.account.address })) - erinBefore).toBe(parseEther("1.5"));
    expect(treasuryBefore - (await client.getBalance({ address: treasury }))).toBe(parseEther("1.5"));
    expect((await dao.token.read.balanceOf([carol.account.address])) - carolBefore).toBe(parseEther("1000"));

    // A few more polls change nothing.
    for (let i = 0; i < 3; i++) await executor.tick();
    expect(await state(ids.defeated)).toBe(ProposalState.Defeated);
    expect(await state(ids.canceled)).toBe(ProposalState.Canceled);
    const journal = executor.journal;
    expect(journal.txsFor(ids.defeated.toString())).toEqual([]);
    expect(journal.txsFor(ids.canceled.toString())).toEqual([]);
    const actions = journal.allTxs().map((t) => `${t.action}:${t.proposalId}:${t.status}`).sort();
    expect(actions).toEqual(
      [`queue:${ids.payEth}:confirmed`, `queue:${ids.payTokens}:confirmed`, `execute:${ids.payEth}:confirmed`, `execute:${ids.payTokens}:confirmed`].sort(),
    );
    // One queue and one execute each: the executor's nonce moved by exactly four.
    expect(await client.getTransactionCount({ address: devAccount(9).address })).toBe(4);
    expect(journal.openProposals()).toEqual([]);

    const metrics = await executor.metrics.registry.metrics();
    expect(metrics).toMatch(/executor_proposals_seen_total 4/);
    expect(metrics).toMatch(/executor_proposals_queued_total 2/);
    expect(metrics).toMatch(/executor_proposals_executed_total 2/);
  });

  it("refuses an execute whose simulation reverts, says why, and sends no execute transaction", async () => {
    const { carol } = dao.accounts;
    const client = clientOf(connection);
    const executor = makeExecutor(dao, connection, { accountIndex: 9 });
    const executorAddress = devAccount(9).address;
    const token = dao.deployment.contracts.token;
    const tooMuch = parseEther("10000000");
    const proposal = {
      targets: [token],
      values: [0n],
      calldatas: [erc20Transfer(token, carol.account.address, tooMuch)],
      description: "Pay carol more DEMO than the treasury holds",
    };
    const id = await proposeAndVote(dao, connection, proposal);
    await executor.tickUntil(async () => (await state(id)) === ProposalState.Queued);
    await mineToEta(id);
    const nonceBefore = await client.getTransactionCount({ address: executorAddress });
    for (let i = 0; i < 5; i++) await executor.tick();

    expect(await state(id)).toBe(ProposalState.Queued);
    // The only transaction sent after the refusal is the guard decision, once, despite five polls.
    expect(await client.getTransactionCount({ address: executorAddress })).toBe(nonceBefore + 1);
    const executes = executor.journal.txsFor(id.toString()).filter((t) => t.action === "execute");
    expect(executes).toEqual([]);

    const events = await decisionsOf(client, dao.deployment.contracts.decisionLog, id, DecisionKind.ExecutionGuard);
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event.args.actor).toBe(executorAddress);
    expect(keccak256(event.args.report)).toBe(event.args.reportHash);
    const guard = executor.journal.allGuards().find((g) => g.proposalId === id.toString())!;
    // The journal's canonical JSON, compressed on chain as the encoding says.
    expect(event.args.encoding).toBe(ReportEncoding.DeflateRawDictionary1);
    expect(decodeReport(event.args.encoding, event.args.report)).toBe(guard.reportJson);
    expect(keccak256(event.args.report)).toBe(guard.reportHash);
    const report = JSON.parse(decodeReport(event.args.encoding, event.args.report));
    expect(report).toMatchObject({ kind: "execution-guard", action: "execute", decision: "refuse", reason: "simulation-revert", proposalId: id.toString() });
    expect(report.evidence.revert.name).toBe("ERC20InsufficientBalance");
    expect(report.evidence.revert.args).toEqual([dao.deployment.contracts.timelock, parseEther("399000").toString(), tooMuch.toString()]);
    // The simulation is the Governor's own answer: its error, with the arguments by name.
    expect(report.evidence.onChain).toMatchObject({
      call: "execute",
      reverts: true,
      error: "ERC20InsufficientBalance",
      args: { sender: dao.deployment.contracts.timelock, balance: parseEther("399000").toString(), needed: tooMuch.toString() },
    });
    expect(await executor.metrics.registry.metrics()).toMatch(/executor_guard_refusals_total\{reason="simulation-revert"\} 1/);
  });

  it("re-sends a transaction that does not confirm in time with higher fees and the same nonce", async () => {
    const { erin } = dao.accounts;
    const client = clientOf(connection);
    const id = await proposeAndVote(dao, connection, ethTransfer(erin.account.address, parseEther("0.1"), "Pay erin 0.1 ETH (slow mempool)"));
    await dao.governor.write.queue([id], { account: dao.accounts.alice.account });
    await mineToEta(id);
    const executor = makeExecutor(dao, connection, { accountIndex: 9, txTimeoutMs: 1 });
    const nonce = await client.getTransactionCount({ address: devAccount(9).address });
    await connection.provider.request({ method: "evm_setAutomine", params: [false] });
    try {
      await executor.tick(); // sends the execute
      await new Promise((r) => setTimeout(r, 20));
      await executor.tick(); // not mined in time: replaced
      await connection.networkHelpers.mine();
      await executor.tick(); // settles
    } finally {
      await connection.provider.request({ method: "evm_setAutomine", params: [true] });
    }
    expect(await state(id)).toBe(ProposalState.Executed);
    const [tx] = executor.journal.txsFor(id.toString());
    expect(tx).toMatchObject({ action: "execute", status: "confirmed", nonce });
    const attempts = executor.journal.attempts(tx!.id);
    expect(attempts).toHaveLength(2);
    expect(BigInt(attempts[1]!.maxFeePerGas)).toBeGreaterThanOrEqual((BigInt(attempts[0]!.maxFeePerGas) * 125n) / 100n);
    expect(BigInt(attempts[1]!.maxPriorityFeePerGas)).toBeGreaterThanOrEqual((BigInt(attempts[0]!.maxPriorityFeePerGas) * 125n) / 100n);
    expect(tx!.minedHash).toBe(attempts[1]!.hash);
    expect(await client.getTransactionCount({ address: devAccount(9).address })).toBe(nonce + 1);
    expect(await executor.metrics.registry.metrics()).toMatch(/executor_transactions_replaced_total 1/);
  });
});
