import { getAbiItem, hexToString, keccak256, stringToBytes, type Address, type Hex, type PublicClient } from "viem";

import { decisionLogAbi } from "../generated/abis.ts";

const decisionPublished = getAbiItem({ abi: decisionLogAbi, name: "DecisionPublished" });

export interface DecisionEvent {
  decisionId: bigint;
  proposalId: bigint;
  kind: number;
  actor: Address;
  risk: number;
  recommendation: number;
  reportHash: Hex;
  report: Hex;
  transactionHash: Hex;
  blockNumber: bigint;
}

/**
 * Reads the DecisionPublished events of a proposal straight from the chain (eth_getLogs on the
 * DecisionLog), newest last. Nothing here trusts the indexer or the analyst API.
 */
export async function fetchDecisionEvents(
  client: Pick<PublicClient, "getLogs">,
  decisionLog: Address,
  filter: { proposalId: bigint; kind?: number; fromBlock?: bigint },
): Promise<DecisionEvent[]> {
  const logs = await client.getLogs({
    address: decisionLog,
    event: decisionPublished,
    args: filter.kind === undefined ? { proposalId: filter.proposalId } : { proposalId: filter.proposalId, kind: filter.kind },
    fromBlock: filter.fromBlock ?? 0n,
    toBlock: "latest",
    strict: true,
  });
  return logs.map((log) => ({
    decisionId: log.args.decisionId,
    proposalId: log.args.proposalId,
    kind: log.args.kind,
    actor: log.args.actor,
    risk: log.args.risk,
    recommendation: log.args.recommendation,
    reportHash: log.args.reportHash,
    report: log.args.report,
    transactionHash: log.transactionHash,
    blockNumber: log.blockNumber,
  }));
}

export interface Verification {
  /** keccak256 of the event's report bytes, computed here. */
  computedHash: Hex;
  /** The reportHash the event carries equals computedHash. */
  eventHashMatches: boolean;
  /** The hash the page was given (by the analyst API or the indexer) equals computedHash; null when none was given. */
  storedHashMatches: boolean | null;
  /** The report text on screen is byte for byte the report in the event. */
  shownMatches: boolean;
  /** The on-chain report, decoded as UTF-8. */
  onChainJson: string;
  ok: boolean;
}

/** Compares a decision event's bytes with its hash, with the stored hash, and with the report on screen. */
export function verifyDecision(event: Pick<DecisionEvent, "report" | "reportHash">, shown: { json: string; storedHash?: string | null }): Verification {
  const computedHash = keccak256(event.report);
  const eventHashMatches = computedHash === event.reportHash.toLowerCase();
  const storedHashMatches = shown.storedHash ? shown.storedHash.toLowerCase() === computedHash : null;
  const shownMatches = keccak256(stringToBytes(shown.json)) === computedHash;
  return {
    computedHash,
    eventHashMatches,
    storedHashMatches,
    shownMatches,
    onChainJson: hexToString(event.report),
    ok: eventHashMatches && storedHashMatches !== false && shownMatches,
  };
}

/** Fetches the event of `decisionId` (or the latest of `kind`) for a proposal and verifies it against what is shown. */
export async function verifyOnChain(
  client: Pick<PublicClient, "getLogs">,
  decisionLog: Address,
  target: { proposalId: bigint; decisionId?: bigint; kind?: number; fromBlock?: bigint },
  shown: { json: string; storedHash?: string | null },
): Promise<Verification & { event: DecisionEvent }> {
  const events = await fetchDecisionEvents(client, decisionLog, target);
  const event = target.decisionId === undefined ? events.at(-1) : events.find((e) => e.decisionId === target.decisionId);
  if (event === undefined) {
    throw new Error(
      target.decisionId === undefined
        ? `no DecisionPublished event for proposal ${target.proposalId} on chain`
        : `decision ${target.decisionId} of proposal ${target.proposalId} is not on chain`,
    );
  }
  return { ...verifyDecision(event, shown), event };
}
