import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import { useServices } from "./services.tsx";

interface ChainTime {
  /** The latest block's number and timestamp. */
  number: bigint;
  timestamp: bigint;
  /** Wall-clock ms when this block was first seen: the time since then is added to its timestamp. */
  seenAt: number;
}

function useLatestBlock(): ChainTime | undefined {
  const { publicClient } = useServices();
  const queryClient = useQueryClient();
  const { data } = useQuery({
    queryKey: ["chain-time"],
    queryFn: async (): Promise<ChainTime> => {
      const block = await publicClient.getBlock({ blockTag: "latest" });
      const previous = queryClient.getQueryData<ChainTime>(["chain-time"]);
      // The same block again: keep when it was first seen, or a countdown would jump back at each poll
      // on a chain that mines only on transactions (a local node).
      if (previous && previous.number === block.number && previous.timestamp === block.timestamp) return previous;
      return { number: block.number, timestamp: block.timestamp, seenAt: Date.now() };
    },
    refetchInterval: 3_000,
  });
  return data;
}

/**
 * The chain's time: the latest block's timestamp, polled, advanced with the wall clock between polls
 * (so countdowns tick every second) and reset to the chain's own time whenever a new block is seen.
 * The Governor's clock is block.timestamp, so time-based states follow the chain (which a local
 * chain may have moved ahead), not the wall clock; the next block is mined at about this time.
 */
export function useChainTime(): bigint | null {
  const data = useLatestBlock();
  const [, tick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => tick((n) => n + 1), 1_000);
    return () => clearInterval(id);
  }, []);
  if (!data) return null;
  return data.timestamp + BigInt(Math.max(0, Math.floor((Date.now() - data.seenAt) / 1000)));
}

/** The latest block's timestamp without the ticking (for query keys that must not change every second). */
export function useBlockTime(): bigint | null {
  return useLatestBlock()?.timestamp ?? null;
}

/**
 * The Governor's clock, in its own unit (ERC-6372): for the platform's timestamp clock the chain time
 * above (`now` ticking, `latest` the latest block's); for a block-number clock (an attached
 * OpenZeppelin 4.x or Compound Governor) the latest block's number for both. Proposal windows
 * (`voteStart`, `voteEnd`) are in this unit; an eta is always a timestamp (the timelock's clock).
 */
export function useGovernorClock(): { now: bigint; latest: bigint } | null {
  const { config } = useServices();
  const block = useLatestBlock();
  const time = useChainTime();
  if (!block || time === null) return null;
  return config.governance.clock === "blocknumber" ? { now: block.number, latest: block.number } : { now: time, latest: block.timestamp };
}

/**
 * Seconds per unit of the Governor's clock, for countdowns: 1 for timestamps; for block numbers the
 * chain's own average over its last 100 blocks (12 s, Ethereum's slot, until it can be measured).
 */
export function useSecondsPerClockUnit(): number {
  const { config, publicClient } = useServices();
  const block = useLatestBlock();
  const blocks = config.governance.clock === "blocknumber";
  const { data } = useQuery({
    queryKey: ["seconds-per-block", block ? String(block.number / 100n) : null],
    enabled: blocks && block !== undefined && block.number > 100n,
    queryFn: async () => {
      const earlier = await publicClient.getBlock({ blockNumber: block!.number - 100n });
      const average = Number(block!.timestamp - earlier.timestamp) / 100;
      return average >= 0.1 && average <= 600 ? average : 12;
    },
    staleTime: Infinity,
  });
  return blocks ? (data ?? 12) : 1;
}
