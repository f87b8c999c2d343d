import { keccak256, toHex, type Hex } from "viem";

import { daoRole, type Finding, type ProposalCheck, type Severity } from "./types.ts";

/** TimelockController role ids, for naming them in findings. */
export const TIMELOCK_ROLES: Record<string, string> = {
  [keccak256(toHex("PROPOSER_ROLE"))]: "PROPOSER_ROLE",
  [keccak256(toHex("EXECUTOR_ROLE"))]: "EXECUTOR_ROLE",
  [keccak256(toHex("CANCELLER_ROLE"))]: "CANCELLER_ROLE",
  ["0x0000000000000000000000000000000000000000000000000000000000000000"]: "DEFAULT_ADMIN_ROLE",
};

/** Below this the timelock no longer gives holders time to exit before execution. */
export const MIN_SAFE_TIMELOCK_DELAY = 3600n;

/**
 * Changes to who may do what: AccessControl roles (on the timelock: critical, since the timelock
 * holds the treasury and every power of the DAO; elsewhere high), Ownable transfers (high),
 * the Governor's analyst and guardian (setAnalyst registration medium, removal low;
 * setProposalGuardian high) and the timelock delay (updateDelay high, below one hour critical).
 */
export const accessControl: ProposalCheck = {
  id: "access-control",
  name: "Roles, ownership, guardian, analysts, timelock delay",
  check(ctx) {
    const findings: Finding[] = [];
    for (const call of ctx.calls) {
      if (!call.decoded || call.functionName === undefined) continue;
      const args = call.args ?? [];
      const role = daoRole(ctx, call.target);
      const push = (severity: Severity, kind: string, title: string, detail: string, extra: Finding["evidence"] = {}) =>
        findings.push({ id: `access-control/${kind}`, check: this.id, severity, title, detail, evidence: { callIndex: call.index, address: call.target, ...extra } });

      switch (call.signature) {
        case "grantRole(bytes32,address)":
        case "revokeRole(bytes32,address)":
        case "renounceRole(bytes32,address)": {
          const roleId = args[0] as Hex;
          const roleName = role === "timelock" ? (TIMELOCK_ROLES[roleId] ?? roleId) : roleId;
          const onTimelock = role === "timelock";
          push(
            onTimelock ? "critical" : "high",
            call.functionName,
            `Call ${call.index}: ${call.functionName}(${roleName}, ${String(args[1])}) on ${onTimelock ? "the timelock (treasury)" : call.target}`,
            onTimelock
              ? "Timelock roles decide who can schedule, execute or cancel anything the DAO owns; changing them can bypass the vote entirely."
              : "Changes who holds a privileged role on a contract the DAO controls.",
            { role: roleName, account: String(args[1]) },
          );
          break;
        }
        case "transferOwnership(address)":
        case "renounceOwnership()":
          push(
            "high",
            "ownership",
            `Call ${call.index}: ${call.functionName} on ${call.target}`,
            "Hands the contract's owner powers to another account, or gives them up for good.",
            args[0] !== undefined ? { newOwner: String(args[0]) } : {},
          );
          break;
        case "setAnalyst(address,bool)":
          if (role === "governor") {
            const registered = args[1] === true;
            push(
              registered ? "medium" : "low",
              registered ? "analyst-registered" : "analyst-removed",
              `Call ${call.index}: ${registered ? "registers" : "removes"} ${String(args[0])} as an analyst`,
              registered
                ? "An analyst may propose below the proposal threshold (it still cannot vote with borrowed power); check who controls this key."
                : "Removes an analyst's right to propose below the threshold.",
              { account: String(args[0]), registered },
            );
          }
          break;
        case "setProposalGuardian(address)":
          if (role === "governor") {
            push("high", "guardian", `Call ${call.index}: sets the proposal guardian to ${String(args[0])}`, "The guardian can cancel any proposal; a new guardian can veto the DAO, no guardian removes the emergency brake.", {
              account: String(args[0]),
              current: ctx.governance.governor.proposalGuardian,
            });
          }
          break;
        case "updateDelay(uint256)":
          if (role === "timelock") {
            const delay = args[0] as bigint;
            push(
              delay < MIN_SAFE_TIMELOCK_DELAY ? "critical" : "high",
              "timelock-delay",
              `Call ${call.index}: sets the timelock delay to ${delay} s (now ${ctx.governance.governor.timelockMinDelay} s)`,
              delay < MIN_SAFE_TIMELOCK_DELAY
                ? "A delay under one hour leaves holders no time to react between queueing and execution."
                : "Changes how long passed proposals wait before they can execute.",
              { newDelay: delay.toString(), currentDelay: ctx.governance.governor.timelockMinDelay.toString() },
            );
          }
          break;
      }
    }
    return findings;
  },
};
