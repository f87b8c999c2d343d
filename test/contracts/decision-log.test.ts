import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { deflateRawSync } from "node:zlib";

import { network } from "hardhat";
import { encodeFunctionData, keccak256, parseEventLogs, toBytes, toHex, type Hex } from "viem";

import { DecisionKind, Recommendation, ReportEncoding } from "@ai-dao/protocol";
import { decodeReport, REPORT_SCHEMA_VERSION } from "@ai-dao/reports";
import { publishedReportBytes } from "@ai-dao/reports/node";
import { delegateAll, deployLocalDAO, passProposal, type LocalDAO } from "@ai-dao/testkit";

/** A report of exactly `size` bytes of canonical-looking JSON. */
function reportOfSize(size: number): Hex {
  const head = '{"schemaVersion":1,"padding":"';
  const tail = '"}';
  return toHex(head + "x".repeat(size - head.length - tail.length) + tail);
}

describe("DecisionLog", async () => {
  const connection = await network.create();
  const { viem, networkHelpers } = connection;
  let dao: LocalDAO;

  async function deployed() {
    return deployLocalDAO(connection);
  }

  beforeEach(async () => {
    dao = await networkHelpers.loadFixture(deployed);
  });

  it("emits the exact report bytes with every field and stores the latest's id, risk and time", async () => {
    const { decisionLog, accounts, publicClient } = dao;
    const report = toHex(JSON.stringify({ schemaVersion: 1, risk: 72, summary: "Drains 40% of the treasury — ünïcode ✓" }));
    const reportHash = keccak256(report);
    const proposalId = 12345678901234567890n;

    const hash = await decisionLog.write.publish(
      [proposalId, DecisionKind.Analysis, 72, Recommendation.Against, ReportEncoding.Json, reportHash, report],
      { account: accounts.analyst.account },
    );
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const [event] = parseEventLogs({ abi: decisionLog.abi, logs: receipt.logs, eventName: "DecisionPublished" });
    assert.ok(event);
    assert.equal(event.args.report, report, "event bytes equal the input");
    assert.equal(keccak256(event.args.report), reportHash);
    assert.equal(event.args.reportHash, reportHash);
    assert.equal(event.args.proposalId, proposalId);
    assert.equal(event.args.kind, DecisionKind.Analysis);
    assert.equal(event.args.risk, 72);
    assert.equal(event.args.recommendation, Recommendation.Against);
    assert.equal(event.args.encoding, ReportEncoding.Json);
    assert.equal(event.args.actor.toLowerCase(), accounts.analyst.account.address.toLowerCase());
    assert.equal(event.args.decisionId, 0n);

    const [decisionId, risk, timestamp] = await decisionLog.read.latestDecision([proposalId, DecisionKind.Analysis]);
    assert.equal(decisionId, 0n);
    assert.equal(risk, 72);
    assert.equal(BigInt(timestamp), (await publicClient.getBlock({ blockNumber: receipt.blockNumber })).timestamp);
    assert.deepEqual(await decisionLog.read.latestRisk([proposalId, DecisionKind.Analysis]), [true, 72]);
    assert.equal(await decisionLog.read.decisionCount(), 1n);
    assert.equal(await decisionLog.read.hasDecision([proposalId, DecisionKind.Draft]), false);
  });

  it("records a compressed report's encoding and checks the hash of the bytes sent", async () => {
    const { decisionLog, accounts, publicClient } = dao;
    const json = JSON.stringify({ schemaVersion: REPORT_SCHEMA_VERSION, summary: "x".repeat(2000) });
    const deflated = toHex(deflateRawSync(json, { level: 9 }));
    const hash = await decisionLog.write.publish([9n, DecisionKind.Analysis, 40, Recommendation.Abstain, ReportEncoding.DeflateRaw, keccak256(deflated), deflated], {
      account: accounts.analyst.account,
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const [event] = parseEventLogs({ abi: decisionLog.abi, logs: receipt.logs, eventName: "DecisionPublished" });
    assert.equal(event!.args.encoding, ReportEncoding.DeflateRaw);
    assert.equal(event!.args.report, deflated);
    assert.equal(event!.args.reportHash, keccak256(deflated));

    // The hash is of the bytes sent, never of the JSON they inflate to.
    await viem.assertions.revertWithCustomError(
      decisionLog.write.publish([9n, DecisionKind.Analysis, 40, Recommendation.Abstain, ReportEncoding.DeflateRaw, keccak256(toHex(json)), deflated], { account: accounts.analyst.account }),
      decisionLog,
      "DecisionLogHashMismatch",
    );

    // The same bytes published as Json cost exactly as much: the encoding is only in the event.
    const asJson = await decisionLog.write.publish([10n, DecisionKind.Analysis, 40, Recommendation.Abstain, ReportEncoding.Json, keccak256(deflated), deflated], {
      account: accounts.analyst.account,
    });
    const again = await decisionLog.write.publish([11n, DecisionKind.Analysis, 40, Recommendation.Abstain, ReportEncoding.DeflateRaw, keccak256(deflated), deflated], {
      account: accounts.analyst.account,
    });
    const [jsonGas, deflatedGas] = await Promise.all([asJson, again].map(async (h) => (await publicClient.waitForTransactionReceipt({ hash: h })).gasUsed));
    assert.ok(deflatedGas! - jsonGas! <= 12n, `${deflatedGas} vs ${jsonGas}: only the calldata byte of the enum may differ`);
  });

  it("records a report compressed against the report dictionary, as the platform's publishers send it", async () => {
    const { decisionLog, accounts, publicClient } = dao;
    const { bytes, encoding, json, reportHash } = publishedReportBytes({ schemaVersion: REPORT_SCHEMA_VERSION, status: "analysed", summary: "A grant" });
    assert.equal(encoding, ReportEncoding.DeflateRawDictionary1);
    const hash = await decisionLog.write.publish([12n, DecisionKind.Analysis, 10, Recommendation.For, encoding, reportHash, toHex(bytes)], { account: accounts.analyst.account });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const [event] = parseEventLogs({ abi: decisionLog.abi, logs: receipt.logs, eventName: "DecisionPublished" });
    assert.equal(event!.args.encoding, ReportEncoding.DeflateRawDictionary1);
    assert.equal(event!.args.reportHash, keccak256(event!.args.report));
    assert.equal(decodeReport(event!.args.encoding, event!.args.report), json);
  });

  it("refuses an encoding outside the enum", async () => {
    const { decisionLog, accounts } = dao;
    const report = toHex('{"ok":true}');
    const data = encodeFunctionData({ abi: decisionLog.abi, functionName: "publish", args: [1n, DecisionKind.Analysis, 1, Recommendation.For, ReportEncoding.DeflateRaw, keccak256(report), report] });
    // The encoding is the fifth 32-byte word after the selector; 3 is not a ReportEncoding.
    const word = 2 + 8 + 4 * 64;
    const bad = `${data.slice(0, word)}${"0".repeat(63)}3${data.slice(word + 64)}` as Hex;
    await assert.rejects(dao.publicClient.call({ to: decisionLog.address, data: bad, account: accounts.analyst.account.address }));
    await dao.publicClient.call({ to: decisionLog.address, data, account: accounts.analyst.account.address });
    assert.equal(await decisionLog.read.decisionCount(), 0n);
  });

  it("keeps every decision and answers the latest per proposal and kind", async () => {
    const { decisionLog, accounts } = dao;
    const publish = (proposalId: bigint, kind: number, risk: number, text: string, publisher = accounts.analyst) =>
      decisionLog.write.publish([proposalId, kind, risk, Recommendation.NeedsReview, ReportEncoding.Json, keccak256(toHex(text)), toHex(text)], {
        account: publisher.account,
      });
    await publish(1n, DecisionKind.Analysis, 10, "first analysis");
    await publish(2n, DecisionKind.Analysis, 20, "other proposal");
    await publish(1n, DecisionKind.Analysis, 30, "second analysis");
    await publish(1n, DecisionKind.ExecutionGuard, 90, "guard: code changed", accounts.executor);

    assert.equal(await decisionLog.read.decisionCount(), 4n);
    const [latestId, latestRisk] = await decisionLog.read.latestDecision([1n, DecisionKind.Analysis]);
    assert.equal(latestId, 2n);
    assert.equal(latestRisk, 30);
    const events = await decisionLog.getEvents.DecisionPublished({}, { fromBlock: 0n });
    assert.deepEqual(
      events.map((e) => [e.args.decisionId, e.args.proposalId, e.args.kind, e.args.risk, e.args.actor!.toLowerCase()]),
      [
        [0n, 1n, DecisionKind.Analysis, 10, accounts.analyst.account.address.toLowerCase()],
        [1n, 2n, DecisionKind.Analysis, 20, accounts.analyst.account.address.toLowerCase()],
        [2n, 1n, DecisionKind.Analysis, 30, accounts.analyst.account.address.toLowerCase()],
        [3n, 1n, DecisionKind.ExecutionGuard, 90, accounts.executor.account.address.toLowerCase()],
      ],
      "every decision stays in the log, in order",
    );
    const [guardId, guardRisk] = await decisionLog.read.latestDecision([1n, DecisionKind.ExecutionGuard]);
    assert.deepEqual([guardId, guardRisk], [3n, 90]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      decisionLog.read.latestDecision([3n, DecisionKind.Analysis]),
      decisionLog,
      "DecisionLogNoDecision",
      [3n, DecisionKind.Analysis],
    );
  });

  it("refuses publishers that governance did not authorise", async () => {
    const { decisionLog, accounts } = dao;
    const report = toHex("{}");
    for (const caller of [accounts.deployer, accounts.alice, accounts.guardian]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        decisionLog.write.publish([1n, DecisionKind.Analysis, 1, Recommendation.For, ReportEncoding.Json, keccak256(report), report], {
          account: caller.account,
        }),
        decisionLog,
        "DecisionLogUnauthorizedPublisher",
        [caller.account.address],
      );
    }
    assert.equal(await decisionLog.read.decisionCount(), 0n);
  });

  it("refuses a report whose bytes do not hash to the given hash", async () => {
    const { decisionLog, accounts } = dao;
    const report = toHex('{"risk":10}');
    const claimed = keccak256(toHex('{"risk":90}'));
    await viem.assertions.revertWithCustomErrorWithArgs(
      decisionLog.write.publish([1n, DecisionKind.Analysis, 10, Recommendation.For, ReportEncoding.Json, claimed, report], {
        account: accounts.analyst.account,
      }),
      decisionLog,
      "DecisionLogHashMismatch",
      [claimed, keccak256(report)],
    );
  });

  it("accepts a report of exactly the size limit and refuses one byte more", async () => {
    const { decisionLog, accounts } = dao;
    const max = Number(await decisionLog.read.MAX_REPORT_BYTES());
    const atLimit = reportOfSize(max);
    assert.equal(toBytes(atLimit).length, max);
    await decisionLog.write.publish([1n, DecisionKind.Analysis, 5, Recommendation.For, ReportEncoding.Json, keccak256(atLimit), atLimit], {
      account: accounts.analyst.account,
    });
    const tooBig = reportOfSize(max + 1);
    await viem.assertions.revertWithCustomErrorWithArgs(
      decisionLog.write.publish([1n, DecisionKind.Analysis, 5, Recommendation.For, ReportEncoding.Json, keccak256(tooBig), tooBig], {
        account: accounts.analyst.account,
      }),
      decisionLog,
      "DecisionLogReportTooLarge",
      [BigInt(max + 1), BigInt(max)],
    );
    assert.equal(await decisionLog.read.decisionCount(), 1n);
  });

  it("refuses an empty report and a risk above 100", async () => {
    const { decisionLog, accounts } = dao;
    await viem.assertions.revertWithCustomError(
      decisionLog.write.publish([1n, DecisionKind.Analysis, 5, Recommendation.For, ReportEncoding.Json, keccak256("0x"), "0x"], {
        account: accounts.analyst.account,
      }),
      decisionLog,
      "DecisionLogEmptyReport",
    );
    const report = toHex("{}");
    await viem.assertions.revertWithCustomErrorWithArgs(
      decisionLog.write.publish([1n, DecisionKind.Analysis, 101, Recommendation.For, ReportEncoding.Json, keccak256(report), report], {
        account: accounts.analyst.account,
      }),
      decisionLog,
      "DecisionLogInvalidRisk",
      [101n],
    );
  });

  it("changes publishers only through governance", async () => {
    const { decisionLog, accounts } = dao;
    const newcomer = accounts.outsider.account.address;
    await viem.assertions.revertWithCustomErrorWithArgs(
      decisionLog.write.setPublisher([newcomer, true], { account: accounts.deployer.account }),
      decisionLog,
      "DecisionLogOnlyGovernance",
      [accounts.deployer.account.address],
    );

    await delegateAll(dao, connection);
    const authorise = passProposal(dao, connection, {
      targets: [decisionLog.address, decisionLog.address],
      values: [0n, 0n],
      calldatas: [
        encodeFunctionData({ abi: decisionLog.abi, functionName: "setPublisher", args: [newcomer, true] }),
        encodeFunctionData({ abi: decisionLog.abi, functionName: "setPublisher", args: [accounts.analyst.account.address, false] }),
      ],
      description: "Rotate the analyst's publishing key",
    });
    await viem.assertions.emitWithArgs(authorise, decisionLog, "PublisherSet", [newcomer, true]);
    assert.equal(await decisionLog.read.isPublisher([newcomer]), true);
    assert.equal(await decisionLog.read.isPublisher([accounts.analyst.account.address]), false);

    const report = toHex('{"ok":true}');
    await decisionLog.write.publish([7n, DecisionKind.Draft, 0, Recommendation.For, ReportEncoding.Json, keccak256(report), report], {
      account: accounts.outsider.account,
    });
    await viem.assertions.revertWithCustomError(
      decisionLog.write.publish([7n, DecisionKind.Draft, 0, Recommendation.For, ReportEncoding.Json, keccak256(report), report], {
        account: accounts.analyst.account,
      }),
      decisionLog,
      "DecisionLogUnauthorizedPublisher",
    );
  });
});
