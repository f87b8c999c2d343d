import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { writeDeployment } from "@ai-dao/deployment";

import { proposalOf, setupChain, type Chain } from "./fixtures.ts";

const CLI = path.resolve(import.meta.dirname, "../src/cli.ts");
const TSX = path.resolve(import.meta.dirname, "../../../node_modules/.bin/tsx");

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, [CLI, ...args], { env: { ...process.env, RPC_URL: "" } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let chain: Chain;
let rpc: string;
let dir: string;

beforeAll(async () => {
  chain = await setupChain();
  rpc = chain.rpcUrl;
  dir = await mkdtemp(path.join(tmpdir(), "analyst-cli-"));
  await writeDeployment(path.join(dir, "31337.json"), chain.dao.deployment);
});

afterAll(() => chain?.close());

async function proposalFile(name: string, proposal: object): Promise<string> {
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(proposal, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
  return file;
}

describe("analyst CLI", () => {
  it("prints the canonical report on stdout", async () => {
    const file = await proposalFile("drain", await proposalOf(chain, "treasury drain, harmless description"));
    const result = await runCli(["analyze", "--proposal", file, "--rpc", rpc, "--deployment", path.join(dir, "31337.json"), "--offline"]);
    expect(result.stderr).toMatch(/reportHash 0x[0-9a-f]{64} risk \d+ recommendation against/);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.scores.risk).toBeGreaterThanOrEqual(80);
    expect(report.recommendation).toBe("against");
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    expect(report.simulation).toEqual({ status: "skipped", reason: "--offline" });
  });

  it("simulates on a fork of the --rpc chain unless --offline", async () => {
    const file = await proposalFile("registry", await proposalOf(chain, "role granted inside a called contract"));
    const result = await runCli(["analyze", "--proposal", file, "--rpc", rpc, "--deployment", path.join(dir, "31337.json")]);
    expect(result.stderr).toMatch(/recommendation needs-review/);
    const report = JSON.parse(result.stdout);
    expect(report.simulation.status).toBe("executed");
    expect(report.simulation.effects.roleChanges).toHaveLength(1);
    expect(report.findings.map((f: { id: string }) => f.id)).toContain("simulated-effects/hidden-role-change");
  });

  it("reports a fork it cannot reach as a failed simulation, not an error", async () => {
    const file = await proposalFile("grant", await proposalOf(chain, "grant that matches its description"));
    const result = await runCli(["analyze", "--proposal", file, "--rpc", rpc, "--deployment", path.join(dir, "31337.json"), "--fork-rpc", "http://user:secret@127.0.0.1:9/"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.simulation.status).toBe("failed");
    expect(result.stdout).not.toContain("secret");
    expect(report.notes.join(" ")).toMatch(/Not run on a copy of the chain \(failed/);
  });

  it("fails clearly on a bad proposal file", async () => {
    const file = await proposalFile("bad", { targets: ["0x01"], values: ["1"], calldatas: ["0xzz"], description: "x" });
    const result = await runCli(["analyze", "--proposal", file, "--rpc", rpc]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("calldatas[0]: not hex");
    expect(result.stderr).toContain("targets[0]: not an address");
  });

  it("names the field of a value in exponent notation, reads a file with a byte-order mark", async () => {
    const grant = await proposalOf(chain, "grant that matches its description");
    const json = JSON.parse(JSON.stringify(grant, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
    const file = await proposalFile("exponent", { ...json, values: ["1e18"] });
    const result = await runCli(["analyze", "--proposal", file, "--rpc", rpc, "--deployment", path.join(dir, "31337.json"), "--offline"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("values[0]: not a decimal string");
    expect(result.stderr).not.toMatch(/Cannot convert|BigInt/);

    const bom = path.join(dir, "bom.json");
    await writeFile(bom, `\uFEFF${JSON.stringify(json)}`);
    const ok = await runCli(["analyze", "--proposal", bom, "--rpc", rpc, "--deployment", path.join(dir, "31337.json"), "--offline"]);
    expect(ok.stderr).toMatch(/recommendation for/);
    expect(ok.code).toBe(0);
  });

  it("refuses a block beyond the chain head in one clean line", async () => {
    const file = await proposalFile("head", await proposalOf(chain, "grant that matches its description"));
    const result = await runCli(["analyze", "--proposal", file, "--rpc", rpc, "--deployment", path.join(dir, "31337.json"), "--offline", "--block", "99999999"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: block 99999999 is beyond the chain head \(latest block \d+\)/);
    expect(result.stderr).not.toMatch(/Request body|"method"|jsonrpc/i);
  });

  it("refuses a --proposer with a wrong checksum", async () => {
    const file = await proposalFile("proposer", await proposalOf(chain, "grant that matches its description"));
    const result = await runCli(["analyze", "--proposal", file, "--rpc", rpc, "--proposer", "0x70997970C51812dc3A010C7d01b50e0d17dc79c8"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad EIP-55 checksum/);
  });

  it("fails clearly on an unreachable RPC", async () => {
    const file = await proposalFile("ok", await proposalOf(chain, "grant that matches its description"));
    const result = await runCli(["analyze", "--proposal", file, "--rpc", "http://user:secret@127.0.0.1:9/"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cannot reach the RPC at http://127.0.0.1:9");
    expect(result.stderr).not.toContain("secret");
  });

  it("fails clearly on a missing deployment file", async () => {
    const file = await proposalFile("ok2", await proposalOf(chain, "grant that matches its description"));
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
