import { decodeReport } from "@ai-dao/reports";
import { network } from "hardhat";
import { encodeFunctionData, getAddress, keccak256, parseAbi, toHex, type Address } from "viem";
import { afterAll, describe, expect, it } from "vitest";

import { DecisionKind } from "@ai-dao/protocol";
import { publishedReportBytes } from "@ai-dao/reports/node";
import { devAccount } from "@ai-dao/testkit/accounts";

import { Executor } from "../src/executor.ts";
import { readPins } from "../src/pins.ts";
import { Journal } from "../src/store.ts";
import { clientOf, decisionsOf, tempDir, testLogger } from "./helpers.ts";

// Before Cancun (EIP-6780) SELFDESTRUCT removes code, so a CREATE2 address can be emptied and filled
// again with other code: the Tornado Cash governance attack. The `preCancun` network runs Shanghai.
// The DAO itself cannot run there: OpenZeppelin 5.7 uses MCOPY (Cancun) in inline assembly, so it
// neither compiles for Shanghai nor executes on it. This test therefore drives the executor's code
// pin and guard publishing on that chain with a proposal record for the metamorphic target, and a
// DecisionLog (which has no Cancun opcodes); the whole Governor path of the same guard is covered by
// the ERC-1967 proxy test in guards.test.ts.
const connection = await network.create("preCancun");
afterAll(async () => {
  await connection.close();
});

const targetAbi = parseAbi(["function destroy()", "function ping() payable returns (uint256)"]);

describe("code drift on a pre-Cancun chain", () => {
  it("refuses a CREATE2 target destroyed and redeployed with other code, and publishes the evidence", async () => {
    const { viem } = connection;
    const client = clientOf(connection);
    const [deployer] = await viem.getWalletClients();
    const executorAddress = devAccount(9).address;
    const decisionLog = await viem.deployContract("DecisionLog", [deployer!.account.address, [executorAddress]]);
    const factory = await viem.deployContract("ExecCreate2Factory");
    const v1 = await viem.deployContract("ExecMutableTargetV1");
    const v2 = await viem.deployContract("ExecMutableTargetV2");
    const salt = keccak256(toHex("treasury helper"));

    await factory.write.deploy([salt, v1.address]);
    const target = getAddress(await factory.read.addressOf([salt])) as Address;
    const v1Code = (await client.getCode({ address: v1.address }))!;
    expect(await client.getCode({ address: target })).toBe(v1Code);

    // The proposal is created and its target pinned (what the executor does on ProposalCreated).
    const createdBlock = await client.getBlockNumber({ cacheTime: 0 });
    const dataDir = tempDir();
    const journal = Journal.open(dataDir);
    const proposalId = 424242n;
    journal.addProposal({
      proposalId: proposalId.toString(),
      targets: [target],
      values: ["0"],
      calldatas: [encodeFunctionData({ abi: targetAbi, functionName: "ping" })],
      descriptionHash: keccak256(toHex("Call the treasury helper")),
      createdBlock: Number(createdBlock),
      pins: await readPins(client, [target], createdBlock),
    });

    // After the vote: destroy, then redeploy different code at the same address.
    await deployer!.writeContract({ address: target, abi: targetAbi, functionName: "destroy" });
    expect(await client.getCode({ address: target })).toBeUndefined();
    await factory.write.deploy([salt, v2.address]);
    const v2Code = (await client.getCode({ address: target }))!;
    expect(v2Code).toBe(await client.getCode({ address: v2.address }));
    expect(v2Code).not.toBe(v1Code);

    const executor = new Executor({
      client,
      account: devAccount(9),
      // No Governor on this chain (see above): an address without code, so no proposals are scanned.
      deployment: { chainId: await client.getChainId(), startBlock: 0, contracts: { governor: "0x000000000000000000000000000000000000dEaD", timelock: "0x000000000000000000000000000000000000bEEF", decisionLog: decisionLog.address } },
      journal,
      logger: testLogger,
    });
    const proposal = journal.getProposal(proposalId.toString())!;
    const outcome = await executor.runGuards(proposal, "execute");
    expect(outcome).toMatchObject({ decision: "refuse", reason: "code-drift" });
    if (outcome === null || outcome === "skip") throw new Error("unreachable");
    expect(outcome.evidence.changes).toEqual([{ address: target, field: "codeHash", pinned: keccak256(v1Code), current: keccak256(v2Code) }]);

    await executor.recordGuard(proposal, "execute", outcome);
    await executor.recordGuard(proposal, "execute", outcome); // same decision: recorded once
    // No Governor here to read the state from: take the record out of the lifecycle, keep publishing.
    journal.setProposalState(proposalId.toString(), 5, true);
    for (let i = 0; i < 3; i++) await executor.tick();

    const events = await decisionsOf(client, decisionLog.address, proposalId, DecisionKind.ExecutionGuard);
    expect(events).toHaveLength(1);
    const { report: bytes, encoding, reportHash, actor } = events[0]!.args;
    expect(actor).toBe(executorAddress);
    expect(keccak256(bytes)).toBe(reportHash);
    const report = JSON.parse(decodeReport(encoding, bytes));
    expect(publishedReportBytes(report).reportHash).toBe(reportHash);
    expect(report).toMatchObject({ kind: "execution-guard", action: "execute", decision: "refuse", reason: "code-drift", proposalId: proposalId.toString() });
    expect(report.evidence.changes[0]).toEqual({ address: target, field: "codeHash", pinned: keccak256(v1Code), current: keccak256(v2Code) });
    expect(journal.allGuards()).toHaveLength(1);
  });
});
