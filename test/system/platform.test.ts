// The whole platform, started exactly as `npm start` starts it, driven only through its public
// interfaces: the chain's JSON-RPC (the node's development accounts sign), the indexer's GraphQL,
// the analyst's HTTP API and the executor's health and metrics.
//
// It follows the seeded demo and one new proposal through their lifecycles: the analyst flags the
// disguised treasury drain and publishes its reasoning on-chain; an honest grant passes, the
// executor queues and executes it and the money moves; the drain passes the vote too, and the
// executor refuses to queue it, publishing a guard decision.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import {
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  http,
  keccak256,
  parseAbi,
  parseEther,
  stringToBytes,
  toHex,
  type Address,
  type Hex,
} from "viem";
import { hardhat } from "viem/chains";

import { descriptionText } from "@ai-dao/description";
import { DecisionKind, hashDescription, ProposalState, ReportEncoding } from "@ai-dao/protocol";
import { canonicalJson, decodeReport } from "@ai-dao/reports";

import { proposeCalldata } from "@ai-dao/testkit/propose-bytes";

import { poll } from "./support/poll.ts";

const root = path.resolve(import.meta.dirname, "../..");
const PORTS = { CHAIN_PORT: 28745, INDEXER_PORT: 28700, ANALYST_PORT: 28710, EXECUTOR_PORT: 28720, RELAYER_PORT: 28730, NOTIFIER_PORT: 28740, WEB_PORT: 28773 };
const rpcUrl = `http://127.0.0.1:${PORTS.CHAIN_PORT}`;
const indexerUrl = `http://127.0.0.1:${PORTS.INDEXER_PORT}/subgraphs/name/dao`;
const analystUrl = `http://127.0.0.1:${PORTS.ANALYST_PORT}`;
const executorUrl = `http://127.0.0.1:${PORTS.EXECUTOR_PORT}`;

const governorAbi = parseAbi([
  "function propose(address[] targets, uint256[] values, bytes[] calldatas, string description) returns (uint256)",
  "function getProposalId(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) view returns (uint256)",
  "function castVoteWithReason(uint256 proposalId, uint8 support, string reason) returns (uint256)",
  "function state(uint256 proposalId) view returns (uint8)",
  "function votingPeriod() view returns (uint256)",
  "function proposalEta(uint256 proposalId) view returns (uint256)",
]);
const decisionLogAbi = parseAbi([
  "event DecisionPublished(uint256 decisionId, uint256 indexed proposalId, uint8 indexed kind, address indexed actor, uint8 risk, uint8 recommendation, uint8 encoding, bytes32 reportHash, bytes report)",
]);

const publicClient = createPublicClient({ chain: hardhat, transport: http(rpcUrl) });
const wallet = (account: Address) => createWalletClient({ chain: hardhat, transport: http(rpcUrl), account });


async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(indexerUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join("; "));
  return body.data as T;
}

async function advance(seconds: number) {
  await publicClient.request({ method: "evm_increaseTime" as never, params: [seconds] as never });
  await publicClient.request({ method: "evm_mine" as never, params: [] as never });
}

interface AnalystAnswer {
  report: { scores: { risk: number }; riskFloor: number; recommendation: string; findings: { id: string; severity: string }[] };
  reportJson: string;
  reportHash: Hex;
  decisionId: string;
}
const analysisOf = (proposalId: bigint) =>
  poll(`the analysis of proposal ${proposalId}`, async () => {
    const response = await fetch(`${analystUrl}/proposals/${proposalId}/report`);
    return response.status === 200 ? ((await response.json()) as AnalystAnswer) : undefined;
  });

describe("the platform, as npm start runs it", () => {
  let platform: ReturnType<typeof spawn>;
  let output = "";
  let exited: Promise<number | null>;
  let dir: string;
  let deployment: { contracts: { governor: Address; timelock: Address; decisionLog: Address; token: Address } };
  let accounts: Address[];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dao-platform-"));
    platform = spawn(process.execPath, [path.join(root, "scripts/start.ts")], {
      cwd: root,
      env: { ...process.env, ...Object.fromEntries(Object.entries(PORTS).map(([k, v]) => [k, String(v)])), DEPLOYMENTS_DIR: dir, DATA_DIR: path.join(dir, "data") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    platform.stdout!.on("data", (chunk) => (output += chunk));
    platform.stderr!.on("data", (chunk) => (output += chunk));
    exited = new Promise((resolve) => platform.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 240_000;
    while (!output.includes("Press Ctrl-C to stop")) {
      if (platform.exitCode !== null) throw new Error(`npm start exited with code ${platform.exitCode}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`npm start was not ready within 240 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    deployment = JSON.parse(await readFile(path.join(dir, "31337.json"), "utf8"));
    accounts = await wallet("0x0000000000000000000000000000000000000000").getAddresses();
  });

  after(async () => {
    if (platform && platform.exitCode === null) {
      platform.kill("SIGINT");
      await exited;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("prints where every part runs, and every part is healthy", async () => {
    for (const url of [indexerUrl, analystUrl, executorUrl, `http://127.0.0.1:${PORTS.WEB_PORT}/`]) {
      assert.match(output, new RegExp(url.replace(/\/$/, "").replace(/[.]/g, "\\.")), `${url} is printed`);
    }
    const analyst = (await (await fetch(`${analystUrl}/health`)).json()) as { mode: string; publishing: boolean };
    assert.equal(analyst.mode, "deterministic");
    assert.equal(analyst.publishing, true);
    assert.equal((await fetch(`${executorUrl}/health`)).status, 200);
    const web = await fetch(`http://127.0.0.1:${PORTS.WEB_PORT}/`);
    assert.equal(web.status, 200);
    assert.match(await web.text(), /<div id="root">/);
  });

  it("indexes the seeded proposals with their event-driven status", async () => {
    const { proposals } = await poll("the five seeded proposals in the indexer", async () => {
      const data = await gql<{ proposals: { proposalId: string; status: string; description: string }[] }>(
        "{ proposals(orderBy: createdTimestamp, orderDirection: asc) { proposalId status description } }",
      );
      return data.proposals.length >= 5 ? data : undefined;
    });
    const status = (text: string) => proposals.find((p) => p.description.includes(text))?.status;
    assert.equal(status("Fund the documentation sprint"), "EXECUTED");
    assert.equal(status("Lower the quorum"), "CREATED"); // defeated is a time-based state, not an event
    assert.equal(status("Marketing budget"), "CANCELED");
    assert.equal(status("Pay for the Q4 security audit"), "CREATED");
    assert.equal(status("Routine treasury maintenance"), "CREATED");
  });

  it("scores every honest seeded proposal below 40 and the drain at 90 or more, as the proposals list shows them", async () => {
    // What the web app's proposals list shows: each proposal's latest published analysis.
    type Row = { proposalId: string; description: string; decisions: { risk: number; recommendation: string }[] };
    const { proposals } = await poll("an analysis of each seeded proposal in the indexer", async () => {
      const data = await gql<{ proposals: Row[] }>(
        "{ proposals(orderBy: createdTimestamp, orderDirection: asc) { proposalId description decisions(where: { kind: ANALYSIS }, orderBy: decisionId, orderDirection: desc, first: 1) { risk recommendation } } }",
      );
      return data.proposals.length >= 5 && data.proposals.every((p) => p.decisions.length > 0) ? data : undefined;
    });
    const honest = ["Fund the documentation sprint", "Lower the quorum", "Marketing budget", "Pay for the Q4 security audit"];
    for (const title of honest) {
      const row = proposals.find((p) => p.description.includes(title))!;
      const analysis = await analysisOf(BigInt(row.proposalId));
      const findings = analysis.report.findings.map((f) => `${f.id}:${f.severity}`).join(", ");
      assert.ok(row.decisions[0]!.risk < 40, `"${title}" shows risk ${row.decisions[0]!.risk}; findings: ${findings}`);
      assert.equal(row.decisions[0]!.risk, analysis.report.scores.risk);
    }
    const drain = proposals.find((p) => p.description.includes("Routine treasury maintenance"))!;
    const analysis = await analysisOf(BigInt(drain.proposalId));
    assert.ok(drain.decisions[0]!.risk >= 90, `the drain shows risk ${drain.decisions[0]!.risk}`);
    // Its first finding is the contradiction between what the text says and what the calls do.
    const first = analysis.report.findings[0]!;
    assert.equal(first.severity, "critical");
    assert.match(first.id, /^description-claims\//, `first finding ${first.id}`);
  });

  let drainId: bigint;
  it("flags the disguised treasury drain, and the analysis verifies from the chain alone", async () => {
    const { proposals } = await gql<{ proposals: { proposalId: string }[] }>(
      `{ proposals(where: { description_contains: "Routine treasury maintenance" }) { proposalId } }`,
    );
    drainId = BigInt(proposals[0]!.proposalId);
    const analysis = await analysisOf(drainId);
    assert.ok(analysis.report.scores.risk >= 70, `risk ${analysis.report.scores.risk} should be at least 70`);
    assert.notEqual(analysis.report.recommendation, "for");
    assert.ok(analysis.report.findings.some((f) => f.severity === "critical"), "a critical finding");

    // The event's bytes hash to the stored hash and are the report the API serves, compressed.
    const logs = await publicClient.getLogs({
      address: deployment.contracts.decisionLog,
      event: decisionLogAbi[0],
      args: { proposalId: drainId, kind: DecisionKind.Analysis },
      fromBlock: 0n,
    });
    assert.ok(logs.length >= 1, "an Analysis decision on-chain");
    const event = logs.at(-1)!.args;
    assert.equal(keccak256(event.report!), event.reportHash);
    assert.equal(event.reportHash, analysis.reportHash);
    assert.equal(event.encoding, ReportEncoding.DeflateRawDictionary1);
    assert.equal(decodeReport(event.encoding!, event.report!), analysis.reportJson);
    assert.equal(canonicalJson(JSON.parse(analysis.reportJson)), analysis.reportJson);

    // Auditors see the same decision through the subgraph.
    const { decisions } = await poll("the analysis in the indexer", async () => {
      const data = await gql<{ decisions: { kind: string; risk: number; recommendation: string; reportHash: string; proposal: { id: string } | null }[] }>(
        `{ decisions(where: { proposalId: "${drainId}", kind: ANALYSIS }) { kind risk recommendation reportHash proposal { id } } }`,
      );
      return data.decisions.length > 0 ? data : undefined;
    });
    assert.equal(decisions.at(-1)!.reportHash, analysis.reportHash.toLowerCase());
    assert.equal(decisions.at(-1)!.risk, analysis.report.scores.risk);
  });

  it("carries an honest grant from proposal to execution, and refuses to queue the drain", async () => {
    const [, alice, bob, , dave] = accounts as [Address, Address, Address, Address, Address];
    const { governor } = deployment.contracts;
    const description = `# Grant to dave\n\nPay 3 ETH from the treasury to dave for the indexer migration.\n\n#proposer=${alice}`;
    const args = [[dave], [parseEther("3")], ["0x" as Hex], description] as const;
    await publicClient.waitForTransactionReceipt({
      hash: await wallet(alice).sendTransaction({ to: governor, data: encodeFunctionData({ abi: governorAbi, functionName: "propose", args }) }),
    });
    const grantId = await publicClient.readContract({ address: governor, abi: governorAbi, functionName: "getProposalId", args: [args[0], args[1], args[2], keccak256(toHex(description))] });

    const grantAnalysis = await analysisOf(grantId);
    const grantFindings = grantAnalysis.report.findings.map((f) => `${f.id}:${f.severity}`).join(", ");
    assert.ok(grantAnalysis.report.scores.risk < 40, `a 3 % grant described exactly scores ${grantAnalysis.report.scores.risk} (${grantFindings})`);

    await advance(11);
    for (const voter of [alice, bob]) {
      await publicClient.waitForTransactionReceipt({
        hash: await wallet(voter).sendTransaction({
          to: governor,
          data: encodeFunctionData({ abi: governorAbi, functionName: "castVoteWithReason", args: [grantId, 1, "Fair price."] }),
        }),
      });
    }
    const daveBefore = await publicClient.getBalance({ address: dave });
    const votingPeriod = await publicClient.readContract({ address: governor, abi: governorAbi, functionName: "votingPeriod" });
    await advance(Number(votingPeriod) + 1);

    const state = (id: bigint) => publicClient.readContract({ address: governor, abi: governorAbi, functionName: "state", args: [id] });
    await poll("the executor to queue the grant", async () => ((await state(grantId)) === ProposalState.Queued ? true : undefined));
    const eta = await publicClient.readContract({ address: governor, abi: governorAbi, functionName: "proposalEta", args: [grantId] });
    const now = (await publicClient.getBlock()).timestamp;
    await advance(Number(eta - now) + 1);
    await poll("the executor to execute the grant", async () => ((await state(grantId)) === ProposalState.Executed ? true : undefined));
    assert.equal((await publicClient.getBalance({ address: dave })) - daveBefore, parseEther("3"), "dave received exactly the 3 ETH voted");

    // The drain also passed its vote (bob's 150k For during the seed), but its analysis holds a
    // critical finding: the executor refuses and says so on-chain.
    assert.equal(await state(drainId), ProposalState.Succeeded);
    const guards = await poll("the executor's guard decision on the drain", async () => {
      const logs = await publicClient.getLogs({
        address: deployment.contracts.decisionLog,
        event: decisionLogAbi[0],
        args: { proposalId: drainId, kind: DecisionKind.ExecutionGuard },
        fromBlock: 0n,
      });
      return logs.length > 0 ? logs : undefined;
    });
    const guard = JSON.parse(decodeReport(guards[0]!.args.encoding!, guards[0]!.args.report!)) as Record<string, unknown>;
    assert.equal(keccak256(guards[0]!.args.report!), guards[0]!.args.reportHash);
    assert.match(JSON.stringify(guard), /analysis-critical/);
    assert.equal(await state(drainId), ProposalState.Succeeded, "the drain was never queued");

    const { proposals } = await poll("the grant's execution in the indexer", async () => {
      const data = await gql<{ proposals: { status: string }[] }>(`{ proposals(where: { proposalId: "${grantId}" }) { status } }`);
      return data.proposals[0]?.status === "EXECUTED" ? data : undefined;
    });
    assert.equal(proposals[0]!.status, "EXECUTED");
    const metrics = await (await fetch(`${executorUrl}/metrics`)).text();
    assert.match(metrics, /executor_/);
  });

  it("keeps ids exact for descriptions that do not survive a text round trip, judges hidden text, and analyses the next proposal", async () => {
    const [, alice, , carol, dave, erin] = accounts as [Address, Address, Address, Address, Address, Address];
    const { governor } = deployment.contracts;
    const utf8 = (text: string) => [...stringToBytes(text)];
    const cases = [
      { name: "byte-order mark", to: carol, value: parseEther("0.5"), bytes: toHex(new Uint8Array(utf8("\uFEFF# Pay carol\n\nPay 0.5 ETH to carol for the translation."))) },
      { name: "invalid UTF-8", to: erin, value: parseEther("0.25"), bytes: toHex(new Uint8Array([...utf8("# Pay erin\n\nPay 0.25 ETH to erin "), 0xff, 0xfe, 0xc3, 0x28])) },
      { name: "NUL", to: dave, value: parseEther("9"), bytes: toHex(new Uint8Array(utf8("# Pay the auditor\n\nPay 1 ETH to the auditor.\u0000 9 ETH"))) },
      { name: "plain, after the others", to: erin, value: parseEther("0.1"), bytes: toHex(new Uint8Array(utf8("# Pay erin\n\nPay 0.1 ETH to erin for the meetup."))) },
    ];
    const ids: bigint[] = [];
    for (const c of cases) {
      const proposal = { targets: [c.to], values: [c.value], calldatas: ["0x" as Hex], descriptionBytes: c.bytes as Hex };
      await publicClient.waitForTransactionReceipt({ hash: await wallet(alice).sendTransaction({ to: governor, data: proposeCalldata(proposal) }) });
      const id = await publicClient.readContract({ address: governor, abi: governorAbi, functionName: "getProposalId", args: [[c.to], [c.value], ["0x"], hashDescription(c.bytes as Hex)] });
      assert.equal(await publicClient.readContract({ address: governor, abi: governorAbi, functionName: "state", args: [id] }), ProposalState.Pending, `${c.name}: the chain knows the id`);
      ids.push(id);
    }

    for (const [i, c] of cases.entries()) {
      // The indexer stores the proposal under the chain's id, with the text faithful to the bytes.
      const { proposals } = await poll(`the ${c.name} proposal in the indexer`, async () => {
        const data = await gql<{ proposals: { description: string }[] }>(`{ proposals(where: { proposalId: "${ids[i]}" }) { description } }`);
        return data.proposals.length > 0 ? data : undefined;
      });
      assert.equal(proposals[0]!.description, descriptionText(c.bytes).text, `${c.name}: the indexed text keeps every byte`);
      // The analyst analyses it under the same id and publishes; nothing stalls it.
      const analysis = await analysisOf(ids[i]!);
      assert.equal((analysis.report as unknown as { proposal: { proposalId: string } }).proposal.proposalId, ids[i]!.toString(), `${c.name}: the analysed id`);
    }
    // What follows the NUL is hidden from some readers: judged as such, and the 9 ETH is not "described".
    const nul = await analysisOf(ids[2]!);
    const critical = nul.report.findings.filter((f) => f.severity === "critical").map((f) => f.id);
    assert.ok(critical.some((id) => id.startsWith("description-amounts")), `the 9 ETH call against "Pay 1 ETH": ${critical.join(", ")}`);
    assert.ok(nul.report.scores.risk >= 70, `risk ${nul.report.scores.risk}`);
    const plain = await analysisOf(ids[3]!);
    assert.ok(plain.report.scores.risk < 40, `the plain proposal after the others scores ${plain.report.scores.risk}`);
  });

  it("stops every part on Ctrl-C", async () => {
    platform.kill("SIGINT");
    assert.equal(await exited, 0);
    for (const port of Object.values(PORTS)) {
      await poll(`port ${port} to be free`, async () => {
        try {
          await fetch(`http://127.0.0.1:${port}/`);
          return undefined;
        } catch {
          return true;
        }
      }, 20_000);
    }
  });
});
