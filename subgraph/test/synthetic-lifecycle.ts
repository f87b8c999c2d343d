// A whole proposal lifecycle, as the four contracts would emit it, run through the compiled
// mappings with the test host. Used by mappings.test.ts.
import path from "node:path";
import { deflateRawSync } from "node:zlib";

import {
  type Hex,
  encodeAbiParameters,
  encodeFunctionData,
  keccak256,
  pad,
  parseAbi,
  stringToHex,
  toHex,
} from "viem";

import { abisDir } from "../scripts/data-sources.ts";
import { MappingInstance, Store, type TestEvent } from "./wasm-host.ts";

export const addresses = {
  token: "0x1111111111111111111111111111111111111111",
  governor: "0x2222222222222222222222222222222222222222",
  timelock: "0x3333333333333333333333333333333333333333",
  decisionLog: "0x4444444444444444444444444444444444444444",
  alice: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
  bob: "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
  analyst: "0x23618e81e3f5cdf7f54c3d65f7fbc0abf5b21e8f",
} as const;

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const ZERO_HASH = pad("0x", { size: 32 });
const DAY = 86_400n;
const start = 20_000n * DAY;

export const description = "# Pay bob\n\nSends 5 DEMO from the treasury to bob.";
export const descriptionHash = keccak256(stringToHex(description));
export const calldata = encodeFunctionData({
  abi: parseAbi(["function transfer(address to, uint256 amount)"]),
  args: [addresses.bob, 5n],
});
const targets = [addresses.token];
const values = [0n];
const calldatas = [calldata];
export const proposalId = BigInt(
  keccak256(
    encodeAbiParameters(
      [{ type: "address[]" }, { type: "uint256[]" }, { type: "bytes[]" }, { type: "bytes32" }],
      [targets, values, calldatas, descriptionHash],
    ),
  ),
);
// GovernorTimelockControl: salt = bytes20(governor) ^ descriptionHash; id = hashOperationBatch(...).
export const salt = toHex(BigInt(pad(addresses.governor, { dir: "right", size: 32 })) ^ BigInt(descriptionHash), { size: 32 });
export const operationId = keccak256(
  encodeAbiParameters(
    [{ type: "address[]" }, { type: "uint256[]" }, { type: "bytes[]" }, { type: "bytes32" }, { type: "bytes32" }],
    [targets, values, calldatas, ZERO_HASH, salt],
  ),
);
export const PROPOSER_ROLE = keccak256(stringToHex("PROPOSER_ROLE"));
/** The token's code hash as the Governor pins it (any non-zero hash: the test host has no code). */
export const tokenCodeHash = keccak256(stringToHex("token runtime code"));
/** A guard report as the executor publishes it: canonical JSON compressed with raw DEFLATE. */
export const compressedGuard = toHex(deflateRawSync(JSON.stringify({ kind: "execution-guard", schemaVersion: 1, summary: "held" }), { level: 9 }));
/** The tiers the constructor sets, then the ones governance sets before the proposal is queued. */
export const deployTiers = [
  { minRisk: 40, delay: 180 },
  { minRisk: 70, delay: 600 },
];
export const governanceTiers = [
  { minRisk: 50, delay: 300 },
  { minRisk: 80, delay: 900 },
];
export const analysisReport = {
  schemaVersion: 1,
  scores: { risk: 42 },
  riskFloor: 30,
  recommendation: "for",
  summary: "Pays bob 5 DEMO as described.",
  findings: [{ id: "transfer", severity: "info" }, { id: "recipient", severity: "low" }],
};

function tx(n: number): Hex {
  return pad(toHex(n), { size: 32 });
}

export async function runLifecycle(buildDir: string): Promise<{ store: Store; logs: string[] }> {
  const store = new Store();
  const load = (name: string) =>
    MappingInstance.load(path.join(buildDir, name, `${name}.wasm`), path.join(abisDir, `${name}.json`), store);
  const governor = await load("DAOGovernor");
  const token = await load("DAOToken");
  const timelock = await load("TimelockController");
  const decisionLog = await load("DecisionLog");

  const at = (address: Hex, block: bigint, txHash: Hex, logIndex: bigint, args: Record<string, unknown>): TestEvent => ({
    address,
    block,
    timestamp: start + block * 12n,
    tx: txHash,
    logIndex,
    args,
  });

  // Block 1: deployment (constructor events).
  timelock.handle("MinDelayChange", at(addresses.timelock, 1n, tx(1), 0n, { oldDuration: 0n, newDuration: 60n }));
  timelock.handle("RoleGranted", at(addresses.timelock, 1n, tx(1), 1n, { role: PROPOSER_ROLE, account: addresses.governor, sender: addresses.alice }));
  governor.handle("VotingDelaySet", at(addresses.governor, 1n, tx(2), 0n, { oldVotingDelay: 0n, newVotingDelay: 10n }));
  governor.handle("QuorumNumeratorUpdated", at(addresses.governor, 1n, tx(2), 1n, { oldQuorumNumerator: 0n, newQuorumNumerator: 4n }));
  governor.handle("TimelockChange", at(addresses.governor, 1n, tx(2), 2n, { oldTimelock: ZERO_ADDRESS, newTimelock: addresses.timelock }));
  governor.handle("ProposalGuardianSet", at(addresses.governor, 1n, tx(2), 3n, { oldProposalGuardian: ZERO_ADDRESS, newProposalGuardian: ZERO_ADDRESS }));
  governor.handle("AnalystSet", at(addresses.governor, 1n, tx(2), 4n, { account: addresses.analyst, registered: true }));
  governor.handle("RiskTiersSet", at(addresses.governor, 1n, tx(2), 5n, { tiers: deployTiers }));
  decisionLog.handle("PublisherSet", at(addresses.decisionLog, 1n, tx(3), 0n, { account: addresses.analyst, authorised: true }));
  token.handle("Transfer", at(addresses.token, 1n, tx(4), 0n, { from: ZERO_ADDRESS, to: addresses.alice, value: 100n }));
  token.handle("Transfer", at(addresses.token, 1n, tx(4), 1n, { from: ZERO_ADDRESS, to: addresses.timelock, value: 50n }));

  // Block 2: alice delegates to herself.
  token.handle("DelegateChanged", at(addresses.token, 2n, tx(5), 0n, { delegator: addresses.alice, fromDelegate: ZERO_ADDRESS, toDelegate: addresses.alice }));
  token.handle("DelegateVotesChanged", at(addresses.token, 2n, tx(5), 1n, { delegate: addresses.alice, previousVotes: 0n, newVotes: 100n }));

  // Block 3: the analyst proposes, then publishes its analysis.
  governor.handle("ProposalCreated", at(addresses.governor, 3n, tx(6), 0n, {
    proposalId,
    proposer: addresses.analyst,
    targets,
    values,
    signatures: [""],
    calldatas,
    voteStart: start + 3n * 12n + 10n,
    voteEnd: start + 3n * 12n + 310n,
    description,
  }));
  governor.handle("ProposalCodePinned", at(addresses.governor, 3n, tx(6), 1n, { proposalId, targets, codeHashes: [tokenCodeHash] }));
  decisionLog.handle("DecisionPublished", at(addresses.decisionLog, 3n, tx(7), 0n, {
    decisionId: 0n,
    proposalId,
    kind: 0,
    actor: addresses.analyst,
    risk: 42,
    recommendation: 0,
    encoding: 0,
    reportHash: keccak256(stringToHex(JSON.stringify(analysisReport))),
    report: stringToHex(JSON.stringify(analysisReport)),
  }));

  // Block 5: alice votes for; a late quorum extends the vote.
  governor.handle("VoteCast", at(addresses.governor, 5n, tx(8), 0n, { voter: addresses.alice, proposalId, support: 1, weight: 100n, reason: "good" }));
  governor.handle("ProposalExtended", at(addresses.governor, 5n, tx(8), 1n, { proposalId, extendedDeadline: start + 5n * 12n + 60n }));

  // Block 30: governance sets new risk tiers (those in force when the proposal is queued).
  governor.handle("RiskTiersSet", at(addresses.governor, 30n, tx(13), 0n, { tiers: governanceTiers }));

  // Block 40: queue. The timelock's events come first in the same transaction, then the risk delay:
  // risk 42 is below the first tier now in force, so the timelock's minimum delay.
  timelock.handle("CallScheduled", at(addresses.timelock, 40n, tx(9), 0n, {
    id: operationId, index: 0n, target: addresses.token, value: 0n, data: calldata, predecessor: ZERO_HASH, delay: 60n,
  }));
  timelock.handle("CallSalt", at(addresses.timelock, 40n, tx(9), 1n, { id: operationId, salt }));
  governor.handle("ProposalRiskDelay", at(addresses.governor, 40n, tx(9), 2n, { proposalId, analysed: true, risk: 42, tier: 0, delay: 60n }));
  governor.handle("ProposalQueued", at(addresses.governor, 40n, tx(9), 3n, { proposalId, etaSeconds: start + 40n * 12n + 60n }));

  // Block 50: a guard decision with a compressed report (JSON the mapping cannot inflate), then execution.
  decisionLog.handle("DecisionPublished", at(addresses.decisionLog, 50n, tx(10), 0n, {
    decisionId: 1n,
    proposalId,
    kind: 2,
    actor: addresses.analyst,
    risk: 10,
    recommendation: 3,
    encoding: 1,
    reportHash: keccak256(compressedGuard),
    report: compressedGuard,
  }));
  token.handle("Transfer", at(addresses.token, 50n, tx(11), 0n, { from: addresses.timelock, to: addresses.bob, value: 5n }));
  timelock.handle("CallExecuted", at(addresses.timelock, 50n, tx(11), 1n, { id: operationId, index: 0n, target: addresses.token, value: 0n, data: calldata }));
  governor.handle("ProposalExecuted", at(addresses.governor, 50n, tx(11), 2n, { proposalId }));

  // Block 60: a draft whose report has fields of unexpected types: kept, but not read as numbers.
  const oddReport = stringToHex(JSON.stringify({ schemaVersion: "2.0", scores: { risk: 42.5 }, riskFloor: "30", findings: "none" }));
  decisionLog.handle("DecisionPublished", at(addresses.decisionLog, 60n, tx(12), 0n, {
    decisionId: 2n,
    proposalId: 0n,
    kind: 1,
    actor: addresses.analyst,
    risk: 0,
    recommendation: 2,
    encoding: 0,
    reportHash: keccak256(oddReport),
    report: oddReport,
  }));

  return { store, logs: [governor, token, timelock, decisionLog].flatMap((m) => m.logs) };
}

