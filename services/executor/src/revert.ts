import { BaseError, decodeErrorResult, type Abi, type Hex } from "viem";

import { daoErrorsAbi } from "./abis.ts";
import { toJsonValue } from "./json.ts";

/** Why a call reverted, as far as the DAO's ABIs can tell. */
export interface DecodedRevert {
  /** `Error(string)`, `Panic(uint256)`, a custom error's name, or `unknown` / `empty`. */
  kind: "error-string" | "panic" | "custom" | "unknown" | "empty";
  /** Error name, e.g. `GovernorUnexpectedProposalState`, `Error`, `Panic`. */
  name: string | null;
  selector: Hex | null;
  /** Decoded arguments, big numbers as decimal strings. */
  args: unknown[];
  /** One line for people. */
  message: string;
  /** The raw revert data. */
  data: Hex;
}

const PANIC_REASONS: Record<string, string> = {
  "1": "assertion failed",
  "17": "arithmetic overflow or underflow",
  "18": "division or modulo by zero",
  "33": "invalid enum value",
  "34": "invalid storage byte array",
  "49": "pop on empty array",
  "50": "array index out of bounds",
  "65": "out of memory",
  "81": "call to a zero-initialised function",
};

/** Decodes revert data with the DAO's error ABI (plus any `extraAbi`). */
export function decodeRevert(data: Hex, extraAbi: Abi = []): DecodedRevert {
  if (data === "0x" || data.length < 10) {
    return { kind: "empty", name: null, selector: null, args: [], data, message: "reverted without data" };
  }
  const selector = data.slice(0, 10) as Hex;
  try {
    const decoded = decodeErrorResult({ abi: [...daoErrorsAbi, ...extraAbi], data });
    const args = toJsonValue(decoded.args ?? []) as unknown[];
    if (decoded.errorName === "Error") {
      return { kind: "error-string", name: "Error", selector, args, data, message: `Error(${JSON.stringify(args[0])})` };
    }
    if (decoded.errorName === "Panic") {
      const code = String(args[0]);
      return { kind: "panic", name: "Panic", selector, args, data, message: `Panic(${code}): ${PANIC_REASONS[code] ?? "unknown panic code"}` };
    }
    return { kind: "custom", name: decoded.errorName, selector, args, data, message: `${decoded.errorName}(${args.map((a) => JSON.stringify(a)).join(", ")})` };
  } catch {
    return { kind: "unknown", name: null, selector, args: [], data, message: `unknown error ${selector} (${(data.length - 2) / 2} bytes)` };
  }
}

/**
 * The revert data carried by a viem error from `call` / `estimateGas`, or undefined when the error
 * is not a revert (network failure, timeout, malformed answer).
 */
export function revertDataOf(error: unknown): Hex | undefined {
  if (!(error instanceof BaseError)) return undefined;
  let found: Hex | undefined;
  error.walk((e) => {
    const data = (e as { data?: unknown }).data;
    if (typeof data === "string" && /^0x[0-9a-fA-F]*$/.test(data)) {
      found = data as Hex;
      return true;
    }
    if (typeof data === "object" && data !== null && typeof (data as { data?: unknown }).data === "string") {
      found = (data as { data: Hex }).data;
      return true;
    }
    return false;
  });
  if (found !== undefined) return found;
  // A revert without data ("execution reverted") is still a revert.
  const text = `${error.shortMessage} ${error.details ?? ""}`.toLowerCase();
  if (text.includes("revert")) return "0x";
  return undefined;
}
