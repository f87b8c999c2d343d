// A governance history on the real contracts: delegation, two proposals (one executed through the
// timelock, one canceled), votes with reasons, and decisions published on the DecisionLog.
import { deflateRawSync } from "node:zlib";

import { type Hex, keccak256, parseEther, stringToHex, toHex } from "viem";

import { DecisionKind, Recommendation, ReportEncoding, Support } from "@ai-dao/protocol";
import { delegateAll, endVoting, erc20Transfer, propose, startVoting, descriptionHash } from "@ai-dao/testkit";
import type { Chain } from "./helpers.ts";

export const analysisReport = { schemaVersion: 1, scores: { risk: 12 }, riskFloor: 5, recommendation: "for", summary: "Pays dave.", findings: [] };
/** The executor's guard decision, compressed as the executor publishes it. */
export const guardJson = JSON.stringify({ kind: "execution-guard", summary: "simulation ok; executing" });

export interface ScenarioResult {
  proposalId: bigint;
  canceledId: bigint;
  proposal: { targets: Hex[]; values: bigint[]; calldatas: Hex[]; description: string };
  /** Last block before any vote was cast. */
  beforeVotes: bigint;
  /** Block after the votes, before queueing. */
  afterVotes: bigint;
}

export async function runScenario(chain: Chain): Promise<ScenarioResult> {
  const { connection, dao } = chain;
  const { accounts, governor, token, decisionLog } = dao;
  await delegateAll(dao, connection);
  await token.write.delegate([accounts.alice.account.address], { account: accounts.erin.account });
  const proposal = {
    targets: [token.address],
    values: [0n],
    calldatas: [erc20Transfer(token.address, accounts.dave.account.address, parseEther("1000"))],
    description: "# Grant to dave\nSend 1,000 DEMO from the treasury to dave.",
  };
  const proposalId = await propose(dao, accounts.alice.account.address, proposal);
  const reportBytes = stringToHex(JSON.stringify(analysisReport));
  await decisionLog.write.publish([proposalId, DecisionKind.Analysis, 12, Recommendation.For, ReportEncoding.Json, keccak256(reportBytes), reportBytes], {
    account: accounts.analyst.account,
  });
  const canceled = { ...proposal, description: "# Withdrawn\nA proposal its author cancels." };
  const canceledId = await propose(dao, accounts.bob.account.address, canceled);
  await governor.write.cancel([canceled.targets, canceled.values, canceled.calldatas, descriptionHash(canceled)], { account: accounts.bob.account });
  await startVoting(dao, connection, proposalId);
  const beforeVotes = await dao.publicClient.getBlockNumber({ cacheTime: 0 });
  await governor.write.castVote([proposalId, Support.For], { account: accounts.alice.account });
  await governor.write.castVoteWithReason([proposalId, Support.Against, "too much"], { account: accounts.bob.account });
  await governor.write.castVote([proposalId, Support.Abstain], { account: accounts.carol.account });
  const afterVotes = await dao.publicClient.getBlockNumber({ cacheTime: 0 });
  await endVoting(dao, connection, proposalId);
  await governor.write.queue([proposalId]);
  await connection.networkHelpers.time.increaseTo(await governor.read.proposalEta([proposalId]));
  const guard = toHex(deflateRawSync(guardJson, { level: 9 }));
  await decisionLog.write.publish([proposalId, DecisionKind.ExecutionGuard, 3, Recommendation.For, ReportEncoding.DeflateRaw, keccak256(guard), guard], {
    account: accounts.executor.account,
  });
  await governor.write.execute([proposalId]);
  return { proposalId, canceledId, proposal, beforeVotes, afterVotes };
}
