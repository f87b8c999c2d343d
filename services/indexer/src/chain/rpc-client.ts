// The JSON-RPC client the indexer reads the chain with (the follower's thread and the fetch worker alike).
import { createPublicClient, http, type PublicClient } from "viem";

export function rpcClient(rpcUrl: string): PublicClient {
  return createPublicClient({
    transport: http(rpcUrl, { retryCount: 0, timeout: 15_000, batch: { batchSize: 100, wait: 0 } }),
    cacheTime: 0,
  }) as PublicClient;
}
