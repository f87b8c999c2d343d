import type { Address } from "viem";

import type { Proposal } from "../proposal.ts";
import { createFork } from "./fork.ts";
import { simulateProposal, type SimulateArgs, type SimulationResult } from "./simulate.ts";

export { createFork, type Eip1193, type Fork, type ForkSource } from "./fork.ts";
export { simulateProposal, type SimulationEffects, type SimulationResult } from "./simulate.ts";
export { simulationSchema, simulationToJson, type SimulationReport } from "./schema.ts";

/** What the analysis knows about simulation: its result, or why there is none. */
export type SimulationOutcome =
  | { status: "simulated"; result: SimulationResult; forkUrl: string }
  | { status: "skipped"; reason: string }
  | { status: "failed"; reason: string };

/**
 * Forks the chain behind `forkUrl` at `blockNumber`, runs the proposal as the timelock, and closes the
 * fork. A fork that cannot be created (unreachable URL, no archive state) is a `failed` outcome with
 * the reason, not an exception: the rest of the analysis still stands.
 */
export async function runSimulation(args: {
  forkUrl: string;
  chainId: number;
  blockNumber: bigint;
  proposal: Proposal;
  contracts: { token: Address; governor: Address; timelock: Address; decisionLog: Address };
  tokens: readonly Address[];
  /** The DAO contracts' ABIs (an attached DAO's flavour); default the platform's. */
  abis?: SimulateArgs["abis"];
}): Promise<SimulationOutcome> {
  let fork;
  try {
    await probe(args.forkUrl);
    fork = await createFork({ url: args.forkUrl, blockNumber: args.blockNumber, chainId: args.chainId });
  } catch (error) {
    return { status: "failed", reason: `the chain could not be copied: ${firstLine(error)}` };
  }
  try {
    const result = await simulateProposal({
      provider: fork.provider,
      forkBlock: args.blockNumber,
      proposal: args.proposal,
      contracts: args.contracts,
      tokens: args.tokens,
      ...(args.abis !== undefined ? { abis: args.abis } : {}),
    });
    return { status: "simulated", result, forkUrl: args.forkUrl };
  } catch (error) {
    return { status: "failed", reason: `simulation failed: ${firstLine(error)}` };
  } finally {
    await fork.close().catch(() => undefined);
  }
}

/** The fork's client retries an unreachable URL for over a minute: fail fast with one request first. */
async function probe(url: string): Promise<void> {
  const parsed = new URL(url);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (parsed.username !== "") {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString("base64")}`;
    parsed.username = "";
    parsed.password = "";
  }
  const response = await fetch(parsed, {
    method: "POST",
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
    signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`the fork RPC answered HTTP ${response.status}`);
}

const PROBE_TIMEOUT_MS = 5_000;

/** The error's message on one line, at most 300 characters. */
function firstLine(error: unknown): string {
  const e = error as { shortMessage?: string; message?: string };
  // Credentials embedded in a URL (`https://user:key@host`) never reach the report.
  const text = (e.shortMessage ?? e.message ?? String(error))
    .replace(/\s*\n\s*/g, " ")
    .replace(/\/\/[^/@\s]+@/g, "//")
    .trim();
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
