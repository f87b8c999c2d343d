import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { DeployConfig } from "@ai-dao/deployment";
import { TREASURY } from "@ai-dao/deployment";
import { keccak256, toHex, zeroAddress, zeroHash } from "viem";

export const PROPOSER_ROLE = keccak256(toHex("PROPOSER_ROLE"));
export const CANCELLER_ROLE = keccak256(toHex("CANCELLER_ROLE"));
export const EXECUTOR_ROLE = keccak256(toHex("EXECUTOR_ROLE"));
export const DEFAULT_ADMIN_ROLE = zeroHash;

/**
 * The DAO: votes token, treasury timelock, Governor and DecisionLog, wired together, with every
 * setup power renounced by the end:
 * - the timelock is deployed with the deployer as temporary admin and nobody as proposer;
 * - the Governor becomes the timelock's only proposer, canceller and executor: every operation
 *   runs through the Governor's `execute` (open to anyone), so its on-chain guards (code pins,
 *   the risk delay) cannot be skipped by calling the timelock directly;
 * - the deployer renounces the timelock admin role, leaving the timelock as its own admin.
 *
 * The module is built from a validated {@link DeployConfig}, so every argument is known to be
 * well-formed before Ignition sends anything.
 */
export function buildDAOModule(config: DeployConfig) {
  return buildModule("DAO", (m) => {
    const deployer = m.getAccount(0);

    const timelock = m.contract("TimelockController", [
      BigInt(config.timelock.minDelay),
      [],
      [],
      deployer,
    ]);

    const token = m.contract("DAOToken", [
      config.token.name,
      config.token.symbol,
      config.token.allocations.map((a) => (a.recipient === TREASURY ? timelock : a.recipient)),
      config.token.allocations.map((a) => a.amount),
    ]);

    const decisionLog = m.contract("DecisionLog", [timelock, config.publishers]);

    const governor = m.contract("DAOGovernor", [
      config.governor.name,
      token,
      timelock,
      {
        votingDelay: config.governor.votingDelay,
        votingPeriod: config.governor.votingPeriod,
        proposalThreshold: config.governor.proposalThreshold,
        quorumNumerator: BigInt(config.governor.quorumPercent),
        lateQuorumVoteExtension: config.governor.lateQuorumVoteExtension,
        proposalGuardian: config.governor.proposalGuardian ?? zeroAddress,
        decisionLog,
        riskTiers: config.governor.riskTiers,
      },
      config.analysts,
    ]);

    const grantProposer = m.call(timelock, "grantRole", [PROPOSER_ROLE, governor], { id: "GrantProposerToGovernor" });
    const grantCanceller = m.call(timelock, "grantRole", [CANCELLER_ROLE, governor], {
      id: "GrantCancellerToGovernor",
    });
    const grantExecutor = m.call(timelock, "grantRole", [EXECUTOR_ROLE, governor], { id: "GrantExecutorToGovernor" });
    m.call(timelock, "renounceRole", [DEFAULT_ADMIN_ROLE, deployer], {
      id: "RenounceDeployerAdmin",
      after: [grantProposer, grantCanceller, grantExecutor, token, decisionLog],
    });

    return { token, timelock, governor, decisionLog };
  });
}
