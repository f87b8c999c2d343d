// Starts a real local stack on free ports the way `npm start` (scripts/start.ts) runs the platform:
// `hardhat node`, the DAO deployed with `hardhat deploy-dao --network localhost`, then the indexer,
// analyst and executor (`node src/main.ts` in each service folder, with start.ts's environment). The
// web app is the production build (`vite build`, made at most once per test run and reused while
// dist/ is newer than its sources) served by ./static-server.ts with /config.json and the SPA
// fallback, so the tests exercise what is deployed, not the dev server's transforms.
// Nothing is seeded. Each process's output goes to a log file in `logDir`.
// `stop()` ends every process group it started and waits until each has exited.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { actionLabel } from "@ai-dao/reports";
import { repoRoot } from "@ai-dao/service-kit/repo";
import { devAddresses, devPrivateKey } from "@ai-dao/testkit/accounts";
import { startMessagesApi, type MessagesApi, type RecordedRequest, type ScriptedResponse } from "@ai-dao/testkit/messages-api";
import { freePort } from "@ai-dao/testkit/process";

import { buildRuntimeConfig } from "../vite-config-plugin.ts";
import { distIsFresh, serveDist, viteBuild, type StaticServer } from "./static-server.ts";

const binDir = path.join(repoRoot, "node_modules", ".bin");
const bin = (name: string) => path.join(binDir, name);

export const services = ["indexer", "analyst", "executor", "relayer", "notifier"] as const;
const serviceDir = (name: (typeof services)[number]) => path.join(repoRoot, "services", name);

/** The analyst's and executor's development keys (accounts #8 and #9 of Hardhat's public mnemonic). */
const ANALYST_KEY = devPrivateKey("analyst");
const EXECUTOR_KEY = devPrivateKey("executor");
/** The relayer's key, as `npm start` gives it: account #10, which no one else uses. */
const RELAYER_KEY = devPrivateKey(10);

interface Child {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<void>;
  tail(): string;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, child: Child) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.child.exitCode !== null || child.child.signalCode !== null) {
      throw new Error(`${what} exited (${child.child.signalCode ?? `code ${child.child.exitCode}`}) before it was ready; log ${child.logFile}:\n${child.tail()}`);
    }
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become ready in ${timeoutMs / 1000}s; log ${child.logFile}:\n${child.tail()}`);
}

/**
 * The model the analyst consults, as a loopback Messages API reached through the real SDK. It
 * answers from the evidence it is sent: every decoded call a claim that matches it (citing it), every
 * critical finding an effect the description leaves out (citing it), and the deterministic floor and
 * recommendation as its own; so published reports carry a model section while the findings still
 * decide what the executor does.
 */
export function modelStandIn(request: RecordedRequest): ScriptedResponse {
  const content = request.body?.messages?.[0]?.content;
  const turn: string = typeof content === "string" ? content : (content ?? []).map((b: { text?: string }) => b.text ?? "").join("");
  const open = turn.indexOf("\n", turn.indexOf("<untrusted-input"));
  const data = JSON.parse(turn.slice(open + 1, turn.lastIndexOf("</untrusted-input")));
  const evidence = Object.entries(data.evidence as Record<string, { functionName?: string; kind?: string; severity?: string; title?: string }>);
  return {
    json: {
      claims: evidence
        .filter(([id]) => id.startsWith("call:"))
        .map(([id, call]) => ({ claim: `The proposal calls ${call.functionName ?? call.kind}`, status: "matched", evidence: [id], explanation: `${actionLabel(Number(id.slice(5)), { capital: true })} does this.` })),
      undisclosedEffects: evidence.filter(([id, f]) => id.startsWith("finding:") && f.severity === "critical").map(([id, f]) => ({ effect: f.title, evidence: [id] })),
      risk: data.riskFloor,
      benefit: 50,
      confidence: 0.7,
      recommendation: data.deterministicRecommendation,
      reasoning: "Each call does what the description says; see the findings for the rest.",
    },
  };
}

let building: Promise<void> | undefined;
export const BUILT_THIS_RUN = "AI_DAO_WEB_E2E_BUILT";
/**
 * Makes dist/ once per test process (e2e/global-setup.ts builds it once per run before any file, so
 * every file's call finds it fresh); several e2e files each start a stack.
 */
export function ensureWebBuild(): Promise<void> {
  // Built by the global setup of this run: a source edited since (by someone else) waits for the next run.
  if (process.env[BUILT_THIS_RUN] === "1") return Promise.resolve();
  building ??= distIsFresh().then((fresh) => (fresh ? undefined : viteBuild()));
  building.catch(() => (building = undefined));
  return building;
}

export interface Stack {
  rpcUrl: string;
  webUrl: string;
  indexerUrl: string;
  analystUrl: string;
  executorUrl: string;
  /** Only with `relayer: true`. */
  relayerUrl?: string;
  /** Only with `notifier: true`. */
  notifierUrl?: string;
  deploymentFile: string;
  deployment: any;
  /** Folder with one `<name>.log` per started process. */
  logDir: string;
  /** The last part of a process's log (for failure messages). */
  log(name: string): string;
  stop(): Promise<void>;
}

/**
 * `services`: start the indexer, analyst and executor; `beforeServices`: runs on the deployed chain
 * before they start, as `npm start` seeds the demo (so no service acts on the chain meanwhile);
 * `relayer`: also the gasless relayer, and the web app is told of it (its vote and delegate forms
 * then offer to go without gas); `notifier`: also the notifier, and the settings page is told of it.
 */
export async function startStack(options: {
  services: boolean;
  relayer?: boolean;
  notifier?: boolean;
  /** Without the executor: members queue and execute themselves (default: with it). */
  executor?: boolean;
  /**
   * Instead of the platform's DAO, an OpenZeppelin 4.9 DAO with a block-number clock deployed as
   * its own people would have (packages/testkit/scripts), then `npm run attach` on it with the
   * analyst and the executor as publishers; `dao` then holds its addresses.
   */
  attachOpenZeppelin4?: boolean;
  beforeServices?: (rpcUrl: string, deployment: any) => Promise<void>;
}): Promise<Stack> {
  const logDir = await mkdtemp(path.join(tmpdir(), "web-e2e-logs-"));
  const children: Child[] = [];
  // Hardhat 3 needs the repository's Node 22, which lives in node_modules/.bin.
  const basePath = `${binDir}${path.delimiter}${process.env.PATH ?? ""}`;
  const start = (name: string, command: string, args: string[], env: NodeJS.ProcessEnv, cwd = repoRoot): Child => {
    const logFile = path.join(logDir, `${name}.log`);
    const out = createWriteStream(logFile);
    let recent = "";
    const child = spawn(command, args, { cwd, env: { ...process.env, PATH: basePath, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const keep = (chunk: Buffer) => {
      out.write(chunk);
      recent = (recent + chunk).slice(-6000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const exited = new Promise<void>((resolve) => child.once("close", () => (out.end(), resolve())));
    const entry = { name, child, logFile, exited, tail: () => recent.slice(-3000) };
    children.push(entry);
    return entry;
  };
  let model: MessagesApi | undefined;
  let web: StaticServer | undefined;
  const stop = async () => {
    await model?.close();
    await web?.close();
    const running = children.filter(({ child }) => child.exitCode === null && child.signalCode === null && child.pid !== undefined);
    const signal = (sig: NodeJS.Signals) => {
      for (const { child } of running) {
        try {
          process.kill(-child.pid!, sig); // the whole process group (npm, node, esbuild, ...)
        } catch {
          // already gone
        }
      }
    };
    process.off("exit", onExit);
    signal("SIGTERM");
    const allExited = Promise.all(running.map((c) => c.exited));
    const timedOut = await Promise.race([allExited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 10_000))]);
    if (timedOut) {
      signal("SIGKILL");
      await allExited;
    }
  };
  // If the test process ends without calling stop() (a crash, a killed worker), still end the groups.
  const onExit = () => {
    for (const { child } of children) {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
  };
  process.once("exit", onExit);
  try {
    const chainPort = await freePort();
    const rpcUrl = `http://127.0.0.1:${chainPort}`;
    const chain = start("chain", bin("hardhat"), ["node", "--hostname", "127.0.0.1", "--port", String(chainPort)], {});
    const rpc = (method: string) =>
      fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [] }) });
    await waitFor("hardhat node", async () => (await rpc("eth_chainId")).ok, 90_000, chain);

    const out = await mkdtemp(path.join(tmpdir(), "web-e2e-"));
    const runToEnd = async (name: string, command: string, args: string[]) => {
      const step = start(name, command, args, { CHAIN_PORT: String(chainPort) });
      await step.exited;
      if (step.child.exitCode !== 0) throw new Error(`${name} failed; log ${step.logFile}:\n${step.tail()}`);
      return readFile(step.logFile, "utf8");
    };
    if (options.attachOpenZeppelin4) {
      const printed = await runToEnd("foreign DAO", bin("hardhat"), ["run", "--network", "localhost", "packages/testkit/scripts/deploy-openzeppelin4-dao.ts"]);
      const dao = JSON.parse(printed.split("\n").find((line) => line.startsWith('{"governor"'))!) as { governor: string };
      // The holders' votes age past the analyst's recent-votes window (blocks on this clock).
      await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "hardhat_mine", params: ["0x1e"] }) });
      const publishers = [devAddresses().analyst, devAddresses().executor].join(",");
      await runToEnd("attach", "npm", ["run", "attach", "--", "--rpc", rpcUrl, "--governor", dao.governor, "--publishers", publishers, "--out", out]);
    } else {
      await runToEnd("deploy", bin("hardhat"), ["deploy-dao", "--network", "localhost", "--out", out]);
    }
    const deploymentFile = path.join(out, "31337.json");
    const deployment = JSON.parse(await readFile(deploymentFile, "utf8"));
    await options.beforeServices?.(rpcUrl, deployment);

    const [indexerPort, analystPort, executorPort, relayerPort, notifierPort, webPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
    const relayerUrl = options.relayer ? `http://127.0.0.1:${relayerPort}` : undefined;
    const notifierUrl = options.notifier ? `http://127.0.0.1:${notifierPort}` : undefined;
    const indexerUrl = `http://127.0.0.1:${indexerPort}/subgraphs/name/dao`;
    const analystUrl = `http://127.0.0.1:${analystPort}`;
    const executorUrl = `http://127.0.0.1:${executorPort}`;
    const webUrl = `http://127.0.0.1:${webPort}`;
    // As scripts/start.ts: RPC_URL, DEPLOYMENT_FILE, LOG_LEVEL for every service; the web app's own
    // origin is allowed because it is not on the default port.
    const common = { RPC_URL: rpcUrl, DEPLOYMENT_FILE: deploymentFile, LOG_LEVEL: "info", CORS_ORIGINS: webUrl };

    if (options.services) {
      model = await startMessagesApi({ fallback: modelStandIn });
      const dataDir = await mkdtemp(path.join(tmpdir(), "web-e2e-data-"));
      const node = bin("node");
      const indexer = start("indexer", node, ["src/main.ts"], { ...common, INDEXER_PORT: String(indexerPort), INDEXER_DATA_DIR: path.join(dataDir, "indexer") }, serviceDir("indexer"));
      const analyst = start(
        "analyst",
        node,
        ["src/main.ts"],
        {
          ...common,
          ANALYST_PORT: String(analystPort),
          ANALYST_DATA_DIR: path.join(dataDir, "analyst"),
          ANALYST_PRIVATE_KEY: ANALYST_KEY,
          ANALYST_POLL_MS: "1000",
          // Model mode against the loopback stand-in, never a real API, whatever the calling shell has set.
          ANTHROPIC_API_KEY: "e2e",
          ANTHROPIC_BASE_URL: model!.url,
          INDEXER_URL: indexerUrl,
        },
        serviceDir("analyst"),
      );
      const executor = options.executor === false ? undefined : start(
        "executor",
        node,
        ["src/main.ts"],
        {
          ...common,
          EXECUTOR_PORT: String(executorPort),
          EXECUTOR_DATA_DIR: path.join(dataDir, "executor"),
          EXECUTOR_PRIVATE_KEY: EXECUTOR_KEY,
          EXECUTOR_POLL_INTERVAL_MS: "1000",
          EXECUTOR_WEBHOOK_URL: "",
          INDEXER_URL: indexerUrl,
        },
        serviceDir("executor"),
      );
      const relayer = relayerUrl
        ? start(
            "relayer",
            node,
            ["src/main.ts"],
            { ...common, RELAYER_PORT: String(relayerPort), RELAYER_DATA_DIR: path.join(dataDir, "relayer"), RELAYER_PRIVATE_KEY: RELAYER_KEY, RELAYER_POLL_INTERVAL_MS: "1000" },
            serviceDir("relayer"),
          )
        : undefined;
      const notifier = notifierUrl
        ? start(
            "notifier",
            node,
            ["src/main.ts"],
            {
              ...common,
              NOTIFIER_PORT: String(notifierPort),
              NOTIFIER_DATA_DIR: path.join(dataDir, "notifier"),
              NOTIFIER_POLL_INTERVAL_MS: "1000",
              NOTIFIER_APP_URL: webUrl,
              INDEXER_URL: indexerUrl,
            },
            serviceDir("notifier"),
          )
        : undefined;
      await Promise.all([
        waitFor("indexer", async () => (await fetch(`http://127.0.0.1:${indexerPort}/health`)).ok, 120_000, indexer),
        waitFor("analyst", async () => (await fetch(`${analystUrl}/health`)).ok, 120_000, analyst),
        ...(executor ? [waitFor("executor", async () => (await fetch(`${executorUrl}/health`)).ok, 120_000, executor)] : []),
        ...(relayer ? [waitFor("relayer", async () => (await fetch(`${relayerUrl}/health`)).ok, 120_000, relayer)] : []),
        ...(notifier ? [waitFor("notifier", async () => (await fetch(`${notifierUrl}/health`)).status !== 0, 120_000, notifier)] : []),
      ]);
    }

    // The production build, with the configuration `vite preview` would serve for this stack.
    await ensureWebBuild();
    const runtimeConfig = { ...common, INDEXER_URL: indexerUrl, ANALYST_URL: analystUrl, EXECUTOR_URL: executorUrl, ...(relayerUrl ? { RELAYER_URL: relayerUrl } : {}), ...(notifierUrl ? { NOTIFIER_URL: notifierUrl } : {}) };
    web = await serveDist({ port: webPort, config: () => buildRuntimeConfig(runtimeConfig) });
    const configAnswer = await fetch(`${webUrl}/config.json`);
    if (!configAnswer.ok) throw new Error(`the web server's /config.json answered ${configAnswer.status}: ${await configAnswer.text()}`);
    const log = (name: string) => (name === "web" ? web!.log() : (children.find((c) => c.name === name)?.tail() ?? ""));
    return { rpcUrl, webUrl, indexerUrl, analystUrl, executorUrl, ...(relayerUrl ? { relayerUrl } : {}), ...(notifierUrl ? { notifierUrl } : {}), deploymentFile, deployment, logDir, log, stop };
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
