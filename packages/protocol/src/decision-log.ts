// Reading the DecisionLog, as plain functions over a viem client. Every decision is a
// DecisionPublished event carrying the report's exact bytes and their encoding; these functions
// read them straight from the chain, so nothing here trusts an indexer or an API.
import { canonicalJson, decodeReportBytes, ReportDecodeError } from "@ai-dao/reports";
import { getAbiItem, getAddress, keccak256, type Address, type Hex, type PublicClient } from "viem";

import { decisionLogAbi } from "./abis.ts";
import { decodeRevert, revertDataOf } from "./revert.ts";


const decisionPublished = getAbiItem({ abi: decisionLogAbi, name: "DecisionPublished" });

/** One DecisionPublished event, with the report's exact bytes as published. */
export interface PublishedDecision {
  decisionId: bigint;
  proposalId: bigint;
  kind: number;
  actor: Address;
  risk: number;
  recommendation: number;
  reportHash: Hex;
  /** IDecisionLog.ReportEncoding of the bytes: 0 Json, 1 DeflateRaw, 2 DeflateRawDictionary1. */
  encoding: number;
  /** The published bytes, as the event carries them (compressed when `encoding` says so). */
  reportBytes: Hex;
  /**
   * The report's text: the bytes decoded as `encoding` says, as UTF-8 (nothing dropped; invalid
   * sequences as U+FFFD). Empty when they cannot be decoded; `reportProblem` then says why.
   */
  reportJson: string;
  /** Why the bytes could not be decoded (corrupt or oversized compressed data), or null. */
  reportProblem: string | null;
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

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

function hexBytes(hex: Hex): Uint8Array {
  const body = hex.slice(2);
  const out = new Uint8Array(body.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(body.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The text of a report's bytes in their encoding, or why there is none. */
function reportText(encoding: number, bytes: Hex): { reportJson: string; reportProblem: string | null } {
  try {
    return { reportJson: utf8.decode(decodeReportBytes(encoding, hexBytes(bytes))), reportProblem: null };
  } catch (error) {
    if (error instanceof ReportDecodeError) return { reportJson: "", reportProblem: error.message };
    throw error;
  }
}

/** DecisionPublished events, filtered on the indexed proposal, kind and actor, oldest first. */
export async function getDecisions(client: Pick<PublicClient, "getLogs">, q: DecisionQuery): Promise<PublishedDecision[]> {
  const logs = await client.getLogs({
    address: q.decisionLog,
    event: decisionPublished,
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
    encoding: log.args.encoding,
    reportBytes: log.args.report,
    ...reportText(log.args.encoding, log.args.report),
    txHash: log.transactionHash!,
    blockNumber: log.blockNumber!,
    logIndex: log.logIndex!,
  }));
}

/**
 * The id and risk of the latest decision of `kind` for a proposal, as the DecisionLog stores them
 * (one view call), or null when there is none. Its report hash and bytes are in the
 * DecisionPublished event with that id.
 */
export async function getLatestDecisionId(
  client: Pick<PublicClient, "readContract">,
  q: { decisionLog: Address; proposalId: bigint; kind: number },
): Promise<{ decisionId: bigint; risk: number } | null> {
  try {
    const [decisionId, risk] = await client.readContract({ address: q.decisionLog, abi: decisionLogAbi, functionName: "latestDecision", args: [q.proposalId, q.kind] });
    return { decisionId, risk };
  } catch (error) {
    const data = revertDataOf(error);
    if (data !== undefined && decodeRevert(data).name === "DecisionLogNoDecision") return null;
    throw error;
  }
}

/** The latest decision of `kind` for a proposal with its event (and so its bytes), or null when there is none. */
export async function getLatestDecision(
  client: Pick<PublicClient, "readContract" | "getLogs">,
  q: { decisionLog: Address; proposalId: bigint; kind: number; fromBlock: bigint },
): Promise<PublishedDecision | null> {
  const latest = await getLatestDecisionId(client, q);
  if (latest === null) return null;
  const found = (await getDecisions(client, q)).find((d) => d.decisionId === latest.decisionId);
  if (found === undefined) throw new Error(`DecisionPublished event of decision ${latest.decisionId} not found from block ${q.fromBlock}`);
  return found;
}

/**
 * Checks a published decision from its event alone: the bytes hash to the event's hash, they decode
 * in their encoding, the text parses as JSON, and it is the canonical JSON (RFC 8785) of what it
 * parses to, as every publisher writes it. Returns the parsed report (null when it is not JSON).
 */
export function verifyDecision(d: Pick<PublishedDecision, "reportBytes" | "reportHash" | "reportJson"> & { reportProblem?: string | null }): { ok: boolean; computedHash: Hex; canonical: boolean; report: unknown } {
  const computedHash = keccak256(d.reportBytes);
  if (d.reportProblem != null) return { ok: false, computedHash, canonical: false, report: null };
  let report: unknown = null;
  try {
    report = JSON.parse(d.reportJson);
  } catch {
    return { ok: false, computedHash, canonical: false, report: null };
  }
  let canonical = false;
  try {
    canonical = canonicalJson(report) === d.reportJson;
  } catch {
    // A number JSON cannot write back (such as 1e400): not canonical.
  }
  return { ok: computedHash === d.reportHash && canonical, computedHash, canonical, report };
}
