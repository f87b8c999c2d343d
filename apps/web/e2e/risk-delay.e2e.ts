// The wait a proposal's risk earns, and the guardian's cancel, end to end in Chromium against a real
// local stack seeded with the demo (./harness.ts): the demo's disguised treasury drain passes its vote,
// an ordinary member queues it from the page (the confirmation names its findings and the wait), the
// page shows the 10-minute wait a critical analysis earns and why, nothing can execute it before then
// (no Execute on the page; a direct `execute` reverts), and the proposal guardian cancels it from the
// page. The treasury keeps every ETH and dUSD. Screenshots e2e/screenshots/risk-delay-*.png.
import path from "node:path";

import { decisionLogAbi, DecisionKind, decodeRevert, governorAbi, ProposalState, revertDataOf } from "@ai-dao/protocol";
import { createPublicClient, createWalletClient, erc20Abi, http, type Address, type PublicClient } from "viem";
import { hardhat } from "viem/chains";
import { describe, expect, it } from "vitest";

import { seedDemo, type DemoSeed } from "../../../scripts/demo/seed.ts";
import { advanceChain, audit, confirmed, describeViolations, dev, serious, shots, tooWide, useDevAccount, watch, withStack } from "./browser.ts";

describe("the wait a risky proposal earns, and the guardian's cancel", () => {
  let seed: DemoSeed;
  // Seeded before the services start, as `npm start` does.
  const platform = withStack({ services: true, beforeServices: async (rpcUrl, deployment) => void (seed = await seedDemo(rpcUrl, deployment)) });

  it("the drain waits 10 minutes once queued, cannot execute before, and the guardian cancels it from the page", async () => {
    const { stack, context } = platform;
    const client = createPublicClient({ transport: http(stack.rpcUrl) }) as PublicClient;
    const governor = stack.deployment.contracts.governor as Address;
    const treasury = stack.deployment.contracts.timelock as Address;
    const read = <T,>(functionName: string, args: unknown[]) => client.readContract({ address: governor, abi: governorAbi as never, functionName, args } as never) as Promise<T>;
    const chainState = async (id: bigint) => Number(await read<number>("state", [id]));
    const drain = seed.proposals.find((p) => p.key === "drain")!.proposalId;
    const grant = seed.proposals.find((p) => p.key === "grant")!.proposalId;
    const balances = async (address: Address) => ({
      eth: await client.getBalance({ address }),
      dusd: await client.readContract({ address: seed.stablecoin, abi: erc20Abi, functionName: "balanceOf", args: [address] }),
    });
    const start = await balances(treasury);
    const recipientBefore = await balances(dev.outsider);
    expect(start.eth).toBeGreaterThan(0n);
    expect(start.dusd).toBeGreaterThan(0n);

    const page = await context.newPage();
    const errors = watch(page, "risk-delay", { stack });
    await page.goto(`${stack.webUrl}/proposals/${drain}`);
    // Any member may queue: carol, who neither proposed nor voted.
    await useDevAccount(page, dev.carol);
    const state = () => page.getByTestId("proposal-state").textContent();
    // The analyst publishes its analysis of the drain: critical.
    await expect.poll(async () => page.getByTestId("risk-score").count(), { timeout: 120_000, interval: 1_000 }).toBeGreaterThan(0);
    const [, risk] = await client.readContract({ address: stack.deployment.contracts.decisionLog, abi: decisionLogAbi, functionName: "latestRisk", args: [drain, DecisionKind.Analysis] });
    expect(risk).toBeGreaterThanOrEqual(70);

    // Bob's vote For passes it once voting ends.
    await advanceChain(client, Number(await read<bigint>("votingPeriod", [])) + 1);
    await expect.poll(state, { timeout: 30_000 }).toBe("Succeeded");
    const forecast = page.getByTestId("risk-delay");
    await expect.poll(async () => forecast.textContent().catch(() => ""), { timeout: 30_000 }).toMatch(
      new RegExp(`If it is queued now, it will wait 10 minutes before it can be executed, because the latest analysis rates its risk ${risk} out of 100, and a risk of 70 or more gets the longest wait\\.`),
    );
    await forecast.getByText("How the wait is chosen").click();
    expect(await forecast.textContent()).toMatch(/Risk below 40: 1 minute.*Risk 40 to 69: 3 minutes.*Risk 70 or more: 10 minutes.*No analysis: 10 minutes/);
    await page.getByRole("heading", { name: "Next step" }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, "risk-delay-forecast.png") });

    // Queue asks to confirm, naming the findings and the wait.
    await page.getByRole("button", { name: "Queue", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Queue this proposal despite the warnings?" });
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/Critical: /);
    await expect.poll(async () => dialog.textContent()).toMatch(/it will wait 10 minutes before it can be executed/);
    await page.screenshot({ path: path.join(shots, "risk-delay-queue-dialog.png") });
    await dialog.getByLabel("I have read these findings and still want to queue").check();
    await dialog.getByRole("button", { name: "Queue anyway" }).click();
    await confirmed(page, /^Queue/);
    expect(await chainState(drain)).toBe(ProposalState.Queued);
    const earned = await read<{ delay: number; tier: number; risk: number; analysed: boolean; queued: boolean }>("proposalRiskDelay", [drain]);
    expect(earned).toMatchObject({ delay: 600, tier: 2, risk, analysed: true, queued: true });

    // The page: the wait it got, why, and a countdown; no Execute.
    await expect.poll(state, { timeout: 10_000 }).toBe("Queued");
    const delay = page.getByTestId("risk-delay");
    await expect.poll(async () => delay.textContent().catch(() => ""), { timeout: 10_000 }).toMatch(
      new RegExp(`It waits 10 minutes between queueing and execution because, when it was queued, the latest analysis rated its risk ${risk} out of 100, and a risk of 70 or more gets the longest wait\\.`),
    );
    await expect.poll(async () => page.getByTestId("execute-countdown").textContent().catch(() => ""), { timeout: 10_000 }).toMatch(/^Can be executed in (10 minutes|9 minutes and \d+ seconds)/);
    expect(await page.getByRole("button", { name: "Execute", exact: true }).count()).toBe(0);
    // The banner tells everyone the guardian can still stop it.
    expect(await page.getByTestId("guardian-advice").textContent()).toBe("The proposal guardian can still cancel it before it is executed.");
    await page.getByRole("heading", { name: "Next step" }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, "risk-delay-queued.png") });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByRole("heading", { name: "Next step" }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, "risk-delay-queued-360.png") });
    expect(await tooWide(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Five minutes on: still waiting, the countdown follows the chain, and nobody can execute it.
    await advanceChain(client, 300);
    // Meanwhile the demo's audit payment (risk low, a 1-minute wait) is executed by the executor: the
    // treasury's only outflow, which the members approved.
    await expect.poll(() => chainState(grant), { timeout: 60_000, interval: 1_000 }).toBe(ProposalState.Executed);
    const before = await balances(treasury);
    expect(before).toEqual({ eth: start.eth, dusd: start.dusd - 2_500n * 10n ** 6n });
    await expect.poll(async () => page.getByTestId("execute-countdown").textContent().catch(() => ""), { timeout: 15_000 }).toMatch(/^Can be executed in [45] minutes/);
    expect(await page.getByRole("button", { name: "Execute", exact: true }).count()).toBe(0);
    const outsider = createWalletClient({ account: dev.outsider, transport: http(stack.rpcUrl), chain: hardhat });
    const early = await outsider.writeContract({ address: governor, abi: governorAbi, functionName: "execute", args: [drain] }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(early).not.toBeNull();
    const revert = decodeRevert(revertDataOf(early)!);
    expect(revert.name).toBe("TimelockUnexpectedOperationState");
    expect(await chainState(drain)).toBe(ProposalState.Queued);

    // The guardian connects: the banner points to the cancel, and the cancel asks first.
    await useDevAccount(page, dev.guardian);
    await expect.poll(async () => page.getByTestId("guardian-advice").textContent().catch(() => ""), { timeout: 10_000 }).toMatch(/^You are the proposal guardian: you can cancel this proposal before it is executed\./);
    await page.getByTestId("cancel-card").waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, "risk-delay-guardian-banner.png") });
    // The queued page with the wait, the countdown and the cancel: no serious or critical axe violation.
    const found = serious((await audit(page)).violations);
    expect(found, describeViolations(found)).toEqual([]);
    const card = page.getByTestId("cancel-card");
    await card.getByRole("button", { name: "Cancel proposal" }).click();
    const cancelDialog = page.getByRole("dialog", { name: "Cancel this proposal?" });
    await cancelDialog.waitFor();
    expect(await cancelDialog.textContent()).toMatch(/“Routine treasury maintenance” will be canceled for good: it can never be executed/);
    expect(await page.evaluate(() => document.activeElement?.closest("dialog") !== null)).toBe(true);
    await page.screenshot({ path: path.join(shots, "risk-delay-cancel-dialog.png") });
    // "Keep it" sends nothing.
    await cancelDialog.getByRole("button", { name: "Keep it" }).click();
    await cancelDialog.waitFor({ state: "detached" });
    expect(await page.getByTestId("tx").filter({ hasText: /Cancel proposal/ }).count()).toBe(0);
    await card.getByRole("button", { name: "Cancel proposal" }).click();
    await cancelDialog.getByRole("button", { name: "Yes, cancel it" }).click();
    await confirmed(page, /Cancel proposal/);
    expect(await chainState(drain)).toBe(ProposalState.Canceled);
    await expect.poll(state, { timeout: 10_000 }).toBe("Canceled");
    expect(await page.getByTestId("cancel-card").count()).toBe(0);
    await page.screenshot({ path: path.join(shots, "risk-delay-canceled.png"), fullPage: true });

    // Past the wait it would have had: still nothing to execute, and the treasury kept everything.
    await advanceChain(client, 400);
    expect(await outsider.writeContract({ address: governor, abi: governorAbi, functionName: "execute", args: [drain] }).then(() => "sent", () => "refused")).toBe("refused");
    expect(await balances(treasury)).toEqual(before);
    expect(await balances(dev.outsider)).toEqual(recipientBefore);
    expect(errors.filter((e) => e.startsWith("pageerror"))).toEqual([]);
  });
});
