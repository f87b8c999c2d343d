// A proposal's actions for voters, decoded by @ai-dao/protocol's call decoder: the very decoding the
// analyst judged, so what a voter reads is what was analysed. This file only words it for people:
// token amounts in the token's own units (its decimals read from the chain, never assumed), names
// for the DAO's addresses.
import { createCallDecoder, knownSignatureAbis, type DecodedCall } from "@ai-dao/protocol";
import { getAddress, isAddress, maxUint256, type Address, type Hex } from "viem";

import type { RuntimeConfig } from "./config.ts";
import { formatExactAmount, shortAddress } from "./format.ts";
import { daoTokenMetadata, tokenLabel, type TokenMetadata, type TokenMetadataMap } from "./tokens.ts";

export interface DecodedArg {
  name: string;
  /** The ABI type (shown only with the technical details). */
  type: string;
  /** The raw value as text (integers in full). */
  value: string;
  /** The value in token units with the symbol ("600,000 dUSD", "Unlimited dUSD"), for amounts of a token whose decimals are known. */
  display?: string;
  /** Said next to the value: for an amount of a token whose decimals are unknown, that the number is raw. */
  note?: string;
  /** The name of an address argument, when it is one of the DAO's (or a known service's). */
  label?: string;
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
  /** For a token call (transfer, approve, ...): what it does in one plain sentence. */
  summary?: string;
  /** For a token call: the token whose amounts these are (its metadata still being read when `pending`). */
  token?: { address: Address; pending: boolean };
}

/**
 * The services' accounts from the runtime configuration: the deployment's `analysts`, and its
 * `publishers` that are not analysts (the executor).
 */
function serviceNames(config: Pick<RuntimeConfig, "analysts" | "publishers">): Record<string, string> {
  const analysts = config.analysts.map((a) => a.toLowerCase());
  const names: Record<string, string> = {};
  for (const a of config.publishers.map((p) => p.toLowerCase())) if (!analysts.includes(a)) names[a] = "Executor";
  for (const a of analysts) names[a] = "AI analyst";
  return names;
}

/** Names of the DAO's own contracts, from the deployment, of the analyst and executor when listed, and of any other known accounts (`extra`, by address). */
export function contractNames(config: RuntimeConfig, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const { token, governor, timelock, decisionLog } = config.contracts;
  const names: Record<string, string> = serviceNames(config);
  for (const [address, name] of Object.entries(extra)) names[address.toLowerCase()] = name;
  return {
    ...names,
    [token.toLowerCase()]: `${config.token.symbol} token`,
    [governor.toLowerCase()]: "Governor",
    [timelock.toLowerCase()]: "Treasury (timelock)",
    [decisionLog.toLowerCase()]: "Decision log",
  };
}

/**
 * Token functions by signature: which argument is an amount of the called token, and whether the
 * call lets someone else spend it (an allowance, where the largest number means "without limit").
 */
const TOKEN_AMOUNTS: Readonly<Record<string, { amount: number; allowance: boolean }>> = {
  "transfer(address,uint256)": { amount: 1, allowance: false },
  "transferFrom(address,address,uint256)": { amount: 2, allowance: false },
  "approve(address,uint256)": { amount: 1, allowance: true },
  "increaseAllowance(address,uint256)": { amount: 1, allowance: true },
  "decreaseAllowance(address,uint256)": { amount: 1, allowance: false },
  "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)": { amount: 2, allowance: true },
};

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

/** The addresses of the tokens a proposal's actions move or approve, whose symbol and decimals the page must read. */
export function tokenAddressesOf(actions: readonly { target: string; value: string | bigint; calldata: string }[], config: RuntimeConfig): Address[] {
  const out = new Set<Address>();
  actions.forEach((a, i) => {
    if (!isAddress(a.target, { strict: false })) return;
    const call = decoderFor(config)(i, getAddress(a.target), BigInt(a.value), a.calldata as Hex);
    if (call.kind === "call" && call.decoded && call.signature && TOKEN_AMOUNTS[call.signature]) out.add(getAddress(a.target));
  });
  return [...out];
}

/** An amount of `meta`'s token in its units; the raw number with a note when its decimals are unknown. */
function amountOf(raw: bigint, meta: TokenMetadata, label: string, allowance: boolean): Pick<DecodedArg, "display" | "note"> {
  if (allowance && raw === maxUint256) return { display: `Unlimited ${label}` };
  if (meta.decimals === null) return { note: "the token's decimals are unknown, so this is the raw number, not whole tokens" };
  return { display: formatExactAmount(raw, meta.decimals, { symbol: label }) };
}

/** Who an address argument is, in words: a name, or its short form. */
function who(address: unknown, names: Record<string, string>): string {
  const text = String(address);
  return names[text.toLowerCase()] ?? shortAddress(text);
}

function tokenSummary(signature: string, args: readonly unknown[], amount: string, unlimited: boolean, label: string, names: Record<string, string>): string | undefined {
  const anyAmount = `any amount of the treasury's ${label}, without limit`;
  switch (signature) {
    case "transfer(address,uint256)":
      return `Send ${amount} from the treasury to ${who(args[0], names)}`;
    case "transferFrom(address,address,uint256)":
      return `Move ${amount} from ${who(args[0], names)} to ${who(args[1], names)}, spending an allowance given to the treasury`;
    case "approve(address,uint256)":
      return `Allow ${who(args[0], names)} to take ${unlimited ? anyAmount : `up to ${amount} from the treasury`}`;
    case "increaseAllowance(address,uint256)":
      return `Allow ${who(args[0], names)} to take ${unlimited ? anyAmount : `${amount} more from the treasury`}`;
    case "decreaseAllowance(address,uint256)":
      return `Lower what ${who(args[0], names)} may take from the treasury by ${amount}`;
    default:
      return undefined;
  }
}

/**
 * Decodes one action. Amounts of a token (the DAO's or any other) are in the token's units when
 * `tokens` holds its decimals (read from the chain; the DAO token's come from the deployment); a
 * token missing from `tokens` is treated as unknown, never as 18 decimals. `names` adds names for
 * addresses beyond the DAO's contracts.
 */
export function decodeAction(
  action: { index: number; target: string; value: string | bigint; calldata: string; functionSignature?: string | null },
  config: RuntimeConfig,
  tokens: TokenMetadataMap = new Map(),
  options: { pending?: ReadonlySet<string>; names?: Readonly<Record<string, string>> } = {},
): DecodedAction {
  const value = BigInt(action.value);
  const calldata = action.calldata as Hex;
  const target = isAddress(action.target, { strict: false }) ? getAddress(action.target) : action.target;
  const names = contractNames(config, options.names);
  const base = {
    index: action.index,
    target,
    targetName: names[target.toLowerCase()] ?? null,
    value,
    valueDisplay: formatExactAmount(value, 18, { symbol: "ETH" }),
    calldata,
  };
  const call: DecodedCall = decoderFor(config)(action.index, target as Address, value, calldata);
  if (call.kind === "eth-transfer") return { ...base, functionName: null, signature: null, args: [], kind: call.kind, summary: `Send ${base.valueDisplay} from the treasury to ${who(target, names)}` };
  if (call.kind !== "call") return { ...base, functionName: null, signature: null, args: [], kind: call.kind };
  if (!call.decoded) return { ...base, functionName: null, signature: action.functionSignature ?? null, args: [], kind: "unknown-call" };

  const rawArgs = call.args ?? [];
  const args: DecodedArg[] = rawArgs.map((arg, i) => {
    const input = call.inputs?.[i];
    const out: DecodedArg = { name: input?.name || `arg${i}`, type: input?.type ?? "unknown", value: stringify(arg) };
    if (input?.type === "address" && typeof arg === "string") {
      const name = names[arg.toLowerCase()];
      if (name) out.label = name;
    }
    return out;
  });

  const extra: Partial<DecodedAction> = {};
  const spec = call.signature ? TOKEN_AMOUNTS[call.signature] : undefined;
  const amountArg = spec ? rawArgs[spec.amount] : undefined;
  if (spec && typeof amountArg === "bigint" && isAddress(target, { strict: false })) {
    const key = target.toLowerCase();
    const isDao = key === config.contracts.token.toLowerCase();
    const meta: TokenMetadata = (isDao ? daoTokenMetadata(config) : tokens.get(key)) ?? { address: target as Address, symbol: null, decimals: null };
    const pending = !isDao && !tokens.has(key) && (options.pending?.has(key) ?? false);
    const label = tokenLabel(meta, config);
    const shown = amountOf(amountArg, meta, label, spec.allowance);
    Object.assign(args[spec.amount]!, shown);
    if (pending) args[spec.amount]!.note = "reading the token's decimals…";
    extra.token = { address: target as Address, pending };
    // Only an address that answered as a token is called one; its name comes from its own symbol.
    if (!isDao && meta.decimals !== null) extra.targetName = `${label} token`;
    const unlimited = spec.allowance && amountArg === maxUint256;
    const amount = shown.display ?? `${amountArg.toString()} (a raw number: the token's decimals are unknown)`;
    extra.summary = tokenSummary(call.signature!, rawArgs, amount, unlimited, label, names);
  }

  return {
    ...base,
    functionName: call.functionName ?? null,
    signature: call.signature ?? null,
    args,
    kind: "call",
    ...(call.trailingBytes !== undefined ? { trailingBytes: call.trailingBytes } : {}),
    ...extra,
  };
}
