// What a proposal's calls do, decoded with the DAO's ABIs for its own contracts and the common
// standards for any other address. The analyst judges this decoding and the web app shows voters the
// same one, so what a voter reads is what was analysed.
import {
  decodeAbiParameters,
  encodeAbiParameters,
  size,
  slice,
  toFunctionSelector,
  toFunctionSignature,
  type Abi,
  type AbiFunction,
  type AbiParameter,
  type Address,
  type Hex,
} from "viem";

import { contractNames, daoAbis, standardAbis, type ContractRole } from "./abis.ts";

/** One call of a proposal, decoded as far as the known ABIs allow. */
export interface DecodedCall {
  index: number;
  target: Address;
  /** Wei sent with the call. */
  value: bigint;
  /** First four bytes of the calldata, or null when there are fewer than four. */
  selector: Hex | null;
  /** `eth-transfer`: empty calldata with value; `empty`: empty calldata, no value; `call`: anything else. */
  kind: "call" | "eth-transfer" | "empty";
  functionName?: string;
  /** Canonical signature, e.g. `transfer(address,uint256)`. */
  signature?: string;
  /** The function's parameters (names and types), in ABI order. */
  inputs?: readonly AbiParameter[];
  /** Decoded arguments in ABI order (bigints for integers). */
  args?: readonly unknown[];
  /** Which ABI decoded it: a DAO contract name (`DAOGovernor`, ...) or a standard (`ERC20`, ...). */
  abiSource?: string;
  /** Bytes after the ABI-encoded arguments (hidden data a UI would not show). */
  trailingBytes?: number;
  decoded: boolean;
}

interface Candidate {
  item: AbiFunction;
  source: string;
}

type SelectorIndex = Map<Hex, Candidate[]>;

/** Selectors per ABI item: the ABIs are module constants, and hashing every signature again for each decoder is most of its cost. */
const selectors = new WeakMap<AbiFunction, Hex>();
function selectorOf(item: AbiFunction): Hex {
  let selector = selectors.get(item);
  if (selector === undefined) selectors.set(item, (selector = toFunctionSelector(item)));
  return selector;
}

function indexAbi(index: SelectorIndex, abi: Abi, source: string) {
  for (const item of abi) {
    if (item.type !== "function") continue;
    const selector = selectorOf(item);
    const list = index.get(selector) ?? [];
    list.push({ item, source });
    index.set(selector, list);
  }
}

/** Extra ABIs to try, for a contract by address or (without `address`) for any target. */
export interface ExtraAbi {
  name: string;
  abi: Abi;
  address?: Address;
}

/**
 * A decoder over the DAO's ABIs (for its own addresses), any `extra` ABIs and the common standards
 * (for any address). A selector several ABIs share is decoded by the first whose arguments fit the
 * calldata: the target's own ABI first, then the standards in order.
 */
export function createCallDecoder(contracts: Partial<Record<ContractRole, Address>>, extra: readonly ExtraAbi[] = []) {
  const perContract = new Map<string, SelectorIndex>();
  const forContract = (address: Address) => {
    const key = address.toLowerCase();
    let index = perContract.get(key);
    if (index === undefined) perContract.set(key, (index = new Map()));
    return index;
  };
  for (const [role, address] of Object.entries(contracts) as [ContractRole, Address | undefined][]) {
    if (address !== undefined) indexAbi(forContract(address), daoAbis[role] as Abi, contractNames[role]);
  }
  const anywhere: SelectorIndex = new Map();
  for (const { name, abi, address } of extra) indexAbi(address !== undefined ? forContract(address) : anywhere, abi, name);
  for (const { name, abi } of standardAbis) indexAbi(anywhere, abi, name);

  return function decodeCall(index: number, target: Address, value: bigint, data: Hex): DecodedCall {
    const base = { index, target, value };
    if (size(data) === 0) return { ...base, selector: null, kind: value > 0n ? "eth-transfer" : "empty", decoded: true };
    if (size(data) < 4) return { ...base, selector: null, kind: "call", decoded: false };
    const selector = slice(data, 0, 4);
    const candidates = [...(perContract.get(target.toLowerCase())?.get(selector) ?? []), ...(anywhere.get(selector) ?? [])];
    const body = `0x${data.slice(10)}` as Hex;
    for (const { item, source } of candidates) {
      try {
        const args = decodeAbiParameters(item.inputs, body);
        const used = size(encodeAbiParameters(item.inputs, args as readonly unknown[]));
        const trailing = size(body) - used;
        return {
          ...base,
          selector,
          kind: "call",
          functionName: item.name,
          signature: toFunctionSignature(item),
          inputs: item.inputs,
          args,
          abiSource: source,
          ...(trailing !== 0 ? { trailingBytes: trailing } : {}),
          decoded: true,
        };
      } catch {
        // Try the next ABI with this selector.
      }
    }
    return { ...base, selector, kind: "call", decoded: false };
  };
}

/** The calls of a proposal: its targets, values and calldatas, index by index. */
export interface ProposalCalls {
  targets: readonly Address[];
  values: readonly bigint[];
  calldatas: readonly Hex[];
}

/** Decodes every call of a proposal. */
export function decodeCalls(proposal: ProposalCalls, contracts: Partial<Record<ContractRole, Address>>, extra: readonly ExtraAbi[] = []): DecodedCall[] {
  const decode = createCallDecoder(contracts, extra);
  return proposal.targets.map((target, i) => decode(i, target, proposal.values[i] ?? 0n, proposal.calldatas[i] ?? "0x"));
}
