// The service and the CLI as separate processes: `node src/main.ts` and `tsx src/cli.ts`, against the
// in-process chain served over HTTP JSON-RPC and the loopback Messages API.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { parseEther } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { writeDeployment } from "@ai-dao/deployment";

import { delegateAll, propose, serveRpc } from "@ai-dao/testkit";
import { setupChain, type Chain } from "./fixtures.ts";
import { ANALYST_TEST_KEY } from "./support/analyst-key.ts";
import { startMessagesApi, type MessagesApi } from "@ai-dao/testkit/messages-api";

const MAIN = path.resolve(import.meta.dirname, "../src/main.ts");
const CLI = path.resolve(import.meta.dirname, "../src/cli.ts");
const BIN = path.resolve(import.meta.dirname, "../../../node_modules/.bin");

async function serve(chain: Chain): Promise<Server> {
  return (await serveRpc(chain.connection.provider)).server;
}

let chain: Chain;
let rpcServer: Server;
let api: MessagesApi;
let dir: string;
let env: NodeJS.ProcessEnv;
let child: ChildProcess | undefined;

const judgement = { claims: [], undisclosedEffects: [], risk: 5, benefit: 50, confidence: 0.6, recommendation: "for", reasoning: "Routine." };

beforeAll(async () => {
  chain = await setupChain();
  await delegateAll(chain.dao, chain.connection);
  rpcServer = await serve(chain);
  api = await startMessagesApi({ fallback: { json: judgement } });
  dir = await mkdtemp(path.join(tmpdir(), "analyst-main-"));
  await writeDeployment(path.join(dir, "31337.json"), chain.dao.deployment);
  env = {
    ...process.env,
    PATH: `${BIN}:${process.env.PATH}`,
    RPC_URL: `http://127.0.0.1:${(rpcServer.address() as AddressInfo).port}`,
    DEPLOYMENT_FILE: path.join(dir, "31337.json"),
    ANTHROPIC_API_KEY: "test",
    ANTHROPIC_BASE_URL: api.url,
    ANALYST_DATA_DIR: path.join(dir, "data"),
    ANALYST_PORT: "0",
    ANALYST_POLL_MS: "200",
    LOG_LEVEL: "info",
  };
});

afterAll(async () => {
  if (child?.pid !== undefined && child.exitCode === null) child.kill("SIGTERM");
  await api?.close();
  await new Promise<void>((resolve) => (rpcServer ? rpcServer.close(() => resolve()) : resolve()));
});

function runCli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(path.join(BIN, "tsx"), [CLI, ...args, "--rpc", env.RPC_URL!, "--deployment", env.DEPLOYMENT_FILE!], { env: { ...env, ...extraEnv } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("node src/main.ts", () => {
  it("starts the API and the watcher, publishes the analysis of a new proposal, and never logs the key", async () => {
    child = spawn(path.join(BIN, "node"), [MAIN], { env: { ...env, ANALYST_PRIVATE_KEY: ANALYST_TEST_KEY }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const line = output.split("\n").find((l) => l.includes('"analyst started"'));
        if (line) {
          clearInterval(timer);
          resolve((JSON.parse(line) as { port: number }).port);
        } else if (child!.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`main exited: ${output}`));
        }
      }, 50);
    });
    const base = `http://127.0.0.1:${port}`;
    expect(await (await fetch(`${base}/health`)).json()).toMatchObject({ status: "ok", mode: "model", publishing: true, chainId: 31337 });

    const proposal = { targets: [chain.dao.accounts.erin.account.address], values: [parseEther("1")], calldatas: ["0x" as const], description: "Grant 1 ETH to erin (main)" };
    const proposalId = await propose(chain.dao, chain.dao.accounts.alice.account.address, proposal);
    let status = 0;
    let body: { report?: { provenance: { trigger: string } } } = {};
    for (let i = 0; i < 100 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const res = await fetch(`${base}/proposals/${proposalId}/report`);
      status = res.status;
      body = (await res.json()) as typeof body;
    }
    expect(status, output).toBe(200);
    expect(body.report!.provenance.trigger).toBe("created");
    expect(output).not.toContain(ANALYST_TEST_KEY.slice(2));

    child.kill("SIGTERM");
    await new Promise((r) => child!.once("exit", r));
  });

  it("fails at start with a message naming a bad variable, without echoing it", async () => {
    const bad = spawn(path.join(BIN, "node"), [MAIN], { env: { ...env, ANALYST_PRIVATE_KEY: "0xnot-a-key-secretvalue", ANALYST_PORT: "99999" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    bad.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const code = await new Promise((r) => bad.once("exit", r));
    expect(code).toBe(1);
    expect(output).toContain("ANALYST_PRIVATE_KEY must be 0x followed by 64 hex digits");
    expect(output).toContain("ANALYST_PORT");
    expect(output).not.toContain("secretvalue");
  });
});

describe("CLI with a model", () => {
  it("analyze uses the model when ANTHROPIC_API_KEY is set, and not with --offline", async () => {
    const file = path.join(dir, "grant.json");
    await writeFile(file, JSON.stringify({ targets: [chain.dao.accounts.erin.account.address], values: ["1000000000000000000"], calldatas: ["0x"], description: "Grant 1 ETH" }));
    const online = await runCli(["analyze", "--proposal", file]);
    expect(online.code, online.stderr).toBe(0);
    expect(JSON.parse(online.stdout).mode).toBe("model");
    const offline = await runCli(["analyze", "--proposal", file, "--offline"]);
    expect(JSON.parse(offline.stdout).mode).toBe("deterministic");
  });

  it("draft --intent prints an unsigned proposal and its analysis", async () => {
    api.script({
      json: {
        actions: [{ template: "governor-parameter", parameter: "votingPeriod", value: "600" }],
        title: "Longer votes",
        summary: "Sets the voting period to 600 seconds.",
        rationale: "as asked",
      },
    });
    const result = await runCli(["draft", "--intent", "Make the voting period ten minutes"]);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.proposal.targets).toEqual([chain.dao.deployment.contracts.governor]);
    expect(out.proposal.calldatas[0]).toMatch(/^0x[0-9a-f]{8}0{61}258$/); // setVotingPeriod(600)
    expect(out.analysis.report.findings.map((f: { id: string }) => f.id)).toContain("governor-parameters/voting-period");
    expect(out.proposed).toBeNull();

    const noModel = await runCli(["draft", "--intent", "x"], { ANTHROPIC_API_KEY: "" });
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toContain("ANTHROPIC_API_KEY");
  });
});
