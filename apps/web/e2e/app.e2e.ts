// End to end in real Chromium (Debian's /usr/bin/chromium driven by playwright-core) against a real
// local stack started by ./harness.ts. Screenshots go to e2e/screenshots/.
import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { chromium, type BrowserContext, type Page } from "playwright-core";
import { createPublicClient, http, parseAbi, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";

import { chromiumFlags, missingServices, startStack, type Stack } from "./harness.ts";

const shots = path.resolve(import.meta.dirname, "screenshots");
const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as Address;
const ERIN = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc" as Address;
const tokenAbi = parseAbi(["function getVotes(address) view returns (uint256)", "function balanceOf(address) view returns (uint256)"]);

async function openBrowser(): Promise<BrowserContext> {
  const profile = await mkdtemp(path.join(tmpdir(), "web-e2e-chromium-"));
  return chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: chromiumFlags.filter((f) => f !== "--headless"),
    viewport: { width: 1280, height: 900 },
  });
}

/** Collects the page's uncaught errors and console errors; on a failed test saves a screenshot and
 * prints what the page and the services said, so the failing step's cause is visible. */
function watch(page: Page, stack: Stack, name: string) {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  onTestFailed(async () => {
    const file = path.join(shots, `failed-${name}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    const txs = await page.getByTestId("tx").allTextContents().catch(() => []);
    const body = await page.locator("main").textContent({ timeout: 2_000 }).catch(() => "");
    const logs = ["indexer", "analyst", "executor", "web", "chain"].map((n) => `--- ${n} ---\n${stack.log(n).slice(-1500)}`).join("\n");
    console.error(`url: ${page.url()}\nscreenshot: ${file}\nlogs: ${stack.logDir}\ntransactions: ${JSON.stringify(txs)}\nmain: ${body?.slice(0, 2000)}\n${errors.join("\n")}\n${logs}`);
  });
  return errors;
}

async function useDevAccount(page: Page, address: Address) {
  await page.getByLabel("Development account").selectOption(address);
  await page.getByTestId("connected-account").waitFor();
}

async function confirmed(page: Page, label: RegExp) {
  const tx = page.getByTestId("tx").filter({ hasText: label }).first();
  await expect.poll(async () => tx.textContent(), { timeout: 60_000 }).toMatch(/confirmed|failed/);
  expect(await tx.textContent()).toMatch(/confirmed/);
}

async function advance(page: Page, seconds: number) {
  await page.getByLabel("Advance by (seconds)").fill(String(seconds));
  await page.getByRole("button", { name: "Advance time" }).click();
  await page.waitForTimeout(500);
}

const missing = missingServices();

describe("with the chain only", () => {
  let stack: Stack;
  let context: BrowserContext;
  beforeAll(async () => {
    await mkdir(shots, { recursive: true });
    stack = await startStack({ services: false });
    context = await openBrowser();
  });
  afterAll(async () => {
    await context?.close();
    await stack?.stop();
  });

  it("delegates through the UI with a node development account and moves the chain's clock", async () => {
    const client = createPublicClient({ transport: http(stack.rpcUrl) });
    const token = stack.deployment.contracts.token as Address;
    const page = await context.newPage();
    const errors = watch(page, stack, "chain-only");
    await page.goto(`${stack.webUrl}/delegates`);
    await useDevAccount(page, ALICE);
    expect(await client.readContract({ address: token, abi: tokenAbi, functionName: "getVotes", args: [ALICE] })).toBe(0n);
    await page.getByRole("button", { name: "Delegate to myself" }).click();
    await confirmed(page, /Delegate/);
    expect(await client.readContract({ address: token, abi: tokenAbi, functionName: "getVotes", args: [ALICE] })).toBe(250_000n * 10n ** 18n);

    const before = (await client.getBlock()).timestamp;
    await advance(page, 3600);
    await expect.poll(async () => (await client.getBlock()).timestamp, { timeout: 10_000 }).toBeGreaterThanOrEqual(before + 3600n);

    await page.goto(`${stack.webUrl}/treasury`);
    await expect.poll(async () => page.getByTestId("treasury-token").textContent(), { timeout: 20_000 }).toBe("400,000");
    for (const route of ["proposals", "proposals/new", "delegates", "treasury", "decisions"]) {
      await page.goto(`${stack.webUrl}/${route}`);
      await page.waitForTimeout(800);
      await page.screenshot({ path: path.join(shots, `chain-only-${route.replace("/", "-")}.png`), fullPage: true });
    }
    expect(errors.filter((e) => e.startsWith("pageerror"))).toEqual([]);
  });
});

const fullName = missing.length
  ? `full scenario — skipped: ${missing.join(", ")} not on this checkout yet`
  : "full scenario: delegate, propose, analysis, vote, queue, execute, verify, no script injection";

describe.skipIf(missing.length > 0)("with the whole platform", () => {
  let stack: Stack;
  let context: BrowserContext;
  beforeAll(async () => {
    await mkdir(shots, { recursive: true });
    stack = await startStack({ services: true });
    context = await openBrowser();
  });
  afterAll(async () => {
    await context?.close();
    await stack?.stop();
  });

  it(fullName, async () => {
    const client = createPublicClient({ transport: http(stack.rpcUrl) });
    const token = stack.deployment.contracts.token as Address;
    const page = await context.newPage();
    const errors = watch(page, stack, "full");
    await page.goto(`${stack.webUrl}/delegates`);
    await useDevAccount(page, ALICE);
    await page.getByRole("button", { name: "Delegate to myself" }).click();
    await confirmed(page, /Delegate/);

    await page.goto(`${stack.webUrl}/proposals/new`);
    await page.getByRole("button", { name: "Remove action 1" }).click();
    await page.getByRole("button", { name: "+ Send tokens from the treasury" }).click();
    await page.getByLabel("Recipient address").fill(ERIN);
    await page.getByLabel("Amount (tokens)").fill("1000");
    await page
      .getByLabel(/Description/)
      .fill('# Pay erin for the design work\n\nHello <script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 1">');
    await page.getByRole("button", { name: "Preview analysis" }).click();
    await page.getByTestId("analysis-preview").waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(shots, "new-proposal-preview.png"), fullPage: true });
    await page.getByRole("button", { name: "Submit proposal" }).click();
    await page.waitForURL(/\/proposals\/\d+$/, { timeout: 60_000 });
    const erinBefore = await client.readContract({ address: token, abi: tokenAbi, functionName: "balanceOf", args: [ERIN] });

    // The analyst publishes its analysis once it sees the proposal.
    await expect.poll(async () => page.getByTestId("risk-score").count(), { timeout: 120_000, interval: 2_000 }).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.getByTestId("description").locator("script, img").count()).toBe(0);

    await page.getByText("Report as published (exact JSON)").click();
    await page.getByRole("button", { name: "Verify on chain" }).click();
    await expect.poll(async () => page.getByTestId("verify-verdict").textContent(), { timeout: 20_000 }).toMatch(/^Match/);
    await page.screenshot({ path: path.join(shots, "proposal-verified.png"), fullPage: true });
    await page.getByTestId("report-json").evaluate((pre) => {
      pre.textContent = (pre.textContent ?? "").replace(/"risk":\d+/, '"risk":0');
    });
    await page.getByRole("button", { name: "Verify on chain" }).click();
    await expect.poll(async () => page.getByTestId("verify-verdict").textContent(), { timeout: 20_000 }).toMatch(/^MISMATCH/);
    await page.reload();

    await advance(page, 11);
    await expect.poll(async () => page.getByTestId("proposal-state").textContent(), { timeout: 30_000 }).toBe("Active");
    await page.getByRole("radio", { name: "For" }).check();
    await page.getByLabel("Reason (optional)").fill("good work");
    await page.getByRole("button", { name: "Submit vote" }).click();
    await confirmed(page, /Vote For/);
    await page.getByTestId("vote-row").first().waitFor({ timeout: 30_000 });

    await advance(page, 301);
    await expect.poll(async () => page.getByTestId("proposal-state").textContent(), { timeout: 30_000 }).toMatch(/Succeeded|Queued/);
    // The executor may queue first; otherwise queue from the page.
    if ((await page.getByTestId("proposal-state").textContent()) === "Succeeded") {
      await page.getByRole("button", { name: "Queue" }).click();
      await confirmed(page, /Queue/);
    }
    await expect.poll(async () => page.getByTestId("proposal-state").textContent(), { timeout: 30_000 }).toBe("Queued");
    await advance(page, 61);
    await page.waitForTimeout(3_000);
    if ((await page.getByTestId("proposal-state").textContent()) === "Queued" && (await page.getByRole("button", { name: "Execute" }).isEnabled())) {
      await page.getByRole("button", { name: "Execute" }).click().catch(() => undefined);
    }
    await expect.poll(async () => page.getByTestId("proposal-state").textContent(), { timeout: 60_000 }).toBe("Executed");
    expect(await client.readContract({ address: token, abi: tokenAbi, functionName: "balanceOf", args: [ERIN] })).toBe(erinBefore + 1000n * 10n ** 18n);
    await page.screenshot({ path: path.join(shots, "proposal-executed.png"), fullPage: true });
    for (const route of ["proposals", "delegates", "treasury", "decisions"]) {
      await page.goto(`${stack.webUrl}/${route}`);
      await page.waitForTimeout(1_000);
      await page.screenshot({ path: path.join(shots, `${route}.png`), fullPage: true });
    }
  });
});
