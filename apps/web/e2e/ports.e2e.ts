// `npm start` with every port moved, as a user following the README would: the web app on its new
// port can read the indexer, the analyst and the executor (start.ts passes the web app's origins on
// as CORS_ORIGINS); a page served from an origin the services do not allow says so in plain words
// (not "unreachable"); and the decision log on that platform, at 1280 and 390 px wide.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer as createHttpServer, request, type Server } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { audit, describeViolations, serious, shots, tooWide, watch } from "./browser.ts";
import { chromiumFlags } from "./harness.ts";

const root = path.resolve(import.meta.dirname, "../../..");
const DEFAULT_PORTS = new Set([8545, 8000, 8100, 8200, 5173]);

/** A free loopback port that is none of the defaults (so the test proves the ports really moved). */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    if (!DEFAULT_PORTS.has(port)) return port;
  }
}

/** A plain reverse proxy to the web app on another port: the same app, served from an origin the services were not told about. */
function proxyTo(targetPort: number, port: number): Promise<Server> {
  const server = createHttpServer((req, res) => {
    const upstream = request({ host: "127.0.0.1", port: targetPort, path: req.url, method: req.method, headers: { ...req.headers, host: `127.0.0.1:${targetPort}` } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

let platform: ChildProcess | undefined;
let output = "";
let browser: Browser | undefined;
let proxy: Server | undefined;
let dir = "";
const ports = { chain: 0, indexer: 0, analyst: 0, executor: 0, relayer: 0, notifier: 0, web: 0, other: 0 };
const webOrigins = () => [`http://127.0.0.1:${ports.web}`, `http://localhost:${ports.web}`];
const indexerUrl = () => `http://127.0.0.1:${ports.indexer}/subgraphs/name/dao`;

async function gql<T>(query: string): Promise<T> {
  const response = await fetch(indexerUrl(), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  return ((await response.json()) as { data: T }).data;
}

/** The page is no wider than a 390 px screen (document.documentElement.scrollWidth <= 390). */
async function expectFits(page: Page) {
  expect(await tooWide(page)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}

/** Every page error and failed assertion leaves a screenshot and the platform's last words (npm start's output). */
const watchPorts = (page: Page, name: string) => watch(page, `ports-${name}`, { logs: () => `--- npm start ---\n${output.slice(-4000)}` });

/** axe-core's serious and critical violations on the page as it is, one line each. */
const seriousViolations = async (page: Page) => describeViolations(serious((await audit(page)).violations));

beforeAll(async () => {
  await mkdir(shots, { recursive: true });
  for (const key of Object.keys(ports) as (keyof typeof ports)[]) ports[key] = await freePort();
  dir = await mkdtemp(path.join(tmpdir(), "web-e2e-ports-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHAIN_PORT: String(ports.chain),
    INDEXER_PORT: String(ports.indexer),
    ANALYST_PORT: String(ports.analyst),
    EXECUTOR_PORT: String(ports.executor),
    RELAYER_PORT: String(ports.relayer),
    NOTIFIER_PORT: String(ports.notifier),
    WEB_PORT: String(ports.web),
    DEPLOYMENTS_DIR: path.join(dir, "deployments"),
    DATA_DIR: path.join(dir, "data"),
    LOG_LEVEL: "warn",
  };
  // What a user has who only moved the ports: npm start must work the origins out by itself.
  delete env.CORS_ORIGINS;
  delete env.ANTHROPIC_API_KEY;
  platform = spawn(process.execPath, [path.join(root, "scripts/start.ts")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  platform.stdout!.on("data", (chunk) => (output += chunk));
  platform.stderr!.on("data", (chunk) => (output += chunk));
  const deadline = Date.now() + 240_000;
  while (!output.includes("Press Ctrl-C to stop")) {
    if (platform.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not get ready:\n${output.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  // The analyst publishes its analyses of the seeded proposals shortly after it starts.
  while ((await gql<{ decisions: unknown[] }>("{ decisions(first: 5) { id } }")).decisions.length < 5) {
    if (Date.now() > deadline) throw new Error("the analyst published no analyses of the seeded proposals");
    await new Promise((r) => setTimeout(r, 500));
  }
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: chromiumFlags.filter((f) => f !== "--headless") });
}, 300_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  if (platform && platform.exitCode === null) {
    const exited = new Promise((resolve) => platform!.once("exit", resolve));
    platform.kill("SIGINT"); // start.ts stops every process it started
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    if (platform.exitCode === null) platform.kill("SIGKILL");
  }
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

describe("npm start with every port moved", () => {
  it("lets the web app's origins (by address and by name) read the indexer, the analyst and the executor, and no other", async () => {
    expect(output).toContain(`browser origins    http://localhost:${ports.web}, http://127.0.0.1:${ports.web}`);
    const requests = [
      (origin: string) => fetch(indexerUrl(), { method: "POST", headers: { origin, "content-type": "application/json" }, body: JSON.stringify({ query: "{ _meta { hasIndexingErrors } }" }) }),
      (origin: string) => fetch(`http://127.0.0.1:${ports.analyst}/health`, { headers: { origin } }),
      (origin: string) => fetch(`http://127.0.0.1:${ports.executor}/health`, { headers: { origin } }),
    ];
    for (const send of requests) {
      for (const origin of webOrigins()) expect((await send(origin)).headers.get("access-control-allow-origin")).toBe(origin);
      expect((await send("http://localhost:5173")).headers.get("access-control-allow-origin")).toBeNull();
      expect((await send(`http://127.0.0.1:${ports.other}`)).headers.get("access-control-allow-origin")).toBeNull();
    }
  });

  it("serves pages that read every service from the moved port, and the decision log's filters narrow", async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchPorts(page, "1280");
    await page.goto(`http://127.0.0.1:${ports.web}/`);
    await page.getByTestId("proposal-row").first().waitFor({ timeout: 60_000 });
    expect(await page.getByRole("alert").allTextContents()).not.toContainEqual(expect.stringMatching(/unreachable|does not allow/));

    await page.goto(`http://127.0.0.1:${ports.web}/decisions`);
    const rows = page.getByTestId("decision-row");
    await rows.first().waitFor();
    // Named from the Governor's analyst registry (through the indexer), not shown as a bare address.
    await expect.poll(() => rows.first().locator(".actor-name").textContent()).toBe("analyst");
    expect(await seriousViolations(page)).toBe("");
    await page.screenshot({ path: path.join(shots, "ports-decisions-1280.png"), fullPage: true });

    // The proposal filter, from a pasted link with the whole 77-digit id, shows that proposal's decisions only.
    const { decisions } = await gql<{ decisions: { proposalId: string }[] }>("{ decisions(first: 100) { proposalId } }");
    const counts = new Map<string, number>();
    for (const d of decisions) counts.set(d.proposalId, (counts.get(d.proposalId) ?? 0) + 1);
    const [id, count] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    expect(count).toBeLessThan(decisions.length);
    await page.goto(`http://127.0.0.1:${ports.web}/decisions?proposal=${id}`);
    await expect.poll(async () => (await page.getByTestId("decision-row").count()) === count && (await page.getByLabel("Proposal id").inputValue()) === id).toBe(true);
    const links = await page.getByTestId("decision-row").locator('td[data-label="Proposal"] a').evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(links).toEqual(Array(count).fill(`/proposals/${id}`));
    expect(errors).toEqual([]);
    await page.close();
  });

  it("at 390 px the decision log fits the screen, a report opens readably, and an invalid actor is explained", async () => {
    const page = await browser!.newPage({ viewport: { width: 390, height: 844 } });
    const errors = watchPorts(page, "390");
    await page.goto(`http://127.0.0.1:${ports.web}/decisions`);
    await page.getByTestId("decision-row").first().waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId("decision-row").first().locator(".actor-name").textContent()).toBe("analyst");
    await expectFits(page);
    await page.screenshot({ path: path.join(shots, "ports-decisions-390.png"), fullPage: true });

    await page.getByTestId("decision-row").first().getByRole("button", { name: "View" }).click();
    await page.getByTestId("risk-score").first().waitFor();
    await expectFits(page);
    // The opened report as a reader sees it first: its card, then the report's top.
    await page.evaluate(() => document.querySelector('[data-testid="decision-row"]')!.scrollIntoView({ block: "start" }));
    await page.screenshot({ path: path.join(shots, "ports-decisions-390-report.png") });

    await page.getByLabel("Actor").fill("bob");
    await page.getByRole("button", { name: "Filter" }).click();
    const explanation = page.getByTestId("actor-error");
    await explanation.waitFor();
    expect(await explanation.textContent()).toMatch(/“bob” is not an address: enter 0x followed by 40 hex digits, or the name of a known actor \(analyst, executor\)/);
    expect(await page.getByLabel("Actor").getAttribute("aria-invalid")).toBe("true");
    await expectFits(page);
    expect(await seriousViolations(page)).toBe("");
    await page.evaluate(() => document.querySelector("form.decision-filters")!.scrollIntoView({ block: "start" }));
    await page.screenshot({ path: path.join(shots, "ports-decisions-390-invalid-actor.png") });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a page from an origin the services were not told about says they refuse it, and what to set — not that they are unreachable", async () => {
    proxy = await proxyTo(ports.web, ports.other);
    const origin = `http://127.0.0.1:${ports.other}`;
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    watchPorts(page, "refused");
    await page.goto(`${origin}/decisions`);
    const alert = page.getByRole("alert").filter({ hasText: "Could not load decisions" });
    await alert.waitFor({ timeout: 60_000 });
    const text = (await alert.textContent()) ?? "";
    expect(text).toContain(`The indexer at ${indexerUrl()} is running, but it does not allow pages from ${origin} (this page's origin)`);
    expect(text).toContain(`start the indexer with CORS_ORIGINS including ${origin}`);
    expect(text).not.toMatch(/unreachable/);
    await page.screenshot({ path: path.join(shots, "ports-refused-origin.png"), fullPage: false });
    await page.close();
  });
});
