import { createConnector } from "wagmi";
import { createWalletClient, custom, getAddress, hexToBigInt, numberToHex, type Address, type Chain, type Hash, type Hex, type WalletClient } from "viem";

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

/** The Hardhat node's public development mnemonic: its keys are published and hold nothing real. */
const DEV_MNEMONIC = "test test test test test test test test test test test junk";

type Request = (args: { method: string; params?: unknown }) => Promise<unknown>;

/**
 * A wallet connector for the local chain: the node's development accounts, one chosen at a time
 * (`choose(address)` before connecting). Transactions are signed in the page with the account's key
 * from the public mnemonic, derived only for the chosen account (deriving all takes about a second);
 * an account the mnemonic does not give is left to the node, which keeps its accounts unlocked.
 * Everything else goes to the node through `request` (the app's own RPC client).
 */
export function devAccountsConnector({ chain, request }: { chain: Chain; request: Request }) {
  let chosen: Address | null = null;
  /** The chosen account's signer: a wallet client with its key, or null when the node signs for it. */
  let signer: { address: Address; client: WalletClient | null } | null = null;

  async function signerFor(address: Address) {
    if (signer?.address === address) return signer.client;
    // The node lists its accounts in mnemonic order, so the chosen one's position is its key index.
    const listed = ((await request({ method: "eth_accounts" })) as string[]).map((a) => a.toLowerCase());
    const index = listed.indexOf(address.toLowerCase());
    let client: WalletClient | null = null;
    if (index >= 0) {
      // Loaded on first use: the key derivation code is not needed until a development account signs.
      const { mnemonicToAccount } = await import("viem/accounts");
      const key = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index });
      if (key.address === address) client = createWalletClient({ account: key, chain, transport: custom({ request }) });
    }
    signer = { address, client };
    return client;
  }

  async function send(tx: Record<string, Hex | undefined>): Promise<Hash> {
    if (chosen === null) throw new Error("Choose a development account first.");
    const client = await signerFor(chosen);
    if (client === null) return (await request({ method: "eth_sendTransaction", params: [tx] })) as Hash;
    const big = (v: Hex | undefined) => (v === undefined ? undefined : hexToBigInt(v));
    return client.sendTransaction({ account: client.account!, chain, to: tx.to as Address | undefined, data: tx.data, value: big(tx.value), gas: big(tx.gas) } as never);
  }

  const provider = {
    async request(args: { method: string; params?: unknown }): Promise<unknown> {
      switch (args.method) {
        case "eth_accounts":
        case "eth_requestAccounts":
          return chosen ? [chosen] : [];
        case "eth_chainId":
          return numberToHex(chain.id);
        case "eth_sendTransaction":
          return send((args.params as [Record<string, Hex | undefined>])[0]);
        default:
          return request(args);
      }
    },
    on() {},
    removeListener() {},
  };

  return {
    choose(address: Address) {
      chosen = getAddress(address);
    },
    connector: createConnector<typeof provider>((config) => ({
      id: "dev-accounts",
      name: "Development account",
      type: "dev-accounts",
      async connect(parameters) {
        if (chosen === null) throw new Error("Choose a development account first.");
        return { accounts: (parameters?.withCapabilities ? [{ address: chosen, capabilities: {} }] : [chosen]) as never, chainId: chain.id };
      },
      async disconnect() {
        chosen = null;
        signer = null;
      },
      async getAccounts() {
        return chosen ? [chosen] : [];
      },
      async getChainId() {
        return chain.id;
      },
      async getProvider() {
        return provider;
      },
      // Reconnecting after a reload is done by the wallet from its own saved choice.
      async isAuthorized() {
        return false;
      },
      onAccountsChanged(accounts) {
        config.emitter.emit("change", { accounts: accounts.map((a) => getAddress(a)) });
      },
      onChainChanged() {},
      onDisconnect() {
        config.emitter.emit("disconnect");
      },
    })),
  };
}
