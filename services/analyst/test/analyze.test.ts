import { getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { serializeReport } from "../src/report.ts";
import { proposalOf, setupChain, type Chain } from "./fixtures.ts";

let chain: Chain;

beforeAll(async () => {
  chain = await setupChain();
});

afterAll(() => chain?.close());

describe("findings carry evidence", () => {
  it("puts the call index, recipient, amount and share on an outflow finding", async () => {
    const report = await chain.analyze(await proposalOf(chain, "treasury drain, harmless description"));
    const outflow = report.findings.find((f) => f.id === "treasury-outflow/recipient")!;
    expect(outflow.evidence).toMatchObject({
      callIndex: 0,
      address: getAddress(chain.dao.accounts.outsider.account.address),
      asset: "ETH",
      amount: "60000000000000000000",
      treasuryBalance: "100000000000000000000",
      shareBps: 6000,
    });
  });

  it("a 1% grant is `for`; an analyst registration is medium and `abstain`", async () => {
    expect((await chain.analyze(await proposalOf(chain, "grant that matches its description"))).recommendation).toBe("for");
    const registration = await chain.analyze(await proposalOf(chain, "routine analyst registration"));
    expect(registration.findings.map((f) => `${f.id}:${f.severity}`)).toEqual(["access-control/analyst-registered:medium"]);
    expect(registration.recommendation).toBe("abstain");
    expect(registration.scores.risk).toBe(30);
  });
});

describe("report contents", () => {
  it("decodes calls, inspects targets and reads the treasury", async () => {
    const report = await chain.analyze(await proposalOf(chain, "hidden timelock grantRole among benign calls"));
    expect(report.schemaVersion).toBe(3);
    expect(report.status).toBe("analysed");
    expect(report.mode).toBe("deterministic");
    expect(report.chainId).toBe(31337);
    expect(report.decodedCalls.map((c) => [c.kind, c.signature, c.abiSource, c.decoded])).toEqual([
      ["eth-transfer", undefined, undefined, true],
      ["call", "grantRole(bytes32,address)", "TimelockController", true],
      ["call", "transfer(address,uint256)", "DAOToken", true],
    ]);
    expect(report.targets.map((t) => [t.kind, t.label])).toEqual([
      ["eoa", undefined],
      ["contract", "timelock"],
      ["contract", "token"],
    ]);
    expect(report.governance.balances[0]).toEqual({ asset: "ETH", symbol: "ETH", decimals: 18, balance: "100000000000000000000" });
    expect(report.governance.balances[1]).toMatchObject({ symbol: "DEMO", balance: (400_000n * 10n ** 18n).toString() });
    expect(report.findings[0]!.severity).toBe("critical"); // most severe first
  });

  it("adds the proposer's voting power when given", async () => {
    const { analyzeProposal } = await import("../src/analyze.ts");
    const alice = getAddress(chain.dao.accounts.alice.account.address);
    await chain.dao.token.write.delegate([alice], { account: chain.dao.accounts.alice.account });
    const report = await analyzeProposal({
      client: chain.dao.publicClient as never,
      deployment: chain.dao.deployment,
      proposal: await proposalOf(chain, "grant that matches its description"),
      proposer: alice,
    });
    expect(report.governance.proposer).toMatchObject({ address: alice, votes: (250_000n * 10n ** 18n).toString(), isAnalyst: false });
    expect(report.governance.proposer!.recentVoteChanges.at(-1)).toMatchObject({ previousVotes: "0", newVotes: (250_000n * 10n ** 18n).toString() });
  });

  it("is deterministic at a fixed block: same input, same bytes and hash", async () => {
    const proposal = await proposalOf(chain, "hidden timelock grantRole among benign calls");
    const block = await chain.dao.publicClient.getBlockNumber();
    const { analyzeProposal } = await import("../src/analyze.ts");
    // With the fork simulation: executing on a fork of the same block gives the same effects.
    const args = { client: chain.dao.publicClient as never, deployment: chain.dao.deployment, proposal, blockNumber: block, simulate: { forkUrl: chain.rpcUrl } };
    const a = serializeReport(await analyzeProposal(args));
    const b = serializeReport(await analyzeProposal(args));
    expect(a.json).toBe(b.json);
    expect(a.reportHash).toBe(b.reportHash);
    expect(JSON.parse(a.json).simulation.status).toBe("executed");
  });
});

describe("summary and coverage", () => {
  it("opens with one sentence in token units and lists what every check did", async () => {
    const report = await chain.analyze(await proposalOf(chain, "treasury drain, harmless description"), { simulate: false });
    const outsider = getAddress(chain.dao.accounts.outsider.account.address);
    // The description's contradictions (the corpus may add some) come after the effects, in code's words.
    expect(report.summary!.startsWith(`Sends 60 ETH (60 % of the treasury) to ${outsider.slice(0, 6)}…${outsider.slice(-4)}`)).toBe(true);
    const outflow = report.findings.find((f) => f.id === "treasury-outflow/recipient")!;
    expect(outflow.title).toBe(`Sends 60 ETH (60 % of the treasury's ETH) to ${outsider.slice(0, 6)}…${outsider.slice(-4)}`);
    expect(outflow.detail).toContain(outsider);
    expect(report.coverage!.find((c) => c.check === "treasury-outflow")).toMatchObject({ status: "ran" });
    expect(report.coverage!.find((c) => c.check === "simulated-outflow")).toMatchObject({ status: "skipped", reason: "the proposal was not run on a copy of the chain: not requested" });
    expect(report.inconclusive).toBe(false);
    expect(report.notes.join("\n")).not.toMatch(/inconclusive/);
  });

  it("a requested simulation that cannot run makes a harmless grant inconclusive: needs review, at least medium risk, said in the notes", async () => {
    const { analyzeProposal } = await import("../src/analyze.ts");
    const report = await analyzeProposal({
      client: chain.dao.publicClient as never,
      deployment: chain.dao.deployment,
      proposal: await proposalOf(chain, "grant that matches its description"),
      simulate: { forkUrl: "http://127.0.0.1:9/" },
    });
    expect(report.simulation?.status).toBe("failed");
    expect(report.inconclusive).toBe(true);
    expect(report.recommendation).toBe("needs-review");
    expect(report.riskFloor).toBeGreaterThanOrEqual(30);
    expect(report.scores.risk).toBe(report.riskFloor);
    expect(report.coverage!.filter((c) => c.status === "skipped").map((c) => c.check)).toEqual(expect.arrayContaining(["simulation", "simulated-effects", "simulated-outflow"]));
    expect(report.notes.join("\n")).toMatch(/^Inconclusive: 3 checks that apply could not run, .*a person should review the proposal before anyone votes: Running the proposal on a copy of the chain failed: the chain could not be copied: [^;]* \(so these could not run either: Effects the calls do not show, Treasury outflow measured on a copy of the chain\)\.$/m);
    expect(report.notes.join("\n")).not.toMatch(/— running the proposal/);
  });
});

describe("other tokens in the treasury", () => {
  it("measures an ERC20 transfer against the treasury's balance of that token", async () => {
    const { timelock } = chain.dao.deployment.contracts;
    const usd = await chain.connection.viem.deployContract("MockERC20", ["Mock USD", "mUSD", 6, timelock, 1_000_000n * 10n ** 6n]);
    const { encodeFunctionData, parseAbi } = await import("viem");
    const data = encodeFunctionData({
      abi: parseAbi(["function transfer(address,uint256) returns (bool)"]),
      functionName: "transfer",
      args: [chain.dao.accounts.outsider.account.address, 300_000n * 10n ** 6n],
    });
    const report = await chain.analyze({ targets: [usd.address], values: [0n], calldatas: [data], description: "Pay the auditors." });
    expect(report.governance.balances.map((b) => b.symbol)).toEqual(["ETH", "DEMO", "mUSD"]);
    expect(report.findings[0]).toMatchObject({ id: "treasury-outflow/recipient", severity: "critical", evidence: { shareBps: 3000 } });
    expect(report.recommendation).toBe("against");
  });
});
