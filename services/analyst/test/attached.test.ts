// The analyst on DAOs the platform did not deploy, attached with `attachDAO` (ignition/attach.ts) on a
// real in-process chain: an OpenZeppelin 4.9 Governor with a block-number clock, an OpenZeppelin 5
// Governor without GovernorStorage, and Uniswap's GovernorAlpha with its Compound Timelock (from the
// artifacts `@uniswap/governance` ships). On each, proposals made on chain are found by the watcher,
// decoded with the DAO's own ABIs, simulated as its timelock executes them and published to the
// DecisionLog attach deployed: a treasury drain is flagged, an honest grant passes.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { encodeAbiParameters, encodeFunctionData, formatEther, keccak256, parseAbi, parseEther, stringToHex, type Address, type Hex, type PublicClient } from "viem";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";

import type { Deployment } from "@ai-dao/deployment";
import { compoundCalldata, DecisionKind, getDecisions, verifyDecision } from "@ai-dao/protocol";
import { deployGovernorAlphaDAO, deployOpenZeppelin4DAO, deployOpenZeppelin5DAO, erc20Transfer, serveRpc } from "@ai-dao/testkit";

import { attachDAO } from "../../../ignition/attach.ts";
import { PublishJournal } from "../src/publish/journal.ts";
import type { Report } from "../src/report.ts";
import { createMetrics } from "../src/server/metrics.ts";
import { handleProposalEvent, publishFailure, runAnalysis, type AnalystService } from "../src/server/service.ts";
import { ProposalWatcher } from "../src/watch/watcher.ts";
import { analystWallet } from "./support/analyst-key.ts";

const logger = pino({ level: "silent" });
const TREASURY_ETH = parseEther("100");
const TREASURY_TOKENS = parseEther("1000");

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of cleanup.reverse()) await close().catch(() => undefined);
});

/** One proposal as a flavour's `propose` takes it; `signatures` only for Compound Governors. */
interface Actions {
  targets: Address[];
  values: bigint[];
  signatures?: string[];
  calldatas: Hex[];
  description: string;
}

/** A DAO of one flavour, funded, with a way to propose and the ids its Governor gives. */
interface ForeignDAO {
  governor: Address;
  token: Address;
  timelock: Address;
  alice: Address;
  bob: Address;
  dave: Address;
  symbol: string;
  /** Proposes `actions` from `who` and returns the id the Governor gave the proposal. */
  propose(who: "alice" | "bob", actions: Actions): Promise<bigint>;
}

interface Attached {
  connection: NetworkConnection;
  dao: ForeignDAO;
  deployment: Deployment;
  service: AnalystService;
  watcher: ProposalWatcher;
  publicClient: PublicClient;
}

/**
 * Funds the DAO's treasury (100 ETH and 1,000 of its token), lets its holders' votes age past the
 * analyst's recent-votes window (`settle`), attaches with the analyst as the DecisionLog's publisher,
 * and sets up the analyst service and its watcher as `src/main.ts` does, forking the chain over HTTP.
 */
async function attach(connection: NetworkConnection, dao: ForeignDAO, settle: () => Promise<void>): Promise<Attached> {
  const [deployer] = await connection.viem.getWalletClients();
  const publicClient = (await connection.viem.getPublicClient()) as unknown as PublicClient;
  await publicClient.waitForTransactionReceipt({ hash: await deployer!.sendTransaction({ to: dao.timelock, value: TREASURY_ETH }) });
  await settle();
  const wallet = analystWallet(connection);
  const { deployment } = await attachDAO(connection, { governor: dao.governor, publishers: [wallet.account.address] });
  expect(deployment.profile).toBe("attached");
  const rpc = await serveRpc(connection.provider as never);
  const dataDir = await mkdtemp(path.join(tmpdir(), "analyst-attached-"));
  cleanup.push(async () => {
    await rpc.close();
    await connection.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const service: AnalystService = {
    client: publicClient,
    deployment,
    judge: undefined,
    publisher: { publicClient, wallet, decisionLog: deployment.contracts.decisionLog, fromBlock: BigInt(deployment.startBlock), journal: new PublishJournal(dataDir) },
    logger,
    metrics: createMetrics(),
    forkUrl: rpc.url,
  };
  const watcher = new ProposalWatcher({
    client: publicClient,
    governor: deployment.contracts.governor,
    flavour: deployment.attached?.flavour,
    chainId: deployment.chainId,
    startBlock: BigInt(deployment.startBlock),
    dataDir,
    logger,
    handle: (e) => handleProposalEvent(service, e),
    onFailure: async (failed) => {
      await publishFailure(service, failed);
    },
  });
  return { connection, dao, deployment, service, watcher, publicClient };
}

/** The analysis the analyst published for `proposalId` on the attached DecisionLog, checked byte for byte. */
async function published(a: Attached, proposalId: bigint): Promise<Report> {
  const decisions = await getDecisions(a.publicClient, {
    decisionLog: a.deployment.contracts.decisionLog,
    fromBlock: BigInt(a.deployment.startBlock),
    proposalId,
    kind: DecisionKind.Analysis,
  });
  expect(decisions).toHaveLength(1);
  const decision = decisions[0]!;
  expect(decision.actor).toBe(a.service.publisher!.wallet.account.address);
  // The hash on chain is the hash of the published bytes, and the bytes are the report.
  expect(keccak256(decision.reportBytes)).toBe(decision.reportHash);
  const { ok, report } = verifyDecision(decision);
  expect(ok).toBe(true);
  const r = report as Report;
  expect(r.proposal.proposalId).toBe(proposalId.toString());
  expect(decision.risk).toBe(r.scores.risk);
  return r;
}

/** A treasury drain: 95 of the treasury's 100 ETH and all its tokens to dave, described as routine upkeep. */
function drain(dao: ForeignDAO, compound: boolean): Actions {
  const description = "# Routine treasury maintenance\n\nHousekeeping: consolidates dust balances. Nothing leaves the treasury.";
  if (compound) {
    return {
      targets: [dao.dave, dao.token],
      values: [parseEther("95"), 0n],
      signatures: ["", "transfer(address,uint256)"],
      calldatas: ["0x", encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [dao.dave, TREASURY_TOKENS])],
      description,
    };
  }
  return {
    targets: [dao.dave, dao.token],
    values: [parseEther("95"), 0n],
    calldatas: ["0x", erc20Transfer(dao.token, dao.dave, TREASURY_TOKENS)],
    description,
  };
}

/** An honest grant: 1 ETH to dave, said in the description with his full address. */
function grant(dao: ForeignDAO): Actions {
  return {
    targets: [dao.dave],
    values: [parseEther("1")],
    ...(dao.symbol === "UNI" ? { signatures: [""] } : {}),
    calldatas: ["0x"],
    description: `# Grant for the documentation rewrite\n\nPays ${formatEther(parseEther("1"))} ETH to ${dao.dave} (dave), who rewrote the DAO's documentation. This is the only payment; nothing else changes.`,
  };
}

function expectDrainFlagged(report: Report) {
  expect(report.status).toBe("analysed");
  expect(report.scores.risk).toBeGreaterThanOrEqual(80);
  expect(report.riskFloor).toBeGreaterThanOrEqual(80);
  expect(report.recommendation).toBe("against");
  const outflow = report.findings.filter((f) => f.check === "treasury-outflow" && f.severity === "critical");
  expect(outflow.length).toBeGreaterThan(0);
  // The token transfer was decoded with the DAO's own ABIs (for Compound: the selector of its signature and its arguments).
  expect(report.decodedCalls[1]).toMatchObject({ decoded: true, functionName: "transfer" });
  // Simulated as the timelock executes it: the treasury loses the ETH and the tokens.
  expect(report.simulation?.status).toBe("executed");
}

function expectGrantPassed(report: Report) {
  expect(report.status).toBe("analysed");
  expect(report.scores.risk).toBeLessThan(30);
  expect(report.findings.filter((f) => f.severity === "critical" || f.severity === "high" || f.severity === "medium")).toEqual([]);
  expect(report.inconclusive).toBe(false);
  expect(report.simulation?.status).toBe("executed");
}

/** Ids of the drain (from alice) and the grant (from bob), proposed, then found and published by one watcher pass. */
async function proposeAndWatch(a: Attached): Promise<{ drainId: bigint; grantId: bigint }> {
  const compound = a.deployment.attached!.flavour.startsWith("compound");
  const drainId = await a.dao.propose("alice", drain(a.dao, compound));
  const grantId = await a.dao.propose("bob", grant(a.dao));
  expect(await a.watcher.tick()).toBe(2);
  return { drainId, grantId };
}

describe("an OpenZeppelin 4.9 Governor with a block-number clock", () => {
  let a: Attached;
  let ids: { drainId: bigint; grantId: bigint };
  let drainReport: Report;
  let grantReport: Report;

  it("is attached, and the watcher publishes an analysis of each proposal", async () => {
    const connection = await network.create();
    const d = await deployOpenZeppelin4DAO(connection);
    const { alice, bob, dave } = d.accounts;
    await d.token.write.transfer([d.timelock.address, TREASURY_TOKENS], { account: alice.account });
    const dao: ForeignDAO = {
      governor: d.governor.address,
      token: d.token.address,
      timelock: d.timelock.address,
      alice: alice.account.address,
      bob: bob.account.address,
      dave: dave.account.address,
      symbol: "LEG",
      async propose(who, p) {
        const account = (who === "alice" ? alice : bob).account;
        await d.governor.write.propose([p.targets, p.values, p.calldatas, p.description], { account });
        return d.governor.read.hashProposal([p.targets, p.values, p.calldatas, keccak256(stringToHex(p.description))]);
      },
    };
    // Votes older than the window: 15 blocks for a 50-block voting period.
    a = await attach(connection, dao, () => connection.networkHelpers.mine(30));
    expect(a.deployment.attached).toMatchObject({ flavour: "openzeppelin-4", timelockKind: "timelock-controller", clockMode: "mode=blocknumber&from=default" });
    ids = await proposeAndWatch(a);
    drainReport = await published(a, ids.drainId);
    grantReport = await published(a, ids.grantId);
  });

  it("flags the drain", () => expectDrainFlagged(drainReport));
  it("passes the grant", () => expectGrantPassed(grantReport));

  it("reasons in blocks: the Governor's periods and the recent-votes window", () => {
    expect(grantReport.governance).toMatchObject({ governor: { clockMode: "blocknumber", votingPeriod: "50", votingDelay: "1", timelockMinDelay: "3600" } });
    // Two days for a one-week period, scaled to 50 blocks of 12 s: 171 s, 15 blocks.
    expect(grantReport.votingPower).toMatchObject({ clockMode: "blocknumber", window: "15", referenceKind: "now" });
    expect(grantReport.notes.some((n) => n.includes("openzeppelin-4") && n.includes("block-number clock"))).toBe(true);
  });

  it("decodes a 4.9 setting with the Governor's own ABI, judges it in blocks and simulates it through the Governor's governance check", async () => {
    const setting: Actions = {
      targets: [a.dao.governor],
      values: [0n],
      // 4.9's setVotingPeriod takes a uint256 (5's a uint32: another selector).
      calldatas: [encodeFunctionData({ abi: parseAbi(["function setVotingPeriod(uint256)"]), functionName: "setVotingPeriod", args: [100n] })],
      description: "# Longer votes\n\nDoubles the voting period to 100 blocks.",
    };
    const report = await runAnalysis(a.service, setting, "preview");
    expect(report.decodedCalls[0]).toMatchObject({ decoded: true, signature: "setVotingPeriod(uint256)", abiSource: "DAOGovernor" });
    const finding = report.findings.find((f) => f.id === "governor-parameters/voting-period");
    expect(finding).toMatchObject({ severity: "low" });
    expect(finding!.title).toContain("from 50 blocks");
    expect(finding!.title).toContain("to 100 blocks");
    expect(report.simulation?.status).toBe("executed");
    expect(report.scores.risk).toBeLessThan(30);
  });
});

describe("an OpenZeppelin 5 Governor without GovernorStorage", () => {
  let a: Attached;
  let drainReport: Report;
  let grantReport: Report;

  it("is attached, and the watcher publishes an analysis of each proposal", async () => {
    const connection = await network.create();
    const d = await deployOpenZeppelin5DAO(connection);
    const { alice, bob, dave } = d.accounts;
    await d.token.write.transfer([d.timelock.address, TREASURY_TOKENS], { account: alice.account });
    const dao: ForeignDAO = {
      governor: d.governor.address,
      token: d.token.address,
      timelock: d.timelock.address,
      alice: alice.account.address,
      bob: bob.account.address,
      dave: dave.account.address,
      symbol: "VAN",
      async propose(who, p) {
        const account = (who === "alice" ? alice : bob).account;
        await d.governor.write.propose([p.targets, p.values, p.calldatas, p.description], { account });
        return d.governor.read.hashProposal([p.targets, p.values, p.calldatas, keccak256(stringToHex(p.description))]);
      },
    };
    a = await attach(connection, dao, async () => {
      await connection.networkHelpers.time.increase(86_400);
    });
    expect(a.deployment.attached).toMatchObject({ flavour: "openzeppelin-5", timelockKind: "timelock-controller" });
    expect(a.deployment.attached!.capabilities).toMatchObject({ proposalDetails: false, queueById: false, analysts: false, riskTiers: false });
    const ids = await proposeAndWatch(a);
    drainReport = await published(a, ids.drainId);
    grantReport = await published(a, ids.grantId);
  });

  it("flags the drain", () => expectDrainFlagged(drainReport));
  it("passes the grant", () => expectGrantPassed(grantReport));

  it("reads the Governor without the platform's extensions", () => {
    expect(grantReport.governance).toMatchObject({
      governor: { clockMode: "timestamp", votingPeriod: "300", timelockMinDelay: "600", riskTiers: "unknown", lateQuorumVoteExtension: "0" },
    });
  });
});

describe("Uniswap's GovernorAlpha with its Compound Timelock", () => {
  let a: Attached;
  let ids: { drainId: bigint; grantId: bigint };
  let drainReport: Report;
  let grantReport: Report;

  let alpha: Awaited<ReturnType<typeof deployGovernorAlphaDAO>>;

  it("is attached, and the watcher publishes an analysis of each proposal under the Governor's ids", async () => {
    const connection = await network.create();
    const d = await deployGovernorAlphaDAO(connection);
    alpha = d;
    const { alice, bob, dave } = d.accounts;
    await d.write(alice, d.uni, "Uni", "transfer", [d.timelock, TREASURY_TOKENS]);
    const dao: ForeignDAO = {
      governor: d.governor,
      token: d.uni,
      timelock: d.timelock,
      alice: alice.account.address,
      bob: bob.account.address,
      dave: dave.account.address,
      symbol: "UNI",
      async propose(who, p) {
        await d.write(who === "alice" ? alice : bob, d.governor, "GovernorAlpha", "propose", [p.targets, p.values, p.signatures, p.calldatas, p.description]);
        return (await d.read(d.governor, "GovernorAlpha", "proposalCount")) as bigint;
      },
    };
    // Votes older than the window: 11,520 blocks for GovernorAlpha's 40,320-block voting period.
    a = await attach(connection, dao, () => connection.networkHelpers.mine(12_000));
    expect(a.deployment.attached).toMatchObject({ flavour: "compound-alpha", timelockKind: "compound-timelock" });
    ids = await proposeAndWatch(a);
    // Compound numbers its proposals.
    expect(ids).toEqual({ drainId: 1n, grantId: 2n });
    drainReport = await published(a, ids.drainId);
    grantReport = await published(a, ids.grantId);
  });

  it("flags the drain", () => {
    expectDrainFlagged(drainReport);
    // What the Timelock will execute: the selector of the signature followed by the arguments.
    expect(drainReport.proposal.calldatas[1]!.slice(0, 10)).toBe("0xa9059cbb");
    expect(drainReport.proposal.onChain).toBeDefined();
  });

  it("passes the grant", () => expectGrantPassed(grantReport));

  it("reads the Compound Governor and Timelock, in blocks", () => {
    expect(grantReport.governance).toMatchObject({
      governor: { clockMode: "blocknumber", votingPeriod: "40320", votingDelay: "1", timelockMinDelay: String(2 * 86_400), proposalGuardian: expect.any(String) },
    });
    expect(grantReport.votingPower).toMatchObject({ clockMode: "blocknumber", window: "11520" });
  });

  it("reports a call no ABI decodes as high risk, never safe", async () => {
    const sweep: Actions = {
      targets: [a.dao.timelock],
      values: [0n],
      calldatas: [compoundCalldata(stringToHex("sweepTreasury(address)"), encodeAbiParameters([{ type: "address" }], [a.dao.dave]))],
      description: "# Tidy up\n\nA harmless maintenance call.",
    };
    const report = await runAnalysis(a.service, sweep, "preview");
    expect(report.findings.some((f) => f.id === "undecodable-calls/unknown-function" && f.severity === "high")).toBe(true);
    expect(report.scores.risk).toBeGreaterThanOrEqual(60);
    expect(report.recommendation).not.toBe("for");
    // Not on chain: analysed under the id the Governor would give it next.
    expect(report.proposal.proposalId).toBe("3");
    expect(report.notes.some((n) => n.includes("would assign next"))).toBe(true);
  });

  it("analyses the grant again when it is queued, under the same id, and publishes only if the analysis changed", async () => {
    const { write, read, accounts } = alpha;
    await write(accounts.alice, alpha.governor, "GovernorAlpha", "castVote", [ids.grantId, true]);
    await a.connection.networkHelpers.mine(Number(await read(alpha.governor, "GovernorAlpha", "votingPeriod")));
    await write(accounts.deployer, alpha.governor, "GovernorAlpha", "queue", [ids.grantId]);
    expect(await read(alpha.governor, "GovernorAlpha", "state", [ids.grantId])).toBe(5); // Queued
    expect(await a.watcher.tick()).toBe(1);
    const decisions = await getDecisions(a.publicClient, { decisionLog: a.deployment.contracts.decisionLog, fromBlock: BigInt(a.deployment.startBlock), proposalId: ids.grantId, kind: DecisionKind.Analysis });
    // The grant's risk, recommendation and findings are those of its first analysis: nothing new to publish.
    expect(decisions).toHaveLength(1);
    expect(await a.service.metrics.registry.getSingleMetricAsString("analyst_decisions_published_total")).toMatch(/kind="Analysis",status="unchanged"} 1/);
    const created = verifyDecision(decisions[0]!);
    expect(created.ok).toBe(true);
    expect((created.report as Report).provenance?.trigger).toBe("created");
    expect((created.report as Report).proposal.proposalId).toBe(ids.grantId.toString());
    expectGrantPassed(created.report as Report);
  });
});
