// The treasury page end to end in real Chromium against a real local stack (./harness.ts): the demo
// stablecoin dUSD (6 decimals) deployed by the seed's own code at the address the local deploy
// config lists, indexed by the embedded indexer's compiled subgraph, shown with its balance in token
// units, and a proposal paying dUSD from the treasury shown in the history with its title.
// Screenshots at 1280 and 390 px wide go to e2e/screenshots/.
import path from "node:path";

import { parseDeployment } from "@ai-dao/deployment";
import { daoAbis, descriptionBytesOf, hashDescription, ProposalState, Support } from "@ai-dao/protocol";
import { erc20Transfer } from "@ai-dao/testkit/dao";
import { createPublicClient, createWalletClient, http, type Address, type PublicClient } from "viem";
import { hardhat } from "viem/chains";
import { beforeAll, describe, expect, it } from "vitest";

import { deployDemoStablecoin } from "../../../scripts/demo/seed.ts";
import { dev, shots, tooWide, watch, withStack } from "./browser.ts";

const E6 = 10n ** 6n;
const TITLE = "Pay for the Q4 security audit";

describe("treasury page", () => {
  const platform = withStack({ services: true });
  let client: PublicClient;
  let dusd: Address;

  /** Sends a transaction from an unlocked node account; `tolerate` lets a race with the executor pass. */
  async function send(from: Address, to: Address, functionName: string, args: unknown[], tolerate = false): Promise<void> {
    const wallet = createWalletClient({ chain: hardhat, transport: http(platform.stack.rpcUrl), account: from });
    try {
      const hash = await wallet.writeContract({ address: to, abi: daoAbis.governor, functionName: functionName as never, args: args as never });
      const receipt = await client.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success" && !tolerate) throw new Error(`${functionName} reverted`);
    } catch (error) {
      if (!tolerate) throw error;
    }
  }
  async function advance(seconds: number) {
    await client.request({ method: "evm_increaseTime" as never, params: [seconds] as never });
    await client.request({ method: "evm_mine" as never, params: [] as never });
  }
  const readGovernor = <T,>(functionName: string, args: unknown[]) =>
    client.readContract({ address: platform.stack.deployment.contracts.governor, abi: daoAbis.governor, functionName: functionName as never, args: args as never }) as Promise<T>;

  beforeAll(async () => {
    const { stack } = platform;
    client = createPublicClient({ chain: hardhat, transport: http(stack.rpcUrl) }) as PublicClient;
    // The seed's own deploy of dUSD: the address the local config lists, so the indexer (already
    // running) has a data source for it from its first block.
    dusd = await deployDemoStablecoin(stack.rpcUrl, parseDeployment(stack.deployment));

    const { token, governor } = stack.deployment.contracts as Record<string, Address>;
    const tokenWallet = createWalletClient({ chain: hardhat, transport: http(stack.rpcUrl), account: dev.alice });
    await client.waitForTransactionReceipt({ hash: await tokenWallet.writeContract({ address: token!, abi: daoAbis.token, functionName: "delegate", args: [dev.alice] }) });
    await advance(2);
    const description = `# ${TITLE}\n\nTransfer **2,500 dUSD** from the treasury to carol, who led the Q4 audit.`;
    const targets = [dusd];
    const values = [0n];
    const calldatas = [erc20Transfer(dusd, dev.carol, 2_500n * E6)];
    await send(dev.alice, governor!, "propose", [targets, values, calldatas, description]);
    const proposalId = await readGovernor<bigint>("getProposalId", [targets, values, calldatas, hashDescription(descriptionBytesOf(description))]);
    await advance(Number(await readGovernor<bigint>("votingDelay", [])) + 1);
    await send(dev.alice, governor!, "castVote", [proposalId, Support.For]);
    await advance(Number(await readGovernor<bigint>("votingPeriod", [])) + 1);
    // The executor may queue and execute it first; either way the proposal must end executed.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const state = await readGovernor<number>("state", [proposalId]);
      if (state === ProposalState.Executed) break;
      if (Date.now() > deadline) throw new Error(`the audit payment is still in state ${state}`);
      if (state === ProposalState.Succeeded) await send(dev.bob, governor!, "queue", [proposalId], true);
      else if (state === ProposalState.Queued) {
        const eta = await readGovernor<bigint>("proposalEta", [proposalId]);
        const now = (await client.getBlock()).timestamp;
        if (now < eta) await advance(Number(eta - now) + 1);
        await send(dev.bob, governor!, "execute", [proposalId], true);
      } else await new Promise((r) => setTimeout(r, 500));
    }
  });

  it("lists dUSD in token units and shows the audit payment with its proposal, at 1280 and 390 px", async () => {
    const { stack, context } = platform;
    const page = await context.newPage();
    const errors = watch(page, "treasury", { stack });
    const key = dusd.toLowerCase();

    await page.goto(`${stack.webUrl}/treasury`);
    // Balance read from the chain, in token units (6 decimals read from the token, not assumed).
    await expect.poll(async () => page.getByTestId(`treasury-balance-${key}`).textContent(), { timeout: 60_000 }).toBe("997,500");
    await expect.poll(async () => page.getByTestId(`treasury-asset-${key}`).locator("th").textContent()).toMatch(/^dUSD/);
    expect(await page.getByTestId("treasury-token").textContent()).toBe("400,000");

    // The history, from the indexer: the mint into the treasury and the payment with its proposal.
    const payment = page.getByTestId("treasury-movement").filter({ hasText: "−2,500 dUSD" });
    await expect.poll(async () => payment.count(), { timeout: 60_000 }).toBe(1);
    expect(await payment.getByRole("link").textContent()).toBe(TITLE);
    expect(await payment.textContent()).toMatch(/to 0x90F7…b906/);
    expect(await payment.locator("td").first().textContent()).toMatch(/^\d{4}-\d{2}-\d{2}\d{2}:\d{2}:\d{2}$/);
    await expect.poll(async () => page.getByTestId("treasury-movement").filter({ hasText: "+1,000,000 dUSD" }).count()).toBe(1);

    // The chart: pick dUSD, a canvas of sensible height (no tall blank area).
    await page.getByRole("button", { name: "dUSD", exact: true }).click();
    expect(await page.getByRole("button", { name: "dUSD", exact: true }).getAttribute("aria-pressed")).toBe("true");
    const chart = page.getByTestId("treasury-chart");
    await chart.waitFor();
    const box = (await chart.boundingBox())!;
    expect(box.height).toBeGreaterThan(150);
    expect(box.height).toBeLessThan(320);
    expect(await chart.getAttribute("aria-label")).toMatch(/dUSD held by the treasury over time.*now 997,500 dUSD/);
    // A tooltip on the last movement (hovering the right part of the plot).
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.3);
    await page.screenshot({ path: path.join(shots, "treasury-1280.png"), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect.poll(async () => page.getByTestId(`treasury-balance-${key}`).textContent(), { timeout: 30_000 }).toBe("997,500");
    await page.getByRole("button", { name: "dUSD", exact: true }).click();
    await page.getByTestId("treasury-chart").waitFor();
    expect(await tooWide(page)).toEqual([]);
    const small = (await page.getByTestId("treasury-chart").boundingBox())!;
    expect(small.width).toBeGreaterThan(300);
    await page.screenshot({ path: path.join(shots, "treasury-390.png"), fullPage: true });
    expect(errors).toEqual([]);
  });
});
