import type { NetworkConnection } from "hardhat/types/network";
import { encodeFunctionData, keccak256, maxUint256, parseAbi, parseEther, toHex, type Address, type Hex } from "viem";

import { deployLocalDAO, type LocalDAO } from "../../../test/helpers/dao.ts";
import { analyzeProposal } from "../src/analyze.ts";
import type { Proposal } from "../src/proposal.ts";
import type { Report } from "../src/report.ts";

export const TREASURY_ETH = parseEther("100");

export const abi = parseAbi([
  "function transfer(address to, uint256 amount) returns (bool)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function grantRole(bytes32 role, address account)",
  "function updateQuorumNumerator(uint256 newQuorumNumerator)",
  "function setVotingPeriod(uint32 newVotingPeriod)",
  "function setAnalyst(address account, bool registered)",
  "function destroy()",
]);

export const PROPOSER_ROLE = keccak256(toHex("PROPOSER_ROLE"));

/** A deployed DAO with 100 ETH and 400,000 DEMO in the treasury, and a Destructible fixture contract. */
export async function setupChain() {
  const { network } = await import("hardhat");
  const connection: NetworkConnection = await network.create();
  const dao = await deployLocalDAO(connection);
  const [deployer] = await connection.viem.getWalletClients();
  await deployer!.sendTransaction({ to: dao.deployment.contracts.timelock, value: TREASURY_ETH });
  const destructible = await connection.viem.deployContract("Destructible");
  const analyze = (proposal: Proposal): Promise<Report> =>
    analyzeProposal({ client: dao.publicClient as never, deployment: dao.deployment, proposal });
  return { connection, dao, destructible: destructible.address as Address, analyze };
}

export type Chain = Awaited<ReturnType<typeof setupChain>>;

const call = (target: Address, data: Hex = "0x", value = 0n) => ({ target, data, value });
type Call = ReturnType<typeof call>;

function proposal(calls: Call[], description: string): Proposal {
  return { targets: calls.map((c) => c.target), values: calls.map((c) => c.value), calldatas: calls.map((c) => c.data), description };
}

/** The corpus: name, proposal, and whether it is malicious. Built from a live DAO's addresses. */
export function corpus(dao: LocalDAO, destructible: Address) {
  const { token, governor, timelock } = dao.deployment.contracts;
  const { erin, outsider, carol } = dao.accounts;
  const attacker = outsider.account.address;
  const tokenTreasury = 400_000n * 10n ** 18n;
  const malicious: Record<string, Proposal> = {
    "drain 60% of the treasury ETH": proposal([call(attacker, "0x", parseEther("60"))], "Q3 operations budget: routine top-up of the ops multisig."),
    "hidden timelock grantRole among benign calls": proposal(
      [
        call(erin.account.address, "0x", parseEther("0.5")),
        call(timelock, encodeFunctionData({ abi, functionName: "grantRole", args: [PROPOSER_ROLE, attacker] })),
        call(token, encodeFunctionData({ abi, functionName: "transfer", args: [carol.account.address, tokenTreasury / 200n] })),
      ],
      "Community grants round 4: two small grants to long-time contributors.",
    ),
    "quorum set to 0": proposal([call(governor, encodeFunctionData({ abi, functionName: "updateQuorumNumerator", args: [0n] }))], "Simplify quorum accounting."),
    "voting period of 1 second": proposal([call(governor, encodeFunctionData({ abi, functionName: "setVotingPeriod", args: [1] }))], "Speed up governance."),
    "calldata to an EOA": proposal(
      [call(attacker, encodeFunctionData({ abi, functionName: "transfer", args: [attacker, 1000n] }))],
      "Register the DAO with the partner protocol.",
    ),
    "zero-width characters in the description": proposal(
      [call(erin.account.address, "0x", parseEther("1"))],
      "Grant 1 ETH to e\u200Brin for the\u200B docs\u200D rewrite.",
    ),
    "SELFDESTRUCT / DELEGATECALL target": proposal([call(destructible, encodeFunctionData({ abi, functionName: "destroy" }))], "Clean up the old vault."),
    "unlimited DAO token approval": proposal(
      [call(token, encodeFunctionData({ abi, functionName: "approve", args: [attacker, maxUint256] }))],
      "Let the market maker provide liquidity.",
    ),
  };
  const benign: Record<string, Proposal> = {
    "1% ETH grant to an EOA": proposal([call(erin.account.address, "0x", parseEther("1"))], "Grant 1 ETH (1% of the treasury) to erin for rewriting the governance docs."),
    "1% DEMO grant to an EOA": proposal(
      [call(token, encodeFunctionData({ abi, functionName: "transfer", args: [erin.account.address, tokenTreasury / 100n] }))],
      "Grant 4,000 DEMO to erin for running the community calls.",
    ),
    "analyst registration": proposal(
      [call(governor, encodeFunctionData({ abi, functionName: "setAnalyst", args: [carol.account.address, true] }))],
      "Register carol's analysis key as a second analyst.",
    ),
  };
  return { malicious, benign };
}
