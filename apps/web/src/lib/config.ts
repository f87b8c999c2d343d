import { z } from "zod";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be an address");

/** `/config.json`: everything that differs between a local chain and a hosted deployment. */
export const runtimeConfigSchema = z.object({
  chainId: z.number().int().positive(),
  rpcUrl: z.string().url(),
  indexerUrl: z.string().url(),
  analystUrl: z.string().url(),
  executorUrl: z.string().url().optional(),
  /** The DAO's relayer (gasless votes and delegations); without it, members send their own transactions. */
  relayerUrl: z.string().url().optional(),
  /** The DAO's notifier (email, chat and webhook notifications); without it, the settings page says so. */
  notifierUrl: z.string().url().optional(),
  /** A block explorer (e.g. https://sepolia.etherscan.io): transaction hashes link to `<explorerUrl>/tx/<hash>`. None on the local chain. */
  explorerUrl: z.string().url().optional(),
  /** A WalletConnect (Reown) project id: with it the wallet menu offers WalletConnect (phone and remote wallets); without it, not. */
  walletConnectProjectId: z.string().min(1).optional(),
  startBlock: z.number().int().nonnegative().default(0),
  contracts: z.object({ token: address, governor: address, timelock: address, decisionLog: address }),
  token: z.object({ name: z.string(), symbol: z.string(), decimals: z.number().int() }),
  governor: z
    .object({
      name: z.string(),
      votingDelay: z.number(),
      votingPeriod: z.number(),
      quorumPercent: z.number(),
      proposalThreshold: z.string(),
    })
    .partial()
    .default({}),
  timelock: z.object({ minDelay: z.number() }).partial().default({}),
  /** Tokens the deployment lists as treasury assets (besides ETH and the DAO token). */
  treasuryAssets: z.array(z.object({ address, label: z.string().optional() })).default([]),
  /**
   * The Governor's shape: the platform's own, or one `npm run attach` found (its flavour, clock and
   * what it answers). Without it, the platform's own Governor.
   */
  governance: z
    .object({
      flavour: z.enum(["platform", "openzeppelin-4", "openzeppelin-5", "compound-alpha", "compound-bravo"]),
      /** The votes clock: block timestamps or block numbers (ERC-6372 `CLOCK_MODE`). */
      clock: z.enum(["timestamp", "blocknumber"]),
      queueById: z.boolean(),
      executeById: z.boolean(),
      proposalEta: z.boolean(),
      proposalGuardian: z.boolean(),
      riskTiers: z.boolean(),
      codePins: z.boolean(),
    })
    .default({ flavour: "platform", clock: "timestamp", queueById: true, executeById: true, proposalEta: true, proposalGuardian: true, riskTiers: true, codePins: true }),
  /** The analyst accounts and the DecisionLog's publishers at deployment (the executor is a publisher that is not an analyst). */
  analysts: z.array(address).default([]),
  publishers: z.array(address).default([]),
});

export type RuntimeConfig = z.output<typeof runtimeConfigSchema>;

export const LOCAL_CHAIN_ID = 31337;

/** Loads and validates `/config.json`, served next to the app. */
export async function loadRuntimeConfig(url = "/config.json"): Promise<RuntimeConfig> {
  const response = await fetch(url, { cache: "no-store" });
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new Error(`config.json: ${body.error ?? `HTTP ${response.status}`}`);
  const parsed = runtimeConfigSchema.safeParse(body);
  if (!parsed.success) {
    throw new Error(`config.json is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}
