import { createContext, useContext, type ReactNode } from "react";
import { createPublicClient, defineChain, http, type Chain, type PublicClient } from "viem";

import { createAnalystApi, type AnalystApi } from "./analyst.ts";
import type { RuntimeConfig } from "./config.ts";
import { fetchService } from "./errors.ts";
import { createGraphQLClient, type GraphQLClient } from "./graphql.ts";

/** Everything a page talks to, built once from /config.json. */
export interface Services {
  config: RuntimeConfig;
  chain: Chain;
  publicClient: PublicClient;
  gql: GraphQLClient;
  analyst: AnalystApi;
  /** The executor's HTTP side, when config.json names it. */
  executor: ExecutorApi | undefined;
}

/** What the executor's `GET /health` says about itself (the rest of its body is not relied on). */
export interface ExecutorHealth {
  /** The account it queues, executes and publishes guard decisions with. */
  address: `0x${string}` | null;
}

export interface ExecutorApi {
  health(): Promise<ExecutorHealth>;
}

/** Client of the executor's `GET /health`; it answers 503 with the same body when its last poll is stale. */
export function createExecutorApi(baseUrl: string, fetchImpl?: typeof fetch): ExecutorApi {
  const url = `${baseUrl.replace(/\/$/, "")}/health`;
  return {
    async health() {
      const response = await fetchService("the executor", url, undefined, fetchImpl);
      const body = (await response.json().catch(() => null)) as { address?: unknown } | null;
      if (body === null) throw new Error(`the executor at ${url} answered HTTP ${response.status} without JSON`);
      const address = typeof body.address === "string" && /^0x[0-9a-fA-F]{40}$/.test(body.address) ? (body.address as `0x${string}`) : null;
      return { address };
    },
  };
}

export function chainFromConfig(config: RuntimeConfig): Chain {
  return defineChain({
    id: config.chainId,
    name: config.chainId === 31337 ? "Local chain" : `Chain ${config.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
}

export function createServices(config: RuntimeConfig, fetchImpl?: typeof fetch): Services {
  const chain = chainFromConfig(config);
  const publicClient = createPublicClient({
    chain,
    transport: http(config.rpcUrl, fetchImpl ? { fetchFn: fetchImpl } : {}),
    pollingInterval: 1_000,
  }) as PublicClient;
  return {
    config,
    chain,
    publicClient,
    gql: createGraphQLClient(config.indexerUrl, fetchImpl),
    analyst: createAnalystApi(config.analystUrl, fetchImpl),
    executor: config.executorUrl ? createExecutorApi(config.executorUrl, fetchImpl) : undefined,
  };
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (services === null) throw new Error("useServices outside ServicesProvider");
  return services;
}
