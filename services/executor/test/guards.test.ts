import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

import { canonicalJson, decodeReport } from "@ai-dao/reports";
import { network } from "hardhat";
import {
  createPublicClient,
  custom,
  decodeAbiParameters,
  encodeAbiParameters,
  encodeFunctionData,
  getAbiItem,
  getAddress,
  keccak256,
  parseAbi,
  parseAbiParameters,
  parseEther,
  stringToBytes,
  toEventSelector,
  toHex,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DecisionKind, ProposalState } from "@ai-dao/protocol";
import { publishedReportBytes } from "@ai-dao/reports/node";
import { devAccount, ethTransfer, propose, type LocalDAO } from "@ai-dao/testkit";

import { clientOf, decisionsOf, makeExecutor, proposeAndVote, setupDAO, tempDir } from "./helpers.ts";

const connection = await network.create();
let dao: LocalDAO;
const pingAbi = parseAbi(["function ping() payable returns (uint256)", "function upgradeTo(address implementation)"]);

beforeAll(async () => {
  dao = await setupDAO(connection);
  await dao.accounts.deployer.sendTransaction({ to: dao.deployment.contracts.timelock, value: parseEther("10") });
});
afterAll(async () => {
  await connection.close();
});

const state = (id: bigint) => dao.governor.read.state([id]);
const executions = async (client: ReturnType<typeof clientOf>, id: bigint) =>
  (await client.getContractEvents({ address: dao.deployment.contracts.governor, abi: parseAbi(["event ProposalExecuted(uint256 proposalId)"]), eventName: "ProposalExecuted", fromBlock: 0n })).filter(
    (l) => l.args.proposalId === id,
  ).length;

/** A webhook receiver on a free port that records every JSON body. */
async function webhook() {
  const bodies: any[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    bodies.push(JSON.parse(text));
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, bodies, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("guards", () => {
  it("refuses a proposal whose ERC-1967 proxy target changed implementation after the vote", async () => {
    const { viem } = connection;
    const implV1 = await viem.deployContract("ExecUpgradeableImpl");
    const implV2 = await viem.deployContract("ExecUpgradeableImplV2");
    const proxy = await viem.deployContract("ERC1967Proxy", [implV1.address, encodeFunctionData({ abi: pingAbi, functionName: "ping" })]);
    const hook = await webhook();
    const executor = makeExecutor(dao, connection, { webhookUrl: hook.url });
    const proposal = {
      targets: [proxy.address],
      values: [0n],
      calldatas: [encodeFunctionData({ abi: pingAbi, functionName: "ping" })],
      description: "Ping the upgradeable service",
    };
    const id = await propose(dao, dao.accounts.alice.account.address, proposal);
    await executor.tick(); // pins the proxy, its implementation and that implementation's code
    const pin = (executor.journal.getProposal(id.toString())!.pins as any[])[0];
    expect(pin.implementation).toBe(getAddress(implV1.address));

    const { voteOn } = await import("./helpers.ts");
    await voteOn(dao, connection, id);
    // After the vote, before the queue: the implementation is switched.
    await dao.accounts.carol.writeContract({ address: proxy.address, abi: pingAbi, functionName: "upgradeTo", args: [implV2.address] });

    for (let i = 0; i < 4; i++) await executor.tick();
    await executor.alerter.flush();
    expect(await state(id)).toBe(ProposalState.Succeeded); // never queued

    const client = clientOf(connection);
    const events = await decisionsOf(client, dao.deployment.contracts.decisionLog, id, DecisionKind.ExecutionGuard);
    expect(events).toHaveLength(1);
    const { report: bytes, encoding, reportHash, actor, risk, recommendation } = events[0]!.args;
    expect(actor).toBe(devAccount(9).address);
    expect(keccak256(bytes)).toBe(reportHash);
    const json = decodeReport(encoding, bytes);
    const report = JSON.parse(json);
    // Exactly the canonical JSON of the report, compressed with the analyst's helper.
    expect(json).toBe(canonicalJson(report));
    expect(reportHash).toBe(publishedReportBytes(report).reportHash);
    expect(risk).toBe(100);
    expect(recommendation).toBe(1); // Against
    expect(report).toMatchObject({ action: "queue", decision: "refuse", reason: "code-drift" });
    const changes = report.evidence.changes as { field: string; pinned: string; current: string }[];
    expect(changes).toContainEqual({ address: getAddress(proxy.address), field: "implementation", pinned: getAddress(implV1.address), current: getAddress(implV2.address) });
    const implCode = changes.find((c) => c.field === "implementationCodeHash")!;
    expect(implCode.pinned).toBe(keccak256((await client.getCode({ address: implV1.address }))!));
    expect(implCode.current).toBe(keccak256((await client.getCode({ address: implV2.address }))!));

    // The webhook got the alert once, with the same report hash.
    expect(hook.bodies).toHaveLength(1);
    expect(hook.bodies[0]).toMatchObject({ type: "execution-guard", reportHash, guardian: dao.deployment.parameters.governor.proposalGuardian });
    await hook.close();
  });

  it("holds a proposal when the node serves an analysis other than the one the DecisionLog stored", async () => {
    const { analyst, erin } = dao.accounts;
    const id = await proposeAndVote(dao, connection, ethTransfer(erin.account.address, parseEther("1"), "Pay erin 1 ETH (node swaps the analysis)"));
    const critical = publishedReportBytes({ schemaVersion: 1, proposal: { proposalId: id.toString() }, findings: [{ id: "treasury/drain", check: "treasury", severity: "critical", title: "Drain", detail: "", evidence: {} }], riskFloor: 90, scores: { risk: 92 }, recommendation: "against" });
    await dao.decisionLog.write.publish([id, DecisionKind.Analysis, 92, 1, critical.encoding, critical.reportHash, toHex(critical.bytes)], { account: analyst.account });

    // The node answers getLogs with a clean report, consistent with its own hash, at risk 5.
    const clean = publishedReportBytes({ schemaVersion: 1, proposal: { proposalId: id.toString() }, findings: [], riskFloor: 0, scores: { risk: 5 }, recommendation: "for" });
    const published = toEventSelector(getAbiItem({ abi: dao.decisionLog.abi, name: "DecisionPublished" }));
    const dataTypes = parseAbiParameters("uint256, uint8, uint8, uint8, bytes32, bytes");
    const lying = createPublicClient({
      transport: custom({
        request: async (args: { method: string; params?: unknown }) => {
          const result = await connection.provider.request(args as never);
          if (args.method !== "eth_getLogs") return result;
          return (result as { topics: Hex[]; data: Hex }[]).map((log) => {
            if (log.topics[0] !== published) return log;
            const [decisionId] = decodeAbiParameters(dataTypes, log.data);
            return { ...log, data: encodeAbiParameters(dataTypes, [decisionId, 5, 0, clean.encoding, clean.reportHash, toHex(clean.bytes)]) };
          });
        },
      }),
    }) as PublicClient;

    const executor = makeExecutor(dao, connection, { client: lying });
    for (let i = 0; i < 3; i++) await executor.tick();
    expect(await state(id)).toBe(ProposalState.Succeeded);
    const [guard] = await decisionsOf(clientOf(connection), dao.deployment.contracts.decisionLog, id, DecisionKind.ExecutionGuard);
    const report = JSON.parse(decodeReport(guard!.args.encoding, guard!.args.report));
    expect(report).toMatchObject({ action: "queue", decision: "hold", reason: "analysis-critical" });
    expect(report.evidence.findings).toEqual([{ id: "executor/report-risk-mismatch", title: "published analysis risk 5 is not the risk 92 the DecisionLog stored", severity: "critical" }]);
    executor.journal.close();
  });

  it("holds a proposal with a critical analysis finding until an operator override, and survives a dead webhook", async () => {
    const { analyst, erin } = dao.accounts;
    const client = clientOf(connection);
    const proposal = ethTransfer(erin.account.address, parseEther("2"), "Pay erin 2 ETH (flagged)");
    const id = await proposeAndVote(dao, connection, proposal);
    // The analyst publishes a report with a critical finding.
    const analysis = {
      schemaVersion: 1,
      proposal: { proposalId: id.toString() },
      findings: [
        { id: "treasury/drain", check: "treasury", severity: "critical", title: "Sends most of the treasury to one account", detail: "", evidence: {} },
        { id: "info/eth", check: "calls", severity: "info", title: "ETH transfer", detail: "", evidence: {} },
      ],
      riskFloor: 90,
      scores: { risk: 92 },
      recommendation: "against",
    };
    const published = publishedReportBytes(analysis);
    await dao.decisionLog.write.publish([id, DecisionKind.Analysis, 92, 1, published.encoding, published.reportHash, toHex(published.bytes)], { account: analyst.account });

    const dataDir = tempDir();
    // A webhook nobody listens on: alerts fail, the executor carries on.
    const held = makeExecutor(dao, connection, { dataDir, webhookUrl: "http://127.0.0.1:9/nobody" });
    for (let i = 0; i < 4; i++) await held.tick();
    await held.alerter.flush();
    expect(await state(id)).toBe(ProposalState.Succeeded);
    const events = await decisionsOf(client, dao.deployment.contracts.decisionLog, id, DecisionKind.ExecutionGuard);
    expect(events).toHaveLength(1);
    const report = JSON.parse(decodeReport(events[0]!.args.encoding, events[0]!.args.report));
    expect(report).toMatchObject({ action: "queue", decision: "hold", reason: "analysis-critical" });
    expect(report.evidence.findings).toEqual([{ id: "treasury/drain", title: "Sends most of the treasury to one account", severity: "critical" }]);
    expect(report.evidence.guardian).toBe(dao.deployment.parameters.governor.proposalGuardian);
    expect(events[0]!.args.recommendation).toBe(3); // NeedsReview
    expect(await held.metrics.registry.metrics()).toMatch(/executor_webhook_failures_total [1-9]/);
    held.journal.close();

    // The operator lifts the hold for this proposal (EXECUTOR_OVERRIDES); same journal.
    const overridden = makeExecutor(dao, connection, { dataDir, overrides: [id.toString()] });
    const before = await client.getBalance({ address: erin.account.address });
    await overridden.tickUntil(async () => (await state(id)) === ProposalState.Queued);
    await connection.networkHelpers.time.increaseTo(await dao.governor.read.proposalEta([id]));
    await overridden.tickUntil(async () => (await state(id)) === ProposalState.Executed);
    expect((await client.getBalance({ address: erin.account.address })) - before).toBe(parseEther("2"));
    // The hold was published once, not again by the second process.
    expect(await decisionsOf(client, dao.deployment.contracts.decisionLog, id, DecisionKind.ExecutionGuard)).toHaveLength(1);
  });

  it("in dry-run mode decides and logs but sends nothing", async () => {
    const { erin } = dao.accounts;
    const client = clientOf(connection);
    const id = await proposeAndVote(dao, connection, ethTransfer(erin.account.address, 1n, "Dry run"));
    const executor = makeExecutor(dao, connection, { dryRun: true, accountIndex: 5 });
    const nonce = await client.getTransactionCount({ address: devAccount(5).address });
    for (let i = 0; i < 3; i++) await executor.tick();
    expect(await state(id)).toBe(ProposalState.Succeeded);
    expect(await client.getTransactionCount({ address: devAccount(5).address })).toBe(nonce);
    expect(executor.journal.allTxs()).toEqual([]);
  });

  it("two instances racing on the same proposals: one execution each, no crash", async () => {
    const { dave } = dao.accounts;
    const client = clientOf(connection);
    const amount = parseEther("0.25");
    const idA = await proposeAndVote(dao, connection, ethTransfer(dave.account.address, amount, "Race A"));
    // Different keys (#9 and #6), and a third instance sharing #9's key with its own journal.
    const options = { publishGuards: false };
    const a = makeExecutor(dao, connection, { ...options, accountIndex: 9 });
    const b = makeExecutor(dao, connection, { ...options, accountIndex: 6 });
    const c = makeExecutor(dao, connection, { ...options, accountIndex: 9 });
    const before = await client.getBalance({ address: dave.account.address });

    await connection.provider.request({ method: "evm_setAutomine", params: [false] });
    try {
      // All three poll at once, every poll, with blocks mined in between.
      for (let i = 0; i < 4; i++) {
        await Promise.all([a.tick(), b.tick(), c.tick()]);
        await connection.networkHelpers.mine();
      }
      expect(await state(idA)).toBe(ProposalState.Queued);
      await connection.networkHelpers.time.increaseTo(await dao.governor.read.proposalEta([idA]));
      for (let i = 0; i < 4; i++) {
        await Promise.all([a.tick(), b.tick(), c.tick()]);
        await connection.networkHelpers.mine();
      }
    } finally {
      await connection.provider.request({ method: "evm_setAutomine", params: [true] });
    }
    expect(await state(idA)).toBe(ProposalState.Executed);
    expect(await executions(client, idA)).toBe(1);
    expect((await client.getBalance({ address: dave.account.address })) - before).toBe(amount);
    // Every instance settled all its transactions; one queue and one execute were mined successfully.
    for (const e of [a, b, c]) expect(e.journal.allTxs().filter((t) => t.status === "signed" || t.status === "sent")).toEqual([]);
    const txs = [a, b, c].flatMap((e) => e.journal.allTxs().filter((t) => t.proposalId === idA.toString()));
    const confirmed = (action: string) => new Set(txs.filter((t) => t.action === action && t.status === "confirmed").map((t) => t.minedHash));
    expect(confirmed("queue").size).toBe(1);
    expect(confirmed("execute").size).toBe(1);
  });

  it("an execute of ours that loses the race is settled as done by someone else", async () => {
    const { dave, alice } = dao.accounts;
    const client = clientOf(connection);
    const amount = parseEther("0.125");
    const executor = makeExecutor(dao, connection, { publishGuards: false, accountIndex: 9 });
    await executor.tick(); // catch up with older proposals (their guard decisions are only recorded)
    const proposal = ethTransfer(dave.account.address, amount, "Race B");
    const id = await proposeAndVote(dao, connection, proposal);
    await dao.governor.write.queue([id], { account: alice.account });
    await connection.networkHelpers.time.increaseTo(await dao.governor.read.proposalEta([id]));
    const before = await client.getBalance({ address: dave.account.address });

    await connection.provider.request({ method: "evm_setAutomine", params: [false] });
    try {
      await executor.tick(); // our execute waits in the mempool
      const ours = executor.journal.txsFor(id.toString()).find((t) => t.action === "execute");
      expect(ours?.status).toBe("sent");
      // Someone else executes the same proposal with a higher tip: mined first in the same block.
      const block = await client.getBlock();
      await dao.governor.write.execute([proposal.targets, proposal.values, proposal.calldatas, keccak256(stringToBytes(proposal.description))], {
        account: alice.account,
        gas: 500_000n, // no estimate: on top of our pending execute it would revert
        maxPriorityFeePerGas: parseEther("0.0001"),
        maxFeePerGas: block.baseFeePerGas! * 2n + parseEther("0.0001"),
      });
      await connection.networkHelpers.mine();
      await executor.tick();
      await executor.tick();
    } finally {
      await connection.provider.request({ method: "evm_setAutomine", params: [true] });
    }
    expect(await executions(client, id)).toBe(1);
    expect((await client.getBalance({ address: dave.account.address })) - before).toBe(amount);
    const [tx] = executor.journal.txsFor(id.toString()).filter((t) => t.action === "execute");
    expect(tx?.status).toBe("reverted");
    const metrics = await executor.metrics.registry.metrics();
    expect(metrics).toMatch(/executor_steps_done_by_others_total\{action="execute"\} 1/);
    expect(executor.journal.openProposals().map((p) => p.proposalId)).not.toContain(id.toString());
  });
});
