import type { Abi, Address, Hash, PublicClient, WalletClient } from "viem";

/**
 * Simulates a contract call from `account` first (so a revert is decoded from the ABI into a custom
 * error before anything is signed), then sends it through the wallet.
 *
 * The simulation runs against the pending block, the one the transaction will be mined in. Against
 * `latest` it would see the previous block's clock: the Governor counts the proposer's votes at
 * `clock() - 1`, so a `propose` sent right after delegating would be refused by the simulation
 * although the transaction itself succeeds (on a chain that mines only on transactions, such as a
 * local Hardhat node, no later block ever comes to make it pass).
 */
export async function simulateAndWrite(
  publicClient: PublicClient,
  wallet: WalletClient,
  account: Address,
  call: { address: Address; abi: Abi; functionName: string; args: readonly unknown[]; value?: bigint },
): Promise<Hash> {
  const { request } = await publicClient.simulateContract({ ...call, account, blockTag: "pending" } as never);
  return wallet.writeContract({ ...(request as object), account, chain: wallet.chain } as never);
}
