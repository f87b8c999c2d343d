import { keccak256, toHex, zeroAddress } from "viem";

import { addressLabel, formatDuration } from "../units.ts";
import { daoRole, type AnalysisContext, type Finding, type ProposalCheck, type Severity } from "./types.ts";
import { actionLabel } from "@ai-dao/reports";

/** TimelockController role ids, for naming them in findings. */
export const TIMELOCK_ROLES: Record<string, string> = {
  [keccak256(toHex("PROPOSER_ROLE"))]: "PROPOSER_ROLE",
  [keccak256(toHex("EXECUTOR_ROLE"))]: "EXECUTOR_ROLE",
  [keccak256(toHex("CANCELLER_ROLE"))]: "CANCELLER_ROLE",
  ["0x0000000000000000000000000000000000000000000000000000000000000000"]: "DEFAULT_ADMIN_ROLE",
};

/** Role ids of common AccessControl contracts (`keccak256("MINTER_ROLE")`, ...), with the timelock's. */
const KNOWN_ROLES: Record<string, string> = {
  ...TIMELOCK_ROLES,
  ...Object.fromEntries(
    ["MINTER_ROLE", "BURNER_ROLE", "PAUSER_ROLE", "UPGRADER_ROLE", "ADMIN_ROLE", "OPERATOR_ROLE", "MANAGER_ROLE", "GOVERNOR_ROLE", "GUARDIAN_ROLE", "TIMELOCK_ADMIN_ROLE", "DEFAULT_ADMIN_ROLE"].map(
      (name) => [keccak256(toHex(name)), name],
    ),
  ),
  ["0x0000000000000000000000000000000000000000000000000000000000000000"]: "DEFAULT_ADMIN_ROLE",
};

/** A role id by its name when it is a known one (`PROPOSER_ROLE`), else `role 0x1234…cdef`. */
export function roleName(roleId: string): string {
  const known = KNOWN_ROLES[roleId.toLowerCase()];
  if (known !== undefined) return known;
  return /^0x[0-9a-fA-F]{64}$/.test(roleId) ? `role ${roleId.slice(0, 6)}…${roleId.slice(-4)}` : "an unknown role";
}

/** Below this the timelock no longer gives holders time to exit before execution. */
export const MIN_SAFE_TIMELOCK_DELAY = 3600n;

const ACCESS_SIGNATURES = new Set([
  "grantRole(bytes32,address)",
  "revokeRole(bytes32,address)",
  "renounceRole(bytes32,address)",
  "transferOwnership(address)",
  "renounceOwnership()",
  "setAnalyst(address,bool)",
  "setProposalGuardian(address)",
  "updateDelay(uint256)",
]);

/** A DAO contract by name, anything else by its short address (titles; details give full addresses). */
function label(ctx: AnalysisContext, address: string): string {
  return addressLabel(ctx.deployment.contracts, address);
}

/**
 * Changes to who may do what: AccessControl roles (on the timelock: critical, since the timelock
 * holds the treasury and every power of the DAO; elsewhere high), Ownable transfers (high),
 * the Governor's analyst and guardian (setAnalyst registration medium, removal low;
 * setProposalGuardian high) and a timelock delay cut below one hour (critical; other delay changes
 * are rated by governor-parameters, by direction).
 */
export const accessControl: ProposalCheck = {
  id: "access-control",
  applies: (ctx) => ctx.calls.some((c) => c.decoded && ACCESS_SIGNATURES.has(c.signature ?? "")),
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
          const roleId = String(args[0]);
          const name = roleName(roleId);
          const account = String(args[1]);
          const onTimelock = role === "timelock";
          const where = label(ctx, call.target);
          const [verb, change] =
            call.functionName === "grantRole"
              ? [`grants ${name} on ${where} to ${label(ctx, account)}`, `Gives ${name} on ${call.target} to ${account}.`]
              : call.functionName === "revokeRole"
                ? [`revokes ${name} on ${where} from ${label(ctx, account)}`, `Takes ${name} on ${call.target} away from ${account}.`]
                : [`gives up ${name} on ${where} (as ${label(ctx, account)})`, `${account} gives up ${name} on ${call.target}.`];
          push(
            onTimelock ? "critical" : "high",
            call.functionName,
            `${actionLabel(call.index, { capital: true })} ${verb}`,
            `${change} ` +
              (onTimelock
                ? "Timelock roles decide who can schedule, execute or cancel anything the DAO owns; changing them can bypass the vote entirely."
                : "Changes who holds a privileged role on a contract the DAO controls."),
            { role: KNOWN_ROLES[roleId.toLowerCase()] ?? roleId, roleId, account },
          );
          break;
        }
        case "transferOwnership(address)": {
          const newOwner = String(args[0]);
          push(
            "high",
            "ownership",
            `${actionLabel(call.index, { capital: true })} hands ownership of ${label(ctx, call.target)} to ${label(ctx, newOwner)}`,
            `Makes ${newOwner} the owner of ${call.target}: whatever the owner may do there passes to that account.`,
            { newOwner },
          );
          break;
        }
        case "renounceOwnership()":
          push("high", "ownership", `${actionLabel(call.index, { capital: true })} gives up ownership of ${label(ctx, call.target)} for good`, `${call.target} is left without an owner: what only the owner could do can never be done again.`);
          break;
        case "setAnalyst(address,bool)":
          if (role === "governor") {
            const registered = args[1] === true;
            const account = String(args[0]);
            push(
              registered ? "medium" : "low",
              registered ? "analyst-registered" : "analyst-removed",
              `${actionLabel(call.index, { capital: true })} ${registered ? "registers" : "removes"} ${label(ctx, account)} as an analyst`,
              registered
                ? `${account} may then propose below the proposal threshold (it still cannot vote with borrowed power); check who controls this key.`
                : `${account} loses an analyst's right to propose below the threshold.`,
              { account, registered },
            );
          }
          break;
        case "setProposalGuardian(address)":
          if (role === "governor") {
            const account = String(args[0]);
            const none = account.toLowerCase() === zeroAddress;
            push(
              "high",
              "guardian",
              none ? `${actionLabel(call.index, { capital: true })} removes the proposal guardian` : `${actionLabel(call.index, { capital: true })} makes ${label(ctx, account)} the proposal guardian`,
              none
                ? `No guardian removes the emergency brake: nobody can cancel a harmful proposal before it executes (now ${ctx.governance.governor.proposalGuardian}).`
                : `${account} could cancel any proposal, in place of ${ctx.governance.governor.proposalGuardian}; a new guardian can veto the DAO.`,
              { account, current: ctx.governance.governor.proposalGuardian },
            );
          }
          break;
        case "updateDelay(uint256)":
          // Lengthening or shortening is rated by governor-parameters; here only a cut below an hour, which takes holders' time to react away.
          if (role === "timelock") {
            const delay = args[0] as bigint;
            const now = ctx.governance.governor.timelockMinDelay;
            if (delay < MIN_SAFE_TIMELOCK_DELAY && delay < now) {
              push(
                "critical",
                "timelock-delay",
                `${actionLabel(call.index, { capital: true })} cuts the timelock delay to ${formatDuration(delay)} (now ${formatDuration(now)})`,
                "A delay under one hour leaves holders no time to react between queueing and execution.",
                { newDelay: delay.toString(), currentDelay: now.toString() },
              );
            }
          }
          break;
      }
    }
    return findings;
  },
};
