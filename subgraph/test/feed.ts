// Feeds a chain's logs to the compiled mappings the way graph-node does: every log of a manifest's
// data sources, in chain order, to the handler the manifest names for its event (logs of events the
// manifest does not list are skipped, as graph-node skips them).
import { readFile } from "node:fs/promises";
import path from "node:path";

import { type Abi, type Hex, type PublicClient, decodeEventLog } from "viem";

import { MappingInstance, type Store } from "./wasm-host.ts";

/** The part of a generated manifest the feed reads. */
export interface ManifestDataSources {
  dataSources: {
    name: string;
    source: { address: string; abi: string; startBlock: number };
    mapping: { abis: { name: string; file: string }[]; eventHandlers: { event: string; handler: string }[] };
  }[];
}

export interface FedSource {
  name: string;
  address: string;
  mapping: MappingInstance;
}

/**
 * Loads each data source of `manifest` (written in `manifestDir`, so its ABI paths are relative to
 * it) from `buildDir`, feeds every log from the start block on, and returns the sources with their
 * mapping's log lines. `wasmOf` names the build folder of a data source's WASM (every treasury asset
 * runs the same mapping, and a test build holds only TreasuryAsset0).
 */
export async function feedChain(
  publicClient: PublicClient,
  manifest: ManifestDataSources,
  manifestDir: string,
  buildDir: string,
  store: Store,
  wasmOf: (name: string) => string = (name) => name,
): Promise<FedSource[]> {
  const sources = await Promise.all(
    manifest.dataSources.map(async (source) => {
      const abiFile = path.resolve(manifestDir, source.mapping.abis[0]!.file);
      const handlers = new Map(source.mapping.eventHandlers.map((h) => [h.event.slice(0, h.event.indexOf("(")), h.handler]));
      return {
        name: source.name,
        address: source.source.address.toLowerCase(),
        handlers,
        abi: JSON.parse(await readFile(abiFile, "utf8")) as Abi,
        mapping: await MappingInstance.load(path.join(buildDir, wasmOf(source.name), `${wasmOf(source.name)}.wasm`), abiFile, store),
      };
    }),
  );
  const fromBlock = BigInt(Math.min(...manifest.dataSources.map((source) => source.source.startBlock)));
  const chainLogs = await publicClient.getLogs({ address: sources.map((source) => source.address as Hex), fromBlock });
  chainLogs.sort((a, b) => Number(a.blockNumber - b.blockNumber) || a.logIndex - b.logIndex);
  const timestamps = new Map<bigint, bigint>();
  for (const log of chainLogs) {
    for (const source of sources.filter((s) => s.address === log.address.toLowerCase())) {
      let decoded;
      try {
        decoded = decodeEventLog({ abi: source.abi, data: log.data, topics: log.topics });
      } catch {
        continue; // an event the data source's ABI does not have
      }
      const handler = source.handlers.get(decoded.eventName!);
      if (handler === undefined) continue;
      if (!timestamps.has(log.blockNumber)) {
        timestamps.set(log.blockNumber, (await publicClient.getBlock({ blockNumber: log.blockNumber })).timestamp);
      }
      source.mapping.handle(
        decoded.eventName!,
        {
          address: log.address,
          block: log.blockNumber,
          timestamp: timestamps.get(log.blockNumber)!,
          tx: log.transactionHash,
          logIndex: BigInt(log.logIndex),
          args: decoded.args as unknown as Record<string, unknown>,
        },
        handler,
      );
    }
  }
  return sources;
}
