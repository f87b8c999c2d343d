// The Governor now refuses on chain what the executor refuses off chain: a target whose code changed
// since the proposal was created can be neither queued nor executed (`GovernorTargetCodeChanged`),
// and the timelock runs nothing but the Governor's `execute`. The executor's refusals cite the
// chain's own answer; its waits follow the delay the proposal's risk earned.
import { Writable } from "node:stream";

import { governorAbi, DecisionKind, ProposalState, timelockAbi } from "@ai-dao/protocol";
import { decodeReport } from "@ai-dao/reports";
import { network } from "hardhat";
import { pino } from "pino";
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  custom,
  encodeFunctionData,
  getAddress,
  keccak256,
  parseAbi,
  parseEther,
  toHex,
  zeroHash,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { descriptionHash, devAccount, ethTransfer, propose, timelockSalt, type LocalDAO, type Proposal } from "@ai-dao/testkit";

import { cleanAnalysis, clientOf, decisionsOf, makeExecutor, proposeAndVote, publishAnalysis, setupDAO, voteOn } from "./helpers.ts";

const connection = await network.create();
let dao: LocalDAO;
const pingAbi = parseAbi(["function ping() payable returns (uint256)"]);

beforeAll(async () => {
  dao = await setupDAO(connection);
  await dao.accounts.deployer.sendTransaction({ to: dao.deployment.contracts.timelock, value: parseEther("10") });
});
afterAll(async () => {
  await connection.close();
});

const state = (id: bigint) => dao.governor.read.state([id]);
const callArgs = (p: Proposal) => [p.targets, p.values, p.calldatas, descriptionHash(p)] as const;

async function guardReports(id: bigint) {
  const events = await decisionsOf(clientOf(connection), dao.deployment.contracts.decisionLog, id, DecisionKind.ExecutionGuard);
  return events.map((e) => JSON.parse(decodeReport(e.args.encoding, e.args.report)));
}

/** The custom error a viem call failed with (name and arguments), or throws when it did not revert. */
async function revertOf(call: Promise<unknown>): Promise<{ errorName: string; args: readonly unknown[] }> {
  try {
    await call;
  } catch (error) {
    const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
    if (!(reverted instanceof ContractFunctionRevertedError) || reverted.data === undefined) throw error;
    return { errorName: reverted.data.errorName, args: reverted.data.args ?? [] };
  }
  throw new Error("the call did not revert");
}

/** `queue` / `execute` of the proposal from an account that is neither proposer nor executor: simulated, then sent. */
function strangerCalls(functionName: "queue" | "execute", p: Proposal): (() => Promise<unknown>)[] {
  const request = { address: dao.deployment.contracts.governor, abi: governorAbi, functionName, args: callArgs(p) } as const;
  const { dave } = dao.accounts;
  return [() => clientOf(connection).simulateContract({ ...request, account: dave.account.address }), () => dave.writeContract(request)];
}

describe("risk delay", () => {
  it("waits for the eta of a high-risk proposal without counting it as an error, then executes", async () => {
    const { erin } = dao.accounts;
    const client = clientOf(connection);
    const proposal = ethTransfer(erin.account.address, parseEther("0.5"), "Pay erin 0.5 ETH (risky but clean)");
    const id = await proposeAndVote(dao, connection, proposal, 1, { analysed: false });
    await publishAnalysis(dao, id, cleanAnalysis(id, { riskFloor: 75, scores: { risk: 75 } }), 75);
    let logged = "";
    const logger = pino({ level: "info" }, new Writable({ write: (chunk, _enc, done) => ((logged += chunk), done()) }));
    const executor = makeExecutor(dao, connection, { logger });
    await executor.tickUntil(async () => (await state(id)) === ProposalState.Queued);

    // The delay comes from the analysis's risk (here the top tier), not from the timelock's minimum.
    const [tiers, minDelay, riskDelay, eta] = await Promise.all([
      dao.governor.read.riskTiers(),
      dao.timelock.read.getMinDelay(),
      dao.governor.read.proposalRiskDelay([id]),
      dao.governor.read.proposalEta([id]),
    ]);
    const top = tiers.at(-1)!;
    expect(riskDelay).toMatchObject({ analysed: true, risk: 75, tier: tiers.length, delay: top.delay, queued: true });
    expect(BigInt(top.delay)).toBeGreaterThan(minDelay);
    const [queued] = await client.getContractEvents({ address: dao.deployment.contracts.governor, abi: governorAbi, eventName: "ProposalRiskDelay", args: { proposalId: id }, fromBlock: 0n });
    const queuedAt = (await client.getBlock({ blockNumber: queued!.blockNumber })).timestamp;
    expect(eta - queuedAt).toBe(BigInt(top.delay));

    // Polls before the eta: nothing sent, nothing refused, no error.
    await connection.networkHelpers.time.increaseTo(eta - 5n);
    const before = executor.journal.allTxs().length;
    for (let i = 0; i < 3; i++) await executor.tick();
    expect(executor.journal.allTxs()).toHaveLength(before);
    expect(await state(id)).toBe(ProposalState.Queued);
    const waiting = logged.split("\n").filter((l) => l.includes("queued; executable once its eta passes"));
    expect(waiting).toHaveLength(1); // said once, not on every poll
    expect(JSON.parse(waiting[0]!)).toMatchObject({ level: 30, proposalId: id.toString(), eta: eta.toString(), riskDelay: { delay: top.delay, tier: tiers.length, risk: 75, analysed: true } });
    expect(logged).not.toMatch(/"level":(40|50)/);
    const metrics = await executor.metrics.registry.metrics();
    expect(metrics).toMatch(/executor_proposal_errors_total 0/);
    expect(metrics).not.toMatch(/executor_guard_refusals_total\{/);

    const balance = await client.getBalance({ address: erin.account.address });
    await connection.networkHelpers.time.increaseTo(eta);
    await executor.tickUntil(async () => (await state(id)) === ProposalState.Executed);
    expect((await client.getBalance({ address: erin.account.address })) - balance).toBe(parseEther("0.5"));
    executor.journal.close();
  });
});

describe("on-chain code pins", () => {
  it("a target whose code is replaced after queueing: the executor refuses citing GovernorTargetCodeChanged, and anyone's execute reverts with it", async () => {
    const { viem } = connection;
    const client = clientOf(connection);
    const v1 = await viem.deployContract("ExecMutableTargetV1");
    const v2 = await viem.deployContract("ExecMutableTargetV2");
    const target = getAddress(v1.address);
    const proposal: Proposal = { targets: [target], values: [0n], calldatas: [encodeFunctionData({ abi: pingAbi, functionName: "ping" })], description: "Ping the helper" };
    const id = await proposeAndVote(dao, connection, proposal);
    const v1Code = (await client.getCode({ address: target }))!;
    expect(await dao.governor.read.proposalCodePins([id, 1n])).toEqual([keccak256(v1Code)]);

    const executor = makeExecutor(dao, connection);
    await executor.tickUntil(async () => (await state(id)) === ProposalState.Queued);
    // After queueing, the target's code is replaced (what a metamorphic contract or an EIP-7702
    // delegation can do), and the delay the proposal earned passes.
    const v2Code = (await client.getCode({ address: v2.address }))!;
    await connection.networkHelpers.setCode(target, v2Code);
    await connection.networkHelpers.time.increaseTo(await dao.governor.read.proposalEta([id]));
    for (let i = 0; i < 4; i++) await executor.tick();
    expect(await state(id)).toBe(ProposalState.Queued);
    expect(executor.journal.txsFor(id.toString()).filter((t) => t.action === "execute")).toEqual([]);

    const reports = await guardReports(id);
    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(report).toMatchObject({ action: "execute", decision: "refuse", reason: "code-drift" });
    expect(report.evidence.changes).toContainEqual({ address: target, field: "codeHash", pinned: keccak256(v1Code), current: keccak256(v2Code) });
    // The chain's own answer to the same execute, decoded with the DAO's errors.
    const pinned = { proposalId: id.toString(), target, pinned: keccak256(v1Code), current: keccak256(v2Code) };
    expect(report.evidence.onChain).toMatchObject({ call: "execute", reverts: true, error: "GovernorTargetCodeChanged", args: pinned, from: devAccount(9).address });
    expect(report.summary).toContain(`the Governor refuses it too: the code of ${target} changed (pinned ${keccak256(v1Code)}, now ${keccak256(v2Code)})`);

    // Anybody may call the Governor's execute; it reverts with the same error, simulated or sent.
    for (const call of strangerCalls("execute", proposal)) {
      expect(await revertOf(call())).toEqual({ errorName: "GovernorTargetCodeChanged", args: [id, target, keccak256(v1Code), keccak256(v2Code)] });
    }
    // The timelock runs nothing but the Governor's execute: calling it directly is refused.
    const timelockCall = client.simulateContract({
      account: dao.accounts.dave.account.address,
      address: dao.deployment.contracts.timelock,
      abi: timelockAbi,
      functionName: "executeBatch",
      args: [proposal.targets, proposal.values, proposal.calldatas, zeroHash, timelockSalt(dao.deployment.contracts.governor, descriptionHash(proposal))],
    });
    expect((await revertOf(timelockCall)).errorName).toBe("AccessControlUnauthorizedAccount");
    expect(await state(id)).toBe(ProposalState.Queued);
    executor.journal.close();
  });

  it("an address empty at propose that gets code after the vote: the Governor refuses to queue, and the executor says so when its own pins missed it", async () => {
    const { viem } = connection;
    const target = getAddress(keccak256(toHex("empty when proposed")).slice(0, 42)) as Address;
    const proposal = ethTransfer(target, 0n, "Send nothing to an empty address");
    const id = await proposeAndVote(dao, connection, proposal);
    expect(await dao.governor.read.proposalCodePins([id, 1n])).toEqual([zeroHash]);
    const v2 = await viem.deployContract("ExecMutableTargetV2");
    const code = (await clientOf(connection).getCode({ address: v2.address }))!;
    await connection.networkHelpers.setCode(target, code);

    // A node without historical state: the executor, seeing the proposal only now, pins what is
    // there now, and its own code check finds nothing. The Governor pinned at creation.
    const noHistory = createPublicClient({
      transport: custom({
        request: async (args: { method: string; params?: unknown[] }) => {
          const historical = (args.method === "eth_getCode" || args.method === "eth_getStorageAt") && args.params?.at(-1) !== "latest";
          if (historical) throw Object.assign(new Error("missing trie node"), { code: -32000 });
          return connection.provider.request(args as never);
        },
      }),
    }) as PublicClient;
    const executor = makeExecutor(dao, connection, { client: noHistory });
    await executor.tickUntil(async () => (await guardReports(id)).length > 0, 20);
    expect(await state(id)).toBe(ProposalState.Succeeded);
    expect((executor.journal.getProposal(id.toString())!.pins as { codeHash: Hex | null }[])[0]!.codeHash).toBe(keccak256(code));

    const [report] = await guardReports(id);
    expect(report).toMatchObject({ action: "queue", decision: "refuse", reason: "code-drift" });
    expect(report.summary).toBe(`the Governor itself refuses to queue: the code of target ${target} changed since the proposal was created (pinned no code, now ${keccak256(code)})`);
    expect(report.evidence.changes).toEqual([{ address: target, field: "codeHash", pinned: null, current: keccak256(code) }]);
    expect(report.evidence.revert).toMatchObject({ kind: "custom", name: "GovernorTargetCodeChanged" });
    expect(report.evidence.onChain).toMatchObject({ call: "queue", reverts: true, error: "GovernorTargetCodeChanged", args: { proposalId: id.toString(), target, pinned: zeroHash, current: keccak256(code) } });
    expect(await executor.metrics.registry.metrics()).toMatch(/executor_guard_refusals_total\{reason="code-drift"\} [1-9]/);

    for (const call of strangerCalls("queue", proposal)) {
      expect(await revertOf(call())).toEqual({ errorName: "GovernorTargetCodeChanged", args: [id, target, zeroHash, keccak256(code)] });
    }
    executor.journal.close();
  });

  it("a proxy whose implementation changed is not caught on chain: the executor's refusal says the Governor would accept it", async () => {
    const { viem } = connection;
    const upgradeAbi = parseAbi(["function ping() payable returns (uint256)", "function upgradeTo(address implementation)"]);
    const implV1 = await viem.deployContract("ExecUpgradeableImpl");
    const implV2 = await viem.deployContract("ExecUpgradeableImplV2");
    const proxy = await viem.deployContract("ERC1967Proxy", [implV1.address, encodeFunctionData({ abi: upgradeAbi, functionName: "ping" })]);
    const proposal: Proposal = { targets: [proxy.address], values: [0n], calldatas: [encodeFunctionData({ abi: upgradeAbi, functionName: "ping" })], description: "Ping the proxy" };
    const id = await propose(dao, dao.accounts.alice.account.address, proposal);
    await publishAnalysis(dao, id);
    const executor = makeExecutor(dao, connection);
    await executor.tick(); // pins the proxy and its implementation
    await voteOn(dao, connection, id);
    await dao.accounts.carol.writeContract({ address: proxy.address, abi: upgradeAbi, functionName: "upgradeTo", args: [implV2.address] });
    await executor.tickUntil(async () => (await guardReports(id)).length > 0, 20);
    const [report] = await guardReports(id);
    expect(report).toMatchObject({ action: "queue", decision: "refuse", reason: "code-drift", evidence: { onChain: { call: "queue", reverts: false } } });
    expect(report.summary).toMatch(/on chain the queue would go through: anyone may still send it$/);
    expect(await state(id)).toBe(ProposalState.Succeeded);
    executor.journal.close();
  });
});
