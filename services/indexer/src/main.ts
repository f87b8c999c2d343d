// The indexer as a process: `node src/main.ts` (or `npm start -w @ai-dao/indexer`).
// Configuration from the environment, checked at start; see README.md for every variable.
import path from "node:path";

import { ConfigError, readDeployment } from "@ai-dao/deployment";
import { corsOrigins, createLogger, int, loadEnv, logLevel, nonEmpty, port, positiveInt, repoRoot, resolveDeploymentFile, url, waitForChain } from "@ai-dao/service-kit";
import { z } from "zod";

import { overridesFromDeployment, rpcClient, startApp } from "./app.ts";
import { defaultServerLimits } from "./graphql/server.ts";
import { defaultBuildDir, ensureBuild } from "./build.ts";

/** A whole-number limit from the environment, at least `min`. */
const limit = (fallback: number, min = 1) => int({ min }).default(fallback);

/** Everything the indexer reads from the environment (or `.env` at the repository root). */
const envSchema = z.object({
  RPC_URL: url({ example: "http://127.0.0.1:8545" }).default("http://127.0.0.1:8545"),
  DEPLOYMENT_FILE: nonEmpty().optional(),
  INDEXER_PORT: port().default(8000),
  INDEXER_HOST: nonEmpty().default("127.0.0.1"),
  INDEXER_DATA_DIR: nonEmpty().default(path.join(repoRoot, ".data/indexer")),
  INDEXER_POLL_INTERVAL_MS: int({ min: 10 }).default(1000),
  INDEXER_BATCH_SIZE: positiveInt({ max: 100_000 }).default(2000),
  SUBGRAPH_BUILD_DIR: nonEmpty().optional(),
  CORS_ORIGINS: corsOrigins(),
  // Query limits (src/server.ts, src/graphql.ts): see the README's table.
  INDEXER_MAX_COST: limit(defaultServerLimits.maxCost),
  INDEXER_QUERY_TIMEOUT_MS: limit(defaultServerLimits.timeLimitMs),
  INDEXER_MAX_BODY_BYTES: limit(defaultServerLimits.maxBodyBytes),
  INDEXER_MAX_VARIABLES_BYTES: limit(defaultServerLimits.maxVariablesBytes),
  INDEXER_MAX_QUERY_LENGTH: limit(defaultServerLimits.maxQueryLength),
  INDEXER_MAX_DEPTH: limit(defaultServerLimits.maxDepth),
  INDEXER_MAX_ALIASES: limit(defaultServerLimits.maxAliases, 0),
  INDEXER_MAX_FIRST: limit(defaultServerLimits.maxFirst),
  INDEXER_MAX_SKIP: limit(defaultServerLimits.maxSkip, 0),
  INDEXER_MAX_ENTITIES: limit(defaultServerLimits.maxEntities),
  INDEXER_MAX_IN_LIST: limit(defaultServerLimits.maxInList),
  INDEXER_MAX_FILTER_BRANCHES: limit(defaultServerLimits.maxFilterBranches, 0),
  INDEXER_MAX_FILTER_DEPTH: limit(defaultServerLimits.maxFilterDepth),
  INDEXER_MAX_CONCURRENT_PER_CLIENT: limit(defaultServerLimits.maxConcurrentPerClient),
  INDEXER_MAX_QUEUED_PER_CLIENT: limit(defaultServerLimits.maxQueuedPerClient, 0),
  INDEXER_QUEUE_WAIT_MS: limit(defaultServerLimits.queueWaitMs, 0),
  LOG_LEVEL: logLevel(),
});

async function main(): Promise<void> {
  let env: z.output<typeof envSchema>;
  try {
    env = loadEnv(envSchema, { service: "indexer" });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    console.error("Fix the variables above (environment or .env; see services/indexer/README.md) and start again.");
    process.exit(1);
  }
  const logger = createLogger({ name: "indexer", level: env.LOG_LEVEL });

  let deploymentFile = env.DEPLOYMENT_FILE;
  if (!deploymentFile) {
    let chainId: number;
    try {
      chainId = await waitForChain(rpcClient(env.RPC_URL), { rpcUrl: env.RPC_URL, logger });
    } catch (error) {
      console.error(`${(error as Error).message} (npm run node starts a local one)`);
      process.exit(1);
    }
    deploymentFile = resolveDeploymentFile(undefined, chainId);
  }
  let deployment;
  try {
    deployment = await readDeployment(path.resolve(deploymentFile));
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`DEPLOYMENT_FILE: ${error.message}`);
      console.error("Deploy the DAO first (npm run deploy -- --network localhost) or point DEPLOYMENT_FILE at a deployment file.");
      process.exit(1);
    }
    throw error;
  }

  const buildDir = env.SUBGRAPH_BUILD_DIR ?? defaultBuildDir;
  if (!env.SUBGRAPH_BUILD_DIR) await ensureBuild(path.resolve(deploymentFile), deployment, logger);

  const app = await startApp({
    buildDir,
    rpcUrl: env.RPC_URL,
    dataDir: env.INDEXER_DATA_DIR,
    port: env.INDEXER_PORT,
    host: env.INDEXER_HOST,
    overrides: overridesFromDeployment(deployment),
    pollIntervalMs: env.INDEXER_POLL_INTERVAL_MS,
    batchSize: env.INDEXER_BATCH_SIZE,
    corsOrigins: env.CORS_ORIGINS,
    limits: {
      maxCost: env.INDEXER_MAX_COST,
      timeLimitMs: env.INDEXER_QUERY_TIMEOUT_MS,
      maxBodyBytes: env.INDEXER_MAX_BODY_BYTES,
      maxVariablesBytes: env.INDEXER_MAX_VARIABLES_BYTES,
      maxQueryLength: env.INDEXER_MAX_QUERY_LENGTH,
      maxDepth: env.INDEXER_MAX_DEPTH,
      maxAliases: env.INDEXER_MAX_ALIASES,
      maxFirst: env.INDEXER_MAX_FIRST,
      maxSkip: env.INDEXER_MAX_SKIP,
      maxEntities: env.INDEXER_MAX_ENTITIES,
      maxInList: env.INDEXER_MAX_IN_LIST,
      maxFilterBranches: env.INDEXER_MAX_FILTER_BRANCHES,
      maxFilterDepth: env.INDEXER_MAX_FILTER_DEPTH,
      maxConcurrentPerClient: env.INDEXER_MAX_CONCURRENT_PER_CLIENT,
      maxQueuedPerClient: env.INDEXER_MAX_QUEUED_PER_CLIENT,
      queueWaitMs: env.INDEXER_QUEUE_WAIT_MS,
    },
    logger,
  });
  const shutdown = async (signal: string) => {
    logger.info({ signal }, "stopping");
    await app.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

await main();
