import { readFile } from "node:fs/promises";
import path from "node:path";

import { descriptionBytesOf, hashDescription, ProposalState, Support, timelockSalt } from "@ai-dao/protocol";
import type { NetworkConnection } from "hardhat/types/network";
import { encodeFunctionData, type Address, type Hex } from "viem";

// The DAO is deployed by the repository's own Ignition deploy (the one `npm run deploy` runs).
import { deployDAO } from "../../../ignition/deploy.ts";
import { DEV_ACCOUNT_NAMES, type DevAccountName } from "./accounts.ts";
import { proposeCalldata } from "./propose-bytes.ts";

export const LOCAL_CONFIG_FILE = path.resolve(import.meta.dirname, "../../../ignition/config/local.json");

/** The local deploy config as parsed JSON (a fresh copy each call, safe to modify). */
export async function localConfig(): Promise<any> {
  return JSON.parse(await readFile(LOCAL_CONFIG_FILE, "utf8"));
}

/**
 * Deploys the DAO exactly as `npm run deploy` does (local profile, ignition/config/local.json) on the
 * connection's chain, and names the accounts the way the config does.
 */
export async function deployLocalDAO(connection: NetworkConnection) {
  const { viem } = connection;
  const { deployment } = await deployDAO(connection, { profile: "local", config: await localConfig() });
  const wallets = await viem.getWalletClients();
  const account = (i: number) => {
    const wallet = wallets[i];
    if (wallet === undefined) throw new Error(`no wallet ${i}`);
    return wallet;
  };
  const accounts = Object.fromEntries(DEV_ACCOUNT_NAMES.map((name, i) => [name, account(i)])) as Record<DevAccountName, ReturnType<typeof account>>;
  const token = await viem.getContractAt("DAOToken", deployment.contracts.token);
  const governor = await viem.getContractAt("DAOGovernor", deployment.contracts.governor);
  const timelock = await viem.getContractAt("TimelockController", deployment.contracts.timelock);
  const decisionLog = await viem.getContractAt("DecisionLog", deployment.contracts.decisionLog);
  const publicClient = await viem.getPublicClient();
  return { deployment, accounts, token, governor, timelock, decisionLog, publicClient };
}

export type LocalDAO = Awaited<ReturnType<typeof deployLocalDAO>>;

export interface Proposal {
  targets: Address[];
  values: bigint[];
  calldatas: Hex[];
  description: string;
}

/** keccak256 of the description's bytes, as the Governor hashes it (protocol's `hashDescription`). */
export function descriptionHash(proposal: Proposal): Hex {
  return hashDescription(descriptionBytesOf(proposal.description));
}

/** The salt GovernorTimelockControl uses for a proposal's timelock operation. */
export { timelockSalt };

/** Everyone with tokens delegates to themselves so their balance counts as votes. */
export async function delegateAll(dao: LocalDAO, connection: NetworkConnection) {
  for (const name of ["alice", "bob", "carol", "dave", "erin"] as const) {
    const wallet = dao.accounts[name];
    await dao.token.write.delegate([wallet.account.address], { account: wallet.account });
  }
  await connection.networkHelpers.mine();
}

/** The local DAO with `treasuryEth` wei in its treasury and every holder's tokens delegated to themselves. */
export async function deployVotingDAO(connection: NetworkConnection, treasuryEth: bigint) {
  const dao = await deployLocalDAO(connection);
  await dao.accounts.deployer.sendTransaction({ to: dao.timelock.address, value: treasuryEth });
  await delegateAll(dao, connection);
  return dao;
}

/** Proposes from alice, votes For with alice's 250k (a quorum), and ends the vote: ready to queue. */
export async function passVote(dao: LocalDAO, connection: NetworkConnection, proposal: Proposal): Promise<bigint> {
  const proposalId = await propose(dao, dao.accounts.alice.account.address, proposal);
  await startVoting(dao, connection, proposalId);
  await dao.governor.write.castVote([proposalId, Support.For], { account: dao.accounts.alice.account });
  await endVoting(dao, connection, proposalId);
  return proposalId;
}

/** Proposes from `proposer` and returns the proposal id read from the Governor. */
export async function propose(dao: LocalDAO, proposer: Address, proposal: Proposal): Promise<bigint> {
  const args = [proposal.targets, proposal.values, proposal.calldatas, proposal.description] as const;
  await dao.governor.write.propose(args, { account: proposer });
  return dao.governor.read.hashProposal([proposal.targets, proposal.values, proposal.calldatas, descriptionHash(proposal)]);
}

/** Proposes with a description given as raw bytes (see `proposeCalldata`); returns the id computed from those bytes. */
export async function proposeBytes(
  dao: LocalDAO,
  proposer: LocalDAO["accounts"]["alice"],
  proposal: Omit<Proposal, "description"> & { descriptionBytes: Hex },
): Promise<bigint> {
  await proposer.sendTransaction({ to: dao.governor.address, data: proposeCalldata(proposal), account: proposer.account });
  return dao.governor.read.hashProposal([proposal.targets, proposal.values, proposal.calldatas, hashDescription(proposal.descriptionBytes)]);
}

/** Moves time past the voting delay so the proposal is Active. */
export async function startVoting(dao: LocalDAO, connection: NetworkConnection, proposalId: bigint) {
  const snapshot = await dao.governor.read.proposalSnapshot([proposalId]);
  await connection.networkHelpers.time.increaseTo(snapshot + 1n);
}

/** Moves time past the proposal's (possibly extended) deadline. */
export async function endVoting(dao: LocalDAO, connection: NetworkConnection, proposalId: bigint) {
  const deadline = await dao.governor.read.proposalDeadline([proposalId]);
  await connection.networkHelpers.time.increaseTo(deadline + 1n);
}

/** A proposal that sends `amount` wei from the treasury to `to`. */
export function ethTransfer(to: Address, amount: bigint, description: string): Proposal {
  return { targets: [to], values: [amount], calldatas: ["0x"], description };
}

export const erc20TransferAbi = [
  {
    type: "function",
    name: "transfer",
    stateMutability: "nonpayable",
    inputs: [
      { name: "to", type: "address" },
      { name: "amount", type: "uint256" },
    ],
    outputs: [{ type: "bool" }],
  },
] as const;

export function erc20Transfer(token: Address, to: Address, amount: bigint): Hex {
  return encodeFunctionData({ abi: erc20TransferAbi, functionName: "transfer", args: [to, amount] });
}

/**
 * Runs a proposal through the whole lifecycle with a clear majority For (alice and bob, who must
 * have delegated) and executes it. Returns the execution transaction hash.
 */
export async function passProposal(dao: LocalDAO, connection: NetworkConnection, proposal: Proposal): Promise<Hex> {
  const { governor, accounts } = dao;
  const proposalId = await propose(dao, accounts.alice.account.address, proposal);
  await startVoting(dao, connection, proposalId);
  await governor.write.castVote([proposalId, Support.For], { account: accounts.alice.account });
  await governor.write.castVote([proposalId, Support.For], { account: accounts.bob.account });
  await endVoting(dao, connection, proposalId);
  await governor.write.queue([proposalId]);
  await connection.networkHelpers.time.increaseTo(await governor.read.proposalEta([proposalId]));
  const hash = await governor.write.execute([proposalId]);
  if ((await governor.read.state([proposalId])) !== ProposalState.Executed) {
    throw new Error(`proposal "${proposal.description}" did not execute`);
  }
  return hash;
}
