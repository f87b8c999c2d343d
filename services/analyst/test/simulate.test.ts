import { encodeFunctionData, getAddress, parseEther } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { abi, DEMO, proposal, proposalOf, setupChain, TREASURY_DEMO, type Chain } from "./fixtures.ts";

let chain: Chain;

beforeAll(async () => {
  chain = await setupChain();
});

afterAll(() => chain?.close());

const executed = (report: Awaited<ReturnType<Chain["analyze"]>>) => {
  const sim = report.simulation!;
  if (sim.status !== "executed" && sim.status !== "reverted") throw new Error(`not simulated: ${JSON.stringify(sim)}`);
  return sim;
};

describe("fork simulation as the timelock", () => {
  it("measures ETH and token balance changes and decodes the Transfer logs", async () => {
    const { token, timelock } = chain.dao.deployment.contracts;
    const erin = getAddress(chain.dao.accounts.erin.account.address);
    const report = await chain.analyze(
      proposal(
        [
          { target: erin, data: "0x", value: parseEther("2") },
          { target: token, data: encodeFunctionData({ abi, functionName: "transfer", args: [erin, 1_000n * DEMO] }), value: 0n },
        ],
        "Grant 2 ETH and 1,000 DEMO to erin.",
      ),
    );
    const sim = executed(report);
    expect(sim.status).toBe("executed");
    expect(sim.calls.map((c) => c.success)).toEqual([true, true]);
    expect(sim.effects.ethBalanceChanges).toEqual(
      expect.arrayContaining([
        { address: getAddress(timelock), before: parseEther("100").toString(), after: parseEther("98").toString(), delta: (-parseEther("2")).toString() },
        expect.objectContaining({ address: erin, delta: parseEther("2").toString() }),
      ]),
    );
    expect(sim.effects.treasuryTokenBalances).toEqual([{ token: getAddress(token), before: TREASURY_DEMO.toString(), after: (TREASURY_DEMO - 1_000n * DEMO).toString() }]);
    expect(sim.effects.tokenBalanceChanges).toEqual(
      expect.arrayContaining([
        { token: getAddress(token), account: getAddress(timelock), delta: (-1_000n * DEMO).toString() },
        { token: getAddress(token), account: erin, delta: (1_000n * DEMO).toString() },
      ]),
    );
    expect(sim.logs.find((l) => l.eventName === "Transfer")).toMatchObject({ callIndex: 1, abiSource: "DAOToken", args: { from: getAddress(timelock), to: erin, value: (1_000n * DEMO).toString() } });
    // Nothing was sent to the real chain.
    expect(await chain.dao.publicClient.getBalance({ address: timelock })).toBe(parseEther("100"));
    expect(report.notes.join(" ")).not.toMatch(/Not run on a copy of the chain/);
  });

  it("stops the batch at the first revert and decodes the custom error", async () => {
    const { token } = chain.dao.deployment.contracts;
    const erin = getAddress(chain.dao.accounts.erin.account.address);
    const report = await chain.analyze(
      proposal(
        [
          { target: erin, data: "0x", value: parseEther("1") },
          { target: token, data: encodeFunctionData({ abi, functionName: "transfer", args: [erin, TREASURY_DEMO + 1n] }), value: 0n },
          { target: erin, data: "0x", value: parseEther("1") },
        ],
        "Grant 1 ETH to erin twice, and all our DEMO.",
      ),
    );
    const sim = executed(report);
    expect(sim.status).toBe("reverted");
    expect(sim.calls.map((c) => c.success)).toEqual([true, false]);
    expect(sim.revert).toMatchObject({ callIndex: 1, errorName: "ERC20InsufficientBalance" });
    expect(sim.effects.ethBalanceChanges).toEqual([]);
    expect(report.findings.find((f) => f.id === "simulation/revert")).toMatchObject({ severity: "high", evidence: { callIndex: 1, errorName: "ERC20InsufficientBalance" } });
  });

  it("runs the Governor's own functions as Governor.execute would (onlyGovernance passes)", async () => {
    const report = await chain.analyze(await proposalOf(chain, "honest parameter change"));
    const sim = executed(report);
    expect(sim.status).toBe("executed");
    expect(sim.effects.governanceChanges).toEqual([
      { callIndex: 0, contract: getAddress(chain.dao.deployment.contracts.governor), eventName: "QuorumNumeratorUpdated", args: { oldQuorumNumerator: "4", newQuorumNumerator: "5" } },
    ]);
    expect(await chain.dao.governor.read.quorumNumerator()).toBe(4n);
  });

  it("records the call tree, including delegatecalls inside a target", async () => {
    const report = await chain.analyze(await proposalOf(chain, "delegatecalling target"));
    const sim = executed(report);
    expect(sim.traceSource).toBe("callTracer");
    expect(sim.trace.map((f) => [f.depth, f.type])).toEqual([
      [0, "CALL"],
      [1, "DELEGATECALL"],
    ]);
  });

  it("shows a proxy upgrade and a role granted inside a called contract", async () => {
    const upgrade = executed(await chain.analyze(await proposalOf(chain, "proxy upgrade to a backdoor")));
    expect(upgrade.effects.proxyUpgrades).toHaveLength(1);
    expect(upgrade.effects.proxyUpgrades[0]).toMatchObject({ callIndex: 0, kind: "implementation" });
    const registry = executed(await chain.analyze(await proposalOf(chain, "role granted inside a called contract")));
    expect(registry.effects.roleChanges).toEqual([
      expect.objectContaining({ callIndex: 0, account: getAddress(chain.dao.accounts.outsider.account.address), sender: getAddress(chain.dao.deployment.contracts.timelock), granted: true }),
    ]);
  });

  it("says so when the simulation is skipped", async () => {
    const report = await chain.analyze(await proposalOf(chain, "token grant"), { simulate: false });
    expect(report.simulation).toEqual({ status: "skipped", reason: "not requested" });
    expect(report.notes.join(" ")).toMatch(/Not run on a copy of the chain \(skipped/);
  });
});
