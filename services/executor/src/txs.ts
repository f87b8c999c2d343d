// The executor's side of the shared exactly-once sender (`@ai-dao/transactions`): its intents name a
// proposal and an action, its records say `proposalId` and `action`, and its metrics count by action.
import { TxSender as SharedTxSender, errorText, type Fault, type SettleResult as SharedSettleResult } from "@ai-dao/transactions";
import type { Address, Hex, LocalAccount, PublicClient } from "viem";
import type { Logger } from "pino";

import type { Metrics } from "./metrics.ts";
import { executorTx, type Journal, type TxAction, type TxRecord } from "./store.ts";

export { errorText, type Fault };

export interface TxIntent {
  /** Idempotency key of the step, e.g. `execute:<proposalId>`. */
  key: string;
  proposalId: string;
  action: TxAction;
  to: Address;
  data: Hex;
  /** Wei sent with the call (default 0). */
  value?: bigint;
  gas: bigint;
}

export interface TxSenderOptions {
  client: PublicClient;
  account: LocalAccount;
  chainId: number;
  journal: Journal;
  logger: Logger;
  metrics: Metrics;
  /** A transaction not mined after this long is replaced with higher fees (same nonce). */
  txTimeoutMs: number;
  /** Fee increase of each replacement, in percent (nodes require at least 10). */
  feeBumpPercent: number;
  fault?: Fault;
}

export interface SettleResult {
  /** A transaction of ours is still waiting to be mined: send nothing new. */
  busy: boolean;
  /** Transactions that reached a final status in this call. */
  resolved: TxRecord[];
}

/**
 * Signs, journals, broadcasts and follows the executor's transactions through the shared sender. The
 * executor keeps one transaction in flight at a time: it sends nothing new while `settle` says busy.
 */
export class TxSender {
  private readonly shared: SharedTxSender;

  constructor(o: TxSenderOptions) {
    const { metrics } = o;
    this.shared = new SharedTxSender({
      client: o.client,
      account: o.account,
      chainId: o.chainId,
      journal: o.journal.txs,
      logger: o.logger,
      txTimeoutMs: o.txTimeoutMs,
      feeBumpPercent: o.feeBumpPercent,
      fault: o.fault ?? "none",
      events: {
        sent: (tx) => metrics.txSent.inc({ action: tx.kind }),
        replaced: () => metrics.txReplaced.inc(),
        mined: (tx) => {
          if (tx.status === "reverted") metrics.txReverted.inc({ action: tx.kind });
        },
        pending: (count) => metrics.pendingTxs.set(count),
      },
    });
  }

  get address(): Address {
    return this.shared.address;
  }

  /** Follows every unresolved transaction; see the shared sender's `settle`. */
  async settle(stillNeeded: (tx: TxRecord) => Promise<boolean>): Promise<SettleResult> {
    const { busy, resolved }: SharedSettleResult = await this.shared.settle((tx) => stillNeeded(executorTx(tx)));
    return { busy, resolved: resolved.map(executorTx) };
  }

  /** Signs, journals, then broadcasts a new transaction. Returns its record. */
  async send(intent: TxIntent): Promise<TxRecord> {
    const { proposalId, action, ...rest } = intent;
    return executorTx(await this.shared.send({ ...rest, subject: proposalId, kind: action }));
  }
}
