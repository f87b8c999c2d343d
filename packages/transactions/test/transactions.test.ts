import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";

import { pino } from "pino";
import type { PublicClient } from "viem";
import { describe, expect, it } from "vitest";

import { devAccount } from "@ai-dao/testkit/accounts";

import { openDatabase, TxJournal, TxSender } from "../src/index.ts";

const account = devAccount(12);
const file = () => path.join(mkdtempSync(path.join(tmpdir(), "transactions-test-")), "journal.sqlite");

describe("the journal", () => {
  it("opens a database the executor wrote before the journal was shared, keeping its transactions", () => {
    const f = file();
    const old = new DatabaseSync(f);
    old.exec(`CREATE TABLE txs (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, proposal_id TEXT NOT NULL, action TEXT NOT NULL, sender TEXT NOT NULL,
      to_address TEXT NOT NULL, data TEXT NOT NULL, gas TEXT NOT NULL, nonce INTEGER NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL, mined_hash TEXT, block_number INTEGER)`);
    old.prepare("INSERT INTO txs (key, proposal_id, action, sender, to_address, data, gas, nonce, status, created_at, updated_at) VALUES ('execute:7', '7', 'execute', ?, ?, '0x', '21000', 3, 'sent', 1, 1)").run(account.address, account.address);
    old.close();

    const journal = new TxJournal(openDatabase(f));
    expect(journal.allTxs()).toMatchObject([{ key: "execute:7", subject: "7", kind: "execute", nonce: 3, status: "sent", feeWei: null }]);
    expect(journal.highestNonce(account.address)).toBe(3);
    journal.setTxStatus(1, "confirmed", { hash: `0x${"11".repeat(32)}`, blockNumber: 9, gasUsed: 21_000n, feeWei: 42_000n });
    expect(journal.getTx(1)).toMatchObject({ status: "confirmed", gasUsed: "21000", feeWei: "42000", blockNumber: 9 });
  });
});

describe("the sender", () => {
  it("gives concurrent sends different nonces, each journaled before it is broadcast", async () => {
    const journal = new TxJournal(openDatabase(file()));
    const broadcast: string[] = [];
    const client: Partial<PublicClient> = {
      // A slow node: both sends would read the same pending count if they ran side by side.
      getTransactionCount: (async () => {
        await new Promise((r) => setTimeout(r, 20));
        return 5;
      }) as never,
      getBlock: (async () => ({ baseFeePerGas: 1_000_000_000n })) as never,
      estimateMaxPriorityFeePerGas: (async () => 1_000_000_000n) as never,
      sendRawTransaction: (async ({ serializedTransaction }: { serializedTransaction: string }) => {
        // Journaled first: the record of these bytes exists when they reach the node.
        expect(journal.allTxs().some((t) => journal.attempts(t.id).some((a) => a.raw === serializedTransaction))).toBe(true);
        broadcast.push(serializedTransaction);
        return "0x";
      }) as never,
    };
    const sender = new TxSender({ client: client as PublicClient, account, chainId: 31337, journal, logger: pino({ level: "silent" }), txTimeoutMs: 60_000, feeBumpPercent: 20 });
    const intent = (n: number) => ({ key: `k${n}`, kind: "vote", subject: "someone", to: account.address, data: "0x" as const, gas: 50_000n });
    const sent = await Promise.all([sender.send(intent(1)), sender.send(intent(2))]);
    expect(sent.map((t) => t.nonce).sort()).toEqual([5, 6]);
    expect(sent.every((t) => t.status === "sent")).toBe(true);
    expect(broadcast).toHaveLength(2);
  });
});
