import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import type { NetworkConnection } from "hardhat/types/network";
import { parseEther, type Address } from "viem";

import { delegateAll, deployLocalDAO } from "../../../test/helpers/dao.ts";
import { analyzeProposal, type AnalyzeArgs } from "../src/analyze.ts";
import type { ProposalInput as Proposal } from "../src/proposal.ts";
import type { Report } from "../src/report.ts";

export const TREASURY_ETH = parseEther("100");
/** Time between the token distribution and the scenarios, so holders' votes are old by any window. */
export const SETTLE_SECONDS = 86_400;

/** Serves an EIP-1193 provider over HTTP JSON-RPC on a free loopback port, like `hardhat node` would. */
export function serveRpc(provider: { request(args: { method: string; params?: unknown[] }): Promise<unknown> }): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const handle = async (msg: { id: number; method: string; params?: unknown[] }) => {
      try {
        return { jsonrpc: "2.0", id: msg.id, result: await provider.request({ method: msg.method, params: msg.params ?? [] }) };
      } catch (error) {
        const e = error as { message?: string; data?: unknown };
        return { jsonrpc: "2.0", id: msg.id, error: { code: -32603, message: e.message ?? String(error), ...(e.data !== undefined ? { data: e.data } : {}) } };
      }
    };
    const parsed = JSON.parse(body) as object;
    const reply = Array.isArray(parsed) ? await Promise.all(parsed.map(handle)) : await handle(parsed as never);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(reply));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        server,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}

export interface AnalyzeOptions {
  proposer?: Address;
  /** Fork-simulate the proposal (default true). */
  simulate?: boolean;
  blockNumber?: bigint;
}

/**
 * The local chain the corpus runs on: an in-process Hardhat chain with the DAO deployed as
 * `npm run deploy` does, 100 ETH and 400,000 DEMO in the treasury, every holder self-delegated a
 * day ago, and the chain served over HTTP so the analyst can fork it.
 */
export async function setupChain() {
  const { network } = await import("hardhat");
  const connection: NetworkConnection = await network.create();
  const dao = await deployLocalDAO(connection);
  const [deployer] = await connection.viem.getWalletClients();
  await deployer!.sendTransaction({ to: dao.deployment.contracts.timelock, value: TREASURY_ETH });
  await delegateAll(dao, connection);
  await connection.networkHelpers.time.increase(SETTLE_SECONDS);
  const destructible = (await connection.viem.deployContract("Destructible")).address as Address;
  const rpc = await serveRpc(connection.provider as never);
  const analyze = (proposal: Proposal, options: AnalyzeOptions = {}): Promise<Report> => {
    const args: AnalyzeArgs = {
      client: dao.publicClient as never,
      deployment: dao.deployment,
      proposal,
      simulate: options.simulate === false ? { skip: "not requested" } : { forkUrl: rpc.url },
      ...(options.proposer !== undefined ? { proposer: options.proposer } : {}),
      ...(options.blockNumber !== undefined ? { blockNumber: options.blockNumber } : {}),
    };
    return analyzeProposal(args);
  };
  const close = async () => {
    await rpc.close();
    await connection.close();
  };
  return { connection, dao, destructible, rpcUrl: rpc.url, analyze, close };
}

export type Chain = Awaited<ReturnType<typeof setupChain>>;
