// What every end-to-end file does in Chromium, defined once: start the stack and Chromium around a
// file's tests, open Debian's Chromium, watch a page for errors (and say why on a failed test),
// connect a development account, wait for a transaction, move the local chain's clock, find what
// widens a page, and audit it with axe-core.
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

import { governorAbi } from "@ai-dao/protocol";
import { devAddresses } from "@ai-dao/testkit/accounts";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import type { Address, PublicClient } from "viem";
import { afterAll, beforeAll, expect, onTestFailed } from "vitest";

import { chromiumFlags, startStack, type Stack } from "./harness.ts";

/** Where the runs save screenshots (gitignored). */
export const shots = path.resolve(import.meta.dirname, "screenshots");

/** The node's development accounts by the local deploy config's names (alice, bob, …, executor). */
export const dev = devAddresses() as Record<keyof ReturnType<typeof devAddresses>, Address>;

/** A fresh Chromium profile at desktop size. */
export async function openBrowser(): Promise<BrowserContext> {
  const profile = await mkdtemp(path.join(tmpdir(), "web-e2e-chromium-"));
  return chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: chromiumFlags.filter((f) => f !== "--headless"),
    viewport: { width: 1280, height: 900 },
  });
}

/**
 * Starts the stack (`startStack(options)`) and a fresh Chromium before the enclosing `describe`'s tests
 * and stops both after them. The returned accessors work inside its tests and later hooks.
 */
export function withStack(options: Parameters<typeof startStack>[0]): { readonly stack: Stack; readonly context: BrowserContext } {
  let stack: Stack | undefined;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    await mkdir(shots, { recursive: true });
    stack = await startStack(options);
    context = await openBrowser();
  });
  afterAll(async () => {
    await context?.close();
    await stack?.stop();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started yet: use it inside a test or a hook after withStack's`);
    return value;
  };
  return {
    get stack() {
      return started(stack, "The stack");
    },
    get context() {
      return started(context, "Chromium");
    },
  };
}

/**
 * Collects the page's uncaught errors and console errors; on a failed test saves a screenshot and
 * prints what the page said, with the services' last log lines (`stack`) or any other text (`logs`),
 * so the failing step's cause is visible.
 */
export function watch(page: Page, name: string, context: { stack?: Stack; logs?: () => string } = {}) {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    // A 404 is an answer the app expects (no analysis published yet), which Chromium logs as an error.
    if (m.type() === "error" && !/^Failed to load resource: the server responded with a status of 404/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  const file = path.join(shots, `failed-${name}.png`);
  void rm(file, { force: true }); // a screenshot from an earlier failed run
  onTestFailed(async () => {
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    const txs = await page.getByTestId("tx").allTextContents().catch(() => []);
    const body = await page.locator("main").textContent({ timeout: 2_000 }).catch(() => "");
    const stack = context.stack;
    const logs = stack
      ? ["indexer", "analyst", "executor", "relayer", "web", "chain"].map((n) => `--- ${n} ---\n${stack.log(n).slice(-1500)}`).join("\n")
      : (context.logs?.() ?? "");
    console.error(`url: ${page.url()}\nscreenshot: ${file}${stack ? `\nlogs: ${stack.logDir}` : ""}\ntransactions: ${JSON.stringify(txs)}\nmain: ${body?.slice(0, 2000)}\n${errors.join("\n")}\n${logs}`);
  });
  return errors;
}

/** Connects the node development account `address` (disconnecting the account kept from an earlier page). */
export async function useDevAccount(page: Page, address: Address) {
  const select = page.getByLabel("Development account");
  const disconnect = page.getByRole("button", { name: "Disconnect" });
  await select.or(disconnect).first().waitFor();
  if (await disconnect.isVisible()) await disconnect.click();
  await select.selectOption(address);
  await expect.poll(async () => page.getByTestId("connected-account").getAttribute("title"), { timeout: 10_000 }).toBe(address);
}

/** Waits for the transaction line labelled `label` to settle, expects it confirmed, and returns its text. */
export async function confirmed(page: Page, label: RegExp): Promise<string> {
  const tx = page.getByTestId("tx").filter({ hasText: label }).first();
  await expect.poll(async () => tx.textContent(), { timeout: 60_000 }).toMatch(/confirmed|failed/);
  const text = (await tx.textContent()) ?? "";
  expect(text).toMatch(/confirmed/);
  return text;
}

/** Advances the chain's clock with the page's local chain tools and waits until the chain shows it. */
export async function advance(page: Page, client: PublicClient, seconds: number) {
  const before = (await client.getBlock()).timestamp;
  await page.getByLabel("Advance by (seconds)").fill(String(seconds));
  await page.getByRole("button", { name: "Advance time" }).click();
  await expect.poll(async () => (await client.getBlock()).timestamp, { timeout: 10_000 }).toBeGreaterThanOrEqual(before + BigInt(seconds));
}

/** Moves the local chain's clock directly (pages follow it through their polling). */
export async function advanceChain(client: PublicClient, seconds: number) {
  await client.request({ method: "evm_increaseTime", params: [seconds] } as never);
  await client.request({ method: "evm_mine", params: [] } as never);
}

/**
 * Seconds from the latest block until a queued proposal may be executed (its eta, plus one so the
 * next block is past it). The wait depends on the proposal's risk, so tests read it, never assume it.
 */
export async function secondsToEta(client: PublicClient, governor: Address, proposalId: bigint): Promise<number> {
  const eta = await client.readContract({ address: governor, abi: governorAbi, functionName: "proposalEta", args: [proposalId] });
  if (eta === 0n) throw new Error(`proposal ${proposalId} is not queued`);
  const now = (await client.getBlock()).timestamp;
  return Math.max(1, Number(eta - now) + 1);
}

/** Waits until the page has no "Loading …" status left (for screenshots of settled pages). */
export async function settled(page: Page) {
  await page.locator("main h1").first().waitFor();
  await expect.poll(async () => page.getByRole("status").filter({ hasText: /^Loading/ }).count(), { timeout: 20_000 }).toBe(0);
}

/** The innermost elements that reach past the right edge of the viewport (to name what widens a page). */
export function tooWide(page: Page) {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll("body *")) {
      if (el.getBoundingClientRect().right <= window.innerWidth + 1) continue;
      if ([...el.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 1)) continue;
      out.push(`${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(" ").join(".")}` : ""} (${Math.round(el.getBoundingClientRect().right)}px): ${(el.textContent ?? "").slice(0, 60)}`);
    }
    return out.slice(0, 10);
  });
}

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

const axeSource = readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's audit of the page as it is (every impact; callers assert on serious and critical). */
export async function audit(page: Page): Promise<{ violations: Violation[]; passes: number }> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: await axeSource });
  return page.evaluate(async () => {
    type Result = { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: Document, options: object): Promise<{ violations: Result[]; passes: Result[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return {
      passes: result.passes.length,
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.map(String).join(" ")) })),
    };
  });
}

/** The serious and critical violations, the ones no route may have. */
export const serious = (vs: Violation[]) => vs.filter((v) => v.impact === "serious" || v.impact === "critical");

/** One line per violation, for a failure message. */
export const describeViolations = (vs: Violation[]) => vs.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(" | ")}`).join("\n");
