import { concat, encodeAbiParameters, parseAbiParameters, toFunctionSelector, type Address, type Hex } from "viem";

/**
 * `propose` calldata with the description given as raw bytes, which need not be valid UTF-8 (a
 * string argument cannot carry invalid UTF-8): `propose`'s selector, its arguments encoded with
 * `bytes` in place of `string` (the two encode the same way).
 */
export function proposeCalldata(proposal: { targets: readonly Address[]; values: readonly bigint[]; calldatas: readonly Hex[]; descriptionBytes: Hex }): Hex {
  return concat([
    toFunctionSelector("propose(address[],uint256[],bytes[],string)"),
    encodeAbiParameters(parseAbiParameters("address[], uint256[], bytes[], bytes"), [proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionBytes]),
  ]);
}
