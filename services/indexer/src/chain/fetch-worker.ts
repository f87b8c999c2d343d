// The worker thread that fetches batches for the follower (see fetch.ts): asked for a block range,
// it answers with the range's triggers decoded and their blocks, or with the error's message.
import { parentPort, workerData } from "node:worker_threads";

import { BatchFetcher, type SourceFilter } from "./fetch.ts";
import { rpcClient } from "./rpc-client.ts";

const { rpcUrl, sources } = workerData as { rpcUrl: string; sources: SourceFilter[] };
const fetcher = new BatchFetcher(rpcClient(rpcUrl), sources);

parentPort!.on("message", (request: { id: number; from: number; to: number; previous?: number }) => {
  fetcher.batch(request.from, request.to, request.previous).then(
    (batch) => parentPort!.postMessage({ id: request.id, batch }),
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: (error as Error)?.message ?? String(error) }),
  );
});
parentPort!.postMessage("ready");
