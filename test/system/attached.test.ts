// The platform on a DAO it did not deploy, as an operator runs it: an OpenZeppelin 4.9 DAO (block-
// number clock, no GovernorStorage) already on a chain, `npm run attach` on it, then
// `npm start -- --attach deployments/<chainId>.json` with RPC_URL. Nothing is seeded; the indexer,
// analyst and executor follow the DAO's own Governor: a grant proposed and voted on chain is
// analysed (the report published on the DecisionLog attach deployed), queued and executed by the
// executor through the DAO's TimelockController, and the money moves.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { createPublicClient, createWalletClient, http, keccak256, parseAbi, parseEther, stringToHex, type Address } from "viem";
import { hardhat } from "viem/chains";

import { poll } from "./support/poll.ts";

import { DecisionKind, getDecisions } from "@ai-dao/protocol";
import { devAddresses } from "@ai-dao/testkit/accounts";

const root = path.resolve(import.meta.dirname, "../..");
const hardhatBin = path.join(root, "node_modules", ".bin", "hardhat");
const PORTS = { CHAIN_PORT: 28845, INDEXER_PORT: 28800, ANALYST_PORT: 28810, EXECUTOR_PORT: 28820, RELAYER_PORT: 28830, NOTIFIER_PORT: 28840, WEB_PORT: 28873 };
const rpcUrl = `http://127.0.0.1:${PORTS.CHAIN_PORT}`;
const indexerUrl = `http://127.0.0.1:${PORTS.INDEXER_PORT}/subgraphs/name/dao`;
const publicClient = createPublicClient({ chain: hardhat, transport: http(rpcUrl) });
const dev = devAddresses();

const governorAbi = parseAbi([
  "function propose(address[] targets, uint256[] values, bytes[] calldatas, string description) returns (uint256)",
  "function hashProposal(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) view returns (uint256)",
  "function castVote(uint256 proposalId, uint8 support) returns (uint256)",
  "function state(uint256 proposalId) view returns (uint8)",
  "function proposalDeadline(uint256 proposalId) view returns (uint256)",
  "function proposalSnapshot(uint256 proposalId) view returns (uint256)",
]);


const mine = (blocks: number) => publicClient.request({ method: "hardhat_mine" as never, params: [`0x${blocks.toString(16)}`] as never });

describe("an attached OpenZeppelin 4.9 DAO, as npm start --attach runs it", () => {
  let node: ReturnType<typeof spawn>;
  let platform: ReturnType<typeof spawn>;
  let output = "";
  let dir: string;
  let dao: { governor: Address; token: Address; timelock: Address };
  let deploymentFile: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dao-attached-"));
    const env = { ...process.env, CHAIN_PORT: String(PORTS.CHAIN_PORT) };
    node = spawn(hardhatBin, ["node", "--hostname", "127.0.0.1", "--port", String(PORTS.CHAIN_PORT)], { cwd: root, env, stdio: "ignore", detached: true });
    await poll("the local chain", async () => ((await publicClient.getChainId()) === 31337 ? true : undefined), 60_000);
    // The DAO exists before the platform: deployed by its own people, with its own token and timelock.
    const deployed = spawnSync(hardhatBin, ["run", "--network", "localhost", "packages/testkit/scripts/deploy-openzeppelin4-dao.ts"], { cwd: root, env, encoding: "utf8" });
    assert.equal(deployed.status, 0, deployed.stderr + deployed.stdout);
    dao = JSON.parse(deployed.stdout.split("\n").find((line) => line.startsWith("{\"governor\""))!);
    // Votes older than the analyst's recent-votes window.
    await mine(30);
    // npm run attach: the analyst (#8) and the executor (#9) may publish on the new DecisionLog.
    const attached = spawnSync("npm", ["run", "attach", "--", "--rpc", rpcUrl, "--governor", dao.governor, "--publishers", `${dev.analyst},${dev.executor}`, "--out", dir], {
      cwd: root,
      env,
      encoding: "utf8",
    });
    assert.equal(attached.status, 0, attached.stderr + attached.stdout);
    deploymentFile = path.join(dir, (await readdir(dir)).find((f) => f.endsWith(".json"))!);

    platform = spawn(process.execPath, [path.join(root, "scripts/start.ts"), "--attach", deploymentFile], {
      cwd: root,
      env: { ...process.env, ...Object.fromEntries(Object.entries(PORTS).map(([k, v]) => [k, String(v)])), RPC_URL: rpcUrl, DATA_DIR: path.join(dir, "data") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    platform.stdout!.on("data", (chunk) => (output += chunk));
    platform.stderr!.on("data", (chunk) => (output += chunk));
    await poll("npm start --attach to be ready", async () => {
      if (platform.exitCode !== null) throw new Error(`npm start exited with code ${platform.exitCode}:\n${output}`);
      return output.includes("Press Ctrl-C to stop") ? true : undefined;
    }, 240_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${output.slice(-4000)}`);
    });
  });

  after(async () => {
    for (const child of [platform, node]) {
      if (child && child.exitCode === null && child.pid !== undefined) {
        const done = new Promise((resolve) => child.once("exit", resolve));
        try {
          if (child === node) process.kill(-child.pid, "SIGTERM");
          else child.kill("SIGINT");
        } catch {
          // already gone
        }
        await done;
      }
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("runs the indexer, analyst, executor and web app on the DAO's chain, without a local chain, a deployment or a demo", async () => {
    assert.match(output, /attached DAO: a openzeppelin-4 Governor on chain 31337/);
    assert.doesNotMatch(output, /seeding the demo|deploying the DAO|starting a fresh local chain/);
    assert.match(output, /attached openzeppelin-4 DAO/);
    assert.doesNotMatch(output, /relayer/, "the relayer sponsors the platform's own Governor only");
    const deployment = JSON.parse(await readFile(deploymentFile, "utf8"));
    assert.equal(deployment.attached.clockMode, "mode=blocknumber&from=default");
  });

  it("a grant proposed and voted on chain is analysed, published, queued and executed through the DAO's timelock", async () => {
    const alice = createWalletClient({ account: dev.alice, chain: hardhat, transport: http(rpcUrl) });
    const recipient = dev.dave;
    const description = `# Grant for the documentation rewrite\n\nPays 1 ETH to ${recipient} (dave), who rewrote the DAO's documentation. This is the only payment; nothing else changes.`;
    const targets = [recipient] as const;
    const values = [parseEther("1")] as const;
    const calldatas = ["0x"] as const;
    await publicClient.waitForTransactionReceipt({ hash: await alice.writeContract({ address: dao.governor, abi: governorAbi, functionName: "propose", args: [targets, values, calldatas, description] }) });
    const proposalId = await publicClient.readContract({ address: dao.governor, abi: governorAbi, functionName: "hashProposal", args: [targets, values, calldatas, keccak256(stringToHex(description))] });

    // The analyst publishes its analysis on the attached DecisionLog.
    const decisionLog = JSON.parse(await readFile(deploymentFile, "utf8")).contracts.decisionLog as Address;
    const analyses = await poll("the analysis on the DecisionLog", async () => {
      const found = await getDecisions(publicClient, { decisionLog, fromBlock: 0n, proposalId, kind: DecisionKind.Analysis });
      return found.length > 0 ? found : undefined;
    }, 180_000);
    assert.equal(analyses[0]!.actor, dev.analyst);
    assert.equal(keccak256(analyses[0]!.reportBytes), analyses[0]!.reportHash);
    assert.ok(analyses[0]!.risk < 40, `the grant's risk is low (${analyses[0]!.risk})`);

    // The indexer follows the DAO's own Governor.
    await poll("the proposal in the index", async () => {
      const response = await fetch(indexerUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `{ proposal(id: "${proposalId}") { id title } }` }) });
      const body = (await response.json()) as { data?: { proposal: { title: string } | null } };
      return body.data?.proposal?.title === "Grant for the documentation rewrite" ? true : undefined;
    }, 180_000);

    // Voting opens after one block and lasts 50; alice (600,000 of 1,000,000 LEG) votes for.
    await mine(2);
    await publicClient.waitForTransactionReceipt({ hash: await alice.writeContract({ address: dao.governor, abi: governorAbi, functionName: "castVote", args: [proposalId, 1] }) });
    const deadline = await publicClient.readContract({ address: dao.governor, abi: governorAbi, functionName: "proposalDeadline", args: [proposalId] });
    await mine(Number(deadline - (await publicClient.getBlockNumber())) + 1);

    // The executor queues it (state 5, Queued); after the timelock's hour it executes it (7).
    await poll("the executor to queue the grant", async () => ((await publicClient.readContract({ address: dao.governor, abi: governorAbi, functionName: "state", args: [proposalId] })) === 5 ? true : undefined), 180_000);
    const before = await publicClient.getBalance({ address: recipient });
    await publicClient.request({ method: "evm_increaseTime" as never, params: [3_601] as never });
    await mine(1);
    await poll("the executor to execute the grant", async () => ((await publicClient.readContract({ address: dao.governor, abi: governorAbi, functionName: "state", args: [proposalId] })) === 7 ? true : undefined), 180_000);
    assert.equal((await publicClient.getBalance({ address: recipient })) - before, parseEther("1"));
  });
});
