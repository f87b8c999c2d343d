import type { Abi, Address, Hash, PublicClient, WalletClient } from "viem";

/**
 * Simulates a contract call from `account` first (so a revert is decoded from the ABI into a custom
 * error before anything is signed), then sends it through the wallet.
 */
export async function simulateAndWrite(
  publicClient: PublicClient,
  wallet: WalletClient,
  account: Address,
  call: { address: Address; abi: Abi; functionName: string; args: readonly unknown[]; value?: bigint },
): Promise<Hash> {
  const { request } = await publicClient.simulateContract({ ...call, account } as never);
  return wallet.writeContract({ ...(request as object), account, chain: wallet.chain } as never);
}
