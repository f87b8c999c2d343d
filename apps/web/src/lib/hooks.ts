import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import { useServices } from "./services.tsx";

/**
 * The chain's time: the latest block's timestamp, polled. The Governor's clock is block.timestamp,
 * so time-based states follow the chain (which a local chain may have moved ahead), not the wall
 * clock. Between polls it advances with the wall clock, except on the local chain, whose time only
 * moves when a block is mined.
 */
export function useChainTime(): bigint | null {
  const { publicClient, config } = useServices();
  const { data } = useQuery({
    queryKey: ["chain-time"],
    queryFn: async () => {
      const block = await publicClient.getBlock({ blockTag: "latest" });
      return { timestamp: block.timestamp, fetchedAt: Date.now() };
    },
    refetchInterval: 3_000,
  });
  const [, tick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => tick((n) => n + 1), 1_000);
    return () => clearInterval(id);
  }, []);
  if (!data) return null;
  if (config.chainId === 31337) return data.timestamp;
  return data.timestamp + BigInt(Math.floor((Date.now() - data.fetchedAt) / 1000));
}
