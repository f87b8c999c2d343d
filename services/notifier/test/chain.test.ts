// End to end on real parts: a Hardhat chain with the DAO deployed as `npm run deploy` deploys it,
// the real indexer (its main, running the compiled subgraph) and the notifier's own main. A member
// signs in with Ethereum, subscribes a webhook, and a proposal created on chain — with the analysis
// published to the DecisionLog — reaches the webhook, signed, with the chain's proposal id.
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { keccak256, stringToBytes, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DecisionKind, ReportEncoding } from "@ai-dao/protocol";
import { canonicalJson } from "@ai-dao/reports";
import { repoRoot } from "@ai-dao/service-kit";
import { deployLocalDAO, delegateAll, devAccount, endVoting, freePort, propose, RpcEndpoint, startVoting, sampleDeployment, trackChild, type Child, type LocalDAO } from "@ai-dao/testkit";

import { build, generateAbis } from "../../../subgraph/test/global-setup.ts";
import { Receiver, signIn, subscribe, tempDir, waitFor } from "./helpers.ts";

const SECRET = "chain-test-secret-0123456789abcdef";

/** The subgraph built for the sample deployment, as the subgraph's own tests build it (the WASM does not depend on addresses). */
async function buildSubgraph(): Promise<{ dir: string; buildDir: string }> {
  await generateAbis();
  return build(sampleDeployment());
}

function startMain(main: string, env: Record<string, string>): Child {
  return trackChild(spawn(process.execPath, ["--disable-warning=ExperimentalWarning", path.join(repoRoot, main)], { cwd: repoRoot, env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env }, stdio: ["ignore", "pipe", "pipe"] }));
}

describe("a proposal created on chain reaches a webhook", () => {
  let connection: NetworkConnection;
  let dao: LocalDAO;
  let rpc: RpcEndpoint;
  let build: { dir: string; buildDir: string };
  let indexer: Child;
  let notifier: Child;
  let notifierUrl = "";
  const hook = new Receiver();
  const dirs: string[] = [];

  beforeAll(async () => {
    build = await buildSubgraph();
    connection = await network.create();
    dao = await deployLocalDAO(connection);
    await delegateAll(dao, connection);
    rpc = new RpcEndpoint(connection.provider);
    await rpc.start();
    const deploymentFile = path.join(tempDir(), "31337.json");
    dirs.push(path.dirname(deploymentFile));
    await writeFile(deploymentFile, JSON.stringify(dao.deployment, null, 2));

    const indexerPort = await freePort();
    const indexerDir = tempDir();
    dirs.push(indexerDir);
    indexer = startMain("services/indexer/src/main.ts", {
      RPC_URL: rpc.url,
      DEPLOYMENT_FILE: deploymentFile,
      SUBGRAPH_BUILD_DIR: build.buildDir,
      INDEXER_PORT: String(indexerPort),
      INDEXER_DATA_DIR: indexerDir,
      INDEXER_POLL_INTERVAL_MS: "100",
    });
    await waitFor("the indexer", async () => (await fetch(`http://127.0.0.1:${indexerPort}/health`).catch(() => null))?.ok, 120_000);

    await hook.start();
    const notifierPort = await freePort();
    const notifierDir = tempDir();
    dirs.push(notifierDir);
    notifier = startMain("services/notifier/src/main.ts", {
      INDEXER_URL: `http://127.0.0.1:${indexerPort}/subgraphs/name/dao`,
      NOTIFIER_PORT: String(notifierPort),
      NOTIFIER_DATA_DIR: notifierDir,
      NOTIFIER_POLL_INTERVAL_MS: "100",
      NOTIFIER_ANALYSIS_WAIT_MS: "30000",
      NOTIFIER_ALLOW_PRIVATE_TARGETS: "true",
      NOTIFIER_RETRY_FIRST_MS: "100",
      CORS_ORIGINS: "http://localhost:5173",
    });
    notifierUrl = `http://127.0.0.1:${notifierPort}`;
    await waitFor("the notifier's first poll", async () => (await fetch(`${notifierUrl}/health`).catch(() => null))?.ok, 60_000);
  });

  afterAll(async () => {
    for (const child of [notifier, indexer]) {
      if (child && child.process.exitCode === null) {
        child.process.kill("SIGTERM");
        await child.exited;
      }
    }
    await hook.stop();
    await rpc?.stop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    if (build) await rm(build.dir, { recursive: true, force: true });
  });

  let proposalId = 0n;
  const ids = (path: string) => hook.acknowledged(path).map((r) => JSON.parse(r.body).event.id as string);

  it("announces the new proposal with its analysis, signed", async () => {
    const token = await signIn(notifierUrl, devAccount("carol"));
    await subscribe(notifierUrl, token, { channel: { type: "webhook", url: `${hook.url}/dao`, secret: SECRET }, filter: { kind: "all" } });
    await subscribe(notifierUrl, token, { channel: { type: "webhook", url: `${hook.url}/alice-votes`, secret: SECRET }, filter: { kind: "delegate", address: devAccount("alice").address } });

    const description = "# Pay the auditors\n\n10 ETH to the audit firm for the Q3 review.";
    proposalId = await propose(dao, dao.accounts.alice.account.address, { targets: [dao.accounts.dave.account.address], values: [10n ** 19n], calldatas: ["0x"], description });
    const report = canonicalJson({ schemaVersion: 1, proposal: { proposalId: proposalId.toString() }, summary: "Pays 10 ETH from the treasury to one address.", findings: [], riskFloor: 30, scores: { risk: 30 }, recommendation: "for" });
    await dao.decisionLog.write.publish([proposalId, DecisionKind.Analysis, 30, 0, ReportEncoding.Json, keccak256(stringToBytes(report)), toHex(report)], { account: dao.accounts.analyst.account });

    const [got] = await waitFor("the webhook", () => (hook.acknowledged("/dao").length > 0 ? hook.acknowledged("/dao") : undefined), 60_000);
    const expected = `sha256=${createHmac("sha256", SECRET).update(got!.body).digest("hex")}`;
    expect(got!.headers["x-signature-256"]).toBe(expected);
    const body = JSON.parse(got!.body);
    expect(body.event).toMatchObject({
      id: `proposal.created:${proposalId}`,
      type: "proposal.created",
      proposalId: proposalId.toString(),
      title: "Pay the auditors",
      risk: 30,
      data: { proposer: dao.accounts.alice.account.address.toLowerCase(), analysis: { risk: 30, recommendation: "for", summary: "Pays 10 ETH from the treasury to one address." } },
    });
    expect(body.message.subject).toBe("New proposal: Pay the auditors");
    expect(body.message.url).toBe(`http://127.0.0.1:5173/proposals/${proposalId}`);
    const metrics = await (await fetch(`${notifierUrl}/metrics`)).text();
    expect(metrics).toMatch(/notifier_deliveries_delivered_total\{channel="webhook"\} 1/);
  });

  it("reminds a member who has not voted, reports the delegate's vote and the result", async () => {
    await startVoting(dao, connection, proposalId);
    // The vote lasts less than the default reminder window (a day): carol, who has not voted, is reminded.
    await waitFor("the reminder", () => ids("/dao").includes(`voting.ending:${proposalId}`), 60_000);
    await dao.governor.write.castVoteWithReason([proposalId, 1, "audits are worth it"], { account: dao.accounts.alice.account });
    await waitFor("alice's vote", () => ids("/alice-votes").length === 1, 60_000);
    const vote = JSON.parse(hook.acknowledged("/alice-votes")[0]!.body).event;
    expect(vote).toMatchObject({ id: `vote.cast:${proposalId}:${dao.accounts.alice.account.address.toLowerCase()}`, data: { support: 1, reason: "audits are worth it", weight: String(250_000n * 10n ** 18n) } });
    await endVoting(dao, connection, proposalId);
    await waitFor("the result", () => ids("/dao").includes(`proposal.succeeded:${proposalId}`), 60_000);
    expect(ids("/dao")).toEqual([`proposal.created:${proposalId}`, `voting.ending:${proposalId}`, `proposal.succeeded:${proposalId}`]);
    expect(ids("/alice-votes")).toHaveLength(1);
  });
});
