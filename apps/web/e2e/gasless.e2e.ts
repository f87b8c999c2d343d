// Voting and delegating without gas, end to end in Chromium against the real local stack with the
// relayer (./harness.ts): a member whose account holds no ETH delegates to herself and votes with a
// reason by signing messages; both land on chain as hers, and her balance stays at zero. A member
// the relayer must refuse (no votes at the snapshot) is told why and offered to send it herself.
import path from "node:path";

import { governorAbi, ProposalState, Support, tokenAbi } from "@ai-dao/protocol";
import { createPublicClient, createWalletClient, http, keccak256, parseEther, toHex, type Address, type PublicClient } from "viem";
import { hardhat } from "viem/chains";
import { describe, expect, it } from "vitest";

import { advanceChain, confirmed, dev, settled, shots, tooWide, useDevAccount, watch, withStack } from "./browser.ts";

const { alice: ALICE, carol: CAROL, dave: DAVE } = dev;

describe("gasless votes and delegations", () => {
  const platform = withStack({ services: true, relayer: true });

  it("a member with no ETH delegates and votes through the relayer; one without votes is told why and may send it herself", async () => {
    const { stack, context } = platform;
    const client = createPublicClient({ chain: hardhat, transport: http(stack.rpcUrl) }) as PublicClient;
    const { token, governor } = stack.deployment.contracts as { token: Address; governor: Address };
    const relayer = (await (await fetch(`${stack.relayerUrl}/health`)).json()) as { address: Address };
    // Carol holds 100,000 DEMO and not one wei of ETH.
    await client.request({ method: "hardhat_setBalance", params: [CAROL, "0x0"] } as never);
    expect(await client.getBalance({ address: CAROL })).toBe(0n);
    const relayerNonce = await client.getTransactionCount({ address: relayer.address });

    const page = await context.newPage();
    const errors = watch(page, "gasless", { stack });
    await page.goto(`${stack.webUrl}/delegates/${CAROL}`);
    await useDevAccount(page, CAROL);
    await page.getByTestId("gasless-delegate-note").waitFor();
    await page.getByRole("button", { name: "Delegate to myself" }).click();
    await confirmed(page, /Delegate to myself without gas/);
    expect(await client.readContract({ address: token, abi: tokenAbi, functionName: "delegates", args: [CAROL] })).toBe(CAROL);
    expect(await client.getBalance({ address: CAROL })).toBe(0n);
    expect(await client.getTransactionCount({ address: relayer.address })).toBe(relayerNonce + 1);

    // Alice proposes (her own transaction); voting opens after the voting delay.
    const alice = createWalletClient({ account: ALICE, chain: hardhat, transport: http(stack.rpcUrl) });
    await client.waitForTransactionReceipt({ hash: await alice.writeContract({ address: token, abi: tokenAbi, functionName: "delegate", args: [ALICE] }) });
    await advanceChain(client, 2);
    const description = "# Pay the documentation team\n\nSends 1 ETH to the team that rewrote the member guide.";
    const targets = [DAVE] as const;
    const values = [parseEther("1")] as const;
    const calldatas = ["0x"] as const;
    await client.waitForTransactionReceipt({ hash: await alice.writeContract({ address: governor, abi: governorAbi, functionName: "propose", args: [targets, values, calldatas, description] }) });
    const proposalId = await client.readContract({ address: governor, abi: governorAbi, functionName: "hashProposal", args: [targets, values, calldatas, keccak256(toHex(description))] });
    const snapshot = await client.readContract({ address: governor, abi: governorAbi, functionName: "proposalSnapshot", args: [proposalId] });
    await advanceChain(client, Number(snapshot - (await client.getBlock()).timestamp) + 2);
    expect(await client.readContract({ address: governor, abi: governorAbi, functionName: "state", args: [proposalId] })).toBe(ProposalState.Active);

    // Carol votes For with a reason, without gas.
    await page.goto(`${stack.webUrl}/proposals/${proposalId}`);
    await page.getByTestId("gasless-note").waitFor({ timeout: 60_000 });
    await page.getByLabel("For", { exact: true }).check();
    await page.getByLabel("Reason (optional)").fill("The guide is much clearer — merci, gracias, 谢谢.");
    await page.getByRole("button", { name: "Vote without gas" }).click();
    await confirmed(page, /Vote For without gas/);
    expect(await client.readContract({ address: governor, abi: governorAbi, functionName: "hasVoted", args: [proposalId, CAROL] })).toBe(true);
    const [, forVotes] = await client.readContract({ address: governor, abi: governorAbi, functionName: "proposalVotes", args: [proposalId] });
    expect(forVotes).toBe(parseEther("100000"));
    const casts = await client.getContractEvents({ address: governor, abi: governorAbi, eventName: "VoteCast", fromBlock: 0n });
    expect(casts.map((e) => [e.args.voter, e.args.support, e.args.reason])).toEqual([[CAROL, Support.For, "The guide is much clearer — merci, gracias, 谢谢."]]);
    expect(await client.getBalance({ address: CAROL })).toBe(0n);
    await page.getByTestId("your-vote").filter({ hasText: "You voted For with 100,000 DEMO" }).waitFor({ timeout: 30_000 });
    await settled(page);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(200);
      expect(await tooWide(page)).toEqual([]);
      await page.screenshot({ path: path.join(shots, `gasless-voted-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    // Dave never delegated, so he had no votes at the snapshot: the relayer refuses, at no cost, and says why.
    const relayerNonceBefore = await client.getTransactionCount({ address: relayer.address });
    await useDevAccount(page, DAVE);
    await page.getByLabel("Against", { exact: true }).check();
    await page.getByRole("button", { name: "Vote without gas" }).click();
    const refused = page.getByTestId("relay-refused");
    await refused.waitFor({ timeout: 30_000 });
    expect(await refused.textContent()).toContain("The relayer did not send your vote: your account had no voting power when voting on this proposal opened");
    await page.getByRole("button", { name: "Send it myself" }).waitFor();
    await page.screenshot({ path: path.join(shots, "gasless-refused-1280.png"), fullPage: true });
    expect(await client.getTransactionCount({ address: relayer.address })).toBe(relayerNonceBefore);
    // The relayer's refusal is an HTTP error status, which Chromium also logs; nothing else went wrong.
    expect(errors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e))).toEqual([]);
  });
});
