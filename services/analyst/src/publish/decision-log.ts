import { getAddress, hexToString, keccak256, parseAbi, type Address, type Hex, type PublicClient } from "viem";

export const decisionLogAbi = parseAbi([
  "event DecisionPublished(uint256 decisionId, uint256 indexed proposalId, uint8 indexed kind, address indexed actor, uint8 risk, uint8 recommendation, bytes32 reportHash, bytes report)",
  "function publish(uint256 proposalId, uint8 kind, uint8 risk, uint8 recommendation, bytes32 reportHash, bytes report) returns (uint256 decisionId)",
  "function isPublisher(address account) view returns (bool)",
  "function latestDecision(uint256 proposalId, uint8 kind) view returns (uint256 decisionId, (uint256 proposalId, bytes32 reportHash, address actor, uint8 kind, uint8 risk, uint8 recommendation, uint48 timestamp) decision)",
  "function hasDecision(uint256 proposalId, uint8 kind) view returns (bool)",
]);

/** One DecisionPublished event, with the report's exact bytes as published. */
export interface PublishedDecision {
  decisionId: bigint;
  proposalId: bigint;
  kind: number;
  actor: Address;
  risk: number;
  recommendation: number;
  reportHash: Hex;
  /** The published bytes. */
  reportBytes: Hex;
  /** The published bytes as UTF-8 (the canonical JSON). */
  reportJson: string;
  txHash: Hex;
  blockNumber: bigint;
  logIndex: number;
}

export interface DecisionQuery {
  decisionLog: Address;
  fromBlock: bigint;
  toBlock?: bigint;
  proposalId?: bigint;
  kind?: number;
  actor?: Address;
}

/** Reads DecisionPublished events (filtered on the indexed proposal, kind and actor), oldest first. */
export async function readDecisions(client: PublicClient, q: DecisionQuery): Promise<PublishedDecision[]> {
  const logs = await client.getLogs({
    address: q.decisionLog,
    event: decisionLogAbi[0],
    args: {
      ...(q.proposalId !== undefined ? { proposalId: q.proposalId } : {}),
      ...(q.kind !== undefined ? { kind: q.kind } : {}),
      ...(q.actor !== undefined ? { actor: q.actor } : {}),
    },
    fromBlock: q.fromBlock,
    toBlock: q.toBlock ?? "latest",
    strict: true,
  });
  return logs.map((log) => ({
    decisionId: log.args.decisionId,
    proposalId: log.args.proposalId,
    kind: log.args.kind,
    actor: getAddress(log.args.actor),
    risk: log.args.risk,
    recommendation: log.args.recommendation,
    reportHash: log.args.reportHash,
    reportBytes: log.args.report,
    reportJson: hexToString(log.args.report),
    txHash: log.transactionHash!,
    blockNumber: log.blockNumber!,
    logIndex: log.logIndex!,
  }));
}

/**
 * Checks a published decision from its event alone: the bytes hash to the stored hash, and they
 * parse as JSON. Returns the parsed report.
 */
export function verifyDecision(d: Pick<PublishedDecision, "reportBytes" | "reportHash" | "reportJson">): { ok: boolean; computedHash: Hex; report: unknown } {
  const computedHash = keccak256(d.reportBytes);
  let report: unknown = null;
  try {
    report = JSON.parse(d.reportJson);
  } catch {
    return { ok: false, computedHash, report: null };
  }
  return { ok: computedHash === d.reportHash, computedHash, report };
}

/** The trigger recorded in a published report's provenance, if any. */
export function publishedTrigger(d: PublishedDecision): string | null {
  try {
    const parsed = JSON.parse(d.reportJson) as { provenance?: { trigger?: unknown } };
    return typeof parsed.provenance?.trigger === "string" ? parsed.provenance.trigger : null;
  } catch {
    return null;
  }
}
