import { encodeFunctionData, getAddress, isAddress, parseAbi, type Address, type Hex } from "viem";
import { z } from "zod";

import type { Deployment } from "@ai-dao/deployment";

const address = z.string().refine((s) => isAddress(s, { strict: false }), "not an address (0x followed by 40 hex digits)");
const amount = z.string().regex(/^(0|[1-9]\d{0,77})$/, "a decimal integer in base units (wei), no sign or decimals");

export const governorParameters = ["votingDelay", "votingPeriod", "proposalThreshold", "quorumNumerator", "lateQuorumVoteExtension"] as const;

/** The catalogue: every action a draft may contain. The model picks templates and fills typed parameters; code builds the calldata. */
export const draftActionSchema = z.discriminatedUnion("template", [
  z.strictObject({
    template: z.literal("treasury-eth-transfer").describe("Send ETH from the treasury"),
    recipient: address,
    amountWei: amount,
  }),
  z.strictObject({
    template: z.literal("erc20-transfer").describe("Send ERC20 tokens held by the treasury (e.g. the DAO token)"),
    token: address,
    recipient: address,
    amount: amount.describe("base units (the token's smallest unit)"),
  }),
  z.strictObject({
    template: z.literal("governor-parameter").describe("Change one Governor parameter"),
    parameter: z.enum(governorParameters),
    value: amount.describe("seconds for delays and periods; token base units for the threshold; percent for the quorum numerator"),
  }),
  z.strictObject({
    template: z.literal("analyst-registration").describe("Register or remove an analyst key on the Governor"),
    account: address,
    registered: z.boolean(),
  }),
]);
export type DraftAction = z.output<typeof draftActionSchema>;

const abi = parseAbi([
  "function transfer(address to, uint256 amount) returns (bool)",
  "function setVotingDelay(uint48 newVotingDelay)",
  "function setVotingPeriod(uint32 newVotingPeriod)",
  "function setProposalThreshold(uint256 newProposalThreshold)",
  "function updateQuorumNumerator(uint256 newQuorumNumerator)",
  "function setLateQuorumVoteExtension(uint48 newVoteExtension)",
  "function setAnalyst(address account, bool registered)",
]);

const PARAMETER_FUNCTION = {
  votingDelay: "setVotingDelay",
  votingPeriod: "setVotingPeriod",
  proposalThreshold: "setProposalThreshold",
  quorumNumerator: "updateQuorumNumerator",
  lateQuorumVoteExtension: "setLateQuorumVoteExtension",
} as const;

const UINT_LIMITS: Record<string, bigint> = { setVotingDelay: 2n ** 48n - 1n, setVotingPeriod: 2n ** 32n - 1n, setLateQuorumVoteExtension: 2n ** 48n - 1n };

export interface BuiltCall {
  target: Address;
  value: bigint;
  calldata: Hex;
  /** `eth-transfer` or the function name, for the allow-list. */
  functionName: string;
}

/** Builds the call of one action. Throws with a clear message when a value does not fit its type. */
export function buildCall(action: DraftAction, contracts: Deployment["contracts"]): BuiltCall {
  switch (action.template) {
    case "treasury-eth-transfer":
      return { target: getAddress(action.recipient), value: BigInt(action.amountWei), calldata: "0x", functionName: "eth-transfer" };
    case "erc20-transfer":
      return {
        target: getAddress(action.token),
        value: 0n,
        calldata: encodeFunctionData({ abi, functionName: "transfer", args: [getAddress(action.recipient), BigInt(action.amount)] }),
        functionName: "transfer",
      };
    case "governor-parameter": {
      const functionName = PARAMETER_FUNCTION[action.parameter];
      const value = BigInt(action.value);
      const limit = UINT_LIMITS[functionName];
      if (limit !== undefined && value > limit) throw new Error(`${action.parameter} ${value} does not fit the parameter's type`);
      const calldata =
        functionName === "setVotingPeriod"
          ? encodeFunctionData({ abi, functionName, args: [Number(value)] })
          : functionName === "setVotingDelay" || functionName === "setLateQuorumVoteExtension"
            ? encodeFunctionData({ abi, functionName, args: [Number(value)] })
            : encodeFunctionData({ abi, functionName, args: [value] });
      return { target: contracts.governor, value: 0n, calldata, functionName };
    }
    case "analyst-registration":
      return {
        target: contracts.governor,
        value: 0n,
        calldata: encodeFunctionData({ abi, functionName: "setAnalyst", args: [getAddress(action.account), action.registered] }),
        functionName: "setAnalyst",
      };
  }
}

/** Every function the catalogue can produce; the default allow-list. */
export const CATALOGUE_FUNCTIONS = ["eth-transfer", "transfer", ...Object.values(PARAMETER_FUNCTION), "setAnalyst"];
