// `npm start`: a local chain on 127.0.0.1:$CHAIN_PORT (default 8545) with the DAO deployed by the
// local profile. Services (indexer, analyst, executor, web) join here as they land.
// Ctrl-C (or SIGTERM) stops every process it started.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";

const root = path.resolve(import.meta.dirname, "..");
const hardhat = path.join(root, "node_modules", ".bin", "hardhat");
const { values: flags } = parseArgs({ options: { help: { type: "boolean", short: "h" } } });
if (flags.help) {
  console.log("usage: npm start\n\nenvironment:\n  CHAIN_PORT       chain JSON-RPC port (default 8545)\n  DEPLOYMENTS_DIR  where the deployment file goes (default deployments/)");
  process.exit(0);
}

const chainPort = Number(process.env.CHAIN_PORT ?? 8545);
if (!Number.isInteger(chainPort) || chainPort < 1 || chainPort > 65535) {
  fail(`CHAIN_PORT must be a port number (1-65535), got "${process.env.CHAIN_PORT}"`);
}
const rpcUrl = `http://127.0.0.1:${chainPort}`;
const deploymentsDir = path.resolve(root, process.env.DEPLOYMENTS_DIR ?? "deployments");
const children: ChildProcess[] = [];

function fail(message: string): never {
  console.error(`\n✖ ${message}`);
  stopAll();
  process.exit(1);
}

function stopAll() {
  for (const child of children) {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGTERM"); // the whole process group
      } catch {
        // already gone
      }
    }
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.log("\nStopping ...");
    stopAll();
    process.exit(0);
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function start(name: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(hardhat, args, { cwd: root, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let log = "";
  child.stdout?.on("data", (chunk) => (log += chunk));
  child.stderr?.on("data", (chunk) => (log += chunk));
  child.on("exit", (code) => {
    if (code !== 0 && code !== null) fail(`${name} exited with code ${code}:\n${log.slice(-2000)}`);
  });
  return child;
}

async function waitForChain(timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`the local chain did not answer at ${rpcUrl} within ${timeoutMs / 1000} s`);
}

function run(name: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(hardhat, args, { cwd: root, env: { ...process.env, CHAIN_PORT: String(chainPort) }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    child.on("close", (code) => (code === 0 ? resolve(out) : fail(`${name} failed:\n${out.slice(-3000)}`)));
  });
}

const started = Date.now();
const step = (text: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${text}`);

if (!(await portIsFree(chainPort))) {
  fail(`port ${chainPort} (chain JSON-RPC) is already in use. Stop whatever listens there, or set CHAIN_PORT to another port.`);
}
step("compiling contracts ...");
await run("compile", ["build", "--quiet"]);
step(`starting the local chain on ${rpcUrl} ...`);
start("hardhat node", ["node", "--hostname", "127.0.0.1", "--port", String(chainPort)]);
await waitForChain(60_000);
step("deploying the DAO (local profile) ...");
const deployOutput = await run("deploy", ["deploy-dao", "--network", "localhost", "--out", deploymentsDir]);
// The deploy task prints one "  <name> <address>" line per contract.
const contracts = [...deployOutput.matchAll(/^\s{2}(\w+)\s+(0x[0-9a-fA-F]{40})$/gm)].map(([, name, address]) => ({ name, address }));
step("ready");
console.log(`
  chain (JSON-RPC)   ${rpcUrl}   chain id 31337, development accounts funded
${contracts.map(({ name, address }) => `  ${name!.padEnd(19)}${address}`).join("\n")}
  deployment file    ${path.relative(root, path.join(deploymentsDir, "31337.json"))}

Press Ctrl-C to stop.`);
