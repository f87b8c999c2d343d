// Every route of the production build, on the whole platform with one proposal, its published
// analysis and a vote: an axe-core audit (no serious or critical violation, in the light and dark
// palettes and at phone width), no horizontal overflow at 390 px nor at 360 px (the narrowest common
// phone), and screenshots at 1280×900, 390×844 and 360×740 in e2e/screenshots/<route>-desktop.png /
// -phone.png / -360.png (every violation of any impact in <route>-axe.json).
// Also: "Delegate to myself" from an account without tokens says it gives no voting power, and the
// built page's Content-Security-Policy frames nothing but WalletConnect's Verify origin.
import { writeFile } from "node:fs/promises";
import path from "node:path";

import type { Page } from "playwright-core";
import { createPublicClient, http, parseAbi, type Address, type PublicClient } from "viem";
import { beforeAll, describe, expect, it } from "vitest";

import { contentSecurityPolicy, EXPECTED_POLICY } from "../test/csp.ts";
import { advance, audit, confirmed, describeViolations, dev, serious, settled, shots, tooWide, useDevAccount, watch, withStack } from "./browser.ts";

const { alice: ALICE, erin: ERIN } = dev;
/** Development account #6: no DEMO in the local deployment. */
const NO_TOKENS = dev.outsider;
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const NARROW = { width: 360, height: 740 };
const tokenAbi = parseAbi(["function getVotes(address) view returns (uint256)", "function balanceOf(address) view returns (uint256)"]);

describe("every route: accessibility, phone width, screenshots", () => {
  const platform = withStack({ services: true });
  let client: PublicClient;
  let proposalId = "";

  beforeAll(() => {
    client = createPublicClient({ transport: http(platform.stack.rpcUrl) }) as PublicClient;
  });

  // The routes below need it (expect.poll only runs inside a test, so this is one).
  it("setup: one proposal with its published analysis, and so one decision in the log", async () => {
    const { stack, context } = platform;
    const page = await context.newPage();
    watch(page, "routes-setup", { stack });
    await page.goto(`${stack.webUrl}/delegates`);
    await useDevAccount(page, ALICE);
    await page.getByRole("button", { name: "Delegate to myself" }).click();
    await confirmed(page, /Delegate/);
    await advance(page, client, 600);
    await page.goto(`${stack.webUrl}/proposals/new`);
    await page.getByRole("button", { name: "Remove action 1" }).click();
    await page.getByRole("button", { name: "+ Send tokens from the treasury" }).click();
    await page.getByLabel("Recipient address").fill(ERIN);
    await page.getByLabel("Amount (tokens)").fill("1000");
    await page.getByLabel(/Description/).fill("# Pay erin for the design work\n\nThe new logo and the [style guide](https://example.org/style).");
    await page.getByRole("button", { name: "Preview analysis" }).click();
    await page.getByTestId("analysis-preview").waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "Submit proposal" }).click();
    await confirmed(page, /Propose/);
    await page.waitForURL(/\/proposals\/\d+$/, { timeout: 30_000 });
    proposalId = new URL(page.url()).pathname.split("/").pop()!;
    await expect.poll(async () => page.getByTestId("risk-score").count(), { timeout: 120_000, interval: 1_000 }).toBeGreaterThan(0);
    // A vote, so the tally, the votes list and the account's votes table have something to lay out.
    await advance(page, client, 11);
    await expect.poll(async () => page.getByTestId("proposal-state").textContent(), { timeout: 30_000 }).toBe("Active");
    await page.getByRole("radio", { name: "For" }).check();
    await page.getByLabel("Reason (optional)").fill("The logo is good and the price is fair.");
    await page.getByRole("button", { name: "Submit vote" }).click();
    await confirmed(page, /Vote For/);
    await page.getByTestId("vote-row").first().waitFor({ timeout: 30_000 });
    await page.close();
  });

  const routes: { name: string; path: () => string; ready?: (page: Page) => Promise<void> }[] = [
    { name: "home", path: () => "/" },
    { name: "proposals", path: () => "/proposals" },
    { name: "proposal", path: () => `/proposals/${proposalId}`, ready: async (page) => void (await page.getByTestId("risk-score").first().waitFor({ timeout: 30_000 })) },
    { name: "proposals-new", path: () => "/proposals/new" },
    { name: "delegates", path: () => "/delegates", ready: async (page) => void (await page.getByTestId("delegate-row").first().waitFor({ timeout: 30_000 })) },
    { name: "delegate", path: () => `/delegates/${ALICE}`, ready: async (page) => void (await page.getByTestId("voting-power").waitFor({ timeout: 30_000 })) },
    { name: "treasury", path: () => "/treasury", ready: async (page) => void (await expect.poll(async () => page.getByTestId("treasury-token").textContent(), { timeout: 20_000 }).toBe("400,000")) },
    { name: "decisions", path: () => "/decisions" },
    {
      name: "decision",
      path: () => "/decisions",
      ready: async (page) => {
        await page.getByRole("button", { name: "View" }).first().click();
        await page.getByTestId("risk-score").first().waitFor({ timeout: 30_000 });
      },
    },
    { name: "settings", path: () => "/settings" },
  ];

  for (const route of routes) {
    it(`${route.name}: no serious or critical axe violation, fits 390 px and 360 px`, async () => {
      expect(proposalId, "the setup test made no proposal").not.toBe("");
      const { stack, context } = platform;
      // The previous route's page stays open until now, so a failure message can still read it.
      await Promise.all(context.pages().map((p) => p.close()));
      const page = await context.newPage();
      const errors = watch(page, `routes-${route.name}`, { stack });
      await page.setViewportSize(DESKTOP);
      // A deep link straight to the route: the static server's SPA fallback serves the app.
      const response = await page.goto(`${stack.webUrl}${route.path()}`);
      expect(response?.status()).toBe(200);
      await settled(page);
      await route.ready?.(page);
      await settled(page);
      await page.screenshot({ path: path.join(shots, `${route.name}-desktop.png`), fullPage: true });
      const desktop = await audit(page);
      // Rules ran on this page (a broken injection would pass with no violations at all).
      expect(desktop.passes).toBeGreaterThan(10);
      // The dark palette (prefers-color-scheme) has its own contrasts.
      await page.emulateMedia({ colorScheme: "dark" });
      const dark = (await audit(page)).violations.filter((v) => !desktop.violations.some((d) => d.id === v.id));
      await page.emulateMedia({ colorScheme: "light" });

      await page.setViewportSize(PHONE);
      await page.waitForTimeout(300); // let charts and layout follow the new width
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      const overflow = scrollWidth > innerWidth ? (await tooWide(page)).join("; ") : "";
      await page.screenshot({ path: path.join(shots, `${route.name}-phone.png`), fullPage: true });
      const phone = (await audit(page)).violations.filter((v) => !desktop.violations.some((d) => d.id === v.id));
      // Every violation, whatever its impact, next to the screenshots for whoever reviews them.
      await writeFile(path.join(shots, `${route.name}-axe.json`), `${JSON.stringify({ route: route.path(), desktop: desktop.violations, dark, phone }, null, 2)}\n`);
      // The narrowest common phone.
      await page.setViewportSize(NARROW);
      await page.waitForTimeout(300);
      const at360 = await page.evaluate(() => document.documentElement.scrollWidth);
      const narrowest = at360 > NARROW.width ? `${route.path()} at 360 px is ${at360} px wide: ${(await tooWide(page)).join("; ")}` : "";
      await page.screenshot({ path: path.join(shots, `${route.name}-360.png`), fullPage: true });

      const violations = serious([...desktop.violations, ...dark, ...phone]);
      // Soft: every route reports all of its problems in one run.
      expect.soft(violations, `${route.path()}: axe violations\n${describeViolations(violations)}`).toEqual([]);
      expect.soft(scrollWidth, `${route.path()} at 390 px is ${scrollWidth} px wide: ${overflow}`).toBeLessThanOrEqual(innerWidth);
      expect.soft(narrowest).toBe("");
      expect(errors.filter((e) => e.startsWith("pageerror"))).toEqual([]);
    });
  }

  it("the first Tab reaches the skip link, which moves the focus to the main content", async () => {
    const { stack, context } = platform;
    await Promise.all(context.pages().map((p) => p.close()));
    const page = await context.newPage();
    const errors = watch(page, "routes-skip-link", { stack });
    await page.goto(`${stack.webUrl}/proposals`);
    await settled(page);
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect.poll(async () => skip.evaluate((el) => el === document.activeElement)).toBe(true);
    // Visible while focused (it sits off screen otherwise).
    const box = await skip.boundingBox();
    expect(box !== null && box.x >= 0 && box.y >= 0).toBe(true);
    await page.keyboard.press("Enter");
    await expect.poll(async () => page.evaluate(() => document.activeElement?.id)).toBe("main");
    expect(errors.filter((e) => e.startsWith("pageerror"))).toEqual([]);
  });

  it("delegating to yourself without tokens says it gives no voting power, and still delegates", async () => {
    const { stack, context } = platform;
    const page = await context.newPage();
    const errors = watch(page, "routes-no-tokens", { stack });
    await page.goto(`${stack.webUrl}/delegates`);
    await useDevAccount(page, NO_TOKENS);
    const note = page.getByTestId("delegate-no-tokens");
    await note.waitFor({ timeout: 20_000 });
    expect(await note.textContent()).toMatch(/holds no DEMO.*no voting power/);
    await page.getByRole("button", { name: "Delegate to myself" }).click();
    const tx = await confirmed(page, /Delegate/);
    expect(tx).toMatch(/holds no DEMO.*no voting power/);
    expect(await client.readContract({ address: stack.deployment.contracts.token as Address, abi: tokenAbi, functionName: "getVotes", args: [NO_TOKENS] })).toBe(0n);
    // Alice delegated to herself in the setup: one delegator, in words.
    await page.goto(`${stack.webUrl}/delegates/${ALICE}`);
    await settled(page);
    expect(await page.getByTestId("delegated-power").textContent()).toMatch(/from 1 delegator$/);
    expect(errors.filter((e) => e.startsWith("pageerror"))).toEqual([]);
  });

  it("the built page's Content-Security-Policy frames only WalletConnect's Verify origin and loads no image from elsewhere", async () => {
    const { stack, context } = platform;
    const html = await (await fetch(`${stack.webUrl}/proposals`)).text();
    expect(Object.fromEntries(contentSecurityPolicy(html))).toEqual(EXPECTED_POLICY);

    // Chromium enforces it. Nothing here reaches the internet: the allowed frame is answered locally,
    // anything else would be aborted (and a refused one is never requested at all).
    const page = await context.newPage();
    await page.route("https://verify.walletconnect.org/**", (r) => r.fulfill({ contentType: "text/html", body: "<p>verify</p>" }));
    await page.route(/^https:\/\/(?!verify\.walletconnect\.org\/)/, (r) => r.abort());
    await page.goto(`${stack.webUrl}/proposals`);
    await settled(page);
    const refused = await page.evaluate(async () => {
      const seen: string[] = [];
      document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.effectiveDirective} ${new URL(e.blockedURI).origin}`));
      const add = (tag: "iframe" | "img", src: string) => document.body.append(Object.assign(document.createElement(tag), { src, hidden: true }));
      add("iframe", "https://verify.walletconnect.org/v3/attestation?projectId=test");
      add("iframe", "https://verify.walletconnect.com/");
      add("iframe", "https://example.org/");
      add("img", "https://example.org/pixel.png");
      // The wallet icons WalletConnect's dialog shows are blob: URLs it makes from what it fetched.
      add("img", URL.createObjectURL(new Blob(["<svg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/>"], { type: "image/svg+xml" })));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return seen.sort();
    });
    expect(refused).toEqual(["frame-src https://example.org", "frame-src https://verify.walletconnect.com", "img-src https://example.org"]);
    await expect.poll(() => page.frames().some((f) => f.url().startsWith("https://verify.walletconnect.org/"))).toBe(true);
  });
});
