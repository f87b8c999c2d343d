// The transaction follower on its own, with a node whose answers are scripted: the moments between
// two reads where a real node moves on are made to happen every time.
import { parseTransaction, TransactionReceiptNotFoundError, type Hex, type PublicClient } from "viem";
import { describe, expect, it } from "vitest";

import { devAccount } from "@ai-dao/testkit/accounts";

import { createMetrics } from "../src/metrics.ts";
import { Journal } from "../src/store.ts";
import { TxSender } from "../src/txs.ts";
import { tempDir, testLogger } from "./helpers.ts";

const account = devAccount(9);
const HASH = `0x${"ab".repeat(32)}` as Hex;

/** A journal holding one sent execute at nonce 7. */
function journalWithSentTx() {
  const journal = Journal.open(tempDir());
  const tx = journal.recordSigned(
    { key: "execute:1", proposalId: "1", action: "execute", sender: account.address, to: account.address, data: "0x1234", gas: "100000", nonce: 7 },
    { hash: HASH, raw: "0x02", maxFeePerGas: "1", maxPriorityFeePerGas: "1" },
  );
  journal.setTxStatus(tx.id, "sent");
  return { journal, txId: tx.id };
}

function sender(journal: Journal, client: Partial<PublicClient>) {
  return new TxSender({ client: client as PublicClient, account, chainId: 31337, journal, logger: testLogger, metrics: createMetrics(), txTimeoutMs: 60_000, feeBumpPercent: 20 });
}

describe("settling a sent transaction", () => {
  it("records ours as mined when the block lands between the receipt lookup and the nonce read", async () => {
    const { journal, txId } = journalWithSentTx();
    let mined = false;
    const client: Partial<PublicClient> = {
      getTransactionReceipt: (async () => {
        if (!mined) throw new TransactionReceiptNotFoundError({ hash: HASH });
        return { status: "success", blockNumber: 42n, transactionHash: HASH };
      }) as never,
      // The nonce read comes after the block that mined ours.
      getTransactionCount: (async () => {
        mined = true;
        return 8;
      }) as never,
    };
    const { resolved } = await sender(journal, client).settle(async () => true);
    expect(journal.getTx(txId)).toMatchObject({ status: "confirmed", minedHash: HASH });
    expect(resolved.map((t) => t.status)).toEqual(["confirmed"]);
  });

  it("calls it dropped only when no attempt of ours was mined and the nonce is used", async () => {
    const { journal, txId } = journalWithSentTx();
    const client: Partial<PublicClient> = {
      getTransactionReceipt: (async () => {
        throw new TransactionReceiptNotFoundError({ hash: HASH });
      }) as never,
      getTransactionCount: (async () => 8) as never,
    };
    await sender(journal, client).settle(async () => true);
    expect(journal.getTx(txId)).toMatchObject({ status: "dropped" });
  });
});

describe("a transaction that carries value (a Compound execute)", () => {
  /** A journal holding one sent execute at nonce 7 with 1 ETH, and a node that never mines it. */
  function pendingWithValue() {
    const journal = Journal.open(tempDir());
    const tx = journal.recordSigned(
      { key: "execute:1", proposalId: "1", action: "execute", sender: account.address, to: HASH.slice(0, 42) as Hex, data: "0xfe0d94c1", value: "1000000000000000000", gas: "100000", nonce: 7 },
      { hash: HASH, raw: "0x02", maxFeePerGas: "1000", maxPriorityFeePerGas: "100" },
    );
    journal.setTxStatus(tx.id, "sent");
    const broadcast: Hex[] = [];
    const client: Partial<PublicClient> = {
      getTransactionReceipt: (async () => {
        throw new TransactionReceiptNotFoundError({ hash: HASH });
      }) as never,
      getTransactionCount: (async () => 7) as never,
      getBlock: (async () => ({ baseFeePerGas: 10n })) as never,
      estimateMaxPriorityFeePerGas: (async () => 1n) as never,
      sendRawTransaction: (async ({ serializedTransaction }: { serializedTransaction: Hex }) => {
        broadcast.push(serializedTransaction);
        return HASH;
      }) as never,
    };
    const sender = new TxSender({ client: client as PublicClient, account, chainId: 31337, journal, logger: testLogger, metrics: createMetrics(), txTimeoutMs: 0, feeBumpPercent: 20 });
    return { journal, tx, broadcast, sender };
  }

  it("is replaced with higher fees and the same value, and cancelled with none", async () => {
    const slow = pendingWithValue();
    expect(slow.tx.value).toBe("1000000000000000000");
    await new Promise((resolve) => setTimeout(resolve, 5));
    await slow.sender.settle(async () => true);
    expect(slow.broadcast).toHaveLength(1);
    const replacement = parseTransaction(slow.broadcast[0]!);
    expect(replacement).toMatchObject({ nonce: 7, to: slow.tx.to, data: "0xfe0d94c1", value: 10n ** 18n });
    expect(replacement.maxFeePerGas).toBeGreaterThanOrEqual(1200n);

    const unneeded = pendingWithValue();
    await unneeded.sender.settle(async () => false);
    const cancellation = parseTransaction(unneeded.broadcast[0]!);
    expect(cancellation).toMatchObject({ nonce: 7, to: account.address.toLowerCase() });
    expect(cancellation.value ?? 0n).toBe(0n);
  });
});
