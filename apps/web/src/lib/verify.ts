import { getDecisions, type PublishedDecision } from "@ai-dao/protocol";
import { keccak256, stringToBytes, type Address, type Hex, type PublicClient } from "viem";

// Reading decisions straight from the chain (eth_getLogs on the DecisionLog) is
// `@ai-dao/protocol`'s getDecisions: nothing here trusts the indexer or the analyst API.

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
export function verifyAgainstShown(event: Pick<PublishedDecision, "reportBytes" | "reportHash" | "reportJson">, shown: { json: string; storedHash?: string | null }): Verification {
  const computedHash = keccak256(event.reportBytes);
  const eventHashMatches = computedHash === event.reportHash.toLowerCase();
  const storedHashMatches = shown.storedHash ? shown.storedHash.toLowerCase() === computedHash : null;
  const shownMatches = keccak256(stringToBytes(shown.json)) === computedHash;
  return {
    computedHash,
    eventHashMatches,
    storedHashMatches,
    shownMatches,
    onChainJson: event.reportJson,
    ok: eventHashMatches && storedHashMatches !== false && shownMatches,
  };
}

/** Fetches the event of `decisionId` (or the latest of `kind`) for a proposal and verifies it against what is shown. */
export async function verifyOnChain(
  client: Pick<PublicClient, "getLogs">,
  decisionLog: Address,
  target: { proposalId: bigint; decisionId?: bigint; kind?: number; fromBlock?: bigint },
  shown: { json: string; storedHash?: string | null },
): Promise<Verification & { event: PublishedDecision }> {
  const events = await getDecisions(client, { decisionLog, proposalId: target.proposalId, kind: target.kind, fromBlock: target.fromBlock ?? 0n });
  const event = target.decisionId === undefined ? events.at(-1) : events.find((e) => e.decisionId === target.decisionId);
  if (event === undefined) {
    throw new Error(
      target.decisionId === undefined
        ? `no DecisionPublished event for proposal ${target.proposalId} on chain`
        : `decision ${target.decisionId} of proposal ${target.proposalId} is not on chain`,
    );
  }
  return { ...verifyAgainstShown(event, shown), event };
}
