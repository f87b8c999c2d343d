// The indexer under abusive load: several clients (worker threads, each its own loopback address)
// send, in loops, the nested flood query, a 32,766-id `id_in`, and 1,000-branch `or` filters (in
// variables and inline); meanwhile one normal client asks the web app's proposal list query and
// its latency is measured. A second round has the abusers send the largest query within the limits
// (the auditor's proposals × votes) instead.
import { Agent, request } from "node:http";
import { Worker } from "node:worker_threads";

import { percentile } from "./latency.ts";

const FLOOD = `{ accounts(first: 1000) { id votes(first: 1000) { id proposal { id votes(first: 1000) { id voter { id votes(first: 1000) { id proposal { id title } } } } } } } }`;

/** The web app's proposal list (apps/web/src/lib/queries.ts PROPOSALS_QUERY, 20 a page). */
export const NORMAL_QUERY = `query Proposals($first: Int!, $skip: Int!) {
  proposals(first: $first, skip: $skip, orderBy: createdTimestamp, orderDirection: desc) {
    id proposalId title proposer { id } status voteStart voteEnd forVotes againstVotes abstainVotes
    eta voterCount createdTimestamp timelockOperation { status }
    decisions(where: { kind: ANALYSIS }, orderBy: decisionId, orderDirection: desc, first: 1) { risk recommendation }
  }
  governors(first: 1) { quorumNumerator }
  tokens(first: 1) { totalSupply }
}`;

export function abusiveBodies(): string[] {
  const ids = Array.from({ length: 32_766 }, (_, i) => `0x${i.toString(16).padStart(40, "0")}`);
  const branches = Array.from({ length: 1000 }, (_, i) => ({ voterCount: i }));
  return [
    JSON.stringify({ query: FLOOD }),
    JSON.stringify({ query: `query ($ids: [ID!]) { accounts(where: { id_in: $ids }) { id } }`, variables: { ids } }),
    JSON.stringify({ query: `query ($w: Proposal_filter) { proposals(where: $w) { id } }`, variables: { w: { or: branches } } }),
    JSON.stringify({ query: `{ proposals(where: { or: [${branches.map((b) => `{voterCount:${b.voterCount}}`).join(",")}] }) { id } }` }),
  ];
}

export const HEAVY_ALLOWED = JSON.stringify({
  query: `{ proposals(first: 100, orderBy: createdTimestamp, orderDirection: desc) { id title votes(first: 1000) { voter { id } support weight reason } } }`,
});

function post(url: string, body: string, agent: Agent): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

export interface AbuseResult {
  samples: number;
  p50: number;
  p95: number;
  max: number;
  failures: number;
  /** Answers the abusers got, by HTTP status. */
  abuserAnswers: Record<string, number>;
}

/**
 * Normal-query latency while `clients` abusive clients (each `streams` request loops) send `bodies`
 * for `durationMs`; with `clients` 0, the baseline.
 */
export async function measure(url: string, options: { bodies: string[]; clients: number; streams: number; durationMs: number }): Promise<AbuseResult> {
  const workers = Array.from(
    { length: options.clients },
    (_, i) => new Worker(new URL("./abuser.mjs", import.meta.url), { workerData: { url, from: `127.0.0.${11 + i}`, bodies: options.bodies, streams: options.streams } }),
  );
  const results = workers.map((w) => new Promise<Record<string, number>>((resolve, reject) => (w.once("message", resolve), w.once("error", reject))));
  if (workers.length) await new Promise((resolve) => setTimeout(resolve, 1_000));
  const agent = new Agent({ keepAlive: true, localAddress: "127.0.0.20", maxSockets: 1 });
  const body = JSON.stringify({ query: NORMAL_QUERY, variables: { first: 20, skip: 0 } });
  const latencies: number[] = [];
  let failures = 0;
  const end = performance.now() + options.durationMs;
  while (performance.now() < end) {
    const t = performance.now();
    const reply = await post(url, body, agent);
    latencies.push(performance.now() - t);
    if (reply.status !== 200 || !(JSON.parse(reply.text) as { data?: { proposals?: unknown[] } }).data?.proposals) failures++;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  agent.destroy();
  for (const w of workers) w.postMessage("stop");
  const answers: Record<string, number> = {};
  for (const counts of await Promise.all(results)) for (const [status, n] of Object.entries(counts)) answers[status] = (answers[status] ?? 0) + n;
  await Promise.all(workers.map((w) => w.terminate()));
  return { samples: latencies.length, p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: Math.max(...latencies), failures, abuserAnswers: answers };
}
