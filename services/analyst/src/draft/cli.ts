import { createWalletClient, defineChain, http, type Account, type PublicClient, type WalletClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import type { Deployment } from "@ai-dao/deployment";
import { createLogger } from "@ai-dao/service-kit";

import { AnalystError } from "../errors.ts";
import { createModelJudge, type ModelJudge } from "../model/client.ts";
import { PublishJournal } from "../publish/journal.ts";
import { loadConfig } from "../server/config.ts";
import { createMetrics } from "../server/metrics.ts";
import { canonicalJson } from "../report.ts";
import { createDrafter } from "./draft.ts";

/** The model configured by the environment (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, ANALYST_MODEL), or undefined. */
export function judgeFromEnv(): ModelJudge | undefined {
  const config = loadConfig();
  return config.anthropic ? createModelJudge(config.anthropic) : undefined;
}

/** `draft --intent "..." [--proposer ADDRESS] [--propose]`: prints the draft and its analysis as JSON. */
export async function runDraftCommand(args: { intent: string; proposer?: string | undefined; propose: boolean; rpc: string; client: PublicClient; deployment: Deployment }): Promise<string> {
  const config = loadConfig();
  if (!config.anthropic) throw new AnalystError("drafting needs a model", ["set ANTHROPIC_API_KEY (and optionally ANALYST_MODEL)"]);
  const judge = createModelJudge(config.anthropic);
  let publisher;
  if (args.propose) {
    if (!config.privateKey) throw new AnalystError("--propose needs the analyst key", ["set ANALYST_PRIVATE_KEY"]);
    const chain = defineChain({ id: args.deployment.chainId, name: `chain-${args.deployment.chainId}`, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [args.rpc] } } });
    const wallet = createWalletClient({ account: privateKeyToAccount(config.privateKey), chain, transport: http(args.rpc) }) as WalletClient & { account: Account };
    publisher = { publicClient: args.client, wallet, decisionLog: args.deployment.contracts.decisionLog, fromBlock: BigInt(args.deployment.startBlock), journal: new PublishJournal(config.dataDir) };
  }
  const service = { client: args.client, deployment: args.deployment, judge, publisher, logger: createLogger({ name: "analyst", level: "silent" }), metrics: createMetrics() };
  // Proposing from the CLI is an explicit request, so it is allowed here when the key is set.
  const draft = createDrafter(service, { ...config.draft, allowPropose: args.propose });
  const result = await draft({ intent: args.intent, propose: args.propose, ...(args.proposer !== undefined ? { proposer: args.proposer as `0x${string}` } : {}) });
  return canonicalJson(JSON.parse(JSON.stringify(result, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))));
}
