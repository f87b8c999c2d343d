import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { NetworkConnection } from "hardhat/types/network";
import { pino } from "pino";
import { publishedReportBytes } from "@ai-dao/reports/node";
import { createPublicClient, custom, keccak256, parseEventLogs, stringToBytes, toHex, type Address, type PublicClient } from "viem";

import { decisionLogAbi, DecisionKind, Support } from "@ai-dao/protocol";
import { deployLocalDAO, delegateAll, devAccount, endVoting, propose, startVoting, trackChild, type Child, type LocalDAO, type Proposal } from "@ai-dao/testkit";
import { Executor, type ExecutorOptions } from "../src/executor.ts";
import { Journal } from "../src/store.ts";

const EXECUTOR_MAIN = path.resolve(import.meta.dirname, "../src/main.ts");

/** `node src/main.ts` with the given environment. */
export function startExecutor(env: Record<string, string>): Child {
  return trackChild(
    spawn(process.execPath, [EXECUTOR_MAIN], {
      cwd: path.dirname(path.dirname(EXECUTOR_MAIN)),
      env: { PATH: process.env.PATH ?? "", EXECUTOR_PORT: "0", LOG_LEVEL: "debug", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
}

export function tempDir(prefix = "executor-test-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export const testLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

/** A viem client over the connection's provider, as the service builds over HTTP. */
export function clientOf(connection: NetworkConnection): PublicClient {
  return createPublicClient({ transport: custom(connection.provider) }) as PublicClient;
}

export async function setupDAO(connection: NetworkConnection): Promise<LocalDAO> {
  const dao = await deployLocalDAO(connection);
  await delegateAll(dao, connection);
  return dao;
}

export function makeExecutor(
  dao: LocalDAO,
  connection: NetworkConnection,
  options: Partial<ExecutorOptions> & { dataDir?: string; accountIndex?: number } = {},
): Executor {
  const dataDir = options.dataDir ?? tempDir();
  return new Executor({
    client: clientOf(connection),
    account: devAccount(options.accountIndex ?? 9),
    deployment: dao.deployment,
    journal: options.journal ?? Journal.open(dataDir),
    logger: testLogger,
    webhookBaseDelayMs: 20,
    ...options,
  });
}

/** A clean analysis report for `proposalId`, as the analyst publishes it (its fields the guard reads). */
export function cleanAnalysis(proposalId: bigint, overrides: Record<string, unknown> = {}) {
  return {
    schemaVersion: 1,
    proposal: { proposalId: proposalId.toString() },
    findings: [{ id: "info/eth", check: "calls", severity: "info", title: "ETH transfer", detail: "", evidence: {} }],
    riskFloor: 10,
    scores: { risk: 10 },
    recommendation: "for",
    ...overrides,
  };
}

/** Publishes `report` as the proposal's Analysis decision from the analyst's key. */
export async function publishAnalysis(dao: LocalDAO, proposalId: bigint, report: unknown = cleanAnalysis(proposalId), risk = 10): Promise<void> {
  // Compressed, as the analyst publishes it.
  const { encoding, bytes, reportHash } = publishedReportBytes(report);
  await dao.decisionLog.write.publish([proposalId, DecisionKind.Analysis, risk, 0, encoding, reportHash, toHex(bytes)], { account: dao.accounts.analyst.account });
}

/**
 * Proposes, publishes a clean analysis (as the analyst does for every proposal; `analysed: false`
 * leaves it unanalysed) and votes: `For` passes it (alice + bob), `Against` defeats it.
 */
export async function proposeAndVote(
  dao: LocalDAO,
  connection: NetworkConnection,
  proposal: Proposal,
  support: number = Support.For,
  options: { analysed?: boolean } = {},
): Promise<bigint> {
  const id = await propose(dao, dao.accounts.alice.account.address, proposal);
  if (options.analysed ?? true) await publishAnalysis(dao, id);
  await voteOn(dao, connection, id, support);
  return id;
}

export async function voteOn(dao: LocalDAO, connection: NetworkConnection, id: bigint, support: number = Support.For): Promise<void> {
  await startVoting(dao, connection, id);
  await dao.governor.write.castVote([id, support], { account: dao.accounts.alice.account });
  await dao.governor.write.castVote([id, support], { account: dao.accounts.bob.account });
  await endVoting(dao, connection, id);
}

/** Every DecisionPublished event of `kind` for `proposalId`, with its bytes. */
export async function decisionsOf(client: PublicClient, decisionLog: Address, proposalId: bigint, kind: number) {
  const logs = await client.getLogs({ address: decisionLog, fromBlock: 0n, toBlock: "latest" });
  return parseEventLogs({ abi: decisionLogAbi, logs, eventName: "DecisionPublished" }).filter(
    (l) => l.args.proposalId === proposalId && l.args.kind === kind,
  );
}
