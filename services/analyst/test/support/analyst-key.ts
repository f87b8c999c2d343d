import type { NetworkConnection } from "hardhat/types/network";
import { createWalletClient, custom, type Account, type WalletClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";

/** Hardhat's default mnemonic, account #8: the analyst key of the local profile. Public test key. */
export const ANALYST_TEST_KEY = "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97" as const;

/** A wallet client that signs locally with the analyst key, over the in-process chain. */
export function analystWallet(connection: NetworkConnection): WalletClient & { account: Account } {
  return createWalletClient({ account: privateKeyToAccount(ANALYST_TEST_KEY), chain: hardhat, transport: custom(connection.provider) }) as WalletClient & { account: Account };
}
