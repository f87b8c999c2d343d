import { encodeFunctionData, erc20Abi, isAddress, parseAbi, parseAbiItem, parseEther, parseUnits, type Abi, type AbiFunction, type Address, type Hex } from "viem";

import type { RuntimeConfig } from "./config.ts";

export type ActionDraft =
  | { kind: "eth"; to: string; amount: string }
  | { kind: "token"; token: string; decimals: string; to: string; amount: string }
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

function address(value: string, what: string): Address {
  const v = value.trim();
  if (!isAddress(v)) throw new BuildError(`${what}: “${value}” is not an address (0x followed by 40 hex digits)`);
  return v;
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

export function buildAction(action: ActionDraft, config: RuntimeConfig): { target: Address; value: bigint; calldata: Hex } {
  switch (action.kind) {
    case "eth": {
      const to = address(action.to, "recipient");
      let value: bigint;
      try {
        value = parseEther(action.amount.trim());
      } catch {
        throw new BuildError(`amount: “${action.amount}” is not a number of ETH`);
      }
      if (value <= 0n) throw new BuildError("amount: must be more than 0");
      return { target: to, value: value, calldata: "0x" };
    }
    case "token": {
      const token = address(action.token || config.contracts.token, "token");
      const to = address(action.to, "recipient");
      let amount: bigint;
      try {
        amount = parseUnits(action.amount.trim(), Number(action.decimals || config.token.decimals));
      } catch {
        throw new BuildError(`amount: “${action.amount}” is not a number of tokens`);
      }
      if (amount <= 0n) throw new BuildError("amount: must be more than 0");
      return { target: token, value: 0n, calldata: encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [to, amount] }) };
    }
    case "call": {
      const target = address(action.target, "target");
      const fn = resolveFunction(action.abiOrSignature, action.functionName);
      const args = parseArgs(fn, action.args);
      let calldata: Hex;
      try {
        calldata = encodeFunctionData({ abi: [fn], functionName: fn.name, args } as never);
      } catch (error) {
        throw new BuildError(`cannot encode ${fn.name}: ${(error as { shortMessage?: string }).shortMessage ?? (error as Error).message}`);
      }
      return { target, value: action.value.trim() ? parseEther(action.value.trim()) : 0n, calldata };
    }
    case "raw":
      return { target: address(action.target, "target"), value: BigInt(action.value || "0"), calldata: (action.calldata || "0x") as Hex };
  }
}

const PROPOSER_SUFFIX = /#proposer=0x[0-9a-fA-F]{40}$/;

/** The description with the `#proposer=<address>` suffix, which lets only that address submit it (front-running protection). */
export function withProposerSuffix(description: string, proposer: string | null): string {
  if (!proposer || PROPOSER_SUFFIX.test(description)) return description;
  return `${description}\n\n#proposer=${proposer}`;
}

export function buildProposal(actions: ActionDraft[], description: string, proposer: string | null, config: RuntimeConfig): BuiltProposal {
  if (actions.length === 0) throw new BuildError("add at least one action");
  if (description.trim() === "") throw new BuildError("write a description: its first line is the title");
  const built = actions.map((a, i) => {
    try {
      return buildAction(a, config);
    } catch (error) {
      throw new BuildError(`action ${i + 1}: ${(error as Error).message}`);
    }
  });
  return {
    targets: built.map((b) => b.target),
    values: built.map((b) => b.value),
    calldatas: built.map((b) => b.calldata),
    description: withProposerSuffix(description, proposer),
  };
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
