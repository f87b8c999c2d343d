#!/usr/bin/env node
// The relayer service: `node src/main.ts`. Configuration from the environment (see README).
import { createLogger, pollLoop, readDeploymentFor, scrubText, waitForChain } from "@ai-dao/service-kit";
import { errorText } from "@ai-dao/transactions";
import { createPublicClient, formatEther, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { loadConfig } from "./config.ts";
import { Relayer } from "./relayer.ts";
import { startServer } from "./server.ts";
import { RelayStore } from "./store.ts";

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: "relayer", level: config.LOG_LEVEL, secrets: [config.RELAYER_PRIVATE_KEY] });
  const client = createPublicClient({ transport: http(config.RPC_URL, { retryCount: 2, timeout: 10_000 }) });
  const account = privateKeyToAccount(config.RELAYER_PRIVATE_KEY);

  // The chain may start after the relayer: 6 tries with backoff (about 30 s) before a clear message.
  const chainId = await waitForChain(client, { rpcUrl: config.RPC_URL, attempts: 6, firstBackoffMs: 500, logger });
  const { deployment, file: deploymentFile } = await readDeploymentFor(chainId, config.DEPLOYMENT_FILE);
  const store = RelayStore.open(config.RELAYER_DATA_DIR);
  const relayer = new Relayer({
    client,
    account,
    deployment,
    store,
    logger,
    budget: {
      dailyWei: config.RELAYER_BUDGET_DAILY_ETH,
      dailyTxs: config.RELAYER_BUDGET_DAILY_TXS,
      accountDailyWei: config.RELAYER_BUDGET_ACCOUNT_DAILY_ETH,
      accountDailyTxs: config.RELAYER_BUDGET_ACCOUNT_DAILY_TXS,
    },
    ratePerSigner: config.RELAYER_RATE_PER_SIGNER,
    maxReasonBytes: config.RELAYER_MAX_REASON_BYTES,
    expiryMarginS: config.RELAYER_EXPIRY_MARGIN_S,
    txTimeoutMs: config.RELAYER_TX_TIMEOUT_MS,
    feeBumpPercent: config.RELAYER_FEE_BUMP_PERCENT,
    fault: config.RELAYER_FAULT,
  });
  await relayer.init();
  const balance = await client.getBalance({ address: account.address });
  if (balance === 0n) logger.warn({ address: account.address }, "the relayer's key holds no ETH: every request will be refused until it is funded");

  const { server, port } = await startServer({
    relayer,
    host: config.RELAYER_HOST,
    port: config.RELAYER_PORT,
    corsOrigins: config.CORS_ORIGINS,
    ratePerIp: config.RELAYER_RATE_PER_IP,
    maxBodyBytes: config.RELAYER_MAX_BODY_BYTES,
    trustProxy: config.RELAYER_TRUST_PROXY,
    staleAfterMs: Math.max(60_000, config.RELAYER_POLL_INTERVAL_MS * 10),
  });
  logger.info(
    { port, chainId, address: account.address, balanceEth: formatEther(balance), deploymentFile, dataDir: config.RELAYER_DATA_DIR, budget: relayer.remaining() },
    "relayer started",
  );

  const stop = new AbortController();
  const shutdown = (signal: string) => {
    logger.info({ signal }, "stopping");
    stop.abort();
    server.close();
    store.close();
    process.exit(0);
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  await pollLoop({
    intervalMs: config.RELAYER_POLL_INTERVAL_MS,
    maxBackoffMs: config.RELAYER_MAX_BACKOFF_MS,
    signal: stop.signal,
    tick: async () => {
      await relayer.tick();
      relayer.lastError = null;
    },
    onError: (error, failures, retryInMs) => {
      relayer.metrics.pollErrors.inc();
      relayer.lastError = errorText(error).slice(0, 500);
      logger.error({ failures, retryInMs, err: relayer.lastError }, "poll failed; retrying with backoff");
    },
    onRecovered: (failures) => logger.info({ after: failures }, "RPC reachable again; polling resumed"),
  });
}

main().catch((error: unknown) => {
  // Config and startup errors: one clear message, no stack, no key.
  process.stderr.write(`relayer: ${scrubText(error instanceof Error ? error.message : String(error))}\n`);
  process.exit(1);
});
