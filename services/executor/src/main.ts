#!/usr/bin/env node
// The executor service: `node src/main.ts`. Configuration from the environment (see README).
import { decisionLogAbi } from "@ai-dao/protocol";
import { createLogger, readDeploymentFor, scrubText, waitForChain } from "@ai-dao/service-kit";
import { createPublicClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { loadConfig } from "./config.ts";
import { Executor } from "./executor.ts";
import { runLoop } from "./loop.ts";
import { startServer } from "./server.ts";
import { Journal } from "./store.ts";

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: "executor", level: config.LOG_LEVEL, secrets: [config.EXECUTOR_PRIVATE_KEY] });
  const client = createPublicClient({ transport: http(config.RPC_URL, { retryCount: 2, timeout: 10_000 }) });
  const account = privateKeyToAccount(config.EXECUTOR_PRIVATE_KEY as `0x${string}`);

  // The chain may start after the executor: 6 tries with backoff (about 30 s) before a clear message.
  const chainId = await waitForChain(client, { rpcUrl: config.RPC_URL, attempts: 6, firstBackoffMs: 500, logger });
  const { deployment, file: deploymentFile } = await readDeploymentFor(chainId, config.DEPLOYMENT_FILE);
  const journal = Journal.open(config.EXECUTOR_DATA_DIR);
  const isPublisher = await client
    .readContract({ address: deployment.contracts.decisionLog, abi: decisionLogAbi, functionName: "isPublisher", args: [account.address] })
    .catch(() => undefined);
  if (isPublisher === false && config.EXECUTOR_PUBLISH_GUARDS) {
    logger.warn({ address: account.address }, "the executor's key is not a DecisionLog publisher: guard decisions will fail to publish");
  }

  const executor = new Executor({
    client,
    account,
    deployment,
    journal,
    logger,
    dryRun: config.EXECUTOR_DRY_RUN,
    overrides: config.EXECUTOR_OVERRIDES,
    webhookUrl: config.EXECUTOR_WEBHOOK_URL,
    publishGuards: config.EXECUTOR_PUBLISH_GUARDS,
    txTimeoutMs: config.EXECUTOR_TX_TIMEOUT_MS,
    feeBumpPercent: config.EXECUTOR_FEE_BUMP_PERCENT,
    logChunkBlocks: config.EXECUTOR_LOG_CHUNK_BLOCKS,
    fault: config.EXECUTOR_FAULT,
  });
  const { server, port } = await startServer({
    executor,
    host: config.EXECUTOR_HOST,
    port: config.EXECUTOR_PORT,
    corsOrigins: config.CORS_ORIGINS,
    dryRun: config.EXECUTOR_DRY_RUN,
    chainId,
    staleAfterMs: Math.max(60_000, config.EXECUTOR_POLL_INTERVAL_MS * 10),
  });
  logger.info(
    {
      port,
      chainId,
      address: account.address,
      deploymentFile,
      governor: executor.governorAdapter.flavour,
      dataDir: config.EXECUTOR_DATA_DIR,
      dryRun: config.EXECUTOR_DRY_RUN,
      overrides: config.EXECUTOR_OVERRIDES,
    },
    "executor started",
  );

  const stop = new AbortController();
  const shutdown = (signal: string) => {
    logger.info({ signal }, "stopping");
    stop.abort();
    server.close();
    void executor.alerter.flush().finally(() => {
      journal.close();
      process.exit(0);
    });
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  await runLoop(executor, { intervalMs: config.EXECUTOR_POLL_INTERVAL_MS, maxBackoffMs: config.EXECUTOR_MAX_BACKOFF_MS, logger, signal: stop.signal });
}

main().catch((error: unknown) => {
  // Config and startup errors: one clear message, no stack, no key.
  process.stderr.write(`executor: ${scrubText(error instanceof Error ? error.message : String(error))}\n`);
  process.exit(1);
});
