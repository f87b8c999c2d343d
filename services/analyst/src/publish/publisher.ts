import { DecisionKind, recommendationOfReport, type DecisionKindName } from "@ai-dao/protocol";
import { encodeReport } from "@ai-dao/reports/node";
import { encodeFunctionData, keccak256, toHex, type Account, type Address, type Hex, type PublicClient, type WalletClient } from "viem";

import type { PublishedReportBody } from "../report.ts";
import { serializeReport } from "../report.ts";
import type { Recommendation, Trigger } from "@ai-dao/reports";
import { decisionLogAbi, getDecisions, type PublishedDecision } from "@ai-dao/protocol";

import { publishedTrigger } from "./decision-log.ts";
import type { PublishJournal } from "./journal.ts";

export interface Publisher {
  publicClient: PublicClient;
  /** A wallet client with a local account (the analyst's key): transactions are signed here, then broadcast. */
  wallet: WalletClient & { account: Account };
  decisionLog: Address;
  /** First block to search for earlier decisions (the deployment's start block). */
  fromBlock: bigint;
  journal: PublishJournal;
  /** Confirmations to wait for; default 1. */
  confirmations?: number;
}

export interface PublishRequest {
  proposalId: bigint;
  kind: DecisionKindName;
  /** Idempotency: one decision per (proposal, kind, key). For analyses, the trigger. */
  key: Trigger | "draft";
  /** The report's canonical JSON; what is published is its raw-DEFLATE encoding (`encodeReport`). */
  json: string;
  risk: number;
  recommendation: Recommendation;
}

export interface PublishResult {
  status: "published" | "already-published";
  decision: PublishedDecision;
}

function journalKey(r: Pick<PublishRequest, "proposalId" | "kind" | "key">): string {
  return `${r.proposalId}:${r.kind}:${r.key}`;
}

/** A decision of this actor for this proposal, kind and key that is already on chain. */
async function findOnChain(p: Publisher, r: PublishRequest): Promise<PublishedDecision | undefined> {
  const decisions = await getDecisions(p.publicClient, {
    decisionLog: p.decisionLog,
    fromBlock: p.fromBlock,
    proposalId: r.proposalId,
    kind: DecisionKind[r.kind],
    actor: p.wallet.account.address,
  });
  if (r.kind !== "Analysis") return decisions[0];
  return decisions.find((d) => publishedTrigger(d) === r.key);
}

async function decisionOfTx(p: Publisher, txHash: Hex, r: PublishRequest): Promise<PublishedDecision | undefined> {
  const receipt = await p.publicClient.getTransactionReceipt({ hash: txHash });
  const decisions = await getDecisions(p.publicClient, {
    decisionLog: p.decisionLog,
    fromBlock: receipt.blockNumber,
    toBlock: receipt.blockNumber,
    proposalId: r.proposalId,
    kind: DecisionKind[r.kind],
    actor: p.wallet.account.address,
  });
  return decisions.find((d) => d.txHash === txHash);
}

/**
 * Publishes a decision to the DecisionLog: the report's canonical JSON compressed with raw DEFLATE
 * (encoding DeflateRaw) and the keccak256 of those bytes, at most once per
 * (proposal, kind, key) for this actor:
 * 1. if the chain already has it (DecisionPublished of this actor, same proposal and kind, and for
 *    analyses the same `provenance.trigger`), nothing is sent;
 * 2. if the local journal has a signed transaction for it that is not confirmed, that same
 *    transaction is broadcast again and awaited (same nonce, same hash: it cannot land twice);
 * 3. otherwise the transaction is signed, journaled, broadcast and awaited.
 */
export async function publishDecision(p: Publisher, r: PublishRequest): Promise<PublishResult> {
  const key = journalKey(r);
  const existing = await findOnChain(p, r);
  if (existing) {
    await p.journal.delete(key);
    return { status: "already-published", decision: existing };
  }

  const pending = await p.journal.get(key);
  if (pending) {
    const receipt = await p.publicClient.getTransactionReceipt({ hash: pending.txHash }).catch(() => null);
    if (receipt === null) {
      try {
        await p.publicClient.sendRawTransaction({ serializedTransaction: pending.rawTx });
      } catch {
        // already known, or its nonce was used: the receipt wait below (or a fresh send) settles it
      }
      const mined = await p.publicClient.waitForTransactionReceipt({ hash: pending.txHash, timeout: 30_000, confirmations: p.confirmations ?? 1 }).catch(() => null);
      if (mined?.status === "success") {
        const decision = await decisionOfTx(p, pending.txHash, r);
        await p.journal.delete(key);
        if (decision) return { status: "published", decision };
      }
    } else if (receipt.status === "success") {
      const decision = await decisionOfTx(p, pending.txHash, r);
      await p.journal.delete(key);
      if (decision) return { status: "published", decision };
    }
    // reverted or dropped: start over with a fresh transaction
    await p.journal.delete(key);
  }

  const encoded = encodeReport(r.json);
  const reportBytes = toHex(encoded.bytes);
  const reportHash = keccak256(reportBytes);
  const data = encodeFunctionData({
    abi: decisionLogAbi,
    functionName: "publish",
    args: [r.proposalId, DecisionKind[r.kind], r.risk, recommendationOfReport[r.recommendation], encoded.encoding, reportHash, reportBytes],
  });
  // Fails here (before anything is journaled) if the call would revert, e.g. not a publisher.
  await p.publicClient.call({ account: p.wallet.account.address, to: p.decisionLog, data });
  const request = await p.wallet.prepareTransactionRequest({ account: p.wallet.account, chain: p.wallet.chain ?? null, to: p.decisionLog, data });
  const rawTx = await p.wallet.signTransaction(request as never);
  const txHash = keccak256(rawTx);
  await p.journal.put(key, { txHash, rawTx, reportHash, sentAt: new Date().toISOString() });
  await p.publicClient.sendRawTransaction({ serializedTransaction: rawTx });
  const receipt = await p.publicClient.waitForTransactionReceipt({ hash: txHash, confirmations: p.confirmations ?? 1 });
  await p.journal.delete(key);
  if (receipt.status !== "success") throw new Error(`DecisionLog.publish reverted in ${txHash}`);
  const decision = await decisionOfTx(p, txHash, r);
  if (!decision) throw new Error(`no DecisionPublished event in ${txHash}`);
  return { status: "published", decision };
}

/** Publishes an analysis report or a failure report (kind Analysis, keyed by its `provenance.trigger`). Previews are never published. */
export async function publishAnalysis(p: Publisher, report: PublishedReportBody): Promise<PublishResult & { reportHash: Hex; cid: string }> {
  const trigger = report.provenance?.trigger;
  if (trigger === undefined || trigger === "preview") throw new Error("only reports with trigger created or queued are published");
  const { json, reportHash, cid } = serializeReport(report);
  const result = await publishDecision(p, {
    proposalId: BigInt(report.proposal.proposalId),
    kind: "Analysis",
    key: trigger,
    json,
    risk: report.scores.risk,
    recommendation: report.recommendation,
  });
  return { ...result, reportHash, cid };
}
