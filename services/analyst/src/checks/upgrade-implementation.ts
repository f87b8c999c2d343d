import { addressLabel } from "../units.ts";
import type { Finding, ProposalCheck } from "./types.ts";
import { UPGRADE_SIGNATURES } from "./proxy-upgrades.ts";
import { actionLabel } from "@ai-dao/reports";

/**
 * The code a proxy upgrade installs (inspected at the analysed block): no code at the new
 * implementation (critical: the proxy bricks, or code is placed there later), SELFDESTRUCT
 * (critical: the proxy's state and funds can be wiped), DELEGATECALL (high: it can run arbitrary
 * code in the proxy's context, the shape of an arbitrary-call backdoor).
 */
export const upgradeImplementation: ProposalCheck = {
  id: "upgrade-implementation",
  applies: (ctx) => ctx.calls.some((c) => UPGRADE_SIGNATURES.has(c.signature ?? "") && !/^change/.test(c.signature ?? "")),
  check(ctx) {
    const findings: Finding[] = [];
    const label = (a: string) => addressLabel(ctx.deployment.contracts, a);
    for (const { callIndex, proxy, implementation: impl } of ctx.upgradeImplementations ?? []) {
      const evidence = { callIndex, address: impl.address, proxy, codeHash: impl.codeHash };
      if (impl.kind !== "contract") {
        findings.push({
          id: "upgrade-implementation/no-code",
          check: this.id,
          severity: "critical",
          title: `${actionLabel(callIndex, { capital: true })} upgrades proxy ${label(proxy)} to ${label(impl.address)}, which has no code`,
          detail: `The new implementation ${impl.address} of proxy ${proxy} has no code: the proxy breaks, or whoever deploys there later (CREATE2) decides what it runs.`,
          evidence,
        });
        continue;
      }
      if (impl.opcodes.SELFDESTRUCT) {
        findings.push({
          id: "upgrade-implementation/selfdestruct",
          check: this.id,
          severity: "critical",
          title: `${actionLabel(callIndex, { capital: true })} upgrades proxy ${label(proxy)} to code that can destroy it (SELFDESTRUCT)`,
          detail: `The new implementation ${impl.address} of proxy ${proxy} contains SELFDESTRUCT: run through the proxy it can send away everything the proxy holds.`,
          evidence: { ...evidence, opcode: "SELFDESTRUCT" },
        });
      }
      if (impl.opcodes.DELEGATECALL) {
        findings.push({
          id: "upgrade-implementation/delegatecall",
          check: this.id,
          severity: "high",
          title: `${actionLabel(callIndex, { capital: true })} upgrades proxy ${label(proxy)} to code that runs code from elsewhere (DELEGATECALL)`,
          detail: `The new implementation ${impl.address} of proxy ${proxy} contains DELEGATECALL: it can run code chosen later in the proxy's context (an arbitrary-call backdoor looks like this).`,
          evidence: { ...evidence, opcode: "DELEGATECALL" },
        });
      }
    }
    return findings;
  },
};
