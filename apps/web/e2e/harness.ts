// Starts a real local stack on free ports: `npx hardhat node`, the DAO deployed with
// `npm run deploy -- --network localhost`, the indexer, analyst and executor (when their main.ts
// exists on this checkout) and the Vite dev server. Everything is stopped by `stop()`.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export const repoRoot = path.resolve(import.meta.dirname, "../../..");
const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);

export const serviceMains = {
  indexer: "services/indexer/src/main.ts",
  analyst: "services/analyst/src/main.ts",
  executor: "services/executor/src/main.ts",
} as const;

/** Services whose main.ts is not on this checkout yet. */
export function missingServices(): string[] {
  return Object.values(serviceMains).filter((file) => !existsSync(path.join(repoRoot, file)));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, logs: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${what} did not become ready in ${timeoutMs / 1000}s:\n${logs().slice(-3000)}`);
}

export interface Stack {
  rpcUrl: string;
  webUrl: string;
  indexerUrl: string;
  analystUrl: string;
  executorUrl: string;
  deploymentFile: string;
  deployment: any;
  stop(): Promise<void>;
}

export async function startStack(options: { services: boolean }): Promise<Stack> {
  const children: { name: string; child: ChildProcess; log: string }[] = [];
  const start = (name: string, command: string, args: string[], env: NodeJS.ProcessEnv, cwd = repoRoot) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const entry = { name, child, log: "" };
    child.stdout?.on("data", (c) => (entry.log += c));
    child.stderr?.on("data", (c) => (entry.log += c));
    children.push(entry);
    return entry;
  };
  const stop = async () => {
    for (const { child } of children.reverse()) {
      if (child.exitCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGTERM");
        } catch {
          // gone
        }
      }
    }
  };
  try {
    const chainPort = await freePort();
    const rpcUrl = `http://127.0.0.1:${chainPort}`;
    const chain = start("chain", bin("hardhat"), ["node", "--port", String(chainPort)], {});
    const rpc = (method: string) =>
      fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [] }) });
    await waitFor("hardhat node", async () => (await rpc("eth_chainId")).ok, 90_000, () => chain.log);

    const out = await mkdtemp(path.join(tmpdir(), "web-e2e-"));
    const deploy = start("deploy", "npm", ["run", "deploy", "--", "--network", "localhost", "--out", out], { CHAIN_PORT: String(chainPort) });
    const code = await new Promise<number | null>((resolve) => deploy.child.on("exit", resolve));
    if (code !== 0) throw new Error(`deploy failed:\n${deploy.log.slice(-3000)}`);
    const deploymentFile = path.join(out, "31337.json");
    const deployment = JSON.parse(await readFile(deploymentFile, "utf8"));

    const [indexerPort, analystPort, executorPort, webPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const indexerUrl = `http://127.0.0.1:${indexerPort}/subgraphs/name/dao`;
    const analystUrl = `http://127.0.0.1:${analystPort}`;
    const executorUrl = `http://127.0.0.1:${executorPort}`;
    const webUrl = `http://127.0.0.1:${webPort}`;
    const common = { RPC_URL: rpcUrl, DEPLOYMENT_FILE: deploymentFile, LOG_LEVEL: "warn", CORS_ORIGINS: webUrl };

    if (options.services) {
      const dataDir = await mkdtemp(path.join(tmpdir(), "web-e2e-data-"));
      const node = bin("node");
      const indexer = start("indexer", node, [serviceMains.indexer], { ...common, INDEXER_PORT: String(indexerPort), INDEXER_DATA_DIR: path.join(dataDir, "indexer") });
      const analyst = start("analyst", node, [serviceMains.analyst], {
        ...common,
        ANALYST_PORT: String(analystPort),
        ANALYST_DATA_DIR: path.join(dataDir, "analyst"),
        // Hardhat's default mnemonic, account #8 (the local deployment's analyst): a well-known test key.
        ANALYST_PRIVATE_KEY: "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
        ANTHROPIC_API_KEY: "",
        INDEXER_URL: indexerUrl,
      });
      const executor = start("executor", node, [serviceMains.executor], {
        ...common,
        EXECUTOR_PORT: String(executorPort),
        EXECUTOR_DATA_DIR: path.join(dataDir, "executor"),
        // Account #9 (the local deployment's executor).
        EXECUTOR_PRIVATE_KEY: "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
        INDEXER_URL: indexerUrl,
      });
      await waitFor("indexer", async () => (await fetch(`http://127.0.0.1:${indexerPort}/health`)).ok, 120_000, () => indexer.log);
      await waitFor("analyst", async () => (await fetch(`${analystUrl}/health`)).ok, 120_000, () => analyst.log);
      await waitFor("executor", async () => (await fetch(`${executorUrl}/health`)).ok, 120_000, () => executor.log);
    }

    const web = start("web", bin("vite"), ["--port", String(webPort), "--strictPort"], { ...common, WEB_PORT: String(webPort), INDEXER_URL: indexerUrl, ANALYST_URL: analystUrl, EXECUTOR_URL: executorUrl }, path.resolve(import.meta.dirname, ".."));
    await waitFor("vite", async () => (await fetch(`${webUrl}/config.json`)).ok, 90_000, () => web.log);
    return { rpcUrl, webUrl, indexerUrl, analystUrl, executorUrl, deploymentFile, deployment, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export const chromiumFlags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
