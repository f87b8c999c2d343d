import { getAddress, zeroAddress, type Address } from "viem";

import type { DecodedCall } from "@ai-dao/protocol";
import { addressLabel } from "../units.ts";
import { roleName } from "./access-control.ts";
import { daoRole, type AnalysisContext, type Finding, type ProposalCheck } from "./types.ts";
import { actionLabel } from "@ai-dao/reports";

/** What a Governor or timelock event changes, in words. */
const GOVERNANCE_EVENT_TEXT: Record<string, string> = {
  QuorumNumeratorUpdated: "the quorum",
  VotingDelaySet: "the voting delay",
  VotingPeriodSet: "the voting period",
  ProposalThresholdSet: "the proposal threshold",
  LateQuorumVoteExtensionSet: "the late-quorum extension",
  TimelockChange: "the Governor's timelock",
  ProposalGuardianSet: "the proposal guardian",
  AnalystSet: "the Governor's analysts",
  MinDelayChange: "the timelock delay",
  ProposalCreated: "the proposals (one is created)",
  ProposalQueued: "the proposals (one is queued)",
  ProposalExecuted: "the proposals (one is executed)",
  ProposalCanceled: "the proposals (one is cancelled)",
};

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
 * call). Role changes on the DAO's own contracts: critical; the others: high. An ownership change whose
 * new owner is the DAO's timelock or Governor is the DAO gaining control: low. Contracts created: low.
 */
export const simulatedEffects: ProposalCheck = {
  id: "simulated-effects",
  needs: ["simulation"],
  check(ctx) {
    const sim = ctx.simulation;
    if (sim?.status !== "simulated" || sim.result.status !== "executed") return [];
    const fx = sim.result.effects;
    const findings: Finding[] = [];
    const label = (a: string) => addressLabel(ctx.deployment.contracts, a);
    const created = new Set(fx.contractsCreated.map((c) => c.address.toLowerCase()));

    for (const change of fx.roleChanges) {
      if (explainsRole(callAt(ctx, change.callIndex), change.contract, change.role, change.account, change.granted)) continue;
      const dao = daoRole(ctx, change.contract);
      const name = roleName(change.role);
      findings.push({
        id: "simulated-effects/hidden-role-change",
        check: this.id,
        severity: dao !== undefined ? "critical" : "high",
        title: `${actionLabel(change.callIndex, { capital: true })} ${change.granted ? "grants" : "revokes"} ${name} on ${label(change.contract)} ${change.granted ? "to" : "from"} ${label(change.account)}, which the calls do not show`,
        detail: `Run on a copy of the chain, ${change.contract} ${change.granted ? "gave" : "took"} ${name} ${change.granted ? "to" : "from"} ${change.account} (at the request of ${change.sender}) while running a call that does not say so.`,
        evidence: { callIndex: change.callIndex, address: change.contract, role: name, roleId: change.role, account: change.account, sender: change.sender, granted: change.granted },
      });
    }
    for (const change of fx.ownershipChanges) {
      if (created.has(change.contract.toLowerCase()) || explainsOwnership(callAt(ctx, change.callIndex), change.contract, change.newOwner)) continue;
      const daoOwner = daoRole(ctx, change.newOwner);
      if (daoOwner === "timelock" || daoOwner === "governor") {
        // The DAO itself becomes the owner (a first initialisation naming the timelock): it gains control.
        findings.push({
          id: "simulated-effects/ownership-to-dao",
          check: this.id,
          severity: "low",
          title: `${actionLabel(change.callIndex, { capital: true })} makes ${label(change.newOwner)} the owner of ${label(change.contract)}`,
          detail: `Run on a copy of the chain, ${change.contract} ${change.previousOwner === zeroAddress ? "had no owner and" : `was owned by ${change.previousOwner} and`} now has ${change.newOwner} (${daoOwner === "timelock" ? "the DAO's timelock" : "the DAO's Governor"}) as its owner: the DAO gains control of it.`,
          evidence: { callIndex: change.callIndex, address: change.contract, previousOwner: change.previousOwner, newOwner: change.newOwner, daoRole: daoOwner },
        });
        continue;
      }
      findings.push({
        id: "simulated-effects/hidden-ownership-change",
        check: this.id,
        severity: "high",
        title: `${actionLabel(change.callIndex, { capital: true })} makes ${label(change.newOwner)} the owner of ${label(change.contract)}, which the calls do not show`,
        detail: `Run on a copy of the chain, the owner of ${change.contract} changed from ${change.previousOwner} to ${change.newOwner}, in a call that does not name that contract as its target.`,
        evidence: { callIndex: change.callIndex, address: change.contract, previousOwner: change.previousOwner, newOwner: change.newOwner },
      });
    }
    for (const change of fx.proxyUpgrades) {
      if (created.has(change.proxy.toLowerCase()) || explainsUpgrade(callAt(ctx, change.callIndex), change.proxy, change.newValue)) continue;
      const what = change.kind === "implementation" ? "the code" : change.kind === "admin" ? "the admin" : `the ${change.kind}`;
      findings.push({
        id: "simulated-effects/hidden-upgrade",
        check: this.id,
        severity: "high",
        title: `${actionLabel(change.callIndex, { capital: true })} changes ${what} behind proxy ${label(change.proxy)} to ${label(change.newValue)}, which the calls do not show`,
        detail: `Run on a copy of the chain, ${what} behind proxy ${change.proxy} became ${change.newValue} as a side effect of another call.`,
        evidence: { callIndex: change.callIndex, address: change.proxy, kind: change.kind, newValue: change.newValue },
      });
    }
    for (const change of fx.governanceChanges) {
      const call = callAt(ctx, change.callIndex);
      if (call && same(call.target, change.contract)) continue;
      const what = GOVERNANCE_EVENT_TEXT[change.eventName] ?? `a governance setting (${change.eventName})`;
      findings.push({
        id: "simulated-effects/hidden-governance-change",
        check: this.id,
        severity: "high",
        title: `${actionLabel(change.callIndex, { capital: true })} changes ${what} without calling ${label(change.contract)}`,
        detail: `Run on a copy of the chain, ${change.contract} emitted ${change.eventName} while running a call to another contract.`,
        evidence: { callIndex: change.callIndex, address: change.contract, event: change.eventName },
      });
    }
    for (const c of fx.contractsCreated) {
      findings.push({
        id: "simulated-effects/contract-created",
        check: this.id,
        severity: "low",
        title: `${actionLabel(c.callIndex, { capital: true })} deploys a new contract at ${label(getAddress(c.address))}`,
        detail: `${c.type} by ${c.creator} deploys ${getAddress(c.address)}: its code is not part of the proposal's calldata.`,
        evidence: { callIndex: c.callIndex, address: c.address, creator: c.creator, type: c.type },
      });
    }
    return findings;
  },
};
