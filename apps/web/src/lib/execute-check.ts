// Whether the Governor would execute a queued, ready proposal now: `execute` is simulated, and a
// revert is read with the shared decoder. A target whose code changed since the proposal was created
// (GovernorCodePins) is the case members must be told about: the Governor will never run it.
import { decodeRevert, revertDataOf } from "@ai-dao/protocol";
import type { Address, Hex } from "viem";

import { explainRevert } from "./errors.ts";

export type ExecuteCheck =
  | { kind: "ok" }
  /** The code at `target` is not what it was at proposal time (`pinned`, `current`: code hashes, zero for none). */
  | { kind: "code-changed"; target: Address; pinned: Hex; current: Hex }
  /** Another revert, in a plain sentence. */
  | { kind: "refused"; message: string }
  /** The simulation did not get an answer (network, a node that does not simulate): nothing is known. */
  | { kind: "unknown" };

/** The outcome of simulating `execute`: `error` is what the simulation threw, or null when it passed. */
export function executeCheckOf(error: unknown): ExecuteCheck {
  if (error === null || error === undefined) return { kind: "ok" };
  const data = revertDataOf(error);
  if (data === undefined) return { kind: "unknown" };
  const revert = decodeRevert(data);
  if (revert.name === "GovernorTargetCodeChanged") {
    const [, target, pinned, current] = revert.args as [bigint, Address, Hex, Hex];
    return { kind: "code-changed", target, pinned, current };
  }
  return { kind: "refused", message: explainRevert(revert) };
}

const ZERO_HASH = /^0x0{64}$/i;

/** What changed at the target, in words: code appeared, disappeared or was replaced. */
export function codeChangeWords(check: { pinned: Hex; current: Hex }): string {
  if (ZERO_HASH.test(check.pinned)) return "It had no code when the proposal was made; it has code now.";
  if (ZERO_HASH.test(check.current)) return "Its code is gone since the proposal was made.";
  return "Its code was replaced since the proposal was made.";
}
