/**
 * Gas report of the governance hot paths, on the in-process Hardhat chain with the local profile:
 * propose, castVote, castVoteWithReason, queue, execute, and DecisionLog.publish with a 2 KB and a
 * 16 KB report. Prints a table and writes bench/results/contracts.json (see bench/README.md).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { network } from "hardhat";
import { keccak256, parseEther, toHex, type Hash } from "viem";

import { Support } from "@ai-dao/protocol";
import {
  delegateAll,
  deployLocalDAO,
  endVoting,
  ethTransfer,
  startVoting,
} from "@ai-dao/testkit";

const connection = await network.create();
const dao = await deployLocalDAO(connection);
const { accounts, governor, decisionLog, publicClient, timelock } = dao;

const rows: { operation: string; gas: bigint; note: string }[] = [];
async function measure(operation: string, note: string, hash: Promise<Hash>) {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
  if (receipt.status !== "success") throw new Error(`${operation} reverted`);
  rows.push({ operation, gas: receipt.gasUsed, note });
}

await accounts.deployer.sendTransaction({ to: timelock.address, value: parseEther("10") });
await delegateAll(dao, connection);

const proposal = ethTransfer(accounts.outsider.account.address, parseEther("1"), "Benchmark: pay 1 ETH from the treasury");
await measure(
  "propose",
  "one action (ETH transfer)",
  governor.write.propose([proposal.targets, proposal.values, proposal.calldatas, proposal.description], {
    account: accounts.alice.account,
  }),
);
const proposalId = await governor.read.getProposalId([
  proposal.targets,
  proposal.values,
  proposal.calldatas,
  keccak256(toHex(proposal.description)),
]);
await startVoting(dao, connection, proposalId);
await measure("castVote", "For", governor.write.castVote([proposalId, Support.For], { account: accounts.alice.account }));
await measure(
  "castVoteWithReason",
  "Against, 60-character reason",
  governor.write.castVoteWithReason([proposalId, Support.Against, "The recipient is not known to the DAO; please add an invoice."], {
    account: accounts.bob.account,
  }),
);
await endVoting(dao, connection, proposalId);
await measure("queue", "one action", governor.write.queue([proposalId]));
await connection.networkHelpers.time.increaseTo(await governor.read.proposalEta([proposalId]));
await measure("execute", "one action (1 ETH transfer)", governor.write.execute([proposalId]));

for (const kib of [2, 16]) {
  const report = toHex(JSON.stringify({ schemaVersion: 1, padding: "x".repeat(kib * 1024 - 32) }).slice(0, kib * 1024));
  await measure(
    `publish (${kib} KB report)`,
    `${kib * 1024} bytes`,
    decisionLog.write.publish([proposalId, 0, 40, 0, keccak256(report), report], { account: accounts.analyst.account }),
  );
}

const table = rows.map((r) => ({ operation: r.operation, gas: Number(r.gas), note: r.note }));
console.log("\nGas report (local profile, optimizer 200 runs)\n");
console.log(`${"operation".padEnd(26)} ${"gas".padStart(10)}  note`);
for (const row of table) console.log(`${row.operation.padEnd(26)} ${row.gas.toLocaleString("en-US").padStart(10)}  ${row.note}`);

const out = path.join(import.meta.dirname, "results", "contracts.json");
await mkdir(path.dirname(out), { recursive: true });
const figures = table.map((row) => ({ name: `gas: ${row.operation}`, value: row.gas, unit: "gas", note: row.note }));
await writeFile(out, `${JSON.stringify({ part: "contracts", figures }, null, 2)}\n`);
console.log(`\nWrote ${path.relative(process.cwd(), out)}`);
