// Wires the parts together for a running indexer: subgraph build, store, chain client, follower and
// HTTP server. main.ts, the tests and the benchmark all start the indexer through here.
import { treasuryAssetSources, type Deployment } from "@ai-dao/deployment";
import { createLogger, type Logger } from "@ai-dao/service-kit";
import { dataSourcesFor } from "@ai-dao/subgraph/data-sources";

import { Indexer, chainIdentity } from "./chain/indexer.ts";
import { rpcClient } from "./chain/rpc-client.ts";
import { type RunningServer, type ServerLimits, serve } from "./graphql/server.ts";
import { EntityStore } from "./store/store.ts";
import { type DataSourceOverrides, type Subgraph, loadSubgraph } from "./subgraph.ts";

/**
 * Which deployment contract each of the deployment's data sources watches: the platform's own, or
 * for an attached DAO its Governor flavour's and timelock kind's (the subgraph's own choice).
 */
export function dataSourceContracts(deployment: Deployment): Record<string, keyof Deployment["contracts"]> {
  return Object.fromEntries(dataSourcesFor(deployment).map((source) => [source.name, source.contract]));
}

/** Addresses and start block of every data source (the DAO's contracts and listed treasury assets), from a deployment file. */
export function overridesFromDeployment(deployment: Deployment): DataSourceOverrides {
  return Object.fromEntries([
    ...Object.entries(dataSourceContracts(deployment)).map(([name, key]) => [name, { address: deployment.contracts[key], startBlock: deployment.startBlock }]),
    ...treasuryAssetSources(deployment).map((asset) => [asset.name, { address: asset.address, startBlock: deployment.startBlock }]),
  ]);
}

export { rpcClient };

export interface AppOptions {
  buildDir: string;
  rpcUrl: string;
  dataDir: string;
  port: number;
  host?: string;
  /** Addresses and start blocks to use instead of the manifest's. */
  overrides?: DataSourceOverrides;
  pollIntervalMs?: number;
  batchSize?: number;
  maxBackoffMs?: number;
  corsOrigins?: string[];
  limits?: Partial<ServerLimits>;
  logger?: Logger;
}

export interface App {
  subgraph: Subgraph;
  store: EntityStore;
  indexer: Indexer;
  server: RunningServer;
  url: string;
  stop(): Promise<void>;
}

/** Loads the build, opens the store for this chain, starts following it and serving queries. */
export async function startApp(options: AppOptions): Promise<App> {
  const logger = options.logger ?? createLogger({ name: "indexer" });
  const subgraph = await loadSubgraph(options.buildDir, options.overrides);
  const client = rpcClient(options.rpcUrl);
  const identity = await chainIdentity(client, subgraph);
  const store = EntityStore.open(options.dataDir, subgraph.schema, identity, (reason, movedTo) =>
    logger.warn({ reason, movedTo }, "the data directory belongs to another chain or build; moved it aside and indexing from scratch"),
  );
  const cursor = store.cursor();
  logger.info(
    { chainId: identity.chainId, startBlock: subgraph.startBlock, resumeAfter: cursor?.number ?? null, deployment: subgraph.deployment },
    cursor ? "resuming from the stored cursor" : "indexing from the start block",
  );
  const indexer = new Indexer({
    subgraph,
    store,
    client,
    rpcUrl: options.rpcUrl,
    logger,
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.maxBackoffMs !== undefined ? { maxBackoffMs: options.maxBackoffMs } : {}),
  });
  const server = await serve({
    subgraph,
    store,
    indexer,
    logger,
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  indexer.start();
  logger.info({ url: server.url }, "serving GraphQL");
  return {
    subgraph,
    store,
    indexer,
    server,
    url: server.url,
    async stop() {
      await indexer.stop();
      await server.close();
      store.close();
    },
  };
}
