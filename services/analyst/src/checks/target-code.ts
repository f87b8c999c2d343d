import { daoRole, type Finding, type ProposalCheck } from "./types.ts";

/**
 * Targets outside the DAO whose runtime code (or ERC-1967 implementation) contains SELFDESTRUCT
 * (high: the contract can send away everything it holds, and before Cancun could be replaced via
 * CREATE2, the Tornado Cash governance attack), DELEGATECALL (high: runs code not shown here) or
 * CREATE2 (low).
 */
export const targetCode: ProposalCheck = {
  id: "target-code",
  name: "Dangerous opcodes in target code",
  check(ctx) {
    const findings: Finding[] = [];
    for (const target of ctx.targets) {
      if (target.kind !== "contract" || daoRole(ctx, target.address) !== undefined) continue;
      const callIndex = ctx.calls.find((c) => c.target.toLowerCase() === target.address.toLowerCase())?.index;
      const scans = [{ where: "its code", scan: target.opcodes }];
      if (target.proxy?.implementationOpcodes) scans.push({ where: `its implementation ${target.proxy.implementation}`, scan: target.proxy.implementationOpcodes });
      for (const { where, scan } of scans) {
        const evidence = { callIndex, address: target.address, codeHash: target.codeHash };
        if (scan.SELFDESTRUCT) {
          findings.push({ id: "target-code/selfdestruct", check: this.id, severity: "high", title: `${target.address} can SELFDESTRUCT`, detail: `SELFDESTRUCT (0xff) found in ${where}: the contract can send away everything it holds and, where allowed, be redeployed with other code.`, evidence: { ...evidence, opcode: "SELFDESTRUCT" } });
        }
        if (scan.DELEGATECALL) {
          findings.push({ id: "target-code/delegatecall", check: this.id, severity: "high", title: `${target.address} uses DELEGATECALL`, detail: `DELEGATECALL (0xf4) found in ${where}: what the call does depends on code that is not part of this proposal.`, evidence: { ...evidence, opcode: "DELEGATECALL" } });
        }
        if (scan.CREATE2) {
          findings.push({ id: "target-code/create2", check: this.id, severity: "low", title: `${target.address} uses CREATE2`, detail: `CREATE2 (0xf5) found in ${where}: it can deploy contracts at precomputed addresses.`, evidence: { ...evidence, opcode: "CREATE2" } });
        }
      }
    }
    return findings;
  },
};
