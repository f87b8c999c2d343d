// The executor on DAOs the platform did not deploy, attached with `attachDAO` (ignition/attach.ts) on a
// real in-process chain: an OpenZeppelin 4.9 Governor with a block-number clock, an OpenZeppelin 5
// Governor without GovernorStorage, and Uniswap's GovernorAlpha with its Compound Timelock (from the
// artifacts `@uniswap/governance` ships). On each, two proposals pass: an honest grant of 1 ETH, which
// the executor queues and executes through the DAO's own Governor, and a call to an address that was
// empty when it was proposed and has code by the time it passed, which the executor refuses and
// publishes to the DecisionLog attach deployed. None of these Governors pins code on chain: the
// executor's own pins are what stops it.
import { canonicalJson, decodeReport } from "@ai-dao/reports";
import { network } from "hardhat";
import { pino } from "pino";
import type { NetworkConnection } from "hardhat/types/network";
import { encodeFunctionData, getAddress, keccak256, parseAbi, parseEther, stringToBytes, stringToHex, toHex, type Address, type Hex, type PublicClient } from "viem";
import { afterAll, describe, expect, it } from "vitest";

import type { Deployment } from "@ai-dao/deployment";
import { decisionLogAbi, DecisionKind, ProposalState, Recommendation, ReportEncoding } from "@ai-dao/protocol";
import { deployGovernorAlphaDAO, deployOpenZeppelin4DAO, deployOpenZeppelin5DAO } from "@ai-dao/testkit";
import { devAccount } from "@ai-dao/testkit/accounts";

import { attachDAO } from "../../../ignition/attach.ts";
import { Executor } from "../src/executor.ts";
import { Journal } from "../src/store.ts";
import { cleanAnalysis, clientOf, decisionsOf, tempDir } from "./helpers.ts";

const GRANT = parseEther("1");
const pingAbi = parseAbi(["function ping() payable returns (uint256)"]);

const connections: NetworkConnection[] = [];

/** A logger that keeps what the executor says, to check it. */
function recordingLogger() {
  const lines: { level: number; msg: string; [key: string]: unknown }[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}
afterAll(async () => {
  for (const connection of connections) await connection.close().catch(() => undefined);
});

/** One proposal; `signatures` only for Compound Governors, whose `calldatas` are then the arguments without a selector. */
interface Actions {
  targets: Address[];
  values: bigint[];
  calldatas: Hex[];
  signatures?: string[];
  description: string;
}

/** A foreign DAO of one flavour, driven the way its members would drive it. */
interface ForeignDAO {
  connection: NetworkConnection;
  governor: Address;
  timelock: Address;
  dave: Address;
  compound: boolean;
  /** Proposes from `who` and returns the id the Governor gave the proposal. */
  propose(who: "alice" | "bob", actions: Actions): Promise<bigint>;
  /** Opens voting, alice and bob vote For every proposal, and voting ends. */
  passVotes(ids: bigint[]): Promise<void>;
  /** Moves time past the timelock delay of a proposal queued now. */
  passDelay(): Promise<unknown>;
  state(id: bigint): Promise<number>;
}

/** What the run of one DAO left behind, for the assertions. */
interface Outcome {
  dao: ForeignDAO;
  deployment: Deployment;
  client: PublicClient;
  executor: Executor;
  grantId: bigint;
  driftId: bigint;
  helper: Address;
  helperCode: Hex;
  balances: { dave: [bigint, bigint]; timelock: [bigint, bigint] };
  logs: ReturnType<typeof recordingLogger>["lines"];
}

/**
 * Attaches to `dao` with the executor's key (account #9) and an analyst (account #5) as publishers,
 * proposes the grant (bob) and the drift (alice), lets the executor find them, publishes a clean
 * analysis of each, votes both through, puts code at the drift's target, and polls until the grant
 * is executed and the refusal published.
 */
async function run(dao: ForeignDAO): Promise<Outcome> {
  const { connection } = dao;
  const { viem } = connection;
  const client = clientOf(connection);
  const wallets = await viem.getWalletClients();
  const deployer = wallets[0]!;
  const analyst = wallets[5]!;
  const account = devAccount(9);
  await client.waitForTransactionReceipt({ hash: await deployer.sendTransaction({ to: dao.timelock, value: parseEther("10") }) });

  // A CREATE2 address with no code yet: what the drift proposal calls.
  const factory = await viem.deployContract("ExecCreate2Factory");
  const target = await viem.deployContract("ExecMutableTargetV1");
  const salt = keccak256(toHex("treasury helper"));
  const helper = getAddress(await factory.read.addressOf([salt]));
  expect(await client.getCode({ address: helper })).toBeUndefined();

  const { deployment } = await attachDAO(connection, { governor: dao.governor, publishers: [analyst.account.address, account.address] });
  expect(deployment.attached).toBeDefined();
  const { logger, lines } = recordingLogger();
  const executor = new Executor({ client, account, deployment, journal: Journal.open(tempDir("executor-attached-")), logger });

  const grantId = await dao.propose("bob", {
    targets: [dao.dave],
    values: [GRANT],
    calldatas: ["0x"],
    ...(dao.compound ? { signatures: [""] } : {}),
    description: `# Documentation grant\n\nPays 1 ETH to ${dao.dave} for the documentation rewrite.`,
  });
  const driftId = await dao.propose(
    "alice",
    dao.compound
      ? { targets: [helper], values: [0n], signatures: ["ping()"], calldatas: ["0x"], description: "# Ping the treasury helper" }
      : { targets: [helper], values: [0n], calldatas: [encodeFunctionData({ abi: pingAbi, functionName: "ping" })], description: "# Ping the treasury helper" },
  );
  await executor.tick();
  expect(executor.journal.allProposals().map((p) => p.proposalId).sort()).toEqual([grantId, driftId].map(String).sort());
  // Pinned at the proposal's creation block: no code at the helper.
  expect(executor.journal.getProposal(driftId.toString())!.pins).toMatchObject([{ address: helper, codeHash: null }]);

  for (const id of [grantId, driftId]) {
    const json = canonicalJson(cleanAnalysis(id));
    await analyst.writeContract({
      address: deployment.contracts.decisionLog,
      abi: decisionLogAbi,
      functionName: "publish",
      args: [id, DecisionKind.Analysis, 10, Recommendation.For, ReportEncoding.Json, keccak256(stringToBytes(json)), toHex(json)],
    });
  }
  await dao.passVotes([grantId, driftId]);
  expect(await dao.state(grantId)).toBe(ProposalState.Succeeded);
  expect(await dao.state(driftId)).toBe(ProposalState.Succeeded);

  // After the vote, code appears at the address the drift proposal calls.
  await factory.write.deploy([salt, target.address]);
  const helperCode = (await client.getCode({ address: helper }))!;
  expect(helperCode).toBe(await client.getCode({ address: target.address }));

  const before = { dave: await client.getBalance({ address: dao.dave }), timelock: await client.getBalance({ address: dao.timelock }) };
  const refusals = () => decisionsOf(client, deployment.contracts.decisionLog, driftId, DecisionKind.ExecutionGuard);
  await executor.tickUntil(async () => (await dao.state(grantId)) === ProposalState.Queued && (await refusals()).length > 0, 10);
  // Before the eta nothing is executed.
  await executor.tick();
  expect(await dao.state(grantId)).toBe(ProposalState.Queued);
  await dao.passDelay();
  await executor.tickUntil(async () => (await dao.state(grantId)) === ProposalState.Executed, 10);
  for (let i = 0; i < 3; i++) await executor.tick();
  const after = { dave: await client.getBalance({ address: dao.dave }), timelock: await client.getBalance({ address: dao.timelock }) };
  return {
    dao,
    deployment,
    client,
    executor,
    grantId,
    driftId,
    helper,
    helperCode,
    balances: { dave: [before.dave, after.dave], timelock: [before.timelock, after.timelock] },
    logs: lines,
  };
}

/** The grant was executed through the Governor by the executor, once; the drift was refused, published once, never queued. */
async function expectOutcome(o: Outcome) {
  const { client, executor, dao } = o;
  expect(await dao.state(o.grantId)).toBe(ProposalState.Executed);
  expect(o.balances.dave[1] - o.balances.dave[0]).toBe(GRANT);
  const sent = executor.journal.txsFor(o.grantId.toString());
  expect(sent.map((t) => [t.action, t.status])).toEqual([
    ["queue", "confirmed"],
    ["execute", "confirmed"],
  ]);
  for (const tx of sent) expect(tx.to).toBe(getAddress(dao.governor));

  // Refused before queueing: the Governor would have let it through.
  expect(await dao.state(o.driftId)).toBe(ProposalState.Succeeded);
  expect(executor.journal.txsFor(o.driftId.toString()).filter((t) => t.action !== "publish")).toEqual([]);
  const events = await decisionsOf(client, o.deployment.contracts.decisionLog, o.driftId, DecisionKind.ExecutionGuard);
  expect(events).toHaveLength(1);
  const { report: bytes, encoding, reportHash, actor, risk, recommendation } = events[0]!.args;
  expect(actor).toBe(executor.address);
  expect(keccak256(bytes)).toBe(reportHash);
  expect(risk).toBe(100);
  expect(recommendation).toBe(Recommendation.Against);
  const report = JSON.parse(decodeReport(encoding, bytes));
  expect(report).toMatchObject({ kind: "execution-guard", action: "queue", decision: "refuse", reason: "code-drift", governor: getAddress(dao.governor), proposalId: o.driftId.toString() });
  expect(report.evidence.changes).toEqual([{ address: o.helper, field: "codeHash", pinned: null, current: keccak256(o.helperCode) }]);
  expect(report.evidence.onChain).toMatchObject({ call: "queue", reverts: false });
  expect(report.summary).toContain("anyone may still send it");
  // Nothing went wrong along the way.
  expect(o.logs.filter((l) => l.level >= 50)).toEqual([]);
}

describe("an OpenZeppelin 4.9 Governor with a block-number clock", () => {
  let o: Outcome;

  it("queues and executes the grant through the full actions, and refuses the drift", async () => {
    const connection = await network.create();
    connections.push(connection);
    const d = await deployOpenZeppelin4DAO(connection);
    const { alice, bob, dave } = d.accounts;
    o = await run({
      connection,
      governor: d.governor.address,
      timelock: d.timelock.address,
      dave: dave.account.address,
      compound: false,
      async propose(who, p) {
        await d.governor.write.propose([p.targets, p.values, p.calldatas, p.description], { account: (who === "alice" ? alice : bob).account });
        return d.governor.read.hashProposal([p.targets, p.values, p.calldatas, keccak256(stringToHex(p.description))]);
      },
      async passVotes(ids) {
        // Voting delay 1 block, voting period 50 blocks.
        await connection.networkHelpers.mine(2);
        for (const id of ids) {
          await d.governor.write.castVote([id, 1], { account: alice.account });
          await d.governor.write.castVote([id, 1], { account: bob.account });
        }
        await connection.networkHelpers.mine(51);
      },
      passDelay: () => connection.networkHelpers.time.increase(3_601),
      state: (id) => d.governor.read.state([id]),
    });
    expect(o.deployment.attached).toMatchObject({ flavour: "openzeppelin-4", clockMode: "mode=blocknumber&from=default" });
    expect(o.deployment.attached!.capabilities).toMatchObject({ queueById: false, executeById: false, proposalNeedsQueuing: false, codePins: false });
  });

  it("moved exactly the grant out of the treasury and refused and published the drift", async () => {
    await expectOutcome(o);
    expect(o.balances.timelock[0] - o.balances.timelock[1]).toBe(GRANT);
  });
});

describe("an OpenZeppelin 5 Governor without GovernorStorage", () => {
  let o: Outcome;

  it("queues and executes the grant through the full actions, and refuses the drift", async () => {
    const connection = await network.create();
    connections.push(connection);
    const d = await deployOpenZeppelin5DAO(connection);
    const { alice, bob, dave } = d.accounts;
    const { time } = connection.networkHelpers;
    o = await run({
      connection,
      governor: d.governor.address,
      timelock: d.timelock.address,
      dave: dave.account.address,
      compound: false,
      async propose(who, p) {
        await d.governor.write.propose([p.targets, p.values, p.calldatas, p.description], { account: (who === "alice" ? alice : bob).account });
        return d.governor.read.hashProposal([p.targets, p.values, p.calldatas, keccak256(stringToHex(p.description))]);
      },
      async passVotes(ids) {
        await time.increaseTo((await d.governor.read.proposalSnapshot([ids[0]!])) + 1n);
        for (const id of ids) {
          await d.governor.write.castVote([id, 1], { account: alice.account });
          await d.governor.write.castVote([id, 1], { account: bob.account });
        }
        const deadlines = await Promise.all(ids.map((id) => d.governor.read.proposalDeadline([id])));
        await time.increaseTo(deadlines.reduce((a, b) => (a > b ? a : b)) + 1n);
      },
      passDelay: () => time.increase(601),
      state: (id) => d.governor.read.state([id]),
    });
    expect(o.deployment.attached).toMatchObject({ flavour: "openzeppelin-5", timelockKind: "timelock-controller" });
    expect(o.deployment.attached!.capabilities).toMatchObject({ proposalDetails: false, queueById: false, executeById: false, riskTiers: false, codePins: false });
  });

  it("moved exactly the grant out of the treasury and refused and published the drift", async () => {
    await expectOutcome(o);
    expect(o.balances.timelock[0] - o.balances.timelock[1]).toBe(GRANT);
  });
});

describe("Uniswap's GovernorAlpha with its Compound Timelock", () => {
  let o: Outcome;
  let alpha: Awaited<ReturnType<typeof deployGovernorAlphaDAO>>;

  it("queues and executes the grant by id, and refuses the drift", async () => {
    const connection = await network.create();
    connections.push(connection);
    const d = await deployGovernorAlphaDAO(connection);
    alpha = d;
    const { alice, bob, dave } = d.accounts;
    o = await run({
      connection,
      governor: d.governor,
      timelock: d.timelock,
      dave: dave.account.address,
      compound: true,
      async propose(who, p) {
        await d.write(who === "alice" ? alice : bob, d.governor, "GovernorAlpha", "propose", [p.targets, p.values, p.signatures, p.calldatas, p.description]);
        return (await d.read(d.governor, "GovernorAlpha", "proposalCount")) as bigint;
      },
      async passVotes(ids) {
        await connection.networkHelpers.mine(2);
        for (const id of ids) {
          await d.write(alice, d.governor, "GovernorAlpha", "castVote", [id, true]);
          await d.write(bob, d.governor, "GovernorAlpha", "castVote", [id, true]);
        }
        await connection.networkHelpers.mine(Number(await d.read(d.governor, "GovernorAlpha", "votingPeriod")));
      },
      passDelay: () => connection.networkHelpers.time.increase(2 * 86_400 + 1),
      state: async (id) => Number(await d.read(d.governor, "GovernorAlpha", "state", [id])),
    });
    expect(o.deployment.attached).toMatchObject({ flavour: "compound-alpha", timelockKind: "compound-timelock" });
    // Compound numbers its proposals.
    expect([o.grantId, o.driftId]).toEqual([1n, 2n]);
  });

  it("sent the grant's value with execute (GovernorAlpha pays the actions from what it is sent) and refused and published the drift", async () => {
    await expectOutcome(o);
    const execute = o.executor.journal.txsFor(o.grantId.toString()).find((t) => t.action === "execute")!;
    expect(execute.value).toBe(GRANT.toString());
    const tx = await o.client.getTransaction({ hash: execute.minedHash! });
    expect(tx.value).toBe(GRANT);
    // The Timelock's own balance is not touched: the value came with the call.
    expect(o.balances.timelock[1]).toBe(o.balances.timelock[0]);
    // The eta the executor waited for is the Governor's own.
    const proposal = (await alpha.read(alpha.governor, "GovernorAlpha", "proposals", [o.grantId])) as readonly unknown[];
    const executedAt = (await o.client.getBlock({ blockNumber: (await o.client.getTransactionReceipt({ hash: execute.minedHash! })).blockNumber })).timestamp;
    expect(executedAt).toBeGreaterThanOrEqual(proposal[2] as bigint);
  });

  it("never executes a proposal past the Timelock's grace period, and says so once", async () => {
    const { connection } = o.dao;
    const { alice, bob, dave } = alpha.accounts;
    await alpha.write(alice, alpha.governor, "GovernorAlpha", "propose", [[dave.account.address], [GRANT], [""], ["0x"], "# Second grant"]);
    const id = (await alpha.read(alpha.governor, "GovernorAlpha", "proposalCount")) as bigint;
    await o.executor.tick();
    const json = canonicalJson(cleanAnalysis(id));
    const [, , , , , analyst] = await connection.viem.getWalletClients();
    await analyst!.writeContract({ address: o.deployment.contracts.decisionLog, abi: decisionLogAbi, functionName: "publish", args: [id, DecisionKind.Analysis, 10, Recommendation.For, ReportEncoding.Json, keccak256(stringToBytes(json)), toHex(json)] });
    await connection.networkHelpers.mine(2);
    await alpha.write(alice, alpha.governor, "GovernorAlpha", "castVote", [id, true]);
    await alpha.write(bob, alpha.governor, "GovernorAlpha", "castVote", [id, true]);
    await connection.networkHelpers.mine(Number(await alpha.read(alpha.governor, "GovernorAlpha", "votingPeriod")));
    await o.executor.tickUntil(async () => Number(await alpha.read(alpha.governor, "GovernorAlpha", "state", [id])) === ProposalState.Queued, 5);
    // Two days' delay and fourteen days' grace pass without the executor polling.
    await connection.networkHelpers.time.increase(16 * 86_400 + 1);
    const balance = await o.client.getBalance({ address: dave.account.address });
    for (let i = 0; i < 3; i++) await o.executor.tick();
    expect(Number(await alpha.read(alpha.governor, "GovernorAlpha", "state", [id]))).toBe(ProposalState.Expired);
    expect(o.executor.journal.txsFor(id.toString()).map((t) => t.action)).toEqual(["queue"]);
    expect(await o.client.getBalance({ address: dave.account.address })).toBe(balance);
    expect(o.executor.journal.getProposal(id.toString())).toMatchObject({ closed: true, lastState: ProposalState.Expired });
    expect(o.logs.filter((l) => l.proposalId === id.toString() && l.level === 40).map((l) => l.msg)).toEqual([
      "proposal expired (its timelock's grace period ended): it can no longer be executed, and the executor will not try",
    ]);
  });
});
