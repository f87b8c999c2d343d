// Test fixtures: the DAO on Hardhat's in-process chain behind a real HTTP JSON-RPC endpoint (which
// a test can take down and bring back), and an indexer started on it like main.ts starts one.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { pino } from "pino";

import { Support } from "@ai-dao/protocol";
import { delegateAll, deployLocalDAO, propose, RpcEndpoint, startVoting, type LocalDAO } from "@ai-dao/testkit";
import { type App, type AppOptions, overridesFromDeployment, startApp } from "../src/app.ts";

export interface Chain {
  connection: NetworkConnection;
  dao: LocalDAO;
  rpc: RpcEndpoint;
}

export async function startChain(): Promise<Chain> {
  const connection = await network.create();
  const dao = await deployLocalDAO(connection);
  const rpc = new RpcEndpoint(connection.provider, { errorCode: -32000 });
  await rpc.start();
  return { connection, dao, rpc };
}

/** Every holder delegates; alice proposes a no-op titled by `description` and votes For once voting opens. Returns the proposal id. */
export async function openVote(chain: Chain, description: string): Promise<bigint> {
  const { dao, connection } = chain;
  await delegateAll(dao, connection);
  const proposalId = await propose(dao, dao.accounts.alice.account.address, { targets: [dao.token.address], values: [0n], calldatas: ["0x"], description });
  await startVoting(dao, connection, proposalId);
  await dao.governor.write.castVote([proposalId, Support.For], { account: dao.accounts.alice.account });
  return proposalId;
}

export async function tempDir(prefix = "indexer-test-"): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

export const quietLogger = () => pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

export async function startIndexer(chain: Chain, buildDir: string, dataDir: string, options: { maxBackoffMs?: number; batchSize?: number } = {}): Promise<App> {
  return startApp(indexerOptions(chain, buildDir, dataDir, options));
}

/** The options `startIndexer` starts an indexer with (the benchmark passes them to other builds too). */
export function indexerOptions(chain: Chain, buildDir: string, dataDir: string, options: { maxBackoffMs?: number; batchSize?: number } = {}): AppOptions {
  return {
    buildDir,
    rpcUrl: chain.rpc.url,
    dataDir,
    port: 0,
    overrides: overridesFromDeployment(chain.dao.deployment),
    pollIntervalMs: 50,
    maxBackoffMs: options.maxBackoffMs ?? 200,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    logger: quietLogger(),
  };
}

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string }[];
}

export async function query<T = any>(url: string, text: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: text, variables }) });
  return (await res.json()) as GraphQLResponse<T>;
}

/** The data of a query that must succeed. */
export async function data<T = any>(url: string, text: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await query<T>(url, text, variables);
  if (result.errors?.length) throw new Error(`GraphQL errors: ${result.errors.map((e) => e.message).join("; ")}`);
  return result.data!;
}

/** The chain's current block number. */
export async function headBlock(chain: Chain): Promise<bigint> {
  return chain.dao.publicClient.getBlockNumber({ cacheTime: 0 });
}
