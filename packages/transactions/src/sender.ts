import {
  BaseError,
  keccak256,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
  type Address,
  type Hex,
  type LocalAccount,
  type PublicClient,
} from "viem";
import type { Logger } from "pino";

import { CANCEL_KIND, type AttemptRecord, type TxJournal, type TxRecord } from "./journal.ts";

export interface TxIntent {
  /** Idempotency key of the step, e.g. `execute:<proposalId>`. */
  key: string;
  /** What the transaction does (`execute`, `vote`, ...); `cancel` is reserved for the sender's own cancellations. */
  kind: string;
  /** What it is about (a proposal id, a signer): the service's handle for its transactions. */
  subject: string;
  to: Address;
  data: Hex;
  /** Wei sent with the call (default 0); every replacement with higher fees sends the same. */
  value?: bigint;
  gas: bigint;
}

/** Test hook: stop the process hard at a chosen point of a send (exactly-once tests). */
export type Fault = "none" | "kill-after-sign" | "kill-after-broadcast";

export const FAULTS = ["none", "kill-after-sign", "kill-after-broadcast"] as const satisfies readonly Fault[];

/** What the sender reports as it goes, for the service's metrics. Every hook is optional. */
export interface TxEvents {
  /** A new transaction was broadcast for the first time. */
  sent?(tx: TxRecord): void;
  /** A pending transaction was replaced at the same nonce (higher fees or a cancellation). */
  replaced?(tx: TxRecord): void;
  /** A transaction reached `confirmed` or `reverted` (the record carries its fee). */
  mined?(tx: TxRecord): void;
  /** How many transactions of this key are not mined yet. */
  pending?(count: number): void;
}

export interface TxSenderOptions {
  client: PublicClient;
  account: LocalAccount;
  chainId: number;
  journal: TxJournal;
  logger: Logger;
  events?: TxEvents;
  /** A transaction not mined after this long is replaced with higher fees (same nonce). */
  txTimeoutMs: number;
  /** Fee increase of each replacement, in percent (nodes require at least 10). */
  feeBumpPercent: number;
  fault?: Fault;
}

export interface SettleResult {
  /** A transaction of ours is still waiting to be mined. */
  busy: boolean;
  /** Transactions that reached a final status in this call (`kind` is `cancel` when a cancellation was mined). */
  resolved: TxRecord[];
}

const GWEI = 1_000_000_000n;

/**
 * Signs, journals, broadcasts and follows a key's transactions. A transaction's nonce is the chain's
 * pending count (or one past the journal's highest, whichever is higher), and it is on disk, signed,
 * before it is broadcast. Until it is mined, every {@link settle} checks its receipts, rebroadcasts the
 * same bytes if the node forgot it, and replaces it (same nonce, higher fees) when it is too slow or no
 * longer needed. Sends and settles of one sender run one at a time, so concurrent callers never pick
 * the same nonce.
 */
export class TxSender {
  private readonly o: TxSenderOptions;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(o: TxSenderOptions) {
    this.o = o;
  }

  get address(): Address {
    return this.o.account.address;
  }

  get journal(): TxJournal {
    return this.o.journal;
  }

  /** Runs `fn` after every earlier send or settle of this sender has finished. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Follows every unresolved transaction. `stillNeeded` says whether a pending one should still be
   * mined; when not (someone else did the step), it is replaced by a 0-value self-transfer so the nonce
   * is used without a reverting call.
   */
  settle(stillNeeded: (tx: TxRecord) => Promise<boolean>): Promise<SettleResult> {
    return this.exclusive(() => this.settleNow(stillNeeded));
  }

  private async settleNow(stillNeeded: (tx: TxRecord) => Promise<boolean>): Promise<SettleResult> {
    const { journal, client, logger } = this.o;
    const resolved: TxRecord[] = [];
    let busy = false;
    const unresolved = journal.unresolvedTxs(this.address);
    for (const tx of unresolved) {
      const attempts = journal.attempts(tx.id);
      let mined = await this.recordReceipt(tx, attempts, resolved);
      if (mined) continue;

      const latestNonce = await client.getTransactionCount({ address: this.address, blockTag: "latest" });
      if (latestNonce > tx.nonce) {
        // The nonce was used. Ours may have been mined between the receipt lookups and the nonce read:
        // look again before calling it another transaction's.
        mined = await this.recordReceipt(tx, attempts, resolved);
        if (mined) continue;
        // The nonce was used by a transaction we did not journal (another instance with this key).
        journal.setTxStatus(tx.id, "dropped");
        logger.warn({ key: tx.key, nonce: tx.nonce }, "nonce used by another transaction; ours can never be mined");
        resolved.push(journal.getTx(tx.id)!);
        continue;
      }

      busy = true;
      const last = attempts.at(-1)!;
      const isCancel = last.to === this.address && last.data === "0x";
      if (!isCancel && !(await stillNeeded(tx))) {
        await this.replace(tx, last, { to: this.address, data: "0x", value: 0n, gas: 21_000n }, "step already done on-chain; cancelling our pending transaction");
      } else if (Date.now() - last.createdAt > this.o.txTimeoutMs) {
        await this.replace(tx, last, { to: last.to, data: last.data, value: last.to === tx.to && last.data === tx.data ? BigInt(tx.value) : 0n, gas: BigInt(tx.gas) }, "transaction not mined in time; replacing with higher fees");
      } else {
        await this.ensureBroadcast(tx, last.hash, last.raw);
      }
    }
    this.o.events?.pending?.(journal.unresolvedTxs(this.address).length);
    return { busy, resolved };
  }

  /** Records the receipt of whichever attempt of `tx` was mined; false when none was. */
  private async recordReceipt(tx: TxRecord, attempts: AttemptRecord[], resolved: TxRecord[]): Promise<boolean> {
    const { journal, client, logger } = this.o;
    for (const attempt of attempts) {
      const receipt = await client.getTransactionReceipt({ hash: attempt.hash }).catch((error) => {
        if (error instanceof TransactionReceiptNotFoundError) return undefined;
        throw error;
      });
      if (receipt === undefined) continue;
      const cancelled = attempt.to === this.address && attempt.data === "0x" && tx.kind !== CANCEL_KIND;
      const status = receipt.status === "success" ? "confirmed" : "reverted";
      const gasUsed = typeof receipt.gasUsed === "bigint" ? receipt.gasUsed : undefined;
      const feeWei = gasUsed !== undefined && typeof receipt.effectiveGasPrice === "bigint" ? gasUsed * receipt.effectiveGasPrice : undefined;
      journal.setTxStatus(tx.id, status, { hash: attempt.hash, blockNumber: Number(receipt.blockNumber), gasUsed, feeWei });
      logger.info(
        { key: tx.key, nonce: tx.nonce, hash: attempt.hash, block: Number(receipt.blockNumber), status, cancelled },
        cancelled ? "cancellation mined" : `transaction ${status}`,
      );
      const record = journal.getTx(tx.id)!;
      this.o.events?.mined?.(record);
      resolved.push({ ...record, kind: cancelled ? CANCEL_KIND : tx.kind });
      return true;
    }
    return false;
  }

  /** Signs, journals, then broadcasts a new transaction. Returns its record. */
  send(intent: TxIntent): Promise<TxRecord> {
    return this.exclusive(() => this.sendNow(intent));
  }

  private async sendNow(intent: TxIntent): Promise<TxRecord> {
    const { journal, client, logger } = this.o;
    const pending = await client.getTransactionCount({ address: this.address, blockTag: "pending" });
    const nonce = Math.max(pending, journal.highestNonce(this.address) + 1);
    const fees = await this.currentFees();
    const raw = await this.o.account.signTransaction({
      type: "eip1559",
      chainId: this.o.chainId,
      nonce,
      to: intent.to,
      data: intent.data,
      value: intent.value ?? 0n,
      gas: intent.gas,
      ...fees,
    });
    const hash = keccak256(raw);
    const tx = journal.recordSigned(
      { key: intent.key, kind: intent.kind, subject: intent.subject, sender: this.address, to: intent.to, data: intent.data, value: (intent.value ?? 0n).toString(), gas: intent.gas.toString(), nonce },
      { hash, raw, maxFeePerGas: fees.maxFeePerGas.toString(), maxPriorityFeePerGas: fees.maxPriorityFeePerGas.toString() },
    );
    logger.info({ key: intent.key, nonce, hash, maxFeePerGas: fees.maxFeePerGas.toString() }, "transaction signed and journaled");
    if (this.o.fault === "kill-after-sign") process.kill(process.pid, "SIGKILL");
    this.o.events?.sent?.(tx);
    await this.ensureBroadcast(tx, hash, raw, true);
    if (this.o.fault === "kill-after-broadcast") process.kill(process.pid, "SIGKILL");
    this.o.events?.pending?.(journal.unresolvedTxs(this.address).length);
    return journal.getTx(tx.id)!;
  }

  /** The fees a new transaction is signed with now: twice the base fee plus the node's suggested tip. */
  async currentFees(): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
    const block = await this.o.client.getBlock({ blockTag: "latest" });
    const baseFee = block.baseFeePerGas ?? 0n;
    let priority: bigint;
    try {
      priority = await this.o.client.estimateMaxPriorityFeePerGas();
    } catch {
      priority = GWEI;
    }
    if (priority === 0n) priority = GWEI / 10n;
    return { maxFeePerGas: baseFee * 2n + priority, maxPriorityFeePerGas: priority };
  }

  private async replace(
    tx: TxRecord,
    last: { maxFeePerGas: string; maxPriorityFeePerGas: string },
    call: { to: Address; data: Hex; value: bigint; gas: bigint },
    why: string,
  ): Promise<void> {
    const { journal, logger } = this.o;
    const bump = (v: bigint) => (v * BigInt(100 + this.o.feeBumpPercent) + 99n) / 100n;
    const now = await this.currentFees();
    const maxPriorityFeePerGas = maxOf(bump(BigInt(last.maxPriorityFeePerGas)), now.maxPriorityFeePerGas);
    const maxFeePerGas = maxOf(bump(BigInt(last.maxFeePerGas)), now.maxFeePerGas, maxPriorityFeePerGas);
    const raw = await this.o.account.signTransaction({
      type: "eip1559",
      chainId: this.o.chainId,
      nonce: tx.nonce,
      to: call.to,
      data: call.data,
      value: call.value,
      gas: call.gas,
      maxFeePerGas,
      maxPriorityFeePerGas,
    });
    const hash = keccak256(raw);
    journal.recordAttempt(tx.id, { hash, raw, to: call.to, data: call.data, maxFeePerGas: maxFeePerGas.toString(), maxPriorityFeePerGas: maxPriorityFeePerGas.toString() });
    this.o.events?.replaced?.(tx);
    logger.warn({ key: tx.key, nonce: tx.nonce, hash, maxFeePerGas: maxFeePerGas.toString() }, why);
    await this.ensureBroadcast(tx, hash, raw, true);
  }

  /** Makes sure the node has `raw`; the same signed bytes are always safe to send again. */
  private async ensureBroadcast(tx: TxRecord, hash: Hex, raw: Hex, fresh = false): Promise<void> {
    const { client, journal, logger } = this.o;
    if (!fresh) {
      const known = await client.getTransaction({ hash }).catch((error) => {
        if (error instanceof TransactionNotFoundError) return undefined;
        throw error;
      });
      if (known !== undefined) {
        if (tx.status === "signed") journal.setTxStatus(tx.id, "sent");
        return;
      }
      logger.warn({ key: tx.key, nonce: tx.nonce, hash }, "node does not know our pending transaction; rebroadcasting the journaled bytes");
    }
    try {
      await client.sendRawTransaction({ serializedTransaction: raw });
      journal.setTxStatus(tx.id, "sent");
    } catch (error) {
      const message = errorText(error);
      if (/already known|already imported|known transaction|already in (the )?mempool/i.test(message)) {
        journal.setTxStatus(tx.id, "sent");
        return;
      }
      if (/nonce too low|nonce has already been used|replacement transaction underpriced|replacement fee too low/i.test(message)) {
        // Settled on the next poll from receipts and the chain's nonce.
        logger.warn({ key: tx.key, nonce: tx.nonce, hash, err: message }, "broadcast refused for its nonce; will settle from the chain");
        return;
      }
      throw error;
    }
  }
}

function maxOf(...values: bigint[]): bigint {
  return values.reduce((a, b) => (a > b ? a : b));
}

/** A viem error's short message and details, or any error's message: one line for logs and answers. */
export function errorText(error: unknown): string {
  if (error instanceof BaseError) return [error.shortMessage, error.details].filter(Boolean).join(": ");
  return error instanceof Error ? error.message : String(error);
}
