import { addressLabel } from "../units.ts";
import { type Finding, type ProposalCheck } from "./types.ts";
import { actionLabel } from "@ai-dao/reports";

export const UPGRADE_SIGNATURES = new Set([
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
  applies: (ctx) => ctx.calls.some((c) => UPGRADE_SIGNATURES.has(c.signature ?? "")) || ctx.targets.some((t) => t.proxy !== undefined),
  check(ctx) {
    const findings: Finding[] = [];
    const label = (a: string) => addressLabel(ctx.deployment.contracts, a);
    for (const call of ctx.calls) {
      if (call.signature === undefined || !UPGRADE_SIGNATURES.has(call.signature)) continue;
      const args = (call.args ?? []).map(String);
      const byAdmin = call.signature.startsWith("upgradeAndCall") || call.signature.startsWith("changeProxyAdmin");
      const proxy = byAdmin ? args[0]! : call.target;
      const newValue = byAdmin ? args[1]! : args[0]!;
      const admin = call.signature.startsWith("changeAdmin") || call.signature.startsWith("changeProxyAdmin");
      const through = byAdmin ? ` through its ProxyAdmin ${call.target}` : "";
      findings.push({
        id: "proxy-upgrades/upgrade",
        check: this.id,
        severity: "high",
        title: admin ? `${actionLabel(call.index, { capital: true })} makes ${label(newValue)} the admin of proxy ${label(proxy)}` : `${actionLabel(call.index, { capital: true })} upgrades proxy ${label(proxy)} to new code at ${label(newValue)}`,
        detail: admin
          ? `The admin of proxy ${proxy} becomes ${newValue}${through}; the admin can replace the code behind the proxy at any time, without a vote.`
          : `The code behind proxy ${proxy} becomes the implementation at ${newValue}${through}; review that code, not only this call.`,
        evidence: { callIndex: call.index, address: call.target, newValue },
      });
    }
    for (const target of ctx.targets) {
      if (target.proxy === undefined) continue;
      findings.push({
        id: "proxy-upgrades/proxy-target",
        check: this.id,
        severity: "low",
        title: `${label(target.address)} is an upgradeable proxy`,
        detail: `${target.address} runs the code of ${target.proxy.implementation ?? "no implementation yet"}, which ${target.proxy.admin ? `its admin ${target.proxy.admin}` : "its upgrade function (no ERC-1967 admin is set)"} can change between this analysis and execution.`,
        evidence: { address: target.address, implementation: target.proxy.implementation, admin: target.proxy.admin, implementationCodeHash: target.proxy.implementationCodeHash },
      });
    }
    return findings;
  },
};
