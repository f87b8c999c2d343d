// Safety first, end to end in real Chromium against a real local stack (./harness.ts): a proposal the
// executor holds leads its page with a warning, Queue asks for an explicit confirmation (nothing is
// sent on Cancel or Escape), and the list marks it and follows its state without a reload.
// Screenshots go to e2e/screenshots/safety-*.png.
import path from "node:path";

import { governorAbi } from "@ai-dao/protocol";
import { createPublicClient, createWalletClient, encodeFunctionData, erc20Abi, http, parseAbi, parseEventLogs, type Address, type PublicClient } from "viem";
import { hardhat } from "viem/chains";
import { describe, expect, it } from "vitest";

import { advanceChain, confirmed, dev, secondsToEta, shots, useDevAccount, watch, withStack } from "./browser.ts";

const { alice: ALICE, bob: BOB, erin: ERIN } = dev;
const E18 = 10n ** 18n;
const tokenAbi = parseAbi(["function delegate(address)"]);
const QUEUED = 5;
const SUCCEEDED = 4;
const EXECUTED = 7;

describe("safety first: a held proposal", () => {
  const platform = withStack({ services: true });

  it("leads with the hold, asks for confirmation before Queue, and the list marks it and follows its state", async () => {
    const { stack, context } = platform;
    const client = createPublicClient({ transport: http(stack.rpcUrl) }) as PublicClient;
    const token = stack.deployment.contracts.token as Address;
    const governor = stack.deployment.contracts.governor as Address;
    const chainState = async (id: bigint) => Number(await client.readContract({ address: governor, abi: governorAbi, functionName: "state", args: [id] }));

    // Bob receives 200,000 DEMO just before he delegates and proposes (the analyst's critical
    // recent-voting-power finding; the executor then holds the proposal for review).
    const alice = createWalletClient({ account: ALICE, transport: http(stack.rpcUrl), chain: hardhat });
    const bob = createWalletClient({ account: BOB, transport: http(stack.rpcUrl), chain: hardhat });
    const mined = async (hash: `0x${string}`) => expect((await client.waitForTransactionReceipt({ hash })).status).toBe("success");
    await mined(await alice.sendTransaction({ to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [BOB, 200_000n * E18] }) }));
    await mined(await bob.writeContract({ address: token, abi: tokenAbi, functionName: "delegate", args: [BOB] }));
    const transfer = encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [ERIN, 500n * E18] });
    // A fixed gas limit: the estimate would run before the block that counts Bob's new votes.
    const proposeTx = await bob.writeContract({ address: governor, abi: governorAbi, functionName: "propose", args: [[token], [0n], [transfer], "# Pay erin for the illustrations"], gas: 3_000_000n });
    const receipt = await client.waitForTransactionReceipt({ hash: proposeTx });
    expect(receipt.status).toBe("success");
    const created = parseEventLogs({ abi: governorAbi, logs: receipt.logs, eventName: "ProposalCreated" })[0]!;
    const proposalId = (created.args as { proposalId: bigint }).proposalId;

    const page = await context.newPage();
    const errors = watch(page, "safety", { stack });
    await page.goto(`${stack.webUrl}/proposals/${proposalId}`);
    await useDevAccount(page, BOB);
    const state = () => page.getByTestId("proposal-state").textContent();
    await expect.poll(async () => page.getByTestId("risk-score").count(), { timeout: 120_000, interval: 1_000 }).toBeGreaterThan(0);

    // Voting: the vote box shows Bob's voting power at the snapshot, then his vote in words.
    await advanceChain(client, 11);
    await expect.poll(state, { timeout: 30_000 }).toBe("Active");
    // While voting, the critical analysis already leads the page.
    await expect.poll(async () => page.getByTestId("safety-banner").textContent().catch(() => ""), { timeout: 30_000 }).toMatch(/critical finding/);
    await expect.poll(async () => page.getByTestId("voting-power").textContent().catch(() => ""), { timeout: 30_000 }).toMatch(/350,000 DEMO/);
    await page.getByRole("radio", { name: "For" }).check();
    await page.getByRole("button", { name: "Submit vote" }).click();
    await confirmed(page, /Vote For/);
    await expect.poll(async () => page.getByTestId("your-vote").textContent(), { timeout: 30_000 }).toBe("You voted For with 350,000 DEMO.");
    expect(await page.getByRole("button", { name: "Submit vote" }).isDisabled()).toBe(true);

    // Past the deadline the executor holds it; the banner names the hold and the finding, first on the page.
    await advanceChain(client, 301);
    await expect.poll(state, { timeout: 30_000 }).toBe("Succeeded");
    const banner = page.getByTestId("safety-banner");
    await expect.poll(async () => banner.textContent().catch(() => ""), { timeout: 60_000, interval: 1_000 }).toMatch(/The executor is holding it before it may queue because the published analysis has a critical finding\./);
    const text = (await banner.textContent())!;
    expect(text).toMatch(/^⚠ Warning: The executor is holding this proposal for review/);
    expect(text).toMatch(/Critical: .*from tokens received/);
    expect(text).not.toMatch(/EXECUTION_GUARD|NEEDS_REVIEW|needs-review|calldata|0x[0-9a-f]{6}/i);
    expect(await banner.getAttribute("role")).toBe("alert");
    // The very top: above the title, nothing but the back link before it.
    const order = await page.evaluate(() => {
      const b = document.querySelector("[data-testid=safety-banner]")!;
      const h1 = document.querySelector("main h1")!;
      return { bannerAboveTitle: b.getBoundingClientRect().bottom <= h1.getBoundingClientRect().top, before: b.previousElementSibling?.textContent, top: b.getBoundingClientRect().top };
    });
    expect(order.bannerAboveTitle).toBe(true);
    expect(order.before).toBe("← Proposals");
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, "safety-banner-desktop.png") });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, "safety-banner-phone.png") });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });

    // The list, open in another tab and never reloaded: the marker in words, then Queued.
    const list = await context.newPage();
    const listErrors = watch(list, "safety-list", { stack });
    await list.goto(`${stack.webUrl}/proposals`);
    const row = list.getByTestId("proposal-row").filter({ hasText: "Pay erin for the illustrations" });
    await expect.poll(async () => row.getByTestId("safety-marker").textContent().catch(() => ""), { timeout: 30_000 }).toMatch(/Held by the executor/);
    expect(await row.locator(".badge").first().textContent()).toBe("Succeeded");
    expect(await row.textContent()).toMatch(/Quorum reached: 350,000 DEMO of [\d,]+ needed/);
    expect(await row.textContent()).toMatch(/1 voter(?!s)/);
    await list.screenshot({ path: path.join(shots, "safety-list-marker.png") });

    // Queue opens the confirmation; Cancel sends nothing.
    const queue = page.getByRole("button", { name: "Queue", exact: true });
    await queue.click();
    const dialog = page.getByRole("dialog", { name: "Queue this proposal despite the warnings?" });
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/Critical: .*from tokens received/);
    expect(await dialog.textContent()).toMatch(/The executor is holding it before it may queue because the published analysis has a critical finding/);
    const confirm = dialog.getByRole("button", { name: "Queue anyway" });
    const box = dialog.getByLabel("I have read these findings and still want to queue");
    expect(await confirm.isDisabled()).toBe(true);
    // Focus went into the dialog.
    expect(await page.evaluate(() => document.activeElement?.closest("dialog") !== null)).toBe(true);
    await page.screenshot({ path: path.join(shots, "safety-dialog-desktop.png") });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(shots, "safety-dialog-phone.png") });
    await page.setViewportSize({ width: 1280, height: 900 });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    // Focus is back on Queue.
    await expect.poll(async () => page.evaluate(() => document.activeElement?.textContent)).toBe("Queue");

    // Escape cancels too, from the keyboard alone: Tab to the box, tick it with Space, then Escape.
    await page.keyboard.press("Enter");
    await dialog.waitFor();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Space");
    expect(await box.isChecked()).toBe(true);
    expect(await confirm.isEnabled()).toBe(true);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await page.getByTestId("tx").filter({ hasText: /^Queue/ }).count()).toBe(0);
    expect(await chainState(proposalId)).toBe(SUCCEEDED);

    // Ticking the box enables the confirm button; confirming queues.
    await queue.click();
    await dialog.waitFor();
    expect(await dialog.getByLabel("I have read these findings and still want to queue").isChecked()).toBe(false);
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel("I have read these findings and still want to queue").check();
    expect(await confirm.isEnabled()).toBe(true);
    await confirm.click();
    await confirmed(page, /^Queue/);
    expect(await chainState(proposalId)).toBe(QUEUED);
    // The page shows the chain's state at once (no "Succeeded" with a Queue button).
    await expect.poll(state, { timeout: 10_000 }).toBe("Queued");
    expect(await page.getByRole("button", { name: "Queue", exact: true }).count()).toBe(0);

    // The list follows without a reload.
    await expect.poll(async () => row.locator(".badge").first().textContent(), { timeout: 20_000 }).toBe("Queued");
    // Queuing makes the analyst analyse it again: the hold on queueing is replaced by the new analysis, still critical.
    expect(await row.getByTestId("safety-marker").textContent()).toMatch(/Held by the executor|Critical analysis/);
    await list.screenshot({ path: path.join(shots, "safety-list-queued.png") });

    // Execute asks the same, in its own words.
    await advanceChain(client, await secondsToEta(client, governor, proposalId));
    const execute = page.getByRole("button", { name: "Execute", exact: true });
    await expect.poll(async () => execute.isEnabled(), { timeout: 30_000 }).toBe(true);
    await execute.click();
    const executeDialog = page.getByRole("dialog", { name: "Execute this proposal despite the warnings?" });
    await executeDialog.waitFor();
    expect(await executeDialog.getByRole("button", { name: "Execute anyway" }).isDisabled()).toBe(true);
    await executeDialog.getByLabel("I have read these findings and still want to execute").check();
    await executeDialog.getByRole("button", { name: "Execute anyway" }).click();
    await confirmed(page, /^Execute/);
    expect(await chainState(proposalId)).toBe(EXECUTED);
    await expect.poll(state, { timeout: 10_000 }).toBe("Executed");
    await expect.poll(async () => row.locator(".badge").first().textContent(), { timeout: 20_000 }).toBe("Executed");
    expect([...errors, ...listErrors].filter((e) => e.startsWith("pageerror"))).toEqual([]);
  });
});
