import { createContext, useContext, type ReactNode } from "react";
import { createPublicClient, defineChain, http, type Chain, type PublicClient } from "viem";

import { createAnalystApi, type AnalystApi } from "./analyst.ts";
import type { RuntimeConfig } from "./config.ts";
import { createGraphQLClient, type GraphQLClient } from "./graphql.ts";

/** Everything a page talks to, built once from /config.json. */
export interface Services {
  config: RuntimeConfig;
  chain: Chain;
  publicClient: PublicClient;
  gql: GraphQLClient;
  analyst: AnalystApi;
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
