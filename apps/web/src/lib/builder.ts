import { actionLabel } from "@ai-dao/reports";
import { encodeFunctionData, erc20Abi, getAddress, isAddress, parseAbi, parseAbiItem, parseUnits, type Abi, type AbiFunction, type Address, type Hex } from "viem";

import type { AnalystApi } from "./analyst.ts";
import type { RuntimeConfig } from "./config.ts";
import { formatAmount } from "./format.ts";
import { daoTokenMetadata, tokenLabel, type TokenMetadata, type TokenMetadataMap } from "./tokens.ts";

/**
 * One action as typed. `token` is the token's address ("" for the DAO token); `custom` marks a token
 * typed by address rather than picked from the treasury's. Amounts are in the asset's own units ("1.5"
 * ETH, "600000" dUSD); decimals are read from the token, never typed.
 */
export type ActionDraft =
  | { kind: "eth"; to: string; amount: string }
  | { kind: "token"; token: string; to: string; amount: string; custom?: boolean }
  | { kind: "call"; target: string; abiOrSignature: string; functionName: string; args: string; value: string }
  | { kind: "raw"; target: string; value: string; calldata: string };

export interface BuiltProposal {
  targets: Address[];
  values: bigint[];
  calldatas: Hex[];
  description: string;
}

export class BuildError extends Error {
  override name = "BuildError";
}

/** Problems by field: `action-<i>-<field>` (to, amount, token, target, abiOrSignature, functionName, args, value, calldata), `description`, `actions`. */
export type FieldProblems = Record<string, string>;

export function fieldKey(index: number, field: string): string {
  return `action-${index}-${field}`;
}

/** What the builder knows beyond the inputs: token metadata read from the chain and the treasury's balances. */
export interface BuilderContext {
  tokens?: TokenMetadataMap;
  /** Tokens (lower-case addresses) whose metadata is still being read. */
  pending?: ReadonlySet<string>;
  /** The treasury's balances in base units by lower-case token address, and "eth". */
  balances?: ReadonlyMap<string, bigint>;
}

export interface Validation {
  /** The proposal, when there is no error and nothing is still being read. */
  proposal: BuiltProposal | null;
  /** Every problem, by field. */
  errors: FieldProblems;
  /** Things to look at that do not stop the proposal (an amount above the treasury's balance). */
  warnings: FieldProblems;
  /** Fields waiting for a read from the chain (a token's decimals). */
  pending: string[];
}

const ADDRESS_FORM = "0x followed by 40 hex digits";

function checkAddress(value: string, what: string): { address: Address } | { error: string } {
  const v = value.trim();
  if (v === "") return { error: `Enter ${what}: ${ADDRESS_FORM}.` };
  if (isAddress(v)) return { address: getAddress(v) };
  if (isAddress(v, { strict: false })) return { error: "This address has a typo: its capital letters do not match its checksum. Copy it again." };
  return { error: `“${value.trim()}” is not an address (${ADDRESS_FORM}).` };
}

/**
 * An amount typed in whole units ("600000", "1,500.25", "0.5") as base units with `decimals`: exact,
 * no floating point. Commas are accepted only as thousands separators.
 */
export function parseAmount(text: string, decimals: number, unit: string): { value: bigint } | { error: string } {
  const t = text.trim();
  if (t === "") return { error: "Enter an amount." };
  let plain = t;
  if (t.includes(",")) {
    if (!/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(t)) return { error: `“${t}” is not a number: use a point for decimals (1500.25) and commas only between thousands (1,500).` };
    plain = t.replace(/,/g, "");
  }
  const match = /^(\d*)(?:\.(\d*))?$/.exec(plain);
  if (!match || (match[1] === "" && (match[2] ?? "") === "")) return { error: `“${t}” is not a number of ${unit}.` };
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > decimals) {
    return { error: decimals === 0 ? `${unit} cannot be split: enter a whole number.` : `${unit} has ${decimals} decimal place${decimals === 1 ? "" : "s"}; this amount has ${fraction.length}.` };
  }
  // Exact: the fraction was checked to fit the token's decimals, so parseUnits has nothing to round.
  const value = parseUnits(`${match[1] || "0"}${fraction ? `.${fraction}` : ""}`, decimals);
  if (value === 0n) return { error: "The amount must be more than 0." };
  return { value };
}

/** The title voters see in lists: the description's first line without heading marks. */
export function titleOf(description: string): string {
  return (description.split("\n")[0] ?? "").replace(/^#+/, "").trim();
}

/** A function from a Solidity signature ("transfer(address,uint256)", "function f(uint a)") or from an ABI JSON and a name. */
export function resolveFunction(abiOrSignature: string, functionName: string): AbiFunction {
  const text = abiOrSignature.trim();
  if (text.startsWith("[")) {
    let abi: Abi;
    try {
      abi = JSON.parse(text) as Abi;
    } catch {
      throw new BuildError("the ABI is not valid JSON");
    }
    const fn = abi.find((i): i is AbiFunction => i.type === "function" && i.name === functionName.trim());
    if (!fn) throw new BuildError(`the ABI has no function “${functionName}”`);
    return fn;
  }
  const signature = text.startsWith("function ") ? text : `function ${text}`;
  try {
    const item = parseAbiItem(signature);
    if (item.type !== "function") throw new Error();
    return item;
  } catch {
    throw new BuildError(`“${text}” is not a function signature such as transfer(address to, uint256 amount)`);
  }
}

/** Arguments as a JSON array (["0x…", "100"]) or comma-separated values; integers become bigints. */
export function parseArgs(fn: AbiFunction, text: string): unknown[] {
  const trimmed = text.trim();
  let raw: unknown[];
  if (trimmed === "") raw = [];
  else if (trimmed.startsWith("[")) {
    try {
      raw = JSON.parse(trimmed) as unknown[];
    } catch {
      throw new BuildError("the arguments are not a valid JSON array");
    }
  } else raw = trimmed.split(",").map((s) => s.trim());
  if (raw.length !== fn.inputs.length) throw new BuildError(`${fn.name} takes ${fn.inputs.length} argument(s), got ${raw.length}`);
  return raw.map((value, i) => {
    const type = fn.inputs[i]!.type;
    if (/^u?int\d*$/.test(type)) {
      try {
        return BigInt(value as string);
      } catch {
        throw new BuildError(`argument ${i + 1} (${type}) is not an integer`);
      }
    }
    if (type === "bool") return value === true || value === "true";
    return value;
  });
}

type Built = { target: Address; value: bigint; calldata: Hex };

interface ActionCheck {
  built: Built | null;
  errors: Record<string, string>;
  warnings: Record<string, string>;
  pending: string[];
  /** The asset the action takes from the treasury ("eth" or a lower-case token address) and how much, to compare with its balance. */
  spends?: { asset: string; amount: bigint; decimals: number; label: string };
}

/** The metadata the builder uses for a token: the DAO's from the deployment; any other only as read from the chain. */
function metadataFor(token: Address, config: RuntimeConfig, context: BuilderContext): TokenMetadata | "pending" | null {
  if (token.toLowerCase() === config.contracts.token.toLowerCase()) return daoTokenMetadata(config);
  const meta = context.tokens?.get(token.toLowerCase());
  if (meta) return meta;
  return context.pending?.has(token.toLowerCase()) ? "pending" : null;
}

/** Checks one action, collecting every problem (not only the first) by field name. */
export function checkAction(action: ActionDraft, config: RuntimeConfig, context: BuilderContext = {}): ActionCheck {
  const errors: Record<string, string> = {};
  const pending: string[] = [];
  let spends: ActionCheck["spends"];
  const address = (field: string, value: string, what: string): Address | null => {
    const r = checkAddress(value, what);
    if ("error" in r) {
      errors[field] = r.error;
      return null;
    }
    return r.address;
  };
  const amount = (field: string, text: string, decimals: number, unit: string): bigint | null => {
    const r = parseAmount(text, decimals, unit);
    if ("error" in r) {
      errors[field] = r.error;
      return null;
    }
    return r.value;
  };
  let built: Built | null = null;
  switch (action.kind) {
    case "eth": {
      const to = address("to", action.to, "the recipient's address");
      const value = amount("amount", action.amount, 18, "ETH");
      if (value !== null) spends = { asset: "eth", amount: value, decimals: 18, label: "ETH" };
      if (to && value !== null) built = { target: to, value, calldata: "0x" };
      break;
    }
    case "token": {
      const token = action.custom ? address("token", action.token, "the token's address") : ((action.token.trim() || config.contracts.token) as Address);
      const to = address("to", action.to, "the recipient's address");
      const meta = token && isAddress(token, { strict: false }) ? metadataFor(getAddress(token), config, context) : token ? null : undefined;
      if (meta === "pending") pending.push("token");
      else if (meta === null) errors.token = "This address does not answer as a token (it has no decimals), so no amount of it can be sent from here.";
      else if (meta && meta.decimals === null) errors.token = "This address does not answer as a token (it has no decimals), so no amount of it can be sent from here.";
      let value: bigint | null = null;
      if (meta && meta !== "pending" && meta.decimals !== null) {
        const label = tokenLabel(meta, config);
        value = amount("amount", action.amount, meta.decimals, label);
        if (value !== null) spends = { asset: meta.address.toLowerCase(), amount: value, decimals: meta.decimals, label };
      } else if (action.amount.trim() === "") errors.amount = "Enter an amount.";
      if (token && to && value !== null) built = { target: getAddress(token), value: 0n, calldata: encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [to, value] }) };
      break;
    }
    case "call": {
      const target = address("target", action.target, "the contract's address");
      let fn: AbiFunction | null = null;
      try {
        fn = resolveFunction(action.abiOrSignature, action.functionName);
      } catch (error) {
        errors[action.abiOrSignature.trim().startsWith("[") && /has no function/.test((error as Error).message) ? "functionName" : "abiOrSignature"] = (error as Error).message;
      }
      let args: unknown[] | null = null;
      if (fn) {
        try {
          args = parseArgs(fn, action.args);
        } catch (error) {
          errors.args = (error as Error).message;
        }
      }
      const value = action.value.trim() === "" ? 0n : amount("value", action.value, 18, "ETH");
      if (value !== null && value > 0n) spends = { asset: "eth", amount: value, decimals: 18, label: "ETH" };
      let calldata: Hex | null = null;
      if (fn && args) {
        try {
          calldata = encodeFunctionData({ abi: [fn], functionName: fn.name, args } as never);
        } catch (error) {
          errors.args = `cannot encode ${fn.name}: ${(error as { shortMessage?: string }).shortMessage ?? (error as Error).message}`;
        }
      }
      if (target && calldata && value !== null) built = { target, value, calldata };
      break;
    }
    case "raw": {
      const target = address("target", action.target, "the target's address");
      let value: bigint | null = null;
      if (/^\d+$/.test(action.value.trim() || "0")) value = BigInt(action.value.trim() || "0");
      else errors.value = `“${action.value}” is not a whole number of wei.`;
      const calldata = (action.calldata.trim() || "0x") as Hex;
      if (!/^0x([0-9a-fA-F]{2})*$/.test(calldata)) errors.calldata = "The data must be 0x followed by pairs of hex digits.";
      if (value !== null && value > 0n) spends = { asset: "eth", amount: value, decimals: 18, label: "ETH" };
      if (target && value !== null && !errors.calldata) built = { target, value, calldata };
      break;
    }
  }
  return { built: Object.keys(errors).length === 0 && pending.length === 0 ? built : null, errors, warnings: {}, pending, ...(spends ? { spends } : {}) };
}

/**
 * Every problem of a proposal at once, by field, and the proposal itself when there are none. An
 * amount above what the treasury holds (counting earlier actions on the same asset) is a warning:
 * funds may arrive before the proposal is executed.
 */
export function validateProposal(actions: ActionDraft[], description: string, proposer: string | null, config: RuntimeConfig, context: BuilderContext = {}): Validation {
  const errors: FieldProblems = {};
  const warnings: FieldProblems = {};
  const pending: string[] = [];
  const spent = new Map<string, bigint>();
  const built: Built[] = [];
  if (actions.length === 0) errors.actions = "Add at least one action.";
  actions.forEach((action, i) => {
    const check = checkAction(action, config, context);
    for (const [field, message] of Object.entries(check.errors)) errors[fieldKey(i, field)] = message;
    for (const field of check.pending) pending.push(fieldKey(i, field));
    if (check.built) built.push(check.built);
    const s = check.spends;
    const balance = s ? context.balances?.get(s.asset) : undefined;
    if (s && balance !== undefined) {
      const total = (spent.get(s.asset) ?? 0n) + s.amount;
      spent.set(s.asset, total);
      const field = fieldKey(i, action.kind === "call" || action.kind === "raw" ? "value" : "amount");
      const holds = formatAmount(balance, s.decimals, 6, { symbol: s.label });
      if (s.amount > balance) warnings[field] = `More than the treasury holds (${holds}).`;
      else if (total > balance) warnings[field] = `With the actions above, more than the treasury holds (${holds}).`;
    }
  });
  if (description.trim() === "") errors.description = "Write a description: its first line is the title voters see.";
  else if (titleOf(description) === "") errors.description = "The first line is the title voters see, and it is empty: start with a title such as “# Fund the audit”.";
  const ok = Object.keys(errors).length === 0 && pending.length === 0 && built.length === actions.length;
  return {
    proposal: ok
      ? { targets: built.map((b) => b.target), values: built.map((b) => b.value), calldatas: built.map((b) => b.calldata), description: withProposerSuffix(description, proposer) }
      : null,
    errors,
    warnings,
    pending,
  };
}

const PROPOSER_SUFFIX = /#proposer=0x[0-9a-fA-F]{40}$/;

/** The description with the `#proposer=<address>` suffix, which lets only that address submit it (front-running protection). */
export function withProposerSuffix(description: string, proposer: string | null): string {
  if (!proposer || PROPOSER_SUFFIX.test(description)) return description;
  return `${description}\n\n#proposer=${proposer}`;
}

/** The proposal, or a BuildError naming the first problem ("action 2: …"); `validateProposal` gives them all. */
export function buildProposal(actions: ActionDraft[], description: string, proposer: string | null, config: RuntimeConfig, context: BuilderContext = {}): BuiltProposal {
  const v = validateProposal(actions, description, proposer, config, context);
  if (v.proposal) return v.proposal;
  const [key, message] = Object.entries(v.errors)[0] ?? [v.pending[0] ?? "", "a token's decimals are still being read"];
  const action = /^action-(\d+)-/.exec(key);
  throw new BuildError(action ? `${actionLabel(Number(action[1]))}: ${message}` : message);
}

/** The proposal as the analyst API takes it (values as decimal strings). */
export function toAnalystInput(p: BuiltProposal, proposer: string | null) {
  return {
    targets: p.targets,
    values: p.values.map(String),
    calldatas: p.calldatas,
    description: p.description,
    ...(proposer ? { proposer } : {}),
  };
}

export const exampleAbi = parseAbi(["function transfer(address to, uint256 amount) returns (bool)"]);

/** Whether the analyst can draft: its /health says whether a model is configured. Unknown (unreachable, older analyst) leaves drafting on; POST /draft then says why it cannot. */
export async function readDraftingAvailable(analyst: AnalystApi): Promise<boolean | null> {
  const body = await analyst.health().catch(() => null);
  if (body === null) return null;
  if (body.mode === "model") return true;
  if (body.mode === "deterministic" || body.model === null) return false;
  return null;
}

export const NO_MODEL = "Drafting needs the analyst's model, which this installation has not set up.";
