import type { Address, Hex, PublicClient } from "viem";
import type { Logger } from "pino";

import type { GuardAction, GuardReason } from "../report.ts";
import type { ProposalRecord } from "../store.ts";

/** What a guard found; `null` from a guard means "go ahead". */
export interface GuardOutcome {
  decision: "refuse" | "hold";
  reason: GuardReason;
  summary: string;
  risk: number;
  recommendation: number;
  evidence: Record<string, unknown>;
  /** What identifies this decision across polls (excludes block numbers). */
  fingerprint: unknown;
}

/** Everything a guard may read about one step of one proposal. */
export interface GuardContext {
  client: PublicClient;
  logger: Logger;
  proposal: ProposalRecord;
  action: GuardAction;
  /** The executor's own address (simulations run from it). */
  executor: Address;
  governor: Address;
  decisionLog: Address;
  /** The deployment's start block: where DecisionLog events are searched from. */
  fromBlock: bigint;
  /** Proposal ids (decimal) whose analysis hold an operator lifted. */
  overrides: ReadonlySet<string>;
  /** The exact `queue`/`execute` calldata the executor would send. */
  calldata: Hex;
  /** Wei sent with it (Compound's `execute`: the sum of the actions' values). */
  value: bigint;
  /** The proposal's on-chain state now. */
  state(): Promise<number>;
  /** The Governor's proposal guardian, named in holds so an alert says who can cancel. */
  guardian(): Promise<Address | null>;
}

/**
 * One guard: reads the chain and objects to a step (`GuardOutcome`), lets it go ahead (`null`), or
 * finds it no longer needed (`"skip"`). Guards run in the order of `guards/index.ts`; the first
 * that does not answer `null` decides.
 */
export interface Guard {
  name: string;
  check(ctx: GuardContext): Promise<GuardOutcome | null | "skip">;
}
