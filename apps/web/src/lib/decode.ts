import { decodeFunctionData, erc20Abi, formatEther, getAddress, type Abi, type Hex } from "viem";

import { decisionLogAbi, governorAbi, timelockAbi, tokenAbi } from "../generated/abis.ts";
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
  kind: "eth-transfer" | "call" | "unknown-call";
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

function abiFor(target: string, config: RuntimeConfig): Abi[] {
  const t = target.toLowerCase();
  const { token, governor, timelock, decisionLog } = config.contracts;
  if (t === token.toLowerCase()) return [tokenAbi as Abi];
  if (t === governor.toLowerCase()) return [governorAbi as Abi];
  if (t === timelock.toLowerCase()) return [timelockAbi as Abi];
  if (t === decisionLog.toLowerCase()) return [decisionLogAbi as Abi];
  return [erc20Abi as Abi, governorAbi as Abi, timelockAbi as Abi];
}

const AMOUNT_NAMES = /^(amount|value|wad|amt)$/i;

function stringify(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(stringify).join(", ")}]`;
  if (typeof value === "object" && value !== null) return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v));
  return String(value);
}

/** Decodes one action with the DAO's ABIs (or ERC-20's for other contracts); amounts of the DAO token in token units. */
export function decodeAction(
  action: { index: number; target: string; value: string | bigint; calldata: string; functionSignature?: string | null },
  config: RuntimeConfig,
  extraAbis: Abi[] = [],
): DecodedAction {
  const target = (() => {
    try {
      return getAddress(action.target);
    } catch {
      return action.target;
    }
  })();
  const value = BigInt(action.value);
  const calldata = action.calldata as Hex;
  const base = {
    index: action.index,
    target,
    targetName: contractNames(config)[target.toLowerCase()] ?? null,
    value,
    valueDisplay: `${formatEther(value)} ETH`,
    calldata,
  };
  if (calldata === "0x" || calldata.length < 10) {
    return { ...base, functionName: null, signature: null, args: [], kind: "eth-transfer" };
  }
  const isDaoToken = target.toLowerCase() === config.contracts.token.toLowerCase();
  for (const abi of [...extraAbis, ...abiFor(target, config)]) {
    try {
      const decoded = decodeFunctionData({ abi, data: calldata });
      const item = abi.find((i) => i.type === "function" && i.name === decoded.functionName) as { inputs: { name?: string; type: string }[] } | undefined;
      const inputs = item?.inputs ?? [];
      const args = (decoded.args ?? []).map((arg, i) => {
        const input = inputs[i] ?? { name: `arg${i}`, type: "unknown" };
        const out: DecodedArg = { name: input.name || `arg${i}`, type: input.type, value: stringify(arg) };
        if (isDaoToken && input.type === "uint256" && AMOUNT_NAMES.test(input.name ?? "")) {
          out.display = `${formatAmount(arg as bigint, config.token.decimals)} ${config.token.symbol}`;
        }
        return out;
      });
      const signature = `${decoded.functionName}(${inputs.map((i) => i.type).join(",")})`;
      return { ...base, functionName: decoded.functionName, signature, args, kind: "call" };
    } catch {
      // not this ABI
    }
  }
  return { ...base, functionName: null, signature: action.functionSignature ?? null, args: [], kind: "unknown-call" };
}
