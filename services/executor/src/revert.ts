// Revert decoding is @ai-dao/protocol's; the executor writes the decoded revert into its guard
// reports and logs, where arguments must be JSON (bigints as decimal strings).
import { decodeRevert as decodeRevertData, revertDataOf, type DecodedRevert as DecodedRevertData } from "@ai-dao/protocol";
import type { Abi, Hex } from "viem";

import { toJsonValue } from "./json.ts";

/** A decoded revert with JSON-safe arguments, as guard reports carry it. */
export type DecodedRevert = Omit<DecodedRevertData, "args"> & { args: unknown[] };

/** `@ai-dao/protocol`'s decodeRevert with the arguments made JSON-safe. */
export function decodeRevert(data: Hex, extraAbi: Abi = []): DecodedRevert {
  const decoded = decodeRevertData(data, extraAbi);
  return { ...decoded, args: toJsonValue(decoded.args) as unknown[] };
}

export { revertDataOf };
