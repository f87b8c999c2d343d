// Test fixtures: the DAO on Hardhat's in-process chain behind a real HTTP JSON-RPC endpoint (which
// a test can take down and bring back), and an indexer started on it like main.ts starts one.
import { mkdtemp } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { pino } from "pino";

import { deployLocalDAO, type LocalDAO } from "../../../test/helpers/dao.ts";
import { type App, overridesFromDeployment, startApp } from "../src/app.ts";

/** A JSON-RPC HTTP endpoint over an in-process EIP-1193 provider; `down` makes it refuse requests. */
export class RpcEndpoint {
  down = false;
  requests = 0;
  /** When set, eth_getLogs over more blocks than this fails as a node's result limit does. */
  maxLogRange: number | undefined;
  private server: Server | undefined;
  url = "";

  private readonly provider: { request(args: { method: string; params?: unknown[] }): Promise<unknown> };

  constructor(provider: { request(args: { method: string; params?: unknown[] }): Promise<unknown> }) {
    this.provider = provider;
  }

  async start(port = 0): Promise<string> {
    this.server = createServer(async (req, res) => {
      if (this.down) {
        req.socket.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const one = async (call: { id: unknown; method: string; params?: unknown[] }) => {
        this.requests++;
        if (call.method === "eth_getLogs" && this.maxLogRange !== undefined) {
          const { fromBlock, toBlock } = (call.params?.[0] ?? {}) as { fromBlock?: string; toBlock?: string };
          if (fromBlock && toBlock && Number(toBlock) - Number(fromBlock) + 1 > this.maxLogRange) {
            return { jsonrpc: "2.0", id: call.id, error: { code: -32005, message: "query returned more than 10000 results" } };
          }
        }
        try {
          return { jsonrpc: "2.0", id: call.id, result: await this.provider.request({ method: call.method, params: call.params ?? [] }) };
        } catch (error) {
          return { jsonrpc: "2.0", id: call.id, error: { code: -32000, message: (error as Error).message } };
        }
      };
      const result = Array.isArray(body) ? await Promise.all(body.map(one)) : await one(body);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(result, (_k, v) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v)));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

export interface Chain {
  connection: NetworkConnection;
  dao: LocalDAO;
  rpc: RpcEndpoint;
}

export async function startChain(): Promise<Chain> {
  const connection = await network.create();
  const dao = await deployLocalDAO(connection);
  const rpc = new RpcEndpoint(connection.provider as never);
  await rpc.start();
  return { connection, dao, rpc };
}

export async function tempDir(prefix = "indexer-test-"): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

export const quietLogger = () => pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

export async function startIndexer(chain: Chain, buildDir: string, dataDir: string, options: { maxBackoffMs?: number; batchSize?: number } = {}): Promise<App> {
  return startApp({
    buildDir,
    rpcUrl: chain.rpc.url,
    dataDir,
    port: 0,
    overrides: overridesFromDeployment(chain.dao.deployment),
    pollIntervalMs: 50,
    maxBackoffMs: options.maxBackoffMs ?? 200,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    logger: quietLogger(),
  });
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
