// A proposal's actions for voters, decoded by @ai-dao/protocol's call decoder: the very decoding the
// analyst judged, so what a voter reads is what was analysed. This file only words it for people.
import { createCallDecoder, knownSignatureAbis, type DecodedCall } from "@ai-dao/protocol";
import { formatEther, getAddress, isAddress, type Address, type Hex } from "viem";

import type { RuntimeConfig } from "./config.ts";
import { formatAmount } from "./format.ts";

export interface DecodedArg {
  name: string;
  type: string;
  value: string;
  /** The value in token units, for amounts of a known token. */
  display?: string;
}

export interface DecodedAction {
  index: number;
  target: string;
  targetName: string | null;
  value: bigint;
  valueDisplay: string;
  functionName: string | null;
  signature: string | null;
  args: DecodedArg[];
  calldata: Hex;
  /** `empty`: no calldata and no value; `unknown-call`: calldata no known ABI decodes. */
  kind: "eth-transfer" | "call" | "unknown-call" | "empty";
  /** Bytes after the encoded arguments: data the function ignores but that is part of the proposal. */
  trailingBytes?: number;
}

/** Names of the DAO's own contracts, from the deployment. */
export function contractNames(config: RuntimeConfig): Record<string, string> {
  const { token, governor, timelock, decisionLog } = config.contracts;
  return {
    [token.toLowerCase()]: `${config.token.symbol} token`,
    [governor.toLowerCase()]: "Governor",
    [timelock.toLowerCase()]: "Treasury (timelock)",
    [decisionLog.toLowerCase()]: "DecisionLog",
  };
}

const AMOUNT_NAMES = /^(amount|value|wad|amt)$/i;

function stringify(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(stringify).join(", ")}]`;
  if (typeof value === "object" && value !== null) return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v));
  return String(value);
}

const decoders = new WeakMap<RuntimeConfig, ReturnType<typeof createCallDecoder>>();

function decoderFor(config: RuntimeConfig) {
  let decode = decoders.get(config);
  if (decode === undefined) decoders.set(config, (decode = createCallDecoder(config.contracts as Record<keyof RuntimeConfig["contracts"], Address>, knownSignatureAbis)));
  return decode;
}

function argsOf(call: DecodedCall, config: RuntimeConfig): DecodedArg[] {
  const isDaoToken = call.target.toLowerCase() === config.contracts.token.toLowerCase();
  return (call.args ?? []).map((arg, i) => {
    const input = call.inputs?.[i];
    const name = input?.name || `arg${i}`;
    const type = input?.type ?? "unknown";
    const out: DecodedArg = { name, type, value: stringify(arg) };
    if (isDaoToken && type === "uint256" && typeof arg === "bigint" && AMOUNT_NAMES.test(name)) {
      out.display = `${formatAmount(arg, config.token.decimals)} ${config.token.symbol}`;
    }
    return out;
  });
}

/** Decodes one action; amounts of the DAO token in token units. */
export function decodeAction(
  action: { index: number; target: string; value: string | bigint; calldata: string; functionSignature?: string | null },
  config: RuntimeConfig,
): DecodedAction {
  const value = BigInt(action.value);
  const calldata = action.calldata as Hex;
  const target = isAddress(action.target, { strict: false }) ? getAddress(action.target) : action.target;
  const base = {
    index: action.index,
    target,
    targetName: contractNames(config)[target.toLowerCase()] ?? null,
    value,
    valueDisplay: `${formatEther(value)} ETH`,
    calldata,
  };
  const call = decoderFor(config)(action.index, target as Address, value, calldata);
  if (call.kind !== "call") return { ...base, functionName: null, signature: null, args: [], kind: call.kind };
  if (!call.decoded) return { ...base, functionName: null, signature: action.functionSignature ?? null, args: [], kind: "unknown-call" };
  return {
    ...base,
    functionName: call.functionName ?? null,
    signature: call.signature ?? null,
    args: argsOf(call, config),
    kind: "call",
    ...(call.trailingBytes !== undefined ? { trailingBytes: call.trailingBytes } : {}),
  };
}
