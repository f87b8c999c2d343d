import { addressLabel } from "../units.ts";
import { daoRole, type AnalysisContext, type Finding, type ProposalCheck } from "./types.ts";

const outsideContracts = (ctx: AnalysisContext) => ctx.targets.filter((t) => t.kind === "contract" && daoRole(ctx, t.address) === undefined);

/**
 * Targets outside the DAO whose runtime code (or ERC-1967 implementation) contains SELFDESTRUCT
 * (high: the contract can send away everything it holds, and before Cancun could be replaced via
 * CREATE2, the Tornado Cash governance attack), DELEGATECALL (high: runs code not shown here) or
 * CREATE2 (low).
 */
export const targetCode: ProposalCheck = {
  id: "target-code",
  applies: (ctx) => outsideContracts(ctx).length > 0,
  check(ctx) {
    const findings: Finding[] = [];
    for (const target of outsideContracts(ctx)) {
      const callIndex = ctx.calls.find((c) => c.target.toLowerCase() === target.address.toLowerCase())?.index;
      const name = addressLabel(ctx.deployment.contracts, target.address);
      const scans = [{ who: name, where: `the code of ${target.address}`, scan: target.opcodes }];
      if (target.proxy?.implementationOpcodes) scans.push({ who: `The code behind proxy ${name}`, where: `the implementation ${target.proxy.implementation} behind ${target.address}`, scan: target.proxy.implementationOpcodes });
      for (const { who, where, scan } of scans) {
        const evidence = { callIndex, address: target.address, codeHash: target.codeHash };
        if (scan.SELFDESTRUCT) {
          findings.push({ id: "target-code/selfdestruct", check: this.id, severity: "high", title: `${who} can destroy itself (SELFDESTRUCT)`, detail: `SELFDESTRUCT (0xff) found in ${where}: the contract can send away everything it holds and, where allowed, be redeployed with other code.`, evidence: { ...evidence, opcode: "SELFDESTRUCT" } });
        }
        if (scan.DELEGATECALL) {
          findings.push({ id: "target-code/delegatecall", check: this.id, severity: "high", title: `${who} runs code from elsewhere (DELEGATECALL)`, detail: `DELEGATECALL (0xf4) found in ${where}: what the call does depends on code that is not part of this proposal.`, evidence: { ...evidence, opcode: "DELEGATECALL" } });
        }
        if (scan.CREATE2) {
          findings.push({ id: "target-code/create2", check: this.id, severity: "low", title: `${who} can deploy contracts at precomputed addresses (CREATE2)`, detail: `CREATE2 (0xf5) found in ${where}.`, evidence: { ...evidence, opcode: "CREATE2" } });
        }
      }
    }
    return findings;
  },
};
