// The analyst service: watcher (analyse + publish every proposal when created and when queued) and
// the HTTP API on ANALYST_PORT. Configuration from the environment (see README).
import { createPublicClient, createWalletClient, defineChain, http, type Account, type PublicClient, type WalletClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { decisionLogAbi } from "@ai-dao/protocol";
import { createLogger, readDeploymentFor, waitForChain } from "@ai-dao/service-kit";

import { createDrafter } from "./draft/draft.ts";
import { createModelJudge } from "./model/client.ts";
import { PublishJournal } from "./publish/journal.ts";
import type { Publisher } from "./publish/publisher.ts";
import { loadConfig } from "./server/config.ts";
import { createAnalystServer, listen } from "./server/http.ts";
import { createMetrics } from "./server/metrics.ts";
import { handleProposalEvent, publishFailure, type AnalystService } from "./server/service.ts";
import { ProposalWatcher } from "./watch/watcher.ts";

export async function main(): Promise<() => Promise<void>> {
  const config = loadConfig();
  const logger = createLogger({ name: "analyst", level: config.logLevel, secrets: [config.privateKey, config.anthropic?.apiKey] });
  const transport = http(config.rpcUrl, { retryCount: 3, timeout: 20_000 });
  const probe = createPublicClient({ transport });
  const chainId = await waitForChain(probe, { rpcUrl: config.rpcUrl, logger });
  const chain = defineChain({ id: chainId, name: `chain-${chainId}`, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [config.rpcUrl] } } });
  const client = createPublicClient({ chain, transport }) as PublicClient;
  const { deployment } = await readDeploymentFor(chainId, config.deploymentFile);

  const judge = config.anthropic ? createModelJudge(config.anthropic) : undefined;
  let publisher: Publisher | undefined;
  if (config.privateKey) {
    const account = privateKeyToAccount(config.privateKey);
    const wallet = createWalletClient({ account, chain, transport }) as WalletClient & { account: Account };
    publisher = { publicClient: client, wallet, decisionLog: deployment.contracts.decisionLog, fromBlock: BigInt(deployment.startBlock), journal: new PublishJournal(config.dataDir) };
    const allowed = await client.readContract({ address: deployment.contracts.decisionLog, abi: decisionLogAbi, functionName: "isPublisher", args: [account.address] });
    if (!allowed) {
      logger.warn(
        { account: account.address, decisionLog: deployment.contracts.decisionLog },
        deployment.attached !== undefined
          ? "the analyst key is not a publisher of the attached DAO's DecisionLog: publishing will fail until a proposal authorises it (`npm run attach -- --analyst ADDRESS` prints that proposal)"
          : "the analyst key is not a DecisionLog publisher: publishing will fail until governance authorises it",
      );
    }
  }
  const metrics = createMetrics();
  const service: AnalystService = { client, deployment, judge, publisher, logger, metrics, forkUrl: config.forkRpcUrl };

  const watcher = new ProposalWatcher({
    client,
    governor: deployment.contracts.governor,
    flavour: deployment.attached?.flavour,
    chainId,
    startBlock: BigInt(deployment.startBlock),
    dataDir: config.dataDir,
    pollMs: config.pollMs,
    logger: logger.child({ component: "watcher" }),
    handle: (e) => handleProposalEvent(service, e),
    onFailure: async (failed) => {
      await publishFailure(service, failed);
    },
  });
  const drafter = judge ? createDrafter(service, { ...config.draft }) : undefined;
  const server = createAnalystServer({
    service,
    corsOrigins: config.corsOrigins,
    draft: drafter,
    healthExtra: () => ({ watcher: { enabled: config.watch, ...watcher.status, cursor: watcher.status.cursor?.toString() ?? null } }),
  });
  const port = await listen(server, config.port, config.host);
  if (config.watch) watcher.start();
  logger.info(
    { port, chainId, mode: judge ? "model" : "deterministic", model: judge?.model ?? null, publishing: publisher !== undefined, account: publisher?.wallet.account.address, watching: config.watch },
    "analyst started",
  );

  return async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections(); // keep-alive clients would hold close() open
    await Promise.all([watcher.stop(), closed]);
  };
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("/src/main.ts")) {
  main().then(
    (stop) => {
      const shutdown = () => {
        // A watcher tick stuck on an unreachable RPC must not keep the process alive.
        setTimeout(() => process.exit(0), 5_000).unref();
        void stop().then(() => process.exit(0));
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
    },
    (error: Error) => {
      process.stderr.write(`error: ${error.message}\n`);
      process.exit(1);
    },
  );
}
