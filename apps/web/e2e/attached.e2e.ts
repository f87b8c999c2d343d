// The web app on a DAO the platform did not deploy, end to end in Chromium: an OpenZeppelin 4.9 DAO
// with a block-number clock, no GovernorStorage and no guardian, attached with `npm run attach`,
// indexed and analysed by the platform's services (./harness.ts, without the executor, so members
// act themselves). A member votes, queues and executes a grant from the proposal page: the page
// counts the vote in blocks, queues and executes with the Governor's full arguments, and the
// treasury pays.
import path from "node:path";

import type { Page } from "playwright-core";
import { createPublicClient, createWalletClient, http, keccak256, parseAbi, parseEther, stringToHex, type Address, type PublicClient } from "viem";
import { hardhat } from "viem/chains";
import { describe, expect, it } from "vitest";

import { confirmed, dev, settled, shots, tooWide, useDevAccount, watch, withStack } from "./browser.ts";

const { alice: ALICE, dave: DAVE } = dev;
const governorAbi = parseAbi([
  "function propose(address[] targets, uint256[] values, bytes[] calldatas, string description) returns (uint256)",
  "function hashProposal(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) view returns (uint256)",
  "function state(uint256 proposalId) view returns (uint8)",
  "function proposalDeadline(uint256 proposalId) view returns (uint256)",
  "function proposalEta(uint256 proposalId) view returns (uint256)",
]);

async function shoot(page: Page, name: string) {
  await settled(page);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(200);
    expect(await tooWide(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe("an attached OpenZeppelin 4.9 DAO", () => {
  const platform = withStack({ services: true, executor: false, attachOpenZeppelin4: true });

  it("a member votes, queues and executes a grant from the proposal page; the vote counts in blocks", async () => {
    const { stack, context } = platform;
    const client = createPublicClient({ chain: hardhat, transport: http(stack.rpcUrl) }) as PublicClient;
    const governor = stack.deployment.contracts.governor as Address;
    expect(stack.deployment.attached).toMatchObject({ flavour: "openzeppelin-4", clockMode: "mode=blocknumber&from=default" });
    const mine = (blocks: number) => client.request({ method: "hardhat_mine", params: [`0x${blocks.toString(16)}`] } as never);

    // Alice proposes a grant from her own wallet.
    const alice = createWalletClient({ account: ALICE, chain: hardhat, transport: http(stack.rpcUrl) });
    const description = `# Grant for the documentation rewrite\n\nPays 1 ETH to ${DAVE} (dave), who rewrote the DAO's documentation. This is the only payment; nothing else changes.`;
    const args = [[DAVE], [parseEther("1")], ["0x"]] as const;
    await client.waitForTransactionReceipt({ hash: await alice.writeContract({ address: governor, abi: governorAbi, functionName: "propose", args: [...args, description] }) });
    const proposalId = await client.readContract({ address: governor, abi: governorAbi, functionName: "hashProposal", args: [...args, keccak256(stringToHex(description))] });

    const page = await context.newPage();
    const errors = watch(page, "attached", { stack });
    await page.goto(`${stack.webUrl}/proposals/${proposalId}`);
    await useDevAccount(page, ALICE);
    // The page's title (the description renders its own heading with the same words).
    await page.locator("article > h1").filter({ hasText: "Grant for the documentation rewrite" }).waitFor({ timeout: 60_000 });
    // The voting window is in blocks, with the time they are expected at; no guardian, no risk-delay box.
    await expect.poll(async () => page.locator(".timeline").textContent(), { timeout: 30_000 }).toMatch(/Voting ends\s*Block [\d,]+, about/);
    expect(await page.getByRole("button", { name: /Cancel/ }).count()).toBe(0);

    await mine(2);
    await page.getByTestId("proposal-state").filter({ hasText: "Active" }).waitFor({ timeout: 30_000 });
    await page.getByLabel("For", { exact: true }).check();
    await page.getByLabel("Reason (optional)").fill("The rewrite is excellent.");
    await page.getByRole("button", { name: "Submit vote" }).click();
    await confirmed(page, /Vote For/);
    await page.getByTestId("your-vote").filter({ hasText: "You voted For with 600,000 LEG" }).waitFor({ timeout: 30_000 });
    await shoot(page, "attached-voted");

    // The vote ends at its deadline block; the member queues with the Governor's full arguments.
    const deadline = await client.readContract({ address: governor, abi: governorAbi, functionName: "proposalDeadline", args: [proposalId] });
    await mine(Number(deadline - (await client.getBlockNumber())) + 1);
    await page.getByTestId("proposal-state").filter({ hasText: "Succeeded" }).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Queue" }).click();
    // A concern (an analysis not yet indexed, say) asks for confirmation first.
    const dialog = page.getByRole("dialog");
    if (await dialog.isVisible().catch(() => false)) {
      await dialog.getByRole("checkbox").check();
      await dialog.getByRole("button", { name: /Queue/ }).click();
    }
    await confirmed(page, /Queue/);
    expect(await client.readContract({ address: governor, abi: governorAbi, functionName: "state", args: [proposalId] })).toBe(5);

    // After the timelock's hour the member executes; the treasury pays dave.
    const eta = await client.readContract({ address: governor, abi: governorAbi, functionName: "proposalEta", args: [proposalId] });
    await client.request({ method: "evm_setNextBlockTimestamp", params: [Number(eta) + 1] } as never);
    await mine(1);
    const before = await client.getBalance({ address: DAVE });
    await page.getByRole("button", { name: "Execute" }).click({ timeout: 30_000 });
    if (await dialog.isVisible().catch(() => false)) {
      await dialog.getByRole("checkbox").check();
      await dialog.getByRole("button", { name: /Execute/ }).click();
    }
    await confirmed(page, /Execute/);
    expect((await client.getBalance({ address: DAVE })) - before).toBe(parseEther("1"));
    expect(await client.readContract({ address: governor, abi: governorAbi, functionName: "state", args: [proposalId] })).toBe(7);
    await page.getByTestId("proposal-state").filter({ hasText: "Executed" }).waitFor({ timeout: 30_000 });
    await shoot(page, "attached-executed");
    expect(errors).toEqual([]);
  });
});
