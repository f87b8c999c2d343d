import type { NetworkConnection } from "hardhat/types/network";
import { parseEther, type Address } from "viem";

import { delegateAll, deployLocalDAO, serveRpc } from "@ai-dao/testkit";
import { analyzeProposal, type AnalyzeArgs } from "../src/analyze.ts";
import type { ProposalInput as Proposal } from "../src/proposal.ts";
import type { Report } from "../src/report.ts";

export const TREASURY_ETH = parseEther("100");
/** Time between the token distribution and the scenarios, so holders' votes are old by any window. */
export const SETTLE_SECONDS = 86_400;

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
