/**
 * Gas of the governance hot paths, side by side with a vanilla OpenZeppelin Governor (Settings,
 * CountingSimple, Votes, QuorumFraction, TimelockControl: `contracts/bench/VanillaGovernor.sol`)
 * on the same chain, the same token and the same proposal: propose, castVote (a vote that does not
 * reach quorum, then the one that does), castVoteWithReason, queue and execute, each as absolute
 * figures and as a ratio to vanilla. Then DecisionLog.publish with a 2 KB and a 16 KB report, and
 * with each of the demo's analyses (bench/demo-reports/): as published (raw DEFLATE against the report
 * dictionary), without the dictionary and as raw JSON,
 * each as a ratio to the raw JSON's EIP-7623 calldata floor.
 * Prints a table and writes bench/results/contracts.json (see bench/README.md).
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { constants, deflateRawSync } from "node:zlib";

import { network } from "hardhat";
import { encodeFunctionData, hexToBytes, keccak256, parseEther, stringToBytes, toHex, type Hash } from "viem";

import { DecisionKind, Recommendation, ReportEncoding, Support } from "@ai-dao/protocol";
import { REPORT_SCHEMA_VERSION } from "@ai-dao/reports";
import { encodeReport } from "@ai-dao/reports/node";
import { delegateAll, deployLocalDAO, ethTransfer } from "@ai-dao/testkit";
import { EXECUTOR_ROLE, PROPOSER_ROLE } from "../ignition/modules/DAO.ts";

const connection = await network.create();
const { viem, networkHelpers } = connection;
const dao = await deployLocalDAO(connection);
const { accounts, decisionLog, publicClient, token, deployment } = dao;

async function gasOf(hash: Promise<Hash>, what: string): Promise<bigint> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
  if (receipt.status !== "success") throw new Error(`${what} reverted`);
  return receipt.gasUsed;
}

// The vanilla Governor: its own timelock (open execution, as OpenZeppelin's wizard sets it up) on the same token.
const { votingDelay, votingPeriod, quorumPercent } = deployment.parameters.governor;
const vanillaTimelock = await viem.deployContract("TimelockController", [
  BigInt(deployment.parameters.timelock.minDelay),
  [],
  ["0x0000000000000000000000000000000000000000"],
  accounts.deployer.account.address,
]);
const vanilla = await viem.deployContract("VanillaGovernor", [token.address, vanillaTimelock.address, votingDelay, votingPeriod, BigInt(quorumPercent)]);
await vanillaTimelock.write.grantRole([PROPOSER_ROLE, vanilla.address]);
if (!(await vanillaTimelock.read.hasRole([EXECUTOR_ROLE, "0x0000000000000000000000000000000000000000"]))) throw new Error("vanilla timelock setup");

for (const treasury of [dao.timelock.address, vanillaTimelock.address]) {
  await accounts.deployer.sendTransaction({ to: treasury, value: parseEther("10") });
}
await delegateAll(dao, connection);

// Both Governors are driven through the standard Governor functions, by the vanilla ABI.
const platform = await viem.getContractAt("VanillaGovernor", dao.governor.address);
type GovernorLike = typeof vanilla;

/** The same lifecycle on one Governor; `beforeQueue` lets the platform's analyst publish first. */
async function lifecycle(governor: GovernorLike, label: string, beforeQueue: (proposalId: bigint) => Promise<void>) {
  const proposal = ethTransfer(accounts.outsider.account.address, parseEther("1"), `Benchmark (${label}): pay 1 ETH from the treasury`);
  const hash = keccak256(toHex(proposal.description));
  const gas: Record<string, bigint> = {};
  gas.propose = await gasOf(
    governor.write.propose([proposal.targets, proposal.values, proposal.calldatas, proposal.description], { account: accounts.alice.account }),
    "propose",
  );
  const proposalId = await governor.read.hashProposal([proposal.targets, proposal.values, proposal.calldatas, hash]);
  await networkHelpers.time.increaseTo((await governor.read.proposalSnapshot([proposalId])) + 1n);
  gas["castVote"] = await gasOf(governor.write.castVote([proposalId, Support.Against], { account: accounts.carol.account }), "castVote");
  gas["castVote (reaches quorum)"] = await gasOf(governor.write.castVote([proposalId, Support.For], { account: accounts.alice.account }), "castVote");
  gas.castVoteWithReason = await gasOf(
    governor.write.castVoteWithReason([proposalId, Support.For, "The recipient is known to the DAO; the invoice is attached."], { account: accounts.bob.account }),
    "castVoteWithReason",
  );
  await networkHelpers.time.increaseTo((await governor.read.proposalDeadline([proposalId])) + 1n);
  await beforeQueue(proposalId);
  const args = [proposal.targets, proposal.values, proposal.calldatas, hash] as const;
  gas.queue = await gasOf(governor.write.queue(args, { account: accounts.dave.account }), "queue");
  await networkHelpers.time.increaseTo(await governor.read.proposalEta([proposalId]));
  gas.execute = await gasOf(governor.write.execute(args, { account: accounts.erin.account }), "execute");
  return { gas, proposalId };
}

const base = await lifecycle(vanilla, "vanilla", async () => {});
const ours = await lifecycle(platform, "platform", async (proposalId) => {
  const report = toHex(JSON.stringify({ schemaVersion: REPORT_SCHEMA_VERSION, risk: 10 }));
  await decisionLog.write.publish([proposalId, DecisionKind.Analysis, 10, Recommendation.For, ReportEncoding.Json, keccak256(report), report], { account: accounts.analyst.account });
});

/** A vote that reaches quorum in the final moments of the vote: ours extends the deadline, vanilla has no such rule. */
async function lateQuorumVote(governor: GovernorLike, label: string): Promise<bigint> {
  const proposal = ethTransfer(accounts.outsider.account.address, parseEther("1"), `Benchmark (${label}): quorum reached at the last moment`);
  await governor.write.propose([proposal.targets, proposal.values, proposal.calldatas, proposal.description], { account: accounts.alice.account });
  const proposalId = await governor.read.hashProposal([proposal.targets, proposal.values, proposal.calldatas, keccak256(toHex(proposal.description))]);
  await networkHelpers.time.increaseTo((await governor.read.proposalDeadline([proposalId])) - 1n);
  const gas = await gasOf(governor.write.castVote([proposalId, Support.For], { account: accounts.alice.account }), "late castVote");
  if (governor === platform && (await governor.read.proposalDeadline([proposalId])) <= (await publicClient.getBlock()).timestamp) {
    throw new Error("the late quorum did not extend the platform's vote");
  }
  return gas;
}
const lateLabel = "castVote (reaches quorum late)";
ours.gas[lateLabel] = await lateQuorumVote(platform, "platform");
base.gas[lateLabel] = await lateQuorumVote(vanilla, "vanilla");

const notes: Record<string, string> = {
  propose: "one action (ETH transfer); pins the target's code, stores the actions (GovernorStorage)",
  castVote: "Against, quorum not reached",
  "castVote (reaches quorum)": "For, the vote that reaches quorum, before the last lateQuorumVoteExtension",
  [lateLabel]: "For, reaching quorum 1 s before the deadline: extends it (vanilla: no late-quorum rule)",
  castVoteWithReason: "For, 58-character reason",
  queue: "reads the latest analysis (risk 10: minimum delay), checks the code pin",
  execute: "checks the code pin, sends 1 ETH",
};
const rows = Object.keys(ours.gas).map((operation) => ({
  operation,
  gas: ours.gas[operation]!,
  vanilla: base.gas[operation]!,
  ratio: Number(ours.gas[operation]!) / Number(base.gas[operation]!),
  note: notes[operation] ?? "",
}));

const publishRows: { operation: string; gas: bigint; note: string }[] = [];
// What every publish costs whatever the report: the transaction, one new storage slot (the latest
// decision of its kind about the proposal, for a first decision) and the count, the event.
const tiny = toHex("{");
publishRows.push({
  operation: "publish (1-byte report)",
  gas: await gasOf(decisionLog.write.publish([ours.proposalId + 1n, 0, 40, 0, ReportEncoding.Json, keccak256(tiny), tiny], { account: accounts.analyst.account }), "publish"),
  note: "the fixed cost of a first decision about a proposal",
});
for (const kib of [2, 16]) {
  const report = toHex(JSON.stringify({ schemaVersion: 1, padding: "x".repeat(kib * 1024 - 32) }).slice(0, kib * 1024));
  publishRows.push({
    operation: `publish (${kib} KB report)`,
    gas: await gasOf(decisionLog.write.publish([ours.proposalId, 0, 40, 0, ReportEncoding.Json, keccak256(report), report], { account: accounts.analyst.account }), "publish"),
    note: `${kib * 1024} bytes`,
  });
}

// The demo's real analyses (bench/demo-reports/, written by bench/demo-reports.ts), each published
// as the analyst publishes it (canonical JSON compressed with raw DEFLATE against the report
// dictionary), compressed without the dictionary (as before it) and as raw JSON, against the
// EIP-7623 calldata floor of the raw JSON: 21,000 + 10 × (zero bytes + 4 × other bytes).
const demoDir = path.join(import.meta.dirname, "demo-reports");
// Each publish is the first decision about its proposal (fresh ids), as a demo proposal's only
// analysis is now: its queue-time re-analysis is published only when it changed.
// The EIP-7623 floor of a transaction's calldata: 21,000 + 10 × (zero bytes + 4 × other bytes).
const calldataFloor = (bytes: Uint8Array) => 21_000n + 10n * bytes.reduce((tokens, byte) => tokens + (byte === 0 ? 1n : 4n), 0n);
// txFloor: the floor of the compressed publish transaction itself (its arguments included), below
// which no contract could take it: the most any storage layout could save ends there.
const demoRows: { key: string; rawBytes: number; compressedBytes: number; plainBytes: number; floor: bigint; txFloor: bigint; compressed: bigint; plain: bigint; raw: bigint }[] = [];
let freshId = ours.proposalId + 1_000n;
for (const file of (await readdir(demoDir)).filter((f) => f.endsWith(".json")).sort()) {
  const json = (await readFile(path.join(demoDir, file), "utf8")).trimEnd();
  const raw = stringToBytes(json);
  const floor = calldataFloor(raw);
  const encoded = encodeReport(json);
  const plain = deflateRawSync(raw, { level: constants.Z_BEST_COMPRESSION });
  const args = (id: bigint, encoding: number, bytes: Uint8Array) => [id, DecisionKind.Analysis, 40, Recommendation.Against, encoding, keccak256(bytes), toHex(bytes)] as const;
  const publish = (encoding: number, bytes: Uint8Array) => gasOf(decisionLog.write.publish(args(freshId++, encoding, bytes), { account: accounts.analyst.account }), "publish");
  const txFloor = calldataFloor(hexToBytes(encodeFunctionData({ abi: decisionLog.abi, functionName: "publish", args: args(freshId, encoded.encoding, encoded.bytes) })));
  demoRows.push({
    key: file.replace(/\.json$/, ""),
    rawBytes: raw.length,
    compressedBytes: encoded.bytes.length,
    plainBytes: plain.length,
    floor,
    txFloor,
    compressed: await publish(encoded.encoding, encoded.bytes),
    plain: await publish(ReportEncoding.DeflateRaw, plain),
    raw: await publish(ReportEncoding.Json, raw),
  });
}

const n = (value: bigint) => value.toLocaleString("en-US").padStart(10);
console.log("\nGas: the platform's Governor side by side with a vanilla OpenZeppelin Governor (same chain, token and proposal)\n");
console.log(`${"operation".padEnd(31)} ${"platform".padStart(10)} ${"vanilla".padStart(10)} ${"ratio".padStart(6)}  note`);
for (const r of rows) console.log(`${r.operation.padEnd(31)} ${n(r.gas)} ${n(r.vanilla)} ${r.ratio.toFixed(3).padStart(5)}×  ${r.note}`);
for (const r of publishRows) console.log(`${r.operation.padEnd(31)} ${n(r.gas)} ${"".padStart(10)} ${"".padStart(6)}  ${r.note}`);

const ratio = (gas: bigint, floor: bigint) => Number(gas) / Number(floor);
console.log(
  "\nPublishing the demo's analyses against the raw JSON's EIP-7623 calldata floor: as published (raw DEFLATE with the report dictionary),\nwithout the dictionary (plain raw DEFLATE, as before it) and raw JSON\n",
);
console.log(
  `${"demo analysis".padEnd(14)} ${"raw B".padStart(7)} ${"sent B".padStart(7)} ${"floor".padStart(10)} ${"published".padStart(10)} ${"ratio".padStart(6)} ${"its floor".padStart(10)} ${"plain B".padStart(7)} ${"plain".padStart(10)} ${"ratio".padStart(6)} ${"raw".padStart(10)} ${"ratio".padStart(6)}`,
);
for (const r of demoRows) {
  console.log(
    `${r.key.padEnd(14)} ${String(r.rawBytes).padStart(7)} ${String(r.compressedBytes).padStart(7)} ${n(r.floor)} ${n(r.compressed)} ${ratio(r.compressed, r.floor).toFixed(3).padStart(5)}× ${n(r.txFloor)} ${String(r.plainBytes).padStart(7)} ${n(r.plain)} ${ratio(r.plain, r.floor).toFixed(3).padStart(5)}× ${n(r.raw)} ${ratio(r.raw, r.floor).toFixed(3).padStart(5)}×`,
  );
}
const sum = (pick: (r: (typeof demoRows)[number]) => bigint) => demoRows.reduce((total, r) => total + pick(r), 0n);
const demoRatio = ratio(sum((r) => r.compressed), sum((r) => r.floor));
console.log(
  `${"all".padEnd(14)} ${"".padStart(7)} ${"".padStart(7)} ${n(sum((r) => r.floor))} ${n(sum((r) => r.compressed))} ${demoRatio.toFixed(3).padStart(5)}× ${n(sum((r) => r.txFloor))} ${"".padStart(7)} ${n(sum((r) => r.plain))} ${ratio(sum((r) => r.plain), sum((r) => r.floor)).toFixed(3).padStart(5)}× ${n(sum((r) => r.raw))} ${ratio(sum((r) => r.raw), sum((r) => r.floor)).toFixed(3).padStart(5)}×`,
);
const worst = demoRows.reduce((a, b) => (ratio(a.compressed, a.floor) >= ratio(b.compressed, b.floor) ? a : b));
console.log(`each demo analysis published: at most ${ratio(worst.compressed, worst.floor).toFixed(3)}× its raw floor (${worst.key}; target ≤ 0.4×)`);
// A proposal that reaches the queue is analysed twice (created, queued). Before, both analyses were
// published raw; now the queue-time one is published only when it changed, so an unchanged proposal
// pays one compressed publish for its two analyses.
const perAnalysis = ratio(sum((r) => r.compressed), 2n * sum((r) => r.floor));
const before = ratio(2n * sum((r) => r.raw), 2n * sum((r) => r.floor));
console.log(`\nper analysis over a proposal's two analyses (created, queued; unchanged at queue): ${perAnalysis.toFixed(3)}× the raw floor (before: both published raw, ${before.toFixed(3)}×)`);

/** The hot paths with a target ratio to the vanilla Governor (issue 17). */
const RATIO_TARGETS: Record<string, number> = { castVote: 1.05, "castVote (reaches quorum)": 1.2 };

const out = path.join(import.meta.dirname, "results", "contracts.json");
await mkdir(path.dirname(out), { recursive: true });
const figures = [
  ...rows.flatMap((r) => [
    { name: `gas: ${r.operation}`, value: Number(r.gas), unit: "gas", note: r.note },
    { name: `gas ratio to vanilla Governor: ${r.operation}`, value: Number(r.ratio.toFixed(3)), unit: "×", note: `vanilla ${r.vanilla}${RATIO_TARGETS[r.operation] ? `; target ≤ ${RATIO_TARGETS[r.operation]}` : ""}` },
  ]),
  ...publishRows.map((r) => ({ name: `gas: ${r.operation}`, value: Number(r.gas), unit: "gas", note: r.note })),
  ...demoRows.flatMap((r) => [
    { name: `gas: publish demo analysis ${r.key} (compressed)`, value: Number(r.compressed), unit: "gas", note: `${r.compressedBytes} bytes compressed against the report dictionary from ${r.rawBytes}; the transaction's own calldata floor ${r.txFloor}` },
    { name: `gas ratio to raw-byte floor: publish demo analysis ${r.key} (compressed)`, value: Number(ratio(r.compressed, r.floor).toFixed(3)), unit: "×", note: `floor ${r.floor}` },
    { name: `gas ratio to raw-byte floor: publish demo analysis ${r.key} (plain raw DEFLATE, no dictionary)`, value: Number(ratio(r.plain, r.floor).toFixed(3)), unit: "×", note: `${r.plainBytes} bytes, ${r.plain} gas` },
    { name: `gas ratio to raw-byte floor: publish demo analysis ${r.key} (raw JSON)`, value: Number(ratio(r.raw, r.floor).toFixed(3)), unit: "×", note: `${r.raw} gas` },
  ]),
  { name: "gas ratio to raw-byte floor: publish demo analyses (compressed, all)", value: Number(demoRatio.toFixed(3)), unit: "×", note: `${demoRows.length} demo analyses, one publish each` },
  { name: "gas ratio to raw-byte floor: publish each demo analysis (compressed, the highest)", value: Number(ratio(worst.compressed, worst.floor).toFixed(3)), unit: "×", note: `${worst.key}; target ≤ 0.4` },
  { name: "gas ratio to raw-byte floor: per demo analysis over created + queued (unchanged: one compressed publish)", value: Number(perAnalysis.toFixed(3)), unit: "×", note: `before: ${before.toFixed(3)}× (both published raw)` },
];
await writeFile(out, `${JSON.stringify({ part: "contracts", figures }, null, 2)}\n`);
console.log(`\nWrote ${path.relative(process.cwd(), out)}`);

