// `npm start` as a user runs it: a chain comes up with the DAO deployed, Ctrl-C leaves nothing behind,
// and a port already in use gets a clear message.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";

const root = path.resolve(import.meta.dirname, "../..");
const CHAIN_PORT = 28545;

function startPlatform(env: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(root, "scripts/start.ts")], {
    cwd: root,
    // Every port away from the defaults, so a platform a developer runs on this machine is not disturbed.
    env: { ...process.env, INDEXER_PORT: "28500", ANALYST_PORT: "28510", EXECUTOR_PORT: "28520", RELAYER_PORT: "28530", NOTIFIER_PORT: "28540", WEB_PORT: "28573", DATA_DIR: path.join(tmpdir(), "dao-start-data"), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`did not see ${pattern} in:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  return { child, exited, waitFor, output: () => output };
}

async function rpc(method: string, params: unknown[] = []) {
  const response = await fetch(`http://127.0.0.1:${CHAIN_PORT}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return ((await response.json()) as { result: string }).result;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

describe("npm start", () => {
  it("starts a chain with the DAO deployed and stops cleanly on Ctrl-C", { timeout: 180_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "dao-start-"));
    const platform = startPlatform({ CHAIN_PORT: String(CHAIN_PORT), DEPLOYMENTS_DIR: dir });
    await platform.waitFor(/Press Ctrl-C to stop/, 150_000);

    const deployment = JSON.parse(await readFile(path.join(dir, "31337.json"), "utf8"));
    assert.equal(await rpc("eth_chainId"), "0x7a69");
    const code = await rpc("eth_getCode", [deployment.contracts.governor, "latest"]);
    assert.ok(code.length > 1000, "the Governor is deployed on the running chain");
    assert.match(platform.output(), new RegExp(`governor\\s+${deployment.contracts.governor}`));

    platform.child.kill("SIGINT");
    assert.equal(await platform.exited, 0);
    // Every part went down with it: all the ports are free again at once.
    for (const port of [CHAIN_PORT, 28500, 28510, 28520, 28530, 28540, 28573]) {
      assert.equal(await portIsFree(port), true, `port ${port} is still in use after stopping`);
    }
  });

  it("names the port when it is already in use", { timeout: 60_000 }, async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(CHAIN_PORT, "127.0.0.1", resolve));
    try {
      const platform = startPlatform({ CHAIN_PORT: String(CHAIN_PORT) });
      assert.equal(await platform.exited, 1);
      assert.match(platform.output(), new RegExp(`port ${CHAIN_PORT} \\(chain JSON-RPC\\) is already in use`));
    } finally {
      blocker.close();
    }
  });

  it("names a bad setting and starts nothing", { timeout: 60_000 }, async () => {
    const platform = startPlatform({ CHAIN_PORT: String(CHAIN_PORT), ANALYST_PORT: "eighty", ANTHROPIC_BASE_URL: "not a url" });
    assert.equal(await platform.exited, 1);
    assert.match(platform.output(), /ANALYST_PORT: must be a port number/);
    assert.match(platform.output(), /ANTHROPIC_BASE_URL: must be a URL/);
    assert.doesNotMatch(platform.output(), /compiling contracts/);
    assert.equal(await portIsFree(CHAIN_PORT), true);
  });
});
