import { type Finding, type ProposalCheck } from "./types.ts";

const UPGRADE_SIGNATURES = new Set([
  "upgradeTo(address)",
  "upgradeToAndCall(address,bytes)",
  "changeAdmin(address)",
  "upgradeAndCall(address,address,bytes)",
  "changeProxyAdmin(address,address)",
]);

/**
 * Proxy upgrades and admin changes (high: the code behind the address changes after the vote), and
 * calls to ERC-1967 proxies (low: their behaviour can change without a vote of this DAO).
 */
export const proxyUpgrades: ProposalCheck = {
  id: "proxy-upgrades",
  name: "Proxy upgrades",
  check(ctx) {
    const findings: Finding[] = [];
    for (const call of ctx.calls) {
      if (call.signature !== undefined && UPGRADE_SIGNATURES.has(call.signature)) {
        findings.push({
          id: "proxy-upgrades/upgrade",
          check: this.id,
          severity: "high",
          title: `Call ${call.index}: ${call.functionName} on ${call.target}`,
          detail: "Replaces the code or the admin behind a proxy; review the new implementation's code, not only this call.",
          evidence: { callIndex: call.index, address: call.target, newValue: String(call.args?.[call.signature.startsWith("upgradeAndCall") || call.signature.startsWith("changeProxyAdmin") ? 1 : 0]) },
        });
      }
    }
    for (const target of ctx.targets) {
      if (target.proxy === undefined) continue;
      findings.push({
        id: "proxy-upgrades/proxy-target",
        check: this.id,
        severity: "low",
        title: `${target.address} is an ERC-1967 proxy`,
        detail: `Its implementation (${target.proxy.implementation ?? "unset"}) can be changed by its admin (${target.proxy.admin ?? "unset"}) between this analysis and execution.`,
        evidence: { address: target.address, implementation: target.proxy.implementation, admin: target.proxy.admin, implementationCodeHash: target.proxy.implementationCodeHash },
      });
    }
    return findings;
  },
};
