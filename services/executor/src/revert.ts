// Revert decoding is @ai-dao/protocol's; the executor writes the decoded revert into its guard
// reports and logs, where arguments must be JSON (bigints as decimal strings).
import { daoErrorsAbi, decodeRevert as decodeRevertData, revertDataOf, type DecodedRevert as DecodedRevertData } from "@ai-dao/protocol";
import { toFunctionSelector, type Abi, type Hex } from "viem";

import { toJsonValue } from "./json.ts";

/** A decoded revert with JSON-safe arguments, as guard reports carry it. */
export type DecodedRevert = Omit<DecodedRevertData, "args"> & { args: unknown[] };

/** `@ai-dao/protocol`'s decodeRevert with the arguments made JSON-safe. */
export function decodeRevert(data: Hex, extraAbi: Abi = []): DecodedRevert {
  const decoded = decodeRevertData(data, extraAbi);
  return { ...decoded, args: toJsonValue(decoded.args) as unknown[] };
}

/**
 * The arguments of a decoded revert by the names its error declares (`{ proposalId, target, pinned,
 * current }`), by position where an input has no name; `{ message }` for `Error(string)`, `{ code,
 * reason }` for a panic, `{}` for an empty or unknown revert.
 */
export function namedRevertArgs(revert: DecodedRevert, extraAbi: Abi = []): Record<string, unknown> {
  if (revert.kind === "error-string") return { message: revert.reason };
  if (revert.kind === "panic") return { code: revert.args[0], reason: revert.reason };
  if (revert.kind !== "custom") return {};
  const candidates = [...daoErrorsAbi, ...extraAbi].filter((item): item is Extract<Abi[number], { type: "error" }> => item.type === "error" && item.name === revert.name && item.inputs.length === revert.args.length);
  // Errors of the same name and arity differ by their types, hence by their selector.
  const item = candidates.length > 1 ? (candidates.find((c) => toFunctionSelector(`${c.name}(${c.inputs.map((i) => i.type).join(",")})`) === revert.selector) ?? candidates[0]) : candidates[0];
  return Object.fromEntries(revert.args.map((value, i) => [item?.inputs[i]?.name || String(i), value]));
}

export { revertDataOf };
