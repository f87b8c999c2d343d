import { getAddress, type Address } from "viem";

import type { DecodedCall } from "@ai-dao/protocol";
import { TIMELOCK_ROLES } from "./access-control.ts";
import { daoRole, type AnalysisContext, type Finding, type ProposalCheck } from "./types.ts";

const same = (a: unknown, b: unknown) => typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();

function callAt(ctx: AnalysisContext, index: number): DecodedCall | undefined {
  return ctx.calls[index];
}

/** Whether the top-level call itself says it does this (so the calldata already shows it to voters). */
function explainsRole(call: DecodedCall | undefined, contract: Address, role: string, account: Address, granted: boolean): boolean {
  if (!call || !same(call.target, contract)) return false;
  const sigs = granted ? ["grantRole(bytes32,address)"] : ["revokeRole(bytes32,address)", "renounceRole(bytes32,address)"];
  return sigs.includes(call.signature ?? "") && same(call.args?.[0], role) && same(call.args?.[1], account);
}

function explainsOwnership(call: DecodedCall | undefined, contract: Address, newOwner: Address): boolean {
  if (!call || !same(call.target, contract)) return false;
  if (call.signature === "transferOwnership(address)") return same(call.args?.[0], newOwner);
  return call.signature === "renounceOwnership()" || call.signature === "acceptOwnership()";
}

function explainsUpgrade(call: DecodedCall | undefined, proxy: Address, newValue: Address): boolean {
  if (!call) return false;
  const args = call.args ?? [];
  if (same(call.target, proxy)) {
    return ["upgradeTo(address)", "upgradeToAndCall(address,bytes)", "changeAdmin(address)"].includes(call.signature ?? "") && same(args[0], newValue);
  }
  return ["upgradeAndCall(address,address,bytes)", "changeProxyAdmin(address,address)"].includes(call.signature ?? "") && same(args[0], proxy) && same(args[1], newValue);
}

/**
 * Effects the simulation shows that the calldata does not: a role granted or revoked, an owner
 * changed, a proxy upgraded or a Governor parameter changed inside a called contract rather than by
 * the top-level call voters read (the Build Finance pattern: a quiet takeover through a harmless-looking
 * call). Role changes on the DAO's own contracts: critical; the others: high. Contracts created: low.
 */
export const simulatedEffects: ProposalCheck = {
  id: "simulated-effects",
  name: "Effects the calldata does not show",
  check(ctx) {
    const sim = ctx.simulation;
    if (sim?.status !== "simulated" || sim.result.status !== "executed") return [];
    const fx = sim.result.effects;
    const findings: Finding[] = [];
    const created = new Set(fx.contractsCreated.map((c) => c.address.toLowerCase()));

    for (const change of fx.roleChanges) {
      if (explainsRole(callAt(ctx, change.callIndex), change.contract, change.role, change.account, change.granted)) continue;
      const dao = daoRole(ctx, change.contract);
      const roleName = dao === "timelock" ? (TIMELOCK_ROLES[change.role] ?? change.role) : change.role;
      findings.push({
        id: "simulated-effects/hidden-role-change",
        check: this.id,
        severity: dao !== undefined ? "critical" : "high",
        title: `Call ${change.callIndex} ${change.granted ? "grants" : "revokes"} ${roleName} ${change.granted ? "to" : "from"} ${change.account} on ${dao ?? change.contract}, which the calldata does not show`,
        detail: `The simulation emitted ${change.granted ? "RoleGranted" : "RoleRevoked"} from ${change.contract} (sender ${change.sender}) while executing a call that does not say so.`,
        evidence: { callIndex: change.callIndex, address: change.contract, role: roleName, account: change.account, sender: change.sender, granted: change.granted },
      });
    }
    for (const change of fx.ownershipChanges) {
      if (created.has(change.contract.toLowerCase()) || explainsOwnership(callAt(ctx, change.callIndex), change.contract, change.newOwner)) continue;
      findings.push({
        id: "simulated-effects/hidden-ownership-change",
        check: this.id,
        severity: "high",
        title: `Call ${change.callIndex} makes ${change.newOwner} the owner of ${change.contract}, which the calldata does not show`,
        detail: `OwnershipTransferred(${change.previousOwner} → ${change.newOwner}) was emitted during the simulation by a contract the call does not name as its target.`,
        evidence: { callIndex: change.callIndex, address: change.contract, previousOwner: change.previousOwner, newOwner: change.newOwner },
      });
    }
    for (const change of fx.proxyUpgrades) {
      if (created.has(change.proxy.toLowerCase()) || explainsUpgrade(callAt(ctx, change.callIndex), change.proxy, change.newValue)) continue;
      findings.push({
        id: "simulated-effects/hidden-upgrade",
        check: this.id,
        severity: "high",
        title: `Call ${change.callIndex} changes the ${change.kind} of proxy ${change.proxy} to ${change.newValue}, which the calldata does not show`,
        detail: "The code or admin behind a proxy changes as a side effect of another call.",
        evidence: { callIndex: change.callIndex, address: change.proxy, kind: change.kind, newValue: change.newValue },
      });
    }
    for (const change of fx.governanceChanges) {
      const call = callAt(ctx, change.callIndex);
      if (call && same(call.target, change.contract)) continue;
      findings.push({
        id: "simulated-effects/hidden-governance-change",
        check: this.id,
        severity: "high",
        title: `Call ${change.callIndex} changes a governance parameter (${change.eventName}) without calling ${daoRole(ctx, change.contract) ?? change.contract}`,
        detail: `${change.eventName} was emitted by ${change.contract} while executing a call to another contract.`,
        evidence: { callIndex: change.callIndex, address: change.contract, event: change.eventName },
      });
    }
    for (const c of fx.contractsCreated) {
      findings.push({
        id: "simulated-effects/contract-created",
        check: this.id,
        severity: "low",
        title: `Call ${c.callIndex} deploys a contract at ${getAddress(c.address)}`,
        detail: `${c.type} by ${c.creator}: its code is not part of the proposal's calldata.`,
        evidence: { callIndex: c.callIndex, address: c.address, creator: c.creator, type: c.type },
      });
    }
    return findings;
  },
};
