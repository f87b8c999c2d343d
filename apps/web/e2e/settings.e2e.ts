// Notifications, end to end in Chromium against the real local stack with the notifier
// (./harness.ts): a member signs in with Ethereum (a message signed in the wallet, no transaction),
// adds an email subscription for risky proposals and a webhook with a secret, sees them listed in
// words with the secret kept back, removes one; a bad address is refused at the form in the
// notifier's own words. Another member's sign-in sees none of them.
import path from "node:path";

import { describe, expect, it } from "vitest";

import { dev, settled, shots, tooWide, useDevAccount, watch, withStack } from "./browser.ts";

const { alice: ALICE, bob: BOB } = dev;

describe("notification settings", () => {
  const platform = withStack({ services: true, notifier: true });

  it("signs in with the wallet, adds, lists and removes subscriptions; each member sees only theirs", async () => {
    const { stack, context } = platform;
    const page = await context.newPage();
    const errors = watch(page, "settings", { stack });
    await page.goto(`${stack.webUrl}/settings`);
    await useDevAccount(page, ALICE);
    await page.getByRole("button", { name: "Sign in with your wallet" }).click();
    await page.getByRole("heading", { name: "Your notifications" }).waitFor({ timeout: 30_000 });
    await page.getByText("None yet: add one below.").waitFor();

    // Email about proposals rated at risk 70 or more.
    await page.getByLabel("Send to").selectOption("email");
    await page.getByLabel("Email address").fill("alice@example.org");
    await page.getByLabel("What to hear about").selectOption("risk");
    await page.getByLabel("Lowest risk (0–100) to hear about").fill("70");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByText("Added. You will hear about the next events that match.").waitFor({ timeout: 15_000 });
    await expect.poll(async () => page.getByTestId("subscription").allTextContents(), { timeout: 15_000 }).toEqual([expect.stringContaining("Email: alice@example.org")]);
    expect(await page.getByTestId("subscription").textContent()).toContain("Proposals the analyst rates at risk 70 or more");

    // A webhook with its signing secret: listed, the secret never shown again.
    await page.getByLabel("Send to").selectOption("webhook");
    await page.getByLabel("Webhook URL").fill("http://hooks.example.org/dao");
    await page.getByLabel(/^Secret/).fill("a-very-long-secret-for-signing");
    await page.getByLabel("What to hear about").selectOption("all");
    await page.getByLabel("Name (optional)").fill("Treasury desk");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    // Plain http is refused by the notifier, in its words, at the form.
    await page.getByRole("alert").filter({ hasText: "The notifier did not accept this. Webhook URL: only https URLs." }).waitFor({ timeout: 15_000 });
    await page.getByLabel("Webhook URL").fill("https://hooks.example.org/dao");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect.poll(async () => page.getByTestId("subscription").count(), { timeout: 15_000 }).toBe(2);
    expect(await page.getByTestId("subscriptions").textContent()).not.toContain("a-very-long-secret-for-signing");

    // A delegate filter with something that is not an address is refused at the form.
    await page.getByLabel("Send to").selectOption("email");
    await page.getByLabel("Email address").fill("alice@example.org");
    await page.getByLabel("What to hear about").selectOption("delegate");
    await page.getByLabel("Delegate's address").fill("0x1234");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "The delegate must be an address" }).waitFor();

    await settled(page);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(200);
      expect(await tooWide(page)).toEqual([]);
      await page.screenshot({ path: path.join(shots, `settings-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole("button", { name: "Remove Treasury desk" }).click();
    await expect.poll(async () => page.getByTestId("subscription").count(), { timeout: 15_000 }).toBe(1);

    // Bob signs in and sees none of Alice's.
    await useDevAccount(page, BOB);
    await page.getByRole("button", { name: "Sign in with your wallet" }).click();
    await page.getByText("None yet: add one below.").waitFor({ timeout: 30_000 });
    // The notifier's refusal of the http webhook is an HTTP 400, which Chromium also logs; nothing else went wrong.
    expect(errors.filter((e) => !/Failed to load resource: the server responded with a status of 400/.test(e))).toEqual([]);
  });
});
