import { zeroHash, type Address, type Hex } from "viem";

import type { GuardAction } from "../report.ts";
import { decodeRevert, namedRevertArgs, revertDataOf, type DecodedRevert } from "../revert.ts";
import type { GuardContext, GuardOutcome } from "./types.ts";

/**
 * What the Governor itself answers to a step: its `queue` / `execute` called (`eth_call`) with the
 * executor's exact calldata at the latest block. Refusals carry it as `evidence.onChain`, so a
 * reader sees whether the chain refuses the step too (and with which error) or would let anyone
 * take it, leaving the executor's guard as the only thing in the way.
 */
export interface OnChainVerdict {
  /** The Governor function called. */
  call: GuardAction;
  from: Address;
  to: Address;
  calledAtBlock: string;
  /** Whether the call reverts. */
  reverts: boolean;
  /** The error's name (`GovernorTargetCodeChanged`, `Error`, `Panic`); null for a revert without a known error. Only when it reverts. */
  error?: string | null;
  /** The error's arguments by name, JSON-safe (`{ proposalId, target, pinned, current }`). */
  args?: Record<string, unknown>;
  /** One line for people: `GovernorTargetCodeChanged(…)`. */
  message?: string;
  selector?: Hex | null;
  /** The raw revert data. */
  data?: Hex;
}

/** The Governor's `queue` / `execute` called with the step's calldata; `revert` is null when it goes through. Throws on RPC trouble. */
export async function callGovernor(ctx: GuardContext): Promise<{ block: bigint; revert: DecodedRevert | null; verdict: OnChainVerdict }> {
  const { client, executor, governor, calldata, value, action } = ctx;
  const block = await client.getBlockNumber({ cacheTime: 0 });
  let revert: DecodedRevert | null = null;
  try {
    await client.call({ account: executor, to: governor, data: calldata, value, blockNumber: block });
  } catch (error) {
    const revertData = revertDataOf(error);
    if (revertData === undefined) throw error; // RPC trouble, not a verdict
    revert = decodeRevert(revertData);
  }
  const verdict: OnChainVerdict = { call: action, from: executor, to: governor, calledAtBlock: block.toString(), reverts: revert !== null };
  if (revert !== null) Object.assign(verdict, { error: revert.name, args: namedRevertArgs(revert), message: revert.message, selector: revert.selector, data: revert.data });
  return { block, revert, verdict };
}

/** The target whose code the Governor found changed, from a `GovernorTargetCodeChanged` revert; null for any other. */
export function targetCodeChanged(revert: DecodedRevert): { target: Address; pinned: Hex; current: Hex } | null {
  if (revert.kind !== "custom" || revert.name !== "GovernorTargetCodeChanged") return null;
  const { target, pinned, current } = namedRevertArgs(revert) as { target: Address; pinned: Hex; current: Hex };
  return { target, pinned, current };
}

/** A code hash as the Governor reports it, in words: zero means no code. */
export function describeCodeHash(hash: Hex): string {
  return hash === zeroHash ? "no code" : hash;
}

/**
 * A refusal with the Governor's own answer to the same step added to its evidence (`onChain`) and
 * its summary, unless the guard that refused already called the Governor (the simulation). When the
 * node cannot answer, the refusal is returned as it is.
 */
export async function withOnChainVerdict(ctx: GuardContext, outcome: GuardOutcome): Promise<GuardOutcome> {
  if (outcome.decision !== "refuse" || outcome.evidence.onChain !== undefined) return outcome;
  let answer: Awaited<ReturnType<typeof callGovernor>>;
  try {
    answer = await callGovernor(ctx);
  } catch (error) {
    // The refusal stands on its own; the chain's answer is a supplement.
    ctx.logger.warn({ proposalId: ctx.proposal.proposalId, action: ctx.action, err: error }, "could not ask the Governor for its own answer to a refused step");
    return outcome;
  }
  const { revert, verdict } = answer;
  const changed = revert === null ? null : targetCodeChanged(revert);
  let onChain: string;
  if (changed !== null) onChain = `the Governor refuses it too: the code of ${changed.target} changed (pinned ${describeCodeHash(changed.pinned)}, now ${describeCodeHash(changed.current)})`;
  else if (revert !== null) onChain = `on chain the ${ctx.action} reverts with ${revert.message}`;
  else onChain = `on chain the ${ctx.action} would go through: anyone may still send it`;
  ctx.logger.debug({ proposalId: ctx.proposal.proposalId, action: ctx.action, onChain: verdict }, "Governor's own answer to the refused step");
  return { ...outcome, summary: `${outcome.summary}; ${onChain}`, evidence: { ...outcome.evidence, onChain: verdict } };
}
