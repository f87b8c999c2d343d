// Why a call reverted, in words. Revert data is one of: empty, `Error(string)` (a require message),
// `Panic(uint256)` (a compiler check), a custom error of a contract (its 4-byte selector and ABI
// arguments), or bytes nobody here knows. Every part decodes it with `decodeRevert` and finds it in a
// viem error with `revertDataOf`; the wording for people is built on top.
import { BaseError, decodeErrorResult, size, slice, type Abi, type Hex } from "viem";

import { daoErrorsAbi } from "./abis.ts";


/** What the compiler's `Panic(uint256)` codes mean. */
export const panicReasons: Readonly<Record<number, string>> = {
  0x00: "generic compiler panic",
  0x01: "assertion failed",
  0x11: "arithmetic overflow or underflow",
  0x12: "division or modulo by zero",
  0x21: "invalid enum value",
  0x22: "invalid storage byte array",
  0x31: "pop on empty array",
  0x32: "array index out of bounds",
  0x41: "out of memory",
  0x51: "call to a zero-initialised function",
};

/** Why a call reverted, as far as the known ABIs tell. */
export interface DecodedRevert {
  /** `empty`: no data; `error-string`: `Error(string)`; `panic`: `Panic(uint256)`; `custom`: a known custom error; `unknown`: a selector no ABI here has. */
  kind: "empty" | "error-string" | "panic" | "custom" | "unknown";
  /** The error's name (`GovernorUnexpectedProposalState`, `Error`, `Panic`), null when empty or unknown. */
  name: string | null;
  /** The first four bytes, null when there are fewer. */
  selector: Hex | null;
  /** The arguments as viem decodes them (numbers as bigint). */
  args: readonly unknown[];
  /** The require message of `Error(string)`, the meaning of a panic code, else null. */
  reason: string | null;
  /** One line for people: `Error("nope")`, `Panic(17): arithmetic overflow or underflow`, `Name(arg, …)`, `unknown error 0x… (n bytes)`. */
  message: string;
  /** The raw revert data. */
  data: Hex;
}

function showArg(value: unknown): string {
  if (typeof value === "string") return value.startsWith("0x") ? value : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(showArg).join(", ")}]`;
  if (value !== null && typeof value === "object") return `{${Object.entries(value).map(([k, v]) => `${k}: ${showArg(v)}`).join(", ")}}`;
  return String(value);
}

/**
 * Decodes revert data with the DAO's errors ({@link daoErrorsAbi}), `Error(string)`, `Panic(uint256)`
 * and any `extraAbi` (the ABI of another contract a call reached). Never throws: data no ABI knows is
 * an `unknown` revert with its selector.
 */
export function decodeRevert(data: Hex, extraAbi: Abi = []): DecodedRevert {
  const bytes = size(data);
  if (bytes === 0) return { kind: "empty", name: null, selector: null, args: [], reason: null, message: "reverted without data", data };
  if (bytes < 4) return { kind: "unknown", name: null, selector: null, args: [], reason: null, message: `unknown error ${data} (${bytes} bytes)`, data };
  const selector = slice(data, 0, 4);
  let decoded: { errorName: string; args: readonly unknown[] | undefined };
  try {
    decoded = decodeErrorResult({ abi: [...daoErrorsAbi, ...extraAbi], data }) as typeof decoded;
  } catch {
    return { kind: "unknown", name: null, selector, args: [], reason: null, message: `unknown error ${selector} (${bytes} bytes)`, data };
  }
  const name = decoded.errorName;
  const args = decoded.args ?? [];
  if (name === "Error" && typeof args[0] === "string") {
    return { kind: "error-string", name, selector, args, reason: args[0], message: `Error(${JSON.stringify(args[0])})`, data };
  }
  if (name === "Panic" && typeof args[0] === "bigint") {
    const reason = panicReasons[Number(args[0])] ?? "unknown panic code";
    return { kind: "panic", name, selector, args, reason, message: `Panic(${args[0]}): ${reason}`, data };
  }
  return { kind: "custom", name, selector, args, reason: null, message: `${name}(${args.map(showArg).join(", ")})`, data };
}

/**
 * The revert data carried by a viem error (from `call`, `estimateGas`, `simulateContract`,
 * `readContract`, `writeContract`), `0x` for a revert without data, or undefined when the error is
 * not a revert (network failure, timeout, malformed answer).
 */
export function revertDataOf(error: unknown): Hex | undefined {
  if (!(error instanceof BaseError)) return undefined;
  let found: Hex | undefined;
  error.walk((e) => {
    // ContractFunctionRevertedError keeps the raw bytes as `raw`; RPC and call errors as `data`.
    const raw = (e as { raw?: unknown }).raw;
    if (typeof raw === "string" && /^0x[0-9a-fA-F]*$/.test(raw)) {
      found = raw as Hex;
      return true;
    }
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
