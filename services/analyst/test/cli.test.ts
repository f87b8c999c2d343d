import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { writeDeployment } from "@ai-dao/deployment";

import { corpus, setupChain, type Chain } from "./fixtures.ts";

const CLI = path.resolve(import.meta.dirname, "../src/cli.ts");
const TSX = path.resolve(import.meta.dirname, "../../../node_modules/.bin/tsx");

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, [CLI, ...args], { env: { ...process.env, RPC_URL: "" } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Serves the in-process chain over HTTP JSON-RPC on a free port, like `hardhat node` would. */
function serve(chain: Chain): Promise<Server> {
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const { id, method, params } = JSON.parse(body) as { id: number; method: string; params?: unknown[] };
    let reply: object;
    try {
      reply = { jsonrpc: "2.0", id, result: await chain.connection.provider.request({ method, params: params ?? [] }) };
    } catch (error) {
      reply = { jsonrpc: "2.0", id, error: { code: -32603, message: (error as Error).message } };
    }
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(reply));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

let chain: Chain;
let server: Server;
let rpc: string;
let dir: string;

beforeAll(async () => {
  chain = await setupChain();
  server = await serve(chain);
  rpc = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(path.join(tmpdir(), "analyst-cli-"));
  await writeDeployment(path.join(dir, "31337.json"), chain.dao.deployment);
});

afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function proposalFile(name: string, proposal: object): Promise<string> {
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(proposal, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
  return file;
}

describe("analyst CLI", () => {
  it("prints the canonical report on stdout", async () => {
    const { malicious } = corpus(chain.dao, chain.destructible);
    const file = await proposalFile("drain", malicious["drain 60% of the treasury ETH"]!);
    const result = await runCli(["analyze", "--proposal", file, "--rpc", rpc, "--deployment", path.join(dir, "31337.json"), "--offline"]);
    expect(result.stderr).toMatch(/reportHash 0x[0-9a-f]{64} risk \d+ recommendation against/);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.scores.risk).toBeGreaterThanOrEqual(80);
    expect(report.recommendation).toBe("against");
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("fails clearly on a bad proposal file", async () => {
    const file = await proposalFile("bad", { targets: ["0x01"], values: ["1"], calldatas: ["0xzz"], description: "x" });
    const result = await runCli(["analyze", "--proposal", file, "--rpc", rpc]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("calldatas[0]: not hex");
    expect(result.stderr).toContain("targets[0]: not an address");
  });

  it("fails clearly on an unreachable RPC", async () => {
    const file = await proposalFile("ok", corpus(chain.dao, chain.destructible).benign["1% ETH grant to an EOA"]!);
    const result = await runCli(["analyze", "--proposal", file, "--rpc", "http://user:secret@127.0.0.1:9/"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cannot reach the RPC at http://127.0.0.1:9");
    expect(result.stderr).not.toContain("secret");
  });

  it("fails clearly on a missing deployment file", async () => {
    const file = await proposalFile("ok2", corpus(chain.dao, chain.destructible).benign["1% ETH grant to an EOA"]!);
    const result = await runCli(["analyze", "--proposal", file, "--rpc", rpc, "--deployment", path.join(dir, "nope.json")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/nope\.json/);
  });

  it("rejects unknown commands and missing options with exit code 2", async () => {
    expect((await runCli(["analyse"])).code).toBe(2);
    const missing = await runCli(["analyze"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--proposal FILE is required");
  });
});
