import { tmpdir } from "node:os";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

/** The minimal EIP-1193 surface the simulator needs. */
export interface Eip1193 {
  request(args: { method: string; params?: readonly unknown[] | object }): Promise<unknown>;
}

/** Where the fork reads its state from: a JSON-RPC endpoint and the block to fork at. */
export interface ForkSource {
  /** JSON-RPC URL of the chain to fork (archive access needed for blocks older than ~128 on most providers). */
  url: string;
  blockNumber: bigint;
  /** The source's chain id, so contracts that read `block.chainid` (EIP-712 domains) behave as on the chain. */
  chainId: number;
}

export interface Fork {
  provider: Eip1193;
  close(): Promise<void>;
}

let hrePromise: Promise<HardhatRuntimeEnvironment> | undefined;

/**
 * One Hardhat runtime with a single in-process EDR network, built from an inline config so the
 * analyst does not depend on the repository's hardhat.config.ts (no compiler, no plugins).
 */
function forkRuntime(): Promise<HardhatRuntimeEnvironment> {
  hrePromise ??= import("hardhat/hre").then(({ createHardhatRuntimeEnvironment }) =>
    createHardhatRuntimeEnvironment({
      // The fork's RPC cache stays out of the working tree.
      paths: { cache: path.join(tmpdir(), "ai-dao-analyst-fork-cache") },
      networks: {
        fork: {
          type: "edr-simulated",
          chainType: "l1",
          // Gas is free on the fork so the treasury's ETH balance changes only by what the actions move.
          initialBaseFeePerGas: 0,
          gasPrice: 0,
          // A reverting action is a result to report, not an exception.
          throwOnTransactionFailures: false,
          throwOnCallFailures: false,
          allowBlocksWithSameTimestamp: true,
          mining: { auto: true },
        },
      },
    }),
  );
  return hrePromise;
}

/**
 * Forks the chain at `source.blockNumber` in process (Hardhat's EDR). State is fetched lazily from
 * the source RPC, so a fork costs a few requests per account and slot the simulation touches.
 */
export async function createFork(source: ForkSource): Promise<Fork> {
  const hre = await forkRuntime();
  const connection = await hre.network.create({
    network: "fork",
    override: { chainId: source.chainId, forking: { url: source.url, blockNumber: source.blockNumber } },
  });
  return { provider: connection.provider as Eip1193, close: () => connection.close() };
}
