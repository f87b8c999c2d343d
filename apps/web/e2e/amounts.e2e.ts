// Amounts for people, end to end in Chromium against the real local stack (./harness.ts): a 6-decimal
// token the treasury holds is offered by the builder with its balance, an amount typed in its units
// ("600000") becomes 600000 × 10^6 base units on chain, and the proposal page reads "600,000 dUSD".
import { readFile } from "node:fs/promises";
import path from "node:path";

import { repoRoot } from "@ai-dao/service-kit/repo";
import type { Page } from "playwright-core";
import { createPublicClient, createWalletClient, decodeFunctionData, erc20Abi, getAddress, http, parseAbi, parseUnits, type Abi, type Address, type Hex, type PublicClient } from "viem";
import { hardhat } from "viem/chains";
import { describe, expect, it } from "vitest";

import { dev, shots, tooWide, useDevAccount, watch, withStack } from "./browser.ts";

const { deployer: DEPLOYER, alice: ALICE, erin: ERIN } = dev;
const governorAbi = parseAbi(["function proposalProposer(uint256) view returns (address)"]);
const proposalCreated = parseAbi([
  "event ProposalCreated(uint256 proposalId, address proposer, address[] targets, uint256[] values, string[] signatures, bytes[] calldatas, uint256 voteStart, uint256 voteEnd, string description)",
]);

/** Full-page screenshots at desktop and phone widths, checking the page fits each. */
async function shoot(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(200);
    expect(await tooWide(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe("amounts in token units", () => {
  const platform = withStack({ services: true });

  it("sends 600,000 of a 6-decimal token: picked in the builder, typed in its units, read back as 600,000 dUSD", async () => {
    const { stack, context } = platform;
    const client = createPublicClient({ chain: hardhat, transport: http(stack.rpcUrl) }) as PublicClient;
    const { token, timelock, governor } = stack.deployment.contracts as { token: Address; timelock: Address; governor: Address };
    const wallet = (account: Address) => createWalletClient({ account, chain: hardhat, transport: http(stack.rpcUrl) });

    // A stablecoin with 6 decimals whose whole supply, 1,000,000 dUSD, is minted to the treasury.
    const artifact = JSON.parse(await readFile(path.join(repoRoot, "artifacts/contracts/mocks/MockERC20.sol/MockERC20.json"), "utf8")) as { abi: Abi; bytecode: Hex };
    const deployed = await wallet(DEPLOYER).deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args: ["Demo Dollar", "dUSD", 6, timelock, parseUnits("1000000", 6)] });
    const dusd = (await client.waitForTransactionReceipt({ hash: deployed })).contractAddress!;
    expect(await client.readContract({ address: dusd, abi: erc20Abi, functionName: "balanceOf", args: [timelock] })).toBe(10n ** 12n);

    // Alice delegates to herself and the delegation ages past the analyst's recent-votes window.
    const delegated = await wallet(ALICE).writeContract({ address: token, abi: parseAbi(["function delegate(address)"]), functionName: "delegate", args: [ALICE] });
    await client.waitForTransactionReceipt({ hash: delegated });
    await client.request({ method: "evm_increaseTime" as never, params: [600] as never });
    await client.request({ method: "evm_mine" as never, params: [] as never });

    const page = await context.newPage();
    const errors = watch(page, "amounts", { stack });
    await page.goto(`${stack.webUrl}/proposals/new`);
    await useDevAccount(page, ALICE);
    await page.getByRole("button", { name: "Remove action 1" }).click();
    await page.getByRole("button", { name: "+ Send tokens from the treasury" }).click();

    // The picker offers the treasury's dUSD (found from its Transfer to the treasury) with its balance.
    const picker = page.getByLabel("What to send");
    await expect.poll(async () => picker.locator("option").allTextContents(), { timeout: 30_000 }).toContain("dUSD: 1,000,000 in the treasury");
    await picker.selectOption({ label: "dUSD: 1,000,000 in the treasury" });
    await page.getByText("The treasury holds 1,000,000 dUSD.").waitFor();

    // Every problem at its field at once.
    await page.getByLabel("Recipient address").fill("0x9965");
    await page.getByLabel("Amount (tokens)").fill("600000.1234567");
    await page.getByRole("button", { name: "Preview analysis" }).click();
    await page.getByTestId("problem-count").waitFor();
    expect(await page.getByTestId("field-error").allTextContents()).toEqual([
      "“0x9965” is not an address (0x followed by 40 hex digits).",
      "dUSD has 6 decimal places; this amount has 7.",
      "Write a description: its first line is the title voters see.",
    ]);
    expect(await page.getByLabel("Amount (tokens)").getAttribute("aria-invalid")).toBe("true");
    await shoot(page, "amounts-builder-errors");

    // Above the balance: a warning at the field.
    await page.getByLabel("Amount (tokens)").fill("2000000");
    await page.getByTestId("field-warning").filter({ hasText: "More than the treasury holds (1,000,000 dUSD)." }).waitFor();

    await page.getByLabel("Recipient address").fill(ERIN);
    await page.getByLabel("Amount (tokens)").fill("600000");
    await page.getByLabel(/Description/).fill("# Pay erin 600,000 dUSD\n\nFor the stablecoin audit.");
    expect(await page.getByTestId("field-error").count()).toBe(0);
    await page.getByRole("button", { name: "Preview analysis" }).click();
    await page.getByTestId("analysis-preview").waitFor({ timeout: 60_000 });
    await shoot(page, "amounts-builder");

    await page.getByRole("button", { name: "Submit proposal" }).click();
    const tx = page.getByTestId("tx").filter({ hasText: /Propose/ }).first();
    await expect.poll(async () => tx.textContent(), { timeout: 60_000 }).toMatch(/confirmed|failed/);
    expect(await tx.textContent()).toMatch(/confirmed/);
    await page.waitForURL(/\/proposals\/\d+$/, { timeout: 30_000 });
    const proposalId = BigInt(new URL(page.url()).pathname.split("/").pop()!);
    expect(await client.readContract({ address: governor, abi: governorAbi, functionName: "proposalProposer", args: [proposalId] })).toBe(ALICE);

    // On chain: a transfer of exactly 600,000 × 10^6 base units on the dUSD contract.
    const [created] = await client.getContractEvents({ address: governor, abi: proposalCreated, eventName: "ProposalCreated", fromBlock: 0n });
    const args = created!.args as { targets: Address[]; calldatas: Hex[] };
    expect(args.targets).toEqual([getAddress(dusd)]);
    expect(decodeFunctionData({ abi: erc20Abi, data: args.calldatas[0]! }).args).toEqual([ERIN, 600_000n * 10n ** 6n]);

    // The proposal page reads it in token units with the symbol; the raw number only in the folded details.
    const action = page.getByTestId("action").first();
    await expect.poll(async () => action.getByTestId("amount").textContent().catch(() => null), { timeout: 60_000 }).toBe("600,000 dUSD");
    expect(await action.getByTestId("action-summary").textContent()).toBe("Send 600,000 dUSD from the treasury to 0x9965…A4dc");
    expect(await action.locator("details").isVisible()).toBe(true);
    expect(await action.getByTestId("raw-value").nth(1).isVisible()).toBe(false);
    await action.getByText("Technical details").click();
    expect(await action.getByTestId("raw-value").nth(1).textContent()).toBe("600000000000");
    await action.getByText("Technical details").click();
    await page.getByTestId("action").first().scrollIntoViewIfNeeded();
    await shoot(page, "amounts-proposal");
    const card = page.locator("section.card", { has: page.getByTestId("action") });
    await card.screenshot({ path: path.join(shots, "amounts-proposal-actions-1280.png") });
    await page.setViewportSize({ width: 390, height: 900 });
    await card.screenshot({ path: path.join(shots, "amounts-proposal-actions-390.png") });
    expect(errors).toEqual([]);
  });
});
