import { getDecisions, verifyDecision, type PublishedDecision } from "@ai-dao/protocol";
import { decodeReportBytes, reportEncodingName, type ReportEncodingName } from "@ai-dao/reports";
import { stringToBytes, type Address, type Hex, type PublicClient } from "viem";

// Reading decisions straight from the chain (eth_getLogs on the DecisionLog) is
// `@ai-dao/protocol`'s getDecisions, and checking their bytes its verifyDecision: nothing here
// trusts the indexer or the analyst API. Compressed reports are inflated here, in the browser.

export interface Verification {
  /** keccak256 of the event's report bytes (as published: compressed when the encoding says so), computed here. */
  computedHash: Hex;
  /** The reportHash the event carries equals computedHash. */
  eventHashMatches: boolean;
  /** The hash the page was given (by the analyst API or the indexer) equals computedHash; null when none was given. */
  storedHashMatches: boolean | null;
  /** How the on-chain bytes encode the report (a ReportEncoding name); null for a value this app does not know. */
  encoding: ReportEncodingName | null;
  /** The on-chain bytes decode in their encoding (compressed ones inflate, within the size limit, to exactly one stream). */
  decodes: boolean;
  /** The decoded report is the canonical JSON (RFC 8785) of what it parses to, as every publisher writes it. */
  canonical: boolean;
  /** The report text on screen is byte for byte the decoded on-chain report. */
  shownMatches: boolean;
  /** The on-chain report's text (inflated when compressed; empty when it cannot be decoded). */
  onChainJson: string;
  ok: boolean;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * Compares a decision event's bytes with its hash and with the stored hash, decodes them in their
 * encoding, checks that the result is canonical JSON, and compares it with the report on screen.
 */
export function verifyAgainstShown(
  event: Pick<PublishedDecision, "reportBytes" | "reportHash" | "reportJson" | "encoding" | "reportProblem">,
  shown: { json: string; storedHash?: string | null },
): Verification {
  const { computedHash, canonical } = verifyDecision(event);
  const eventHashMatches = computedHash === event.reportHash.toLowerCase();
  const storedHashMatches = shown.storedHash ? shown.storedHash.toLowerCase() === computedHash : null;
  let decoded: Uint8Array | null = null;
  try {
    decoded = decodeReportBytes(event.encoding, event.reportBytes);
  } catch {
    decoded = null;
  }
  const shownMatches = decoded !== null && sameBytes(decoded, stringToBytes(shown.json));
  let encoding: ReportEncodingName | null = null;
  try {
    encoding = reportEncodingName(event.encoding);
  } catch {
    encoding = null;
  }
  return {
    computedHash,
    eventHashMatches,
    storedHashMatches,
    encoding,
    decodes: decoded !== null,
    canonical,
    shownMatches,
    onChainJson: event.reportJson,
    ok: eventHashMatches && storedHashMatches !== false && decoded !== null && canonical && shownMatches,
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
