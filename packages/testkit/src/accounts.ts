import { toHex, type Hex } from "viem";
import { mnemonicToAccount, type HDAccount } from "viem/accounts";

/** The Hardhat node's well-known development mnemonic: its keys are public and fund nothing real. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/**
 * The node's first ten development accounts by the name the local deploy config
 * (ignition/config/local.json) gives them, in account order.
 */
export const DEV_ACCOUNT_NAMES = [
  "deployer",
  "alice", // 250k
  "bob", // 150k
  "carol", // 100k
  "dave", // 60k
  "erin", // 40k
  "outsider", // no tokens
  "guardian",
  "analyst",
  "executor",
] as const;

export type DevAccountName = (typeof DEV_ACCOUNT_NAMES)[number];

function indexOf(which: number | DevAccountName): number {
  if (typeof which === "number") return which;
  const index = DEV_ACCOUNT_NAMES.indexOf(which);
  if (index < 0) throw new Error(`no development account named ${which}`);
  return index;
}

/** A development account (by index or name) as a viem local account: it signs offline, like the services. */
export function devAccount(which: number | DevAccountName): HDAccount {
  return mnemonicToAccount(DEV_MNEMONIC, { addressIndex: indexOf(which) });
}

/** The private key of a development account (by index or name). */
export function devPrivateKey(which: number | DevAccountName): Hex {
  const key = devAccount(which).getHdKey().privateKey;
  if (!key) throw new Error(`no key for development account ${which}`);
  return toHex(key);
}

/** Every named development account's address. */
export function devAddresses(): Record<DevAccountName, HDAccount["address"]> {
  return Object.fromEntries(DEV_ACCOUNT_NAMES.map((name, i) => [name, devAccount(i).address])) as Record<DevAccountName, HDAccount["address"]>;
}
