// What the web app may assume about the DAO's Governor, read from the deployment (config.json's
// `governance`): the platform's own Governor, or one `npm run attach` found (OpenZeppelin 4.x/5.x,
// Compound GovernorAlpha/Bravo). Every call whose shape differs between them is built here, once:
// voting, queueing and executing, the vote receipt and the voting power at the snapshot.
import { compoundGovernorAlphaAbi, compoundTokenAbi, governorAbi, openZeppelinGovernorAbi } from "@ai-dao/protocol";
import type { Abi, Address, Hex, PublicClient } from "viem";

import type { RuntimeConfig } from "./config.ts";

export type Flavour = RuntimeConfig["governance"]["flavour"];

/** The pieces of a proposal the Governor's full-argument `queue`/`execute` need. */
export interface ProposalCalls {
  id: string;
  actions: { target: string; value: string; calldata: string }[];
  descriptionHash: string | null;
}

export interface ContractCall {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  value?: bigint;
}

const isCompound = (flavour: Flavour) => flavour === "compound-alpha" || flavour === "compound-bravo";

/** The Governor's ABI for the calls the web app makes. */
export function governorCallAbi(config: RuntimeConfig): Abi {
  const { flavour } = config.governance;
  if (flavour === "platform") return governorAbi as Abi;
  return (isCompound(flavour) ? compoundGovernorAlphaAbi : openZeppelinGovernorAbi) as Abi;
}

/**
 * `queue` or `execute`: by id where the Governor has it (the platform's, GovernorStorage, Compound),
 * else with the proposal's actions and description hash as OpenZeppelin's Governor takes them.
 */
export function lifecycleCall(config: RuntimeConfig, action: "queue" | "execute", proposal: ProposalCalls): ContractCall {
  const g = config.governance;
  const address = config.contracts.governor as Address;
  const abi = governorCallAbi(config);
  const byId = action === "queue" ? g.queueById : g.executeById;
  if (byId && isCompound(g.flavour) && action === "execute") {
    // Compound's Governors forward each action's ETH from the caller to the timelock, not from the
    // treasury: executing sends the proposal's total value from the executing account.
    const value = proposal.actions.reduce((sum, a) => sum + BigInt(a.value), 0n);
    return { address, abi, functionName: action, args: [BigInt(proposal.id)], ...(value > 0n ? { value } : {}) };
  }
  if (byId) return { address, abi, functionName: action, args: [BigInt(proposal.id)] };
  if (proposal.descriptionHash === null) throw new Error(`This proposal's description hash is not known yet, so it cannot be ${action === "queue" ? "queued" : "executed"} from here.`);
  const actions = [...proposal.actions];
  return {
    address,
    abi,
    functionName: action,
    args: [actions.map((a) => a.target as Address), actions.map((a) => BigInt(a.value)), actions.map((a) => a.calldata as Hex), proposal.descriptionHash as Hex],
  };
}

/** Which choices a vote may take: Compound's GovernorAlpha has no abstain. */
export function voteChoices(config: RuntimeConfig): number[] {
  return config.governance.flavour === "compound-alpha" ? [1, 0] : [1, 0, 2];
}

/** Whether the Governor keeps a reason with the vote. */
export function votesHaveReasons(config: RuntimeConfig): boolean {
  return config.governance.flavour !== "compound-alpha";
}

/** The vote transaction: `castVoteWithReason`, or GovernorAlpha's `castVote(id, bool)`. */
export function voteCall(config: RuntimeConfig, proposalId: string, support: number, reason: string): ContractCall {
  const address = config.contracts.governor as Address;
  if (config.governance.flavour === "compound-alpha") {
    return { address, abi: compoundGovernorAlphaAbi as Abi, functionName: "castVote", args: [BigInt(proposalId), support === 1] };
  }
  return { address, abi: governorCallAbi(config), functionName: "castVoteWithReason", args: [BigInt(proposalId), support, reason] };
}

/** Whether `account` has voted on the proposal (`hasVoted`, or Compound's receipt). */
export async function readHasVoted(publicClient: PublicClient, config: RuntimeConfig, proposalId: string, account: Address): Promise<boolean> {
  const address = config.contracts.governor as Address;
  if (isCompound(config.governance.flavour)) {
    const receipt = (await publicClient.readContract({ address, abi: compoundGovernorAlphaAbi, functionName: "getReceipt", args: [BigInt(proposalId), account] })) as { hasVoted: boolean };
    return receipt.hasVoted;
  }
  return publicClient.readContract({ address, abi: openZeppelinGovernorAbi, functionName: "hasVoted", args: [BigInt(proposalId), account] });
}

/** `account`'s votes at the snapshot (the Governor's `getVotes`, or a Compound token's `getPriorVotes`). */
export async function readVotesAt(publicClient: PublicClient, config: RuntimeConfig, account: Address, snapshot: bigint): Promise<bigint> {
  if (isCompound(config.governance.flavour)) {
    return BigInt(await publicClient.readContract({ address: config.contracts.token as Address, abi: compoundTokenAbi, functionName: "getPriorVotes", args: [account, snapshot] }));
  }
  return publicClient.readContract({ address: config.contracts.governor as Address, abi: openZeppelinGovernorAbi, functionName: "getVotes", args: [account, snapshot] });
}

/** The proposal's state and eta as the Governor answers (eta 0 when it has no `proposalEta`). */
export async function readChainState(publicClient: PublicClient, config: RuntimeConfig, proposalId: string): Promise<{ state: number; eta: bigint }> {
  const address = config.contracts.governor as Address;
  const id = BigInt(proposalId);
  const state = Number(await publicClient.readContract({ address, abi: openZeppelinGovernorAbi, functionName: "state", args: [id] }));
  if (config.governance.proposalEta) return { state, eta: await publicClient.readContract({ address, abi: openZeppelinGovernorAbi, functionName: "proposalEta", args: [id] }) };
  if (isCompound(config.governance.flavour)) {
    const proposal = (await publicClient.readContract({ address, abi: compoundGovernorAlphaAbi, functionName: "proposals", args: [id] })) as readonly unknown[];
    return { state, eta: BigInt(proposal[2] as bigint) };
  }
  return { state, eta: 0n };
}
