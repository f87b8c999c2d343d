// `npm start`: the whole platform on this machine. A fresh local chain with the DAO deployed by the
// local profile and a demo history seeded, then the indexer, the analyst, the executor, the relayer,
// the notifier and the web app, each waited on until healthy. Ctrl-C (or SIGTERM) stops every
// process it started.
//
// Settings come from the environment or `.env` (scripts/platform/config.ts; listed in the README).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";

import { readDeployment } from "@ai-dao/deployment";

import { seedDemo } from "./demo/seed.ts";
import { ConfigError, developmentKey, loadPlatformConfig, root, serviceCorsOrigins, type PlatformConfig } from "./platform/config.ts";

const usage = `usage: npm start [-- --no-seed | --attach deployments/<chainId>.json]

Starts a fresh local chain, deploys the DAO, seeds a demo history, and runs the indexer, the
analyst, the executor, the relayer, the notifier and the web app. Settings: environment variables or .env (see README).

  --no-seed         deploy the DAO but leave the chain without demo history
  --attach FILE     run the platform against a DAO \`npm run attach\` wrote FILE for, on the chain at
                    RPC_URL: no local chain, no deployment, no demo; the services keep their data
                    between runs. Off a local development chain, ANALYST_PRIVATE_KEY and
                    EXECUTOR_PRIVATE_KEY must be set (the keys attach made publishers).`;

let flags: { help?: boolean; "no-seed"?: boolean; attach?: string };
try {
  flags = parseArgs({ options: { help: { type: "boolean", short: "h" }, "no-seed": { type: "boolean" }, attach: { type: "string" } } }).values;
} catch (error) {
  console.error(`✖ ${(error as Error).message}\n\n${usage}`);
  process.exit(1);
}
if (flags.help) {
  console.log(usage);
  process.exit(0);
}

let config: PlatformConfig;
try {
  config = loadPlatformConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`✖ ${error.message}\nFix the variables above (environment or .env) and start again.`);
  process.exit(1);
}

// The services answer browsers only from these origins: the web app's, wherever WEB_PORT put it.
const cors = serviceCorsOrigins(config);
if (cors.warning) console.warn(`⚠ ${cors.warning}\n`);

const node = process.execPath; // npm puts the repository's Node 22 first on PATH
const hardhat = path.join(root, "node_modules", ".bin", "hardhat");
/** An attached DAO's deployment file (`--attach`): the platform runs against its chain at RPC_URL. */
const attached = flags.attach === undefined ? undefined : path.resolve(process.cwd(), flags.attach);
if (attached !== undefined && !process.env.RPC_URL) {
  console.error(`✖ --attach needs RPC_URL: the JSON-RPC address of the chain the DAO is on (the one \`npm run attach\` used).`);
  process.exit(1);
}
const rpcUrl = attached !== undefined ? process.env.RPC_URL! : `http://127.0.0.1:${config.CHAIN_PORT}`;
const deploymentsDir = path.resolve(root, config.DEPLOYMENTS_DIR);
const deploymentFile = attached ?? path.join(deploymentsDir, "31337.json");
const dataDir = path.resolve(root, config.DATA_DIR);
const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;

function fail(message: string): never {
  console.error(`\n✖ ${message}`);
  void stopAll().then(() => process.exit(1));
  // Unwind the current step; the process exits once stopAll() has ended every process it started.
  throw new StartFailed();
}
class StartFailed extends Error {}
process.on("uncaughtException", (error) => {
  if (!(error instanceof StartFailed)) {
    console.error(error);
    void stopAll().then(() => process.exit(1));
  }
});

const alive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGTERM to every process group started here; whatever is still running 5 s later gets SIGKILL. */
let stopped: Promise<void> | undefined;
function stopAll(): Promise<void> {
  stopping = true;
  stopped ??= endChildren();
  return stopped;
}
async function endChildren(): Promise<void> {
  const groups = children.map(({ child }) => child.pid).filter((pid): pid is number => pid !== undefined);
  for (const pid of groups) {
    try {
      process.kill(-pid, "SIGTERM"); // the whole process group
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 5_000;
  while (groups.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const pid of groups.filter(alive)) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // gone in the meantime
    }
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.log("\nStopping ...");
    void stopAll().then(() => process.exit(0));
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Starts a long-running process in its own process group; its output is kept for error messages. */
function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  children.push({ name, child });
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("exit", (code, signal) => {
    if (!stopping) fail(`${name} stopped (${signal ?? `exit code ${code}`}):\n${log.slice(-3000)}`);
  });
  return child;
}

/** Runs a command to completion; its output is shown only if it fails. */
function run(name: string, command: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, CHAIN_PORT: String(config.CHAIN_PORT) }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    child.on("close", (code) => (code === 0 ? resolve(out) : fail(`${name} failed:\n${out.slice(-3000)}`)));
  });
}

async function waitFor(name: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`${name} was not ready within ${timeoutMs / 1000} s`);
}

const chainAnswers = async () =>
  (
    await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    })
  ).ok;
const healthy = (url: string) => async () => (await fetch(url)).ok;

const started = Date.now();
const step = (text: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${text}`);

const defined = (vars: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(vars).filter((entry): entry is [string, string] => entry[1] !== undefined));

/**
 * For an attached DAO, what the chain at RPC_URL must be: the deployment file's chain, reachable.
 * Its keys: the analyst's and the executor's from the environment, or on a local development chain
 * the development accounts #8 and #9 (as for the platform's own local DAO).
 */
async function attachedSetup(file: string) {
  let deployment;
  try {
    deployment = await readDeployment(file);
  } catch (error) {
    fail(`--attach ${file}: ${(error as Error).message}`);
  }
  if (deployment.profile !== "attached") fail(`--attach ${file}: this deployment file was written by \`npm run deploy\` (profile "${deployment.profile}"), not by \`npm run attach\`; run \`npm start\` without --attach for the platform's own DAO.`);
  let chainId: number;
  try {
    const answer = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) });
    chainId = Number(BigInt(((await answer.json()) as { result: string }).result));
  } catch (error) {
    fail(`the chain at RPC_URL (${redactUrl(rpcUrl)}) does not answer (${(error as Error).message}); check RPC_URL.`);
  }
  if (chainId !== deployment.chainId) fail(`the chain at RPC_URL is chain ${chainId}, but ${path.basename(file)} describes a DAO on chain ${deployment.chainId}; point RPC_URL at that chain.`);
  const development = chainId === 31337 || chainId === 1337;
  const key = (variable: "ANALYST_PRIVATE_KEY" | "EXECUTOR_PRIVATE_KEY", index: number) => {
    const value = process.env[variable];
    if (value) return value;
    if (development) return developmentKey(index);
    fail(`${variable} is not set: on chain ${chainId} the ${variable.startsWith("ANALYST") ? "analyst" : "executor"} needs its own key (one \`npm run attach --publishers\` made a DecisionLog publisher).`);
  };
  return { deployment, analystKey: key("ANALYST_PRIVATE_KEY", 8), executorKey: key("EXECUTOR_PRIVATE_KEY", 9) };
}

/** An RPC address as it may be printed: no credentials, no path (providers put API keys there). */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === "/" ? "" : "/…"}`;
  } catch {
    return "(not a URL)";
  }
}

const attachedDAO = attached === undefined ? undefined : await attachedSetup(attached);
// An attached DAO's chain outlives this run: its services keep their data (journals, cursors) there.
const servicesDataDir = attachedDAO
  ? path.join(dataDir, `attached-${attachedDAO.deployment.chainId}-${attachedDAO.deployment.contracts.governor.toLowerCase()}`)
  : dataDir;

// The parts, in start order. A service joins once its folder has a main.
const services = [
  {
    name: "indexer",
    main: "services/indexer/src/main.ts",
    port: config.INDEXER_PORT,
    url: `http://127.0.0.1:${config.INDEXER_PORT}/subgraphs/name/dao`,
    health: `http://127.0.0.1:${config.INDEXER_PORT}/health`,
    env: { INDEXER_PORT: String(config.INDEXER_PORT), INDEXER_DATA_DIR: path.join(servicesDataDir, "indexer") },
  },
  {
    name: "analyst",
    main: "services/analyst/src/main.ts",
    port: config.ANALYST_PORT,
    url: `http://127.0.0.1:${config.ANALYST_PORT}`,
    health: `http://127.0.0.1:${config.ANALYST_PORT}/health`,
    env: {
      ANALYST_PORT: String(config.ANALYST_PORT),
      ANALYST_DATA_DIR: path.join(servicesDataDir, "analyst"),
      ANALYST_PRIVATE_KEY: attachedDAO?.analystKey ?? developmentKey(8),
      ANALYST_POLL_MS: "1000",
      ...defined({ ANTHROPIC_API_KEY: config.ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL: config.ANTHROPIC_BASE_URL, ANALYST_MODEL: config.ANALYST_MODEL }),
      INDEXER_URL: `http://127.0.0.1:${config.INDEXER_PORT}/subgraphs/name/dao`,
    },
  },
  {
    name: "executor",
    main: "services/executor/src/main.ts",
    port: config.EXECUTOR_PORT,
    url: `http://127.0.0.1:${config.EXECUTOR_PORT}`,
    health: `http://127.0.0.1:${config.EXECUTOR_PORT}/health`,
    env: {
      EXECUTOR_PORT: String(config.EXECUTOR_PORT),
      EXECUTOR_DATA_DIR: path.join(servicesDataDir, "executor"),
      EXECUTOR_PRIVATE_KEY: attachedDAO?.executorKey ?? developmentKey(9),
      EXECUTOR_POLL_INTERVAL_MS: "1000",
      ...defined({ EXECUTOR_WEBHOOK_URL: config.EXECUTOR_WEBHOOK_URL }),
      INDEXER_URL: `http://127.0.0.1:${config.INDEXER_PORT}/subgraphs/name/dao`,
    },
  },
  // Gasless votes and delegations, paid by development account #10 (the relayer's own key).
  {
    name: "relayer",
    main: "services/relayer/src/main.ts",
    port: config.RELAYER_PORT,
    url: `http://127.0.0.1:${config.RELAYER_PORT}`,
    health: `http://127.0.0.1:${config.RELAYER_PORT}/health`,
    env: { RELAYER_PORT: String(config.RELAYER_PORT), RELAYER_DATA_DIR: path.join(servicesDataDir, "relayer"), RELAYER_PRIVATE_KEY: developmentKey(10), RELAYER_POLL_INTERVAL_MS: "1000" },
  },
  // Notifications (webhooks, chat, email) read from the indexer. Email goes to the notifier's log
  // unless NOTIFIER_SMTP_URL names an SMTP server; webhooks may target this machine (local receivers).
  {
    name: "notifier",
    main: "services/notifier/src/main.ts",
    port: config.NOTIFIER_PORT,
    url: `http://127.0.0.1:${config.NOTIFIER_PORT}`,
    health: `http://127.0.0.1:${config.NOTIFIER_PORT}/health`,
    env: {
      NOTIFIER_PORT: String(config.NOTIFIER_PORT),
      NOTIFIER_DATA_DIR: path.join(servicesDataDir, "notifier"),
      NOTIFIER_POLL_INTERVAL_MS: "1000",
      NOTIFIER_MAX_BACKOFF_MS: "5000",
      NOTIFIER_ANALYSIS_WAIT_MS: "30000",
      NOTIFIER_ALLOW_PRIVATE_TARGETS: "true",
      NOTIFIER_APP_URL: `http://127.0.0.1:${config.WEB_PORT}`,
      INDEXER_URL: `http://127.0.0.1:${config.INDEXER_PORT}/subgraphs/name/dao`,
    },
  },
]
  .filter((service) => existsSync(path.join(root, service.main)))
  // The relayer sponsors votes on the platform's own Governor only.
  .filter((service) => !(attachedDAO && service.name === "relayer"));
const web = existsSync(path.join(root, "apps/web/package.json"))
  ? { name: "web app", port: config.WEB_PORT, url: `http://127.0.0.1:${config.WEB_PORT}/` }
  : undefined;

const ports = [
  ...(attachedDAO ? [] : [{ name: "chain JSON-RPC", variable: "CHAIN_PORT", port: config.CHAIN_PORT }]),
  ...services.map((s) => ({ name: s.name, variable: `${s.name.toUpperCase()}_PORT`, port: s.port })),
  ...(web ? [{ name: web.name, variable: "WEB_PORT", port: web.port }] : []),
];
for (const { name, variable, port } of ports) {
  if (!(await portIsFree(port))) {
    fail(`port ${port} (${name}) is already in use. Stop whatever listens there, or set ${variable} to another port.`);
  }
}

/** Where the seconds go: each phase's duration, printed once everything is up. */
const phases: string[] = [];
let phaseStart = Date.now();
const phaseDone = (name: string) => {
  phases.push(`${name} ${((Date.now() - phaseStart) / 1000).toFixed(1)} s`);
  phaseStart = Date.now();
};

step("compiling contracts ...");
await run("compile", hardhat, ["build", "--quiet"]);
phaseDone("compile");
let deployment;
if (attachedDAO) {
  deployment = attachedDAO.deployment;
  step(`attached DAO: a ${deployment.attached!.flavour} Governor on chain ${deployment.chainId} (${redactUrl(rpcUrl)}); no demo is seeded`);
  await mkdir(servicesDataDir, { recursive: true });
} else {
  step(`starting a fresh local chain on ${rpcUrl} ...`);
  start("the local chain", hardhat, ["node", "--hostname", "127.0.0.1", "--port", String(config.CHAIN_PORT)]);
  await waitFor("the local chain", chainAnswers, 60_000);
  phaseDone("chain");
  step("deploying the DAO (local profile) ...");
  await run("deploy", hardhat, ["deploy-dao", "--network", "localhost", "--out", deploymentsDir]);
  deployment = await readDeployment(deploymentFile);
  phaseDone("deploy");
  if (!flags["no-seed"]) {
    step("seeding the demo ...");
    try {
      await seedDemo(rpcUrl, deployment, (line) => step(`  ${line}`));
    } catch (error) {
      fail(`seeding the demo failed: ${(error as Error).message}`);
    }
    phaseDone("demo");
  }
  // A fresh chain each time, so the services' data from a previous run describes a chain that is gone.
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
}
const shared = { RPC_URL: rpcUrl, DEPLOYMENT_FILE: deploymentFile, LOG_LEVEL: config.LOG_LEVEL, CORS_ORIGINS: cors.origins.join(",") };
for (const service of services) {
  step(`starting the ${service.name} ...`);
  start(service.name, node, [service.main], { ...shared, ...service.env });
}
if (web) {
  step("starting the web app ...");
  start("the web app", "npm", ["run", "dev", "-w", "@ai-dao/web"], {
    ...shared,
    WEB_PORT: String(web.port),
    INDEXER_URL: `http://127.0.0.1:${config.INDEXER_PORT}/subgraphs/name/dao`,
    ANALYST_URL: `http://127.0.0.1:${config.ANALYST_PORT}`,
    EXECUTOR_URL: `http://127.0.0.1:${config.EXECUTOR_PORT}`,
    ...defined({ RELAYER_URL: services.find((s) => s.name === "relayer")?.url }),
    ...defined({ NOTIFIER_URL: services.find((s) => s.name === "notifier")?.url }),
  });
}
await Promise.all([
  ...services.map((s) => waitFor(`the ${s.name} (${s.health})`, healthy(s.health), 120_000).then(() => step(`${s.name} is healthy`))),
  ...(web ? [waitFor(`the web app (${web.url})`, healthy(web.url), 120_000).then(() => step("web app is up"))] : []),
]);
// The indexer's part includes building the subgraph, which it skips when its inputs' content is unchanged.
phaseDone("services until healthy");

step("ready");
const row = (name: string, value: string) => `  ${name.padEnd(19)}${value}`;
console.log(`
${row("web app", web ? web.url : "(not installed)")}
${row("chain (JSON-RPC)", attachedDAO ? `${redactUrl(rpcUrl)}   chain id ${deployment.chainId}, attached ${deployment.attached!.flavour} DAO` : `${rpcUrl}   chain id 31337, development accounts funded`)}
${services.map((s) => row(s.name, s.url)).join("\n")}
${Object.entries(deployment.contracts)
  .map(([name, address]) => row(name, address))
  .join("\n")}
${row("browser origins", `${cors.origins.join(", ")}   (CORS_ORIGINS: may read the services' answers)`)}
${row("deployment file", deploymentFile.startsWith(root) ? path.relative(root, deploymentFile) : deploymentFile)}
${row("analyst mode", config.ANTHROPIC_API_KEY ? `model (${config.ANALYST_MODEL ?? "default model"})` : "deterministic (set ANTHROPIC_API_KEY for model judgement)")}

${row("seconds", phases.join(" · "))}

${cors.warning ? `⚠ ${cors.warning}\n\n` : ""}Press Ctrl-C to stop.`);
