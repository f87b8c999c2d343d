import {
  decodeAbiParameters,
  encodeAbiParameters,
  size,
  slice,
  toFunctionSelector,
  toFunctionSignature,
  type Abi,
  type AbiFunction,
  type Address,
  type Hex,
} from "viem";

import { CONTRACT_NAMES, standardAbis, type ContractRole, type DeploymentAbis } from "../abis.ts";
import type { Proposal } from "../proposal.ts";

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

function indexAbi(index: SelectorIndex, abi: Abi, source: string) {
  for (const item of abi) {
    if (item.type !== "function") continue;
    const selector = toFunctionSelector(item);
    const list = index.get(selector) ?? [];
    list.push({ item, source });
    index.set(selector, list);
  }
}

/** A decoder over the DAO's ABIs (for its own addresses) and the common standards (for any address). */
export function createDecoder(contracts: Record<ContractRole, Address>, abis: DeploymentAbis) {
  const perContract = new Map<string, SelectorIndex>();
  for (const role of Object.keys(contracts) as ContractRole[]) {
    const index: SelectorIndex = new Map();
    indexAbi(index, abis[role], CONTRACT_NAMES[role]);
    perContract.set(contracts[role].toLowerCase(), index);
  }
  const standard: SelectorIndex = new Map();
  for (const { name, abi } of standardAbis) indexAbi(standard, abi, name);

  return function decodeCall(index: number, target: Address, value: bigint, data: Hex): DecodedCall {
    const base = { index, target, value };
    if (size(data) === 0) return { ...base, selector: null, kind: value > 0n ? "eth-transfer" : "empty", decoded: true };
    if (size(data) < 4) return { ...base, selector: null, kind: "call", decoded: false };
    const selector = slice(data, 0, 4);
    const candidates = [...(perContract.get(target.toLowerCase())?.get(selector) ?? []), ...(standard.get(selector) ?? [])];
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

/** Decodes every call of `proposal`. */
export function decodeProposal(proposal: Proposal, contracts: Record<ContractRole, Address>, abis: DeploymentAbis): DecodedCall[] {
  const decode = createDecoder(contracts, abis);
  return proposal.targets.map((target, i) => decode(i, target, proposal.values[i] ?? 0n, proposal.calldatas[i] ?? "0x"));
}
