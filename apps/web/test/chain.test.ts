// @vitest-environment node
// The proposal-state function, the Verify logic and the error messages against the real compiled
// contracts on an in-process Hardhat chain.
import { deflateRawSync } from "node:zlib";

import type { NetworkConnection } from "hardhat/types/network";
import { createWalletClient, custom, keccak256, parseEther, toHex, type Address, type PublicClient, type WalletClient } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { beforeAll, describe, expect, it } from "vitest";

import { DecisionKind, getDecisions, governorAbi, proposalStateName, ReportEncoding, Support } from "@ai-dao/protocol";
import { publishedReportBytes } from "@ai-dao/reports/node";
import { delegateAll, deployLocalDAO, descriptionHash, ethTransfer, propose, type LocalDAO } from "@ai-dao/testkit";
import { explainError } from "../src/lib/errors.ts";
import { simulateAndWrite } from "../src/lib/tx.ts";
import { proposalState, quorumOf, type ProposalStateInput } from "../src/lib/state.ts";
import { verifyAgainstShown, verifyOnChain } from "../src/lib/verify.ts";

let connection: NetworkConnection;
let dao: LocalDAO;
let client: PublicClient;

beforeAll(async () => {
  const { network } = await import("hardhat");
  connection = await network.create();
  dao = await deployLocalDAO(connection);
  client = dao.publicClient as unknown as PublicClient;
  await delegateAll(dao, connection);
  const [deployer] = await connection.viem.getWalletClients();
  await deployer!.sendTransaction({ to: dao.deployment.contracts.timelock, value: parseEther("10") });
});

type Status = ProposalStateInput["status"];

/** What the indexer would hold, read from the Governor's getters; `status` is what the test did. */
async function inputFor(id: bigint, status: Status, timelockStatus: ProposalStateInput["timelockStatus"] = null): Promise<{ input: ProposalStateInput; now: bigint }> {
  const { governor, token } = dao;
  const block = await client.getBlock({ blockTag: "latest" });
  const [voteStart, voteEnd, [against, forVotes, abstain], eta] = await Promise.all([
    governor.read.proposalSnapshot([id]),
    governor.read.proposalDeadline([id]),
    governor.read.proposalVotes([id]),
    governor.read.proposalEta([id]),
  ]);
  const quorum = quorumOf(await token.read.totalSupply(), await governor.read.quorumNumerator());
  return {
    input: { status, voteStart, voteEnd, forVotes, againstVotes: against, abstainVotes: abstain, eta: eta === 0n ? null : eta, quorum, timelockStatus },
    now: block.timestamp,
  };
}

async function expectSameState(id: bigint, status: Status, expected: string, timelockStatus: ProposalStateInput["timelockStatus"] = null) {
  const { input, now } = await inputFor(id, status, timelockStatus);
  const onChain = proposalStateName(await dao.governor.read.state([id]));
  expect(onChain).toBe(expected);
  expect(proposalState(input, now)).toBe(onChain);
}

async function mineAt(timestamp: bigint) {
  await connection.networkHelpers.time.increaseTo(timestamp);
}

describe("proposalState matches DAOGovernor.state()", () => {
  it("through Pending, Active, Succeeded, Queued and Executed, at the exact boundaries", async () => {
    const { alice, bob, erin } = dao.accounts;
    const p = ethTransfer(erin.account.address, parseEther("1"), `# Pay erin ${Date.now()}`);
    const id = await propose(dao, alice.account.address, p);
    await expectSameState(id, "CREATED", "Pending");
    const snapshot = await dao.governor.read.proposalSnapshot([id]);
    await mineAt(snapshot); // clock == snapshot: still Pending
    await expectSameState(id, "CREATED", "Pending");
    await mineAt(snapshot + 1n);
    await expectSameState(id, "CREATED", "Active");
    await dao.governor.write.castVote([id, Support.For], { account: alice.account });
    await dao.governor.write.castVote([id, Support.Against], { account: bob.account });
    const deadline = await dao.governor.read.proposalDeadline([id]);
    await mineAt(deadline); // clock == deadline: still Active
    await expectSameState(id, "CREATED", "Active");
    await mineAt(deadline + 1n);
    await expectSameState(id, "CREATED", "Succeeded");
    await dao.governor.write.queue([p.targets, p.values, p.calldatas, descriptionHash(p)]);
    await expectSameState(id, "QUEUED", "Queued", "SCHEDULED");
    await mineAt(await dao.governor.read.proposalEta([id]));
    await dao.governor.write.execute([p.targets, p.values, p.calldatas, descriptionHash(p)]);
    await expectSameState(id, "EXECUTED", "Executed", "EXECUTED");
  });

  it("Defeated without quorum, and Defeated when against wins", async () => {
    const { alice, bob, erin } = dao.accounts;
    const noQuorum = await propose(dao, alice.account.address, ethTransfer(erin.account.address, 1n, `# No quorum ${Date.now()}`));
    const lost = await propose(dao, alice.account.address, ethTransfer(erin.account.address, 2n, `# Lost ${Date.now()}`));
    await mineAt((await dao.governor.read.proposalSnapshot([lost])) + 1n);
    await dao.governor.write.castVote([noQuorum, Support.For], { account: erin.account }); // 40k < 4% of 1M? no: 4% is 40k
    await dao.governor.write.castVote([lost, Support.Against], { account: alice.account });
    await dao.governor.write.castVote([lost, Support.For], { account: bob.account });
    await mineAt((await dao.governor.read.proposalDeadline([lost])) + 1n);
    const { input } = await inputFor(noQuorum, "CREATED");
    // erin's 40,000 of 1,000,000: exactly 4 % is a quorum; the contract and the function must agree either way.
    await expectSameState(noQuorum, "CREATED", input.quorum <= input.forVotes + input.abstainVotes ? "Succeeded" : "Defeated");
    await expectSameState(lost, "CREATED", "Defeated");
  });

  it("Canceled", async () => {
    const { alice, erin } = dao.accounts;
    const p = ethTransfer(erin.account.address, 3n, `# Cancel me ${Date.now()}`);
    const id = await propose(dao, alice.account.address, p);
    await dao.governor.write.cancel([p.targets, p.values, p.calldatas, descriptionHash(p)], { account: alice.account });
    await expectSameState(id, "CANCELED", "Canceled");
  });
});

describe("Verify", () => {
  it("matches the published report, and flags an altered report or a wrong stored hash", async () => {
    const { alice, erin, analyst } = dao.accounts;
    const id = await propose(dao, alice.account.address, ethTransfer(erin.account.address, 5n, `# Verify ${Date.now()}`));
    // Published as the analyst does: canonical JSON, compressed.
    const { json: reportJson, encoding, bytes, reportHash: hash } = publishedReportBytes({ schemaVersion: 1, findings: [], riskFloor: 10, scores: { risk: 12 }, recommendation: "for" });
    await dao.decisionLog.write.publish([id, DecisionKind.Analysis, 12, 0, encoding, hash, toHex(bytes)], { account: analyst.account });
    const decisionLog = dao.deployment.contracts.decisionLog as Address;

    const events = await getDecisions(client, { decisionLog, proposalId: id, kind: DecisionKind.Analysis, fromBlock: 0n });
    expect(events).toHaveLength(1);
    expect(events[0]!.reportHash).toBe(hash);

    const match = await verifyOnChain(client, decisionLog, { proposalId: id, kind: DecisionKind.Analysis }, { json: reportJson, storedHash: hash });
    expect(match).toMatchObject({ ok: true, eventHashMatches: true, storedHashMatches: true, encoding: "DeflateRawDictionary1", decodes: true, canonical: true, shownMatches: true, computedHash: hash, onChainJson: reportJson });

    const altered = reportJson.replace('"risk":12', '"risk":2');
    const mismatch = await verifyOnChain(client, decisionLog, { proposalId: id, decisionId: events[0]!.decisionId }, { json: altered, storedHash: hash });
    expect(mismatch).toMatchObject({ ok: false, eventHashMatches: true, shownMatches: false });

    const wrongHash = verifyAgainstShown(events[0]!, { json: reportJson, storedHash: keccak256(toHex("other")) });
    expect(wrongHash).toMatchObject({ ok: false, storedHashMatches: false, shownMatches: true });

    await expect(verifyOnChain(client, decisionLog, { proposalId: id + 1n }, { json: reportJson })).rejects.toThrow(/no DecisionPublished event/);
  });

  it("fails a compressed report that is not canonical JSON, or that does not inflate, though its hash matches", async () => {
    const { alice, erin, analyst } = dao.accounts;
    const id = await propose(dao, alice.account.address, ethTransfer(erin.account.address, 6n, `# Verify hostile ${Date.now()}`));
    const decisionLog = dao.deployment.contracts.decisionLog as Address;
    const loose = '{ "scores": { "risk": 12 }, "findings": [] }';
    const packed = toHex(deflateRawSync(loose, { level: 9 }));
    const garbage = toHex(Buffer.concat([deflateRawSync(loose), Buffer.from("tail")]));
    for (const bytes of [packed, garbage]) {
      await dao.decisionLog.write.publish([id, DecisionKind.Analysis, 12, 0, ReportEncoding.DeflateRaw, keccak256(bytes), bytes], { account: analyst.account });
    }
    const [notCanonical, trailing] = await getDecisions(client, { decisionLog, proposalId: id, kind: DecisionKind.Analysis, fromBlock: 0n });
    expect(verifyAgainstShown(notCanonical!, { json: loose })).toMatchObject({ ok: false, eventHashMatches: true, decodes: true, canonical: false, shownMatches: true });
    expect(verifyAgainstShown(trailing!, { json: loose })).toMatchObject({ ok: false, eventHashMatches: true, decodes: false, shownMatches: false, onChainJson: "" });
    expect(trailing!.reportProblem).toMatch(/4 bytes after the end/);
  });
});

describe("Governor errors in plain words", () => {
  it("explains voting on a pending proposal and proposing below the threshold", async () => {
    const { alice, erin, outsider } = dao.accounts;
    const id = await propose(dao, alice.account.address, ethTransfer(erin.account.address, 7n, `# Too early ${Date.now()}`));
    const governor = dao.deployment.contracts.governor as Address;
    const early = await client
      .simulateContract({ address: governor, abi: governorAbi, functionName: "castVote", args: [id, 1], account: alice.account.address })
      .catch((e: unknown) => e);
    expect(explainError(early)).toMatch(/The proposal is Pending; this needs it to be Active.*GovernorUnexpectedProposalState/);
    const poor = await client
      .simulateContract({ address: governor, abi: governorAbi, functionName: "propose", args: [[erin.account.address], [1n], ["0x"], "# Nope"], account: outsider.account.address })
      .catch((e: unknown) => e);
    expect(explainError(poor)).toMatch(/below the proposal threshold.*GovernorInsufficientProposerVotes/);
  });

  it("says plainly when the account has no ETH for the fee", async () => {
    const broke = createWalletClient({ account: privateKeyToAccount(generatePrivateKey()), chain: hardhat, transport: custom(connection.provider as never) });
    const error = await broke.sendTransaction({ to: dao.accounts.erin.account.address, value: 1n }).catch((e: unknown) => e);
    expect(explainError(error)).toBe("This account does not have enough ETH to pay for the transaction (its fee, and any ETH it sends). Add ETH to it, or use another account.");
  });
});

describe("writes from the app", () => {
  it("proposes in the block right after delegating (the Governor counts votes at clock() - 1)", async () => {
    const { alice, outsider, erin } = dao.accounts;
    const governor = dao.deployment.contracts.governor as Address;
    await dao.token.write.transfer([outsider.account.address, parseEther("2000")], { account: alice.account });
    await dao.token.write.delegate([outsider.account.address], { account: outsider.account });
    const call = { address: governor, abi: governorAbi, functionName: "propose", args: [[erin.account.address], [1n], ["0x"], `# Fresh delegate ${Date.now()}`] } as const;
    // Against the latest block the clock is the delegation's own timestamp, so the votes are not counted yet.
    const atLatest = await client.simulateContract({ ...call, account: outsider.account.address }).catch((e: unknown) => e);
    expect(explainError(atLatest)).toMatch(/GovernorInsufficientProposerVotes/);
    const hash = await simulateAndWrite(client, outsider as unknown as WalletClient, outsider.account.address, call as never);
    expect((await client.waitForTransactionReceipt({ hash })).status).toBe("success");
  });
});
