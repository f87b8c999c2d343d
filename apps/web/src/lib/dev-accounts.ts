import type { Address } from "viem";

/**
 * The local node's development accounts by the names the local deploy config gives them
 * (ignition/config/local.json), in account order. The addresses are written out rather than derived
 * from the public mnemonic: deriving ten keys takes about a second of the page's main thread.
 * test/wallet-menu.test.tsx checks this table against `devAddresses()` of `@ai-dao/testkit/accounts`.
 */
export const DEV_ACCOUNTS: readonly { name: string; address: Address }[] = [
  { name: "deployer", address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" },
  { name: "alice", address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" },
  { name: "bob", address: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" },
  { name: "carol", address: "0x90F79bf6EB2c4f870365E785982E1f101E93b906" },
  { name: "dave", address: "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65" },
  { name: "erin", address: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc" },
  { name: "outsider", address: "0x976EA74026E726554dB657fA54763abd0C3a0aa9" },
  { name: "guardian", address: "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955" },
  { name: "analyst", address: "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f" },
  { name: "executor", address: "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720" },
];

const byAddress = new Map(DEV_ACCOUNTS.map((a) => [a.address.toLowerCase(), a.name]));

/** The local deploy config's name for a development account, if it is one. */
export function devAccountName(address: string): string | undefined {
  return byAddress.get(address.toLowerCase());
}
