// End to end in real Chromium (Debian's /usr/bin/chromium driven by playwright-core) against a real
// local stack started by ./harness.ts. Screenshots go to e2e/screenshots/.
import path from "node:path";

import { DecisionKind, decodeProposalCreated, getDecisions, governorAbi, ReportEncoding } from "@ai-dao/protocol";
import { checkIds, checkName, decodeReport, plainDeflateRaw } from "@ai-dao/reports";
import type { Page } from "playwright-core";
import { concatHex, createPublicClient, createWalletClient, encodeAbiParameters, encodeFunctionData, erc20Abi, http, parseAbi, parseAbiItem, parseAbiParameters, stringToHex, toFunctionSelector, type Address, type Hex, type PublicClient } from "viem";
import { hardhat } from "viem/chains";
import { describe, expect, it } from "vitest";

import { advance, confirmed, dev, secondsToEta, settled, shots, tooWide, useDevAccount, watch, withStack } from "./browser.ts";

const { alice: ALICE, bob: BOB, carol: CAROL, erin: ERIN, executor: EXECUTOR } = dev;
const tokenAbi = parseAbi(["function getVotes(address) view returns (uint256)", "function balanceOf(address) view returns (uint256)"]);

/** Fills the builder with one token transfer from the treasury and previews its analysis. */
async function buildTransfer(page: Page, to: Address, tokens: string, description: string) {
  await page.getByRole("button", { name: "Remove action 1" }).click();
  await page.getByRole("button", { name: "+ Send tokens from the treasury" }).click();
  await page.getByLabel("Recipient address").fill(to);
  await page.getByLabel("Amount (tokens)").fill(tokens);
  await page.getByLabel(/Description/).fill(description);
  await page.getByRole("button", { name: "Preview analysis" }).click();
  await page.getByTestId("analysis-preview").waitFor({ timeout: 60_000 });
}

/** Who sent the transaction that emitted the Governor's `event` for `proposalId`. */
async function senderOf(client: PublicClient, governor: Address, event: "ProposalQueued" | "ProposalExecuted", proposalId: bigint) {
  const abi = event === "ProposalQueued" ? parseAbiItem("event ProposalQueued(uint256 proposalId, uint256 etaSeconds)") : parseAbiItem("event ProposalExecuted(uint256 proposalId)");
  const logs = (await client.getLogs({ address: governor, event: abi as never, fromBlock: 0n })) as unknown as { args: { proposalId: bigint }; transactionHash: `0x${string}` }[];
  const log = logs.find((l) => l.args.proposalId === proposalId);
  if (!log) return undefined;
  return (await client.getTransaction({ hash: log.transactionHash })).from.toLowerCase();
}

describe("with the chain only", () => {
  const platform = withStack({ services: false });

  it("delegates through the UI with a node development account and moves the chain's clock", async () => {
    const { stack, context } = platform;
    const client = createPublicClient({ transport: http(stack.rpcUrl) });
    const token = stack.deployment.contracts.token as Address;
    const page = await context.newPage();
    const errors = watch(page, "chain-only", { stack });
    await page.goto(`${stack.webUrl}/delegates`);
    await useDevAccount(page, ALICE);
    expect(await client.readContract({ address: token, abi: tokenAbi, functionName: "getVotes", args: [ALICE] })).toBe(0n);
    await page.getByRole("button", { name: "Delegate to myself" }).click();
    await confirmed(page, /Delegate/);
    expect(await client.readContract({ address: token, abi: tokenAbi, functionName: "getVotes", args: [ALICE] })).toBe(250_000n * 10n ** 18n);

    await advance(page, client as PublicClient, 3600);

    await page.goto(`${stack.webUrl}/treasury`);
    await expect.poll(async () => page.getByTestId("treasury-token").textContent(), { timeout: 20_000 }).toBe("400,000");
    for (const route of ["proposals", "proposals/new", "delegates", "treasury", "decisions"]) {
      await page.goto(`${stack.webUrl}/${route}`);
      await settled(page);
      await page.screenshot({ path: path.join(shots, `chain-only-${route.replace("/", "-")}.png`), fullPage: true });
    }
    expect(errors.filter((e) => e.startsWith("pageerror"))).toEqual([]);
  });
});

/** A description that tries to track its readers and hide what it asks for (typed in the builder). */
const TRACKING_AND_HIDDEN = [
  "# Pay the auditor",
  "",
  "Pay 1 ETH to the auditor. See [the invoice](https://tracker.example/invoice) and ![our logo](https://tracker.example/pixel.png?reader=1).",
  "",
  '<img src="https://tracker.example/raw.png"> <!-- 9 ETH -->',
  "",
  "[//]: # (the real amount is 9 ETH)",
  "",
  'Questions: [mail us](mailto:dao@example.org "9 ETH")',
].join("\n");

/** Bytes no text box can produce: a byte-order mark, an invalid byte, a NUL with text after it, a tracking image, a 100 KB word, a deep list. */
function hostileBytes(): Hex {
  let list = "";
  for (let i = 0; i < 60; i++) list += `${"  ".repeat(i)}- level ${i}\n`;
  const before = stringToHex("# Pay the designer\n\nPay 1 ETH to the designer.\n\n![](https://tracker.example/nul.png)\n\n<div>9 ETH</div>\n\nInvoice ");
  const after = stringToHex(` then 9 ETH\n\n${list}\n\n\`${"x".repeat(3000)}\`\n\n${"W".repeat(100_000)}\n`);
  return concatHex(["0xefbbbf", before, "0xff", "0x00", after]);
}

/** `Governor.propose` with the description as raw bytes (ABI-encoded `string` and `bytes` are the same). */
function proposeWithBytes(targets: Address[], values: bigint[], calldatas: Hex[], description: Hex): Hex {
  return concatHex([toFunctionSelector("propose(address[],uint256[],bytes[],string)"), encodeAbiParameters(parseAbiParameters("address[], uint256[], bytes[], bytes"), [targets, values, calldatas, description])]);
}

describe("with the whole platform", () => {
  const platform = withStack({ services: true });

  it("full scenario: delegate, propose, analysis, verify, no script injection, vote, the executor queues and executes", async () => {
    const { stack, context } = platform;
    const client = createPublicClient({ transport: http(stack.rpcUrl) }) as PublicClient;
    const token = stack.deployment.contracts.token as Address;
    const governor = stack.deployment.contracts.governor as Address;
    const page = await context.newPage();
    const errors = watch(page, "full", { stack });
    await page.goto(`${stack.webUrl}/delegates`);
    await useDevAccount(page, ALICE);
    await page.getByRole("button", { name: "Delegate to myself" }).click();
    await confirmed(page, /Delegate/);
    // Let the delegation age past the analyst's "votes acquired just before the snapshot" window
    // (85 s with the local profile's 300 s voting period). Proposing at once is possible too (the
    // chain test covers it), but the analysis then carries a critical finding and the executor
    // holds the proposal for review instead of queueing it.
    await advance(page, client, 600);

    await page.goto(`${stack.webUrl}/proposals/new`);
    await buildTransfer(page, ERIN, "1000", '# Pay erin for the design work\n\nHello <script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 1">');
    await page.screenshot({ path: path.join(shots, "new-proposal-preview.png"), fullPage: true });
    await page.getByRole("button", { name: "Submit proposal" }).click();
    await confirmed(page, /Propose/);
    await page.waitForURL(/\/proposals\/\d+$/, { timeout: 30_000 });
    const proposalId = BigInt(new URL(page.url()).pathname.split("/").pop()!);
    expect(await client.readContract({ address: governor, abi: parseAbi(["function proposalProposer(uint256) view returns (address)"]), functionName: "proposalProposer", args: [proposalId] })).toBe(ALICE);
    const erinBefore = await client.readContract({ address: token, abi: tokenAbi, functionName: "balanceOf", args: [ERIN] });

    // The analyst publishes its analysis once it sees the proposal.
    await expect.poll(async () => page.getByTestId("risk-score").count(), { timeout: 120_000, interval: 1_000 }).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.getByTestId("description").locator("script, img").count()).toBe(0);
    // The analyst consulted the model (the harness's loopback stand-in): each claim with its status and cited evidence.
    await page.getByTestId("intent-vs-effect").waitFor({ timeout: 10_000 });
    expect(await page.getByTestId("claim").first().textContent()).toMatch(/“The proposal calls transfer”.*matches the calls.*Action 1 does this\..*action 1/s);
    await page.getByTestId("analysis-panel").screenshot({ path: path.join(shots, "analysis-model-claims.png") });
    // One wording for the member: actions counted from 1, no fork, no deterministic floor, no decision ids.
    const panelText = await page.getByTestId("analysis-panel").innerText();
    expect(panelText).not.toMatch(/\b[Cc]alls? \d|\bfork\b|deterministic floor|model judgement|in the decision log, as/);
    expect(panelText).toMatch(/Also read by the model .*; it can raise the risk score, never lower it below what the checks found\./);
    // What was checked: the report (schema version 3) names each check by id only; the page labels
    // it from the catalogue, in words, never the id.
    await page.getByTestId("analysis-coverage").getByText("What was checked").click();
    const entries = await page.getByTestId("coverage-entry").allTextContents();
    expect(entries).toHaveLength(checkIds.length);
    expect(entries).toContain(`${checkName("treasury-outflow")}: checked`);
    expect(entries.filter((e) => checkIds.some((id) => e.startsWith(`${id}:`)))).toEqual([]);
    await page.getByTestId("analysis-coverage").screenshot({ path: path.join(shots, "analysis-coverage.png") });

    await page.getByText("Report as published (exact JSON)").click();
    await page.getByRole("button", { name: "Verify on chain" }).click();
    await expect.poll(async () => page.getByTestId("verify-verdict").textContent(), { timeout: 20_000 }).toMatch(/^Match/);
    expect(await page.getByTestId("verify-result").innerText()).toContain("the on-chain bytes read as compressed JSON (raw DEFLATE with the report dictionary, inflated here)");
    await page.screenshot({ path: path.join(shots, "proposal-verified.png"), fullPage: true });
    // The published bytes are standard raw DEFLATE: Chromium's own DecompressionStream inflates
    // them, given the dictionary in front as a stored block, to the same report.
    const [published] = await getDecisions(client, { decisionLog: stack.deployment.contracts.decisionLog as Address, proposalId, kind: DecisionKind.Analysis, fromBlock: 0n });
    expect(published!.encoding).toBe(ReportEncoding.DeflateRawDictionary1);
    const { stream, skip } = plainDeflateRaw(published!.encoding, published!.reportBytes);
    const natively = await page.evaluate(
      async ({ bytes, skip }) => {
        const inflated = new Response(new Blob([new Uint8Array(bytes)]).stream().pipeThrough(new DecompressionStream("deflate-raw")));
        return new TextDecoder().decode(new Uint8Array(await inflated.arrayBuffer()).subarray(skip));
      },
      { bytes: [...stream], skip },
    );
    expect(natively).toBe(decodeReport(published!.encoding, published!.reportBytes));
    expect(JSON.parse(natively)).toMatchObject({ proposal: { proposalId: proposalId.toString() } });
    await page.getByTestId("report-json").evaluate((pre) => {
      pre.textContent = (pre.textContent ?? "").replace(/"risk":\d+/, '"risk":0');
    });
    expect(await page.getByTestId("report-json").textContent()).toContain('"risk":0');
    await page.getByRole("button", { name: "Verify on chain" }).click();
    await expect.poll(async () => page.getByTestId("verify-verdict").textContent(), { timeout: 20_000 }).toMatch(/^MISMATCH/);
    await page.reload();

    const state = () => page.getByTestId("proposal-state").textContent();
    await advance(page, client, 11);
    await expect.poll(state, { timeout: 30_000 }).toBe("Active");
    await page.getByRole("radio", { name: "For" }).check();
    await page.getByLabel("Reason (optional)").fill("good work");
    await page.getByRole("button", { name: "Submit vote" }).click();
    await confirmed(page, /Vote For/);
    await page.getByTestId("vote-row").first().waitFor({ timeout: 30_000 });

    // Past the deadline: the executor queues the proposal that succeeded.
    await advance(page, client, 301);
    await expect.poll(state, { timeout: 30_000 }).toBe("Queued");
    expect(await senderOf(client, governor, "ProposalQueued", proposalId)).toBe(EXECUTOR.toLowerCase());
    // Past the wait its risk earned: the executor executes it.
    await advance(page, client, await secondsToEta(client, governor, proposalId));
    await expect.poll(state, { timeout: 60_000 }).toBe("Executed");
    expect(await senderOf(client, governor, "ProposalExecuted", proposalId)).toBe(EXECUTOR.toLowerCase());
    expect(await client.readContract({ address: token, abi: tokenAbi, functionName: "balanceOf", args: [ERIN] })).toBe(erinBefore + 1000n * 10n ** 18n);
    await page.screenshot({ path: path.join(shots, "proposal-executed.png"), fullPage: true });
    for (const route of ["proposals", "delegates", "treasury", "decisions"]) {
      await page.goto(`${stack.webUrl}/${route}`);
      await settled(page);
      await page.screenshot({ path: path.join(shots, `${route}.png`), fullPage: true });
    }
    expect(errors.filter((e) => e.startsWith("pageerror"))).toEqual([]);
  });

  it("proposing with tokens received just before: the executor holds it, a member queues and executes it from the page", async () => {
    const { stack, context } = platform;
    const client = createPublicClient({ transport: http(stack.rpcUrl) }) as PublicClient;
    const token = stack.deployment.contracts.token as Address;
    const governor = stack.deployment.contracts.governor as Address;
    const page = await context.newPage();
    const errors = watch(page, "hold", { stack });
    // Bob receives 200,000 DEMO from alice (more than his own 150,000 and than the quorum) just before he
    // delegates and proposes: votes from tokens that arrived within the window are the Beanstalk
    // pattern, unlike a holder's own allocation delegated late.
    const alice = createWalletClient({ account: ALICE, transport: http(stack.rpcUrl), chain: hardhat });
    const sent = await alice.sendTransaction({ to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [BOB, 200_000n * 10n ** 18n] }) });
    expect((await client.waitForTransactionReceipt({ hash: sent })).status).toBe("success");
    await page.goto(`${stack.webUrl}/delegates`);
    await useDevAccount(page, BOB);
    await page.getByRole("button", { name: "Delegate to myself" }).click();
    await confirmed(page, /Delegate/);

    // No time passes: the Governor counts Bob's votes at clock() - 1, i.e. from the block after the delegation.
    await page.goto(`${stack.webUrl}/proposals/new`);
    await buildTransfer(page, ERIN, "500", "# Pay erin for the illustrations");
    await page.getByRole("button", { name: "Submit proposal" }).click();
    await confirmed(page, /Propose/);
    await page.waitForURL(/\/proposals\/\d+$/, { timeout: 30_000 });
    const proposalId = BigInt(new URL(page.url()).pathname.split("/").pop()!);
    const erinBefore = await client.readContract({ address: token, abi: tokenAbi, functionName: "balanceOf", args: [ERIN] });

    // Votes from tokens received just before the snapshot: a critical finding in the published analysis.
    await expect.poll(async () => page.getByTestId("risk-score").count(), { timeout: 120_000, interval: 1_000 }).toBeGreaterThan(0);
    await expect.poll(async () => page.getByTestId("analysis-panel").textContent(), { timeout: 10_000 }).toMatch(/\[critical\].*of its votes \(200,000 DEMO of 350,000 DEMO\) from tokens received/);
    // The model's section: the critical finding as an effect the description leaves out, citing it.
    expect(await page.getByTestId("undisclosed-effect").first().textContent()).toMatch(/from tokens received.*evidence: finding “/s);
    await page.getByTestId("analysis-panel").screenshot({ path: path.join(shots, "analysis-model-undisclosed.png") });

    const state = () => page.getByTestId("proposal-state").textContent();
    await advance(page, client, 11);
    await expect.poll(state, { timeout: 30_000 }).toBe("Active");
    await page.getByRole("radio", { name: "For" }).check();
    await page.getByRole("button", { name: "Submit vote" }).click();
    await confirmed(page, /Vote For/);

    // The executor refuses to queue it and publishes its guard decision, which the page shows.
    await advance(page, client, 301);
    await expect.poll(state, { timeout: 30_000 }).toBe("Succeeded");
    await expect.poll(async () => page.getByTestId("guard-decision").first().textContent().catch(() => ""), { timeout: 60_000, interval: 1_000 }).toMatch(/holding before it may queue because the published analysis has a critical finding.*recent-voting-power/);
    expect(await state()).toBe("Succeeded");
    const guard = page.getByTestId("guard-decision").first();
    await guard.getByText("Report", { exact: true }).click();
    await guard.getByTestId("guard-report").waitFor();
    await guard.screenshot({ path: path.join(shots, "guard-decision-on-proposal.png") });

    // The hold leads the page, and queuing it takes a confirmation that names why.
    await page.getByRole("button", { name: "Queue", exact: true }).click();
    await page.getByLabel("I have read these findings and still want to queue").check();
    await page.getByRole("button", { name: "Queue anyway" }).click();
    await confirmed(page, /^Queue/);
    await expect.poll(state, { timeout: 30_000 }).toBe("Queued");
    expect(await senderOf(client, governor, "ProposalQueued", proposalId)).toBe(BOB.toLowerCase());

    // A risky analysis earns a longer wait than the timelock's minimum, and the page says how long and why.
    const earned = await client.readContract({ address: governor, abi: governorAbi, functionName: "proposalRiskDelay", args: [proposalId] });
    expect(earned.delay).toBeGreaterThan(60);
    await expect.poll(async () => page.getByTestId("risk-delay").textContent(), { timeout: 10_000 }).toMatch(new RegExp(`It waits ${earned.delay / 60} minutes between queueing and execution because, when it was queued, the latest analysis rated its risk ${earned.risk} out of 100`));
    await advance(page, client, await secondsToEta(client, governor, proposalId));
    const execute = page.getByRole("button", { name: "Execute", exact: true });
    await expect.poll(async () => execute.isEnabled(), { timeout: 30_000 }).toBe(true);
    await execute.click();
    await page.getByLabel("I have read these findings and still want to execute").check();
    await page.getByRole("button", { name: "Execute anyway" }).click();
    await confirmed(page, /^Execute/);
    await expect.poll(state, { timeout: 30_000 }).toBe("Executed");
    expect(await senderOf(client, governor, "ProposalExecuted", proposalId)).toBe(BOB.toLowerCase());
    expect(await client.readContract({ address: token, abi: tokenAbi, functionName: "balanceOf", args: [ERIN] })).toBe(erinBefore + 500n * 10n ** 18n);
    await page.screenshot({ path: path.join(shots, "proposal-held-then-executed.png"), fullPage: true });
    // The decision log (newest first) shows the guard decision as what it is, and the analysis as an analysis.
    for (const kind of ["EXECUTION_GUARD", "ANALYSIS"]) {
      await page.goto(`${stack.webUrl}/decisions?kind=${kind}`);
      await settled(page);
      await page.getByRole("button", { name: "View" }).first().click();
      await page.getByTestId(kind === "ANALYSIS" ? "risk-score" : "guard-report").first().waitFor();
      expect(await page.getByTestId("report-unreadable").count()).toBe(0);
      await page.screenshot({ path: path.join(shots, `decision-${kind.toLowerCase().replace("_", "-")}.png`), fullPage: true });
    }
    expect(errors.filter((e) => e.startsWith("pageerror"))).toEqual([]);
  });

  it("no request leaves for an outside host, hidden content is shown in a warning, and nothing widens the page", async () => {
    const { stack, context } = platform;
    const client = createPublicClient({ transport: http(stack.rpcUrl) }) as PublicClient;
    const governor = stack.deployment.contracts.governor as Address;
    const token = stack.deployment.contracts.token as Address;
    const ours = new Set([stack.webUrl, stack.rpcUrl, new URL(stack.indexerUrl).origin, stack.analystUrl, stack.executorUrl].map((u) => new URL(u).origin));
    const page = await context.newPage();
    const errors = watch(page, "privacy", { stack });
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    const outside = () => requests.filter((u) => !/^(data|blob):/.test(u) && !ours.has(new URL(u).origin));

    await page.goto(`${stack.webUrl}/delegates`);
    await useDevAccount(page, CAROL);
    await page.getByRole("button", { name: "Delegate to myself" }).click();
    await confirmed(page, /Delegate/);

    // 1. Typed in the builder: its preview renders the same way and warns the same way.
    await page.goto(`${stack.webUrl}/proposals/new`);
    await buildTransfer(page, ERIN, "10", TRACKING_AND_HIDDEN);
    const preview = page.getByTestId("description-preview");
    expect(await preview.getByTestId("hidden-content-warning").isVisible()).toBe(true);
    expect(await preview.getByTestId("description").locator("img").count()).toBe(0);
    await page.screenshot({ path: path.join(shots, "privacy-builder-preview.png"), fullPage: true });
    await page.getByRole("button", { name: "Submit proposal" }).click();
    await confirmed(page, /Propose/);
    await page.waitForURL(/\/proposals\/\d+$/, { timeout: 30_000 });
    const typedId = BigInt(new URL(page.url()).pathname.split("/").pop()!);
    expect(await client.readContract({ address: governor, abi: parseAbi(["function proposalProposer(uint256) view returns (address)"]), functionName: "proposalProposer", args: [typedId] })).toBe(CAROL);

    // 2. Raw bytes straight to the Governor.
    const wallet = createWalletClient({ account: CAROL, transport: http(stack.rpcUrl), chain: hardhat });
    const transfer = encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [ERIN, 5n * 10n ** 18n] });
    const hash = await wallet.sendTransaction({ to: governor, data: proposeWithBytes([token], [0n], [transfer], hostileBytes()), gas: 15_000_000n });
    const receipt = await client.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe("success");
    const created = decodeProposalCreated(receipt.logs.find((l) => l.address.toLowerCase() === governor.toLowerCase())!);
    expect(created.descriptionBytes).toBe(hostileBytes());
    const rawId = created.proposalId;

    for (const [name, id] of [["typed", typedId], ["bytes", rawId]] as const) {
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${stack.webUrl}/proposals/${id}`);
        const warning = page.getByTestId("hidden-content-warning");
        await warning.waitFor({ timeout: 60_000 });
        expect(await warning.isVisible()).toBe(true);
        expect(await warning.textContent()).toMatch(/This description contains text that is not shown: \d+ hidden passages/);
        await warning.getByText("Show hidden text").click();
        expect(await warning.getByTestId("hidden-passage").filter({ hasText: "9 ETH" }).first().isVisible()).toBe(true);
        expect(await page.getByTestId("description").locator("img").count()).toBe(0);
        // Give the page time to ask for anything it would load, then check where every request went.
        await page.waitForTimeout(1_500);
        expect(outside()).toEqual([]);
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
        expect(scrollWidth, `${name} at ${width}px: ${(await tooWide(page)).join("; ")}`).toBeLessThanOrEqual(innerWidth);
        if (name === "bytes") {
          expect(await page.getByTestId("invalid-text-warning").isVisible()).toBe(true);
          expect(await page.getByTestId("description").textContent()).toMatch(/Invoice \uFFFD␀ then 9 ETH/);
          expect(await page.getByTestId("hidden-chars-warning").textContent()).toMatch(/U\+FEFF/);
        }
        const file = path.join(shots, `privacy-${name}-${width}.png`);
        // The 100 KB word makes the page very tall: the viewport shows the warnings, then the
        // hidden-character warning and the start of the description.
        await page.screenshot({ path: file, fullPage: name === "typed" });
        if (name === "bytes") {
          await warning.getByText("Show hidden text").click(); // closed again
          await page.getByTestId("hidden-chars-warning").evaluate((el) => el.scrollIntoView());
          await page.screenshot({ path: path.join(shots, `privacy-${name}-${width}-description.png`) });
        }
      }
    }
    // The recorder does see a request to an outside host (a control for the checks above).
    expect(requests.some((u) => u.startsWith(stack.rpcUrl))).toBe(true);
    await page.evaluate(() => fetch("https://tracker.example/control").catch(() => null));
    await expect.poll(outside, { timeout: 5_000 }).toEqual(["https://tracker.example/control"]);
    expect(errors.filter((e) => e.startsWith("pageerror"))).toEqual([]);
  });
});
