// Fewer false alarms, and two new checks: recent voting power judged by where votes came from (held
// and delegated vs received), Governor and timelock parameters judged by the direction of the change,
// initializer calls on live contracts (Audius 2022) and missing descriptions (Indexed).
import type { NetworkConnection } from "hardhat/types/network";
import { encodeFunctionData, getAddress, parseAbi, parseEther, toFunctionSelector, type Address, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { DecodedCall } from "@ai-dao/protocol";
import { toJson } from "@ai-dao/reports";
import { delegateAll, deployLocalDAO, ethTransfer, propose, serveRpc, startVoting, type LocalDAO } from "@ai-dao/testkit";
import { analyzeProposal } from "../src/analyze.ts";
import { countWords, descriptionMissing } from "../src/checks/description-missing.ts";
import { governorParameters } from "../src/checks/governor-parameters.ts";
import { initializerCall } from "../src/checks/initializer-call.ts";
import { recentVotingPower } from "../src/checks/recent-voting-power.ts";
import type { AnalysisContext, Finding } from "../src/checks/types.ts";
import { INITIALIZABLE_SLOT, initializerName, type InitializerInfo } from "../src/context/initializers.ts";
import { withOrigin, type AccountVotingPower, type VotesOrigin } from "../src/context/voting-power.ts";
import { noEffects, type SimulationResult } from "../src/simulate/simulate.ts";
import { reportSchema } from "../src/report.ts";
import { shortAddress } from "../src/units.ts";
import { build, setupChain, type Chain } from "./fixtures.ts";
import { decodedCall, E18, ethCall, GOVERNOR, LOG, MALLORY, TIMELOCK, TOKEN, unitContext, type UnitContextOptions, VAULT } from "./context.ts";

const BOB = getAddress("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");

function ctx(overrides: UnitContextOptions = {}): AnalysisContext {
  return unitContext(overrides);
}

const call = (index: number, target: Address, _functionName: string, signature: string, args: readonly unknown[], abiSource = "DAOGovernor"): DecodedCall => decodedCall(index, target, signature, args, abiSource);
const emptyCall = (index: number, to: Address): DecodedCall => ({ index, target: to, value: 0n, selector: null, kind: "empty", decoded: true });
const undecoded = (index: number, to: Address, signature: string): DecodedCall => ({ index, target: to, value: 0n, selector: toFunctionSelector(signature), kind: "call", decoded: false });
const brief = (findings: Finding[]) => findings.map((f) => `${f.id}:${f.severity}`);

// ---------------------------------------------------------------------------------------------
describe("recent voting power: held and delegated tokens are not acquired", () => {
  const origin = (o: Partial<VotesOrigin> = {}): VotesOrigin => ({
    since: "window",
    heldThroughBlock: 5n,
    referenceBlock: 10n,
    arrived: 0n,
    unexplained: 0n,
    delegatedByOthers: 0n,
    delegators: 1,
    newDelegators: 0,
    sources: [],
    ...o,
  });
  const account = (votes: bigint, votesBefore: bigint, acquired: bigint, o?: VotesOrigin | { unknown: string }): AccountVotingPower => {
    const a: AccountVotingPower = { address: MALLORY, role: "proposer", votes, votesBefore, acquired };
    return o === undefined ? a : withOrigin(a, o);
  };
  const run = (a: AccountVotingPower, symbol?: string) =>
    recentVotingPower.check(
      ctx({ ...(symbol !== undefined ? { symbol } : {}), votingPower: { clockMode: "timestamp", reference: 1000n, referenceKind: "now", window: 85n, accounts: [a] } }),
    );

  it("a genesis holder delegating to itself just before proposing: nothing", () => {
    // The demo: 250,000 DEMO held since the DAO's genesis, self-delegated seconds before proposing.
    expect(run(account(250_000n * E18, 0n, 0n, origin({ since: "genesis", heldThroughBlock: 3n, delegators: 1 })))).toEqual([]);
  });

  it("tokens received within the window (Beanstalk) stay critical, in token units", () => {
    const findings = run(account(150_000n * E18, 0n, 150_000n * E18, origin({ arrived: 150_000n * E18, sources: [{ from: BOB, to: MALLORY, amount: 150_000n * E18 }] })));
    expect(brief(findings)).toEqual(["recent-voting-power/acquired:critical"]);
    expect(findings[0]!.title).toBe("The proposer 0x976E…0aa9 got 100 % of its votes (150,000 DEMO of 150,000 DEMO) from tokens received in the 1 min before the analysis");
    expect(findings[0]!.detail).toContain(MALLORY); // full address where the power goes
    expect(findings[0]!.detail).toContain(`150,000 DEMO from ${BOB}`);
    expect(findings[0]!.evidence).toMatchObject({ amount: (150_000n * E18).toString(), arrived: (150_000n * E18).toString(), since: "window" });
  });

  it("holders delegating tokens they already had: one medium finding in plain words, not acquired", () => {
    const findings = run(account(200_000n * E18, 40_000n * E18, 0n, origin({ delegatedByOthers: 160_000n * E18, delegators: 3, newDelegators: 2 })));
    expect(brief(findings)).toEqual(["recent-voting-power/delegated:medium"]);
    expect(findings[0]!.title).toBe("80 % of the proposer 0x976E…0aa9's votes (160,000 DEMO) were delegated to it by 2 other holders in the 1 min before the analysis");
    expect(findings[0]!.detail).toContain("nothing was bought or borrowed");
  });

  it("delegation below the quorum, or a minority of the votes, is not reported", () => {
    expect(run(account(30_000n * E18, 0n, 0n, origin({ delegatedByOthers: 30_000n * E18, newDelegators: 1 })))).toEqual([]); // quorum is 40,000
    expect(run(account(500_000n * E18, 400_000n * E18, 0n, origin({ delegatedByOthers: 100_000n * E18, newDelegators: 1 })))).toEqual([]); // 20 % of its votes
  });

  it("an origin that could not be traced counts every new vote (fail closed) and says why", () => {
    const findings = run(account(150_000n * E18, 0n, 150_000n * E18, { unknown: "logs unavailable" }));
    expect(brief(findings)).toEqual(["recent-voting-power/acquired:critical"]);
    expect(findings[0]!.detail).toContain("could not be traced (logs unavailable)");
    expect(findings[0]!.evidence.originUnknown).toBe("logs unavailable");
  });

  it("a hostile token symbol is cleaned in the title", () => {
    const findings = run(account(150_000n * E18, 0n, 150_000n * E18, origin({ arrived: 150_000n * E18 })), "DE\u202EMO\u200B");
    expect(findings[0]!.title).toContain("150,000 DEMO of 150,000 DEMO");
  });

  it("the origin stays out of the report's votingPower section (its schema is strict)", () => {
    const vp = { clockMode: "timestamp" as const, reference: 1000n, referenceKind: "now" as const, window: 85n, accounts: [account(5n, 0n, 5n, origin({ arrived: 5n }))] };
    expect(vp.accounts[0]!.origin).toBeDefined();
    expect(toJson(vp)).toEqual({ clockMode: "timestamp", reference: "1000", referenceKind: "now", window: "85", accounts: [{ address: MALLORY, role: "proposer", votes: "5", votesBefore: "0", acquired: "5" }] });
    expect(reportSchema.shape.votingPower.parse(toJson(vp))).toBeDefined();
  });
});

// ---------------------------------------------------------------------------------------------
describe("governor and timelock parameters: judged by direction", () => {
  const gov = (functionName: string, signature: string, value: bigint | Address) => governorParameters.check(ctx({ calls: [call(0, GOVERNOR, functionName, signature, [value])] }));
  const period = (v: bigint) => gov("setVotingPeriod", "setVotingPeriod(uint32)", v);
  const quorum = (v: bigint) => gov("updateQuorumNumerator", "updateQuorumNumerator(uint256)", v);
  const delay = (v: bigint) => gov("setVotingDelay", "setVotingDelay(uint48)", v);
  const threshold = (v: bigint) => gov("setProposalThreshold", "setProposalThreshold(uint256)", v);
  const extension = (v: bigint) => gov("setLateQuorumVoteExtension", "setLateQuorumVoteExtension(uint48)", v);
  const timelockDelay = (v: bigint, target = TIMELOCK) => governorParameters.check(ctx({ calls: [call(0, target, "updateDelay", "updateDelay(uint256)", [v], "TimelockController")] }));

  it("lengthening the voting period from 300 s to 600 s is low, even though it is under an hour", () => {
    const [f] = period(600n);
    expect(f!.severity).toBe("low");
    expect(f!.title).toBe("Action 1: Lengthens the voting period from 5 min to 10 min (safer: holders get more time)");
    expect(f!.evidence).toMatchObject({ newValue: "600", currentValue: "300", direction: "higher" });
  });

  it("small uints decoded as numbers (uint32, uint48) are judged like bigints", () => {
    const asDecoded = (functionName: string, signature: string, value: number) =>
      governorParameters.check(ctx({ calls: [call(0, GOVERNOR, functionName, signature, [value as unknown as bigint])] }));
    expect(brief(asDecoded("setVotingPeriod", "setVotingPeriod(uint32)", 600))).toEqual(["governor-parameters/voting-period:low"]);
    expect(brief(asDecoded("setVotingDelay", "setVotingDelay(uint48)", 31 * 86_400))).toEqual(["governor-parameters/voting-delay:critical"]);
  });

  it("shortening is medium, below an hour critical; out-of-range values critical in any direction", () => {
    const withPeriod = (current: bigint, next: bigint) =>
      governorParameters.check({ ...ctx({ calls: [call(0, GOVERNOR, "setVotingPeriod", "setVotingPeriod(uint32)", [next])] }), governance: { ...ctx().governance, governor: { ...ctx().governance.governor, votingPeriod: current } } });
    expect(brief(withPeriod(7n * 86_400n, 3n * 86_400n))).toEqual(["governor-parameters/voting-period:medium"]);
    expect(brief(withPeriod(86_400n, 1_800n))).toEqual(["governor-parameters/voting-period:critical"]);
    expect(brief(withPeriod(600n, 300n))).toEqual(["governor-parameters/voting-period:critical"]);
    expect(brief(period(1n))).toEqual(["governor-parameters/voting-period:critical"]); // the eval's sabotage
    expect(brief(period(91n * 86_400n))).toEqual(["governor-parameters/voting-period:critical"]);
    expect(brief(period(0n))).toEqual(["governor-parameters/voting-period:critical"]);
    expect(brief(period(300n))).toEqual(["governor-parameters/voting-period:info"]);
  });

  it("quorum: higher low, lower medium, 0 and 100 % critical, above half of the supply medium", () => {
    expect(quorum(5n)[0]!.title).toBe("Action 1: Raises the quorum from 4 % of the supply to 5 % of the supply (safer: more votes are needed to pass a proposal)");
    expect(brief(quorum(5n))).toEqual(["governor-parameters/quorum:low"]);
    expect(brief(quorum(3n))).toEqual(["governor-parameters/quorum:medium"]);
    expect(brief(quorum(0n))).toEqual(["governor-parameters/quorum:critical"]);
    expect(brief(quorum(100n))).toEqual(["governor-parameters/quorum:critical"]);
    expect(brief(quorum(60n))).toEqual(["governor-parameters/quorum:medium"]);
    expect(brief(quorum(4n))).toEqual(["governor-parameters/quorum:info"]);
  });

  it("voting delay, proposal threshold and late-quorum extension by direction, in human units", () => {
    expect(brief(delay(86_400n))).toEqual(["governor-parameters/voting-delay:low"]);
    expect(delay(86_400n)[0]!.title).toBe("Action 1: Lengthens the voting delay from 10 s to 1 day (safer: more time to review and delegate before the snapshot)");
    expect(brief(delay(0n))).toEqual(["governor-parameters/voting-delay:medium"]);
    expect(brief(delay(31n * 86_400n))).toEqual(["governor-parameters/voting-delay:critical"]);
    expect(threshold(5_000n * E18)[0]!.title).toBe("Action 1: Raises the proposal threshold from 1,000 DEMO to 5,000 DEMO (safer: fewer accounts can put proposals to a vote)");
    expect(brief(threshold(5_000n * E18))).toEqual(["governor-parameters/proposal-threshold:low"]);
    expect(brief(threshold(0n))).toEqual(["governor-parameters/proposal-threshold:medium"]);
    expect(brief(threshold(2_000_000n * E18))).toEqual(["governor-parameters/proposal-threshold:critical"]);
    expect(brief(extension(600n))).toEqual(["governor-parameters/late-quorum-extension:low"]);
    expect(brief(extension(10n))).toEqual(["governor-parameters/late-quorum-extension:medium"]);
    expect(brief(extension(31n * 86_400n))).toEqual(["governor-parameters/late-quorum-extension:critical"]);
    expect(brief(gov("updateTimelock", "updateTimelock(address)", MALLORY))).toEqual(["governor-parameters/timelock:critical"]);
    expect(gov("updateTimelock", "updateTimelock(address)", MALLORY)[0]!.detail).toContain(MALLORY);
  });

  it("the timelock's updateDelay: longer low, shorter medium, 0 high, over 30 days critical; only on the timelock", () => {
    expect(timelockDelay(120n)[0]!.title).toBe("Action 1: Lengthens the timelock delay from 1 min to 2 min (safer: more time to react before execution)");
    expect(brief(timelockDelay(120n))).toEqual(["governor-parameters/timelock-delay:low"]);
    expect(brief(timelockDelay(30n))).toEqual(["governor-parameters/timelock-delay:medium"]);
    expect(brief(timelockDelay(0n))).toEqual(["governor-parameters/timelock-delay:high"]);
    expect(brief(timelockDelay(31n * 86_400n))).toEqual(["governor-parameters/timelock-delay:critical"]);
    expect(timelockDelay(0n, VAULT)).toEqual([]);
  });

  it("new risk tiers: longer delays low, the same info, shorter medium, no extra time for risky or unanalysed proposals high", () => {
    // The context's tiers: risk 40+ → 180 s, 70+ → 600 s, over a timelock minimum of 60 s.
    const tiers = (...t: [number, number][]) => gov("setRiskTiers", "setRiskTiers((uint8,uint32)[])", t.map(([minRisk, delay]) => ({ minRisk, delay })) as never);
    expect(brief(tiers([40, 180], [70, 3_600]))).toEqual(["governor-parameters/risk-tiers:low"]);
    expect(brief(tiers([40, 180], [70, 600]))).toEqual(["governor-parameters/risk-tiers:info"]);
    const shorter = tiers([40, 180], [70, 300]);
    expect(brief(shorter)).toEqual(["governor-parameters/risk-tiers:medium"]);
    expect(shorter[0]!.detail).toBe("Less time to react before execution: proposals the analysis scores 70 or more from 10 min to 5 min; proposals with no analysis from 10 min to 5 min.");
    const removed = tiers([90, 60]);
    expect(brief(removed)).toEqual(["governor-parameters/risk-tiers:high"]);
    expect(removed[0]!.title).toBe("Action 1: Removes the extra delay for risky and unanalysed proposals (from risk 40+ → 3 min, risk 70+ → 10 min to risk 90+ → 1 min)");
    expect(removed[0]!.evidence).toMatchObject({ newValue: [{ minRisk: 90, delay: "60" }], direction: "lower" });
    // Lowering one tier's threshold is longer delays for more risks: safer.
    expect(brief(tiers([30, 180], [70, 600]))).toEqual(["governor-parameters/risk-tiers:low"]);
  });

  it("a block-number clock speaks in blocks: the Governor's clock, read with its parameters, without any voting-power context", () => {
    const base = ctx({ calls: [call(0, GOVERNOR, "setVotingPeriod", "setVotingPeriod(uint32)", [600n])] });
    const c = { ...base, governance: { ...base.governance, governor: { ...base.governance.governor, clockMode: "blocknumber" as const } } };
    expect(c.votingPower).toBeUndefined();
    expect(governorParameters.check(c)[0]!.title).toBe("Action 1: Lengthens the voting period from 300 blocks (about 1 h) to 600 blocks (about 2 h) (safer: holders get more time)");
  });
});

// ---------------------------------------------------------------------------------------------
describe("initializer calls", () => {
  const init = (index = 0, target = VAULT) => undecoded(index, target, "initialize(address)");
  const info = (state: InitializerInfo["state"], extra: Partial<InitializerInfo> = {}): InitializerInfo => ({ callIndex: 0, target: VAULT, name: "initialize", state, implementation: null, daoControl: [], owner: null, holdings: [], ...extra });
  const simulation = (success: boolean, effects: Partial<SimulationResult["effects"]> = {}): AnalysisContext["simulation"] => ({
    status: "simulated",
    forkUrl: "http://127.0.0.1:1",
    result: { status: success ? "executed" : "reverted", forkBlock: 10n, calls: [{ index: 0, success, gasUsed: 1n, logCount: 0 }], logs: [], trace: [], traceSource: "top-level", effects: { ...noEffects(), ...effects } },
  });
  const run = (c: Partial<AnalysisContext>, calls = [init()]) => initializerCall.check(ctx({ calls, ...c }));

  it("uses OpenZeppelin 5's ERC-7201 Initializable slot", () => {
    expect(INITIALIZABLE_SLOT).toBe("0xf0c57e16840df040f15088dc2f81fe391c3923bec73e23a9662efc9c229c6a00");
  });

  it("recognises initializers by name or selector, and nothing else", () => {
    expect(initializerName(init())).toBe("initialize");
    expect(initializerName(undecoded(0, VAULT, "initializeV2()"))).toBe("initializeV2");
    expect(initializerName(undecoded(0, VAULT, "reinitialize(uint64)"))).toBe("reinitialize");
    expect(initializerName(call(0, VAULT, "__Ownable_init", "__Ownable_init(address)", [MALLORY], "X"))).toBe("__Ownable_init");
    expect(initializerName(call(0, VAULT, "init", "init()", [], "X"))).toBe("init");
    expect(initializerName(call(0, VAULT, "initialized", "initialized()", [], "X"))).toBeNull();
    expect(initializerName(call(0, VAULT, "transfer", "transfer(address,uint256)", [MALLORY, 1n], "ERC20"))).toBeNull();
    expect(initializerName(undecoded(0, VAULT, "initialise_me(address)"))).toBeNull();
    expect(initializerCall.check(ctx({ calls: [ethCall(0, VAULT, 1n)] }))).toEqual([]);
  });

  it("an initializer on an initialised contract is critical (Audius)", () => {
    const findings = run({ initializers: [info({ kind: "initialized", version: 1n, disabled: false, initializing: false }, { daoControl: ["owner"] })], simulation: simulation(false) });
    expect(brief(findings)).toEqual(["initializer-call/already-initialized:critical"]);
    expect(findings[0]!.title).toBe("Action 1: calls initialize on 0x2000…0002, which is already initialised (version 1)");
    expect(findings[0]!.detail).toContain(VAULT);
    expect(findings[0]!.evidence).toMatchObject({ state: "initialized", version: "1", simulation: "reverted", daoControl: ["owner"] });
  });

  it("a reinitializer right after an upgrade of the same proxy is high, not critical", () => {
    const upgrade = call(0, VAULT, "upgradeTo", "upgradeTo(address)", [MALLORY], "UUPS");
    const findings = run({ initializers: [info({ kind: "initialized", version: 1n, disabled: false, initializing: false }, { callIndex: 1 })] }, [upgrade, { ...init(1) }]);
    expect(brief(findings)).toEqual(["initializer-call/reinitialize-after-upgrade:high"]);
  });

  it("an initializer that succeeds on a live DAO-owned contract whose storage does not tell is the takeover", () => {
    const live = info({ kind: "unknown", reason: "its code does not use OpenZeppelin 5's Initializable storage" }, { daoControl: ["owner"], holdings: [{ asset: "ETH", amount: parseEther("5") }] });
    const findings = run({ initializers: [live], simulation: simulation(true) });
    expect(brief(findings)).toEqual(["initializer-call/takeover:critical"]);
    expect(findings[0]!.detail).toContain("It holds 5 ETH");
    // Not simulated, or reverting: unknown, medium, never silently safe.
    expect(brief(run({ initializers: [live] }))).toEqual(["initializer-call/unknown:medium"]);
    expect(brief(run({ initializers: [live], simulation: simulation(false) }))).toEqual(["initializer-call/unknown:medium"]);
    // Not read at all: medium.
    expect(brief(run({}))).toEqual(["initializer-call/unknown:medium"]);
  });

  it("a first initialisation is not critical: low for a fresh contract, info for one the proposal creates", () => {
    expect(brief(run({ initializers: [info({ kind: "not-initialized" })], simulation: simulation(true) }))).toEqual(["initializer-call/first-initialization:low"]);
    expect(brief(run({ initializers: [info({ kind: "not-initialized" }, { holdings: [{ asset: "ETH", amount: 1n }] })] }))).toEqual(["initializer-call/first-initialization:medium"]);
    const created = run(
      { initializers: [info({ kind: "no-code" }, { callIndex: 1 })], simulation: { ...simulation(true), result: { ...(simulation(true) as { result: SimulationResult }).result, calls: [{ index: 0, success: true, gasUsed: 1n, logCount: 0 }, { index: 1, success: true, gasUsed: 1n, logCount: 0 }], effects: { ...noEffects(), contractsCreated: [{ callIndex: 0, address: VAULT, type: "CREATE2", creator: TIMELOCK }] } } } as AnalysisContext["simulation"] },
      [emptyCall(0, MALLORY), init(1)],
    );
    expect(brief(created)).toEqual(["initializer-call/new-contract:info"]);
    expect(brief(run({ initializers: [info({ kind: "no-code" })] }))).toEqual(["initializer-call/unknown:medium"]);
  });
});

// ---------------------------------------------------------------------------------------------
describe("missing descriptions", () => {
  const transfer = call(0, TOKEN, "transfer", "transfer(address,uint256)", [MALLORY, 4_000n * E18], "DAOToken");
  const run = (description: string, calls: DecodedCall[] = [ethCall(0, MALLORY, parseEther("5"))], extra: Partial<AnalysisContext> = {}) => descriptionMissing.check(ctx({ description, calls, ...extra }));

  it("an empty or title-only description on a payment is high (Indexed)", () => {
    const empty = run("");
    expect(brief(empty)).toEqual(["description-missing/empty:high"]);
    expect(empty[0]!.title).toBe("The description is empty, yet the proposal sends 5 ETH (action 1)");
    expect(brief(run("   \n\t  "))).toEqual(["description-missing/empty:high"]);
    expect(brief(run("# Pay the documentation sprint contributors for March"))).toEqual(["description-missing/title-only:high"]);
    expect(brief(run("**Treasury top-up**"))).toEqual(["description-missing/title-only:high"]);
    expect(brief(run("# Grant\n\n## Details"))).toEqual(["description-missing/title-only:high"]);
    expect(brief(run("Pay Bob.", [transfer]))).toEqual(["description-missing/too-short:high"]);
    expect(run("", [transfer])[0]!.title).toBe("The description is empty, yet the proposal transfers 4,000 DEMO (action 1)");
  });

  it("markup, the proposer suffix, hidden text and hidden characters are not words", () => {
    expect(brief(run(`Top-up #proposer=${MALLORY}`))).toEqual(["description-missing/too-short:high"]);
    expect(brief(run("<!-- Pays 5 ETH to the documentation team for the March sprint, as agreed on the forum -->"))).toEqual(["description-missing/empty:high"]);
    expect(brief(run("\u200b\u200b\u3164\u3164\u2800"))).toEqual(["description-missing/empty:high"]);
    expect(brief(run("[//]: # (Pays 5 ETH to the documentation team for the March sprint)\n\n---"))).toEqual(["description-missing/empty:high"]);
    expect(brief(run("https://forum.example.org/t/documentation-sprint-march-budget/1234"))).toEqual(["description-missing/too-short:high"]);
    expect(brief(run("Grant\u0000 for the documentation team, 5 ETH, as agreed on the forum"))).toEqual(["description-missing/too-short:high"]);
    expect(brief(run("🚀🚀🚀 💸💸"))).toEqual(["description-missing/empty:high"]);
  });

  it("powers and calls nobody can decode count as much as funds", () => {
    expect(brief(run("", [call(0, TIMELOCK, "grantRole", "grantRole(bytes32,address)", [`0x${"00".repeat(32)}`, MALLORY], "TimelockController")]))).toEqual(["description-missing/empty:high"]);
    expect(brief(run("", [call(0, GOVERNOR, "setVotingPeriod", "setVotingPeriod(uint32)", [600n])]))).toEqual(["description-missing/empty:high"]);
    expect(brief(run("", [undecoded(0, VAULT, "syncMembers()")]))).toEqual(["description-missing/empty:high"]);
    expect(brief(run("", [init()]))).toEqual(["description-missing/empty:high"]);
    const drained = simulationOf({ ethBalanceChanges: [{ address: TIMELOCK, before: 10n * E18, after: 0n, delta: -10n * E18 }] });
    expect(brief(run("", [emptyCall(0, VAULT)], { simulation: drained }))).toEqual(["description-missing/empty:high"]);
  });

  it("says what a call does in plain words, not by its function name", () => {
    const grant = run("", [call(0, TIMELOCK, "grantRole", "grantRole(bytes32,address)", [`0x${"00".repeat(32)}`, MALLORY], "TimelockController")]);
    expect(grant[0]!.title).toBe(`The description is empty, yet the proposal grants a role to ${MALLORY.slice(0, 6)}…${MALLORY.slice(-4)} on the treasury (timelock) (action 1)`);
    const approve = run("", [call(0, TOKEN, "approve", "approve(address,uint256)", [MALLORY, 2n ** 256n - 1n], "ERC20")]);
    expect(approve[0]!.title).toBe(`The description is empty, yet the proposal lets ${MALLORY.slice(0, 6)}…${MALLORY.slice(-4)} spend any amount of the treasury's DEMO (action 1)`);
    expect(approve[0]!.title).not.toMatch(/calls approve/);
  });

  it("a short description on a harmless call is low at most; a real description is nothing", () => {
    expect(brief(run("", [emptyCall(0, VAULT)]))).toEqual(["description-missing/empty:low"]);
    expect(brief(run("Ping.", [call(0, VAULT, "decreaseAllowance", "decreaseAllowance(address,uint256)", [MALLORY, 1n], "ERC20")]))).toEqual(["description-missing/too-short:low"]);
    expect(run("# Documentation sprint\n\nPay 5 ETH to the documentation team for the March sprint.")).toEqual([]);
    expect(run("Pay 5 ETH to 0x976EA74026E726554dB657fA54763abd0C3a0aa9 for docs.")).toEqual([]);
    // Scripts without spaces between words, and right-to-left text.
    expect(run("为文档冲刺向贡献者支付五个以太币")).toEqual([]);
    expect(run("ادفع 5 ETH لفريق التوثيق مقابل العمل")).toEqual([]);
    expect(run("Оплатить 5 ETH за спринт документации")).toEqual([]);
  });

  it("bounded work on a huge description", () => {
    const started = performance.now();
    expect(countWords("a ".repeat(500_000))).toBe(5);
    expect(run(`${"\u200b".repeat(200_000)}`)).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  const init = () => undecoded(0, VAULT, "initialize(address)");
  function simulationOf(effects: Partial<SimulationResult["effects"]>): AnalysisContext["simulation"] {
    return { status: "simulated", forkUrl: "http://127.0.0.1:1", result: { status: "executed", forkBlock: 10n, calls: [], logs: [], trace: [], traceSource: "top-level", effects: { ...noEffects(), ...effects } } };
  }
});

// ---------------------------------------------------------------------------------------------
// On the real local chain: the DAO deployed as `npm run deploy` does.
const initializeAbi = parseAbi(["function initialize(address owner)"]);
type ReportFinding = { id: string; check: string; severity: string };
const recent = (report: { findings: ReportFinding[] }) => report.findings.filter((f) => f.check === "recent-voting-power").map((f) => `${f.id}:${f.severity}`);

describe("on the chain: recent voting power", () => {
  let connection: NetworkConnection;
  let dao: LocalDAO;
  // The window the young-DAO cases run with: long enough that the whole deployment falls inside it
  // however slow the machine, so the DAO's genesis is what the votes are judged against.
  const WINDOW = 3_600n;
  const analyse = (proposer: Address | undefined, proposal = ethTransfer(getAddress(dao.accounts.carol.account.address), parseEther("5"), "Pay 5 ETH for the documentation sprint: three pages rewritten, reviewed on the forum.")) =>
    analyzeProposal({ client: dao.publicClient as never, deployment: dao.deployment, proposal, votesWindowSeconds: WINDOW, ...(proposer !== undefined ? { proposer } : {}) });
  const addressOf = (name: keyof LocalDAO["accounts"]) => getAddress(dao.accounts[name].account.address);

  beforeAll(async () => {
    const { network } = await import("hardhat");
    connection = await network.create();
    dao = await deployLocalDAO(connection);
    const [deployer] = await connection.viem.getWalletClients();
    await deployer!.sendTransaction({ to: dao.deployment.contracts.timelock, value: parseEther("100") });
  });
  afterAll(() => connection?.close());

  it("genesis holders who delegate and propose at once raise no recent-votes finding (the demo)", async () => {
    await delegateAll(dao, connection);
    const report = await analyse(addressOf("alice"));
    expect(recent(report)).toEqual([]);
    expect(report.recommendation).not.toBe("against");
    expect(report.votingPower!.accounts[0]).toMatchObject({ role: "proposer", votesBefore: "0", acquired: "0", votes: (250_000n * E18).toString() });
  });

  it("a holder who receives tokens from another just before proposing is still critical", async () => {
    const outsider = addressOf("outsider");
    await dao.token.write.transfer([outsider, 100_000n * E18], { account: dao.accounts.bob.account });
    await dao.token.write.delegate([outsider], { account: dao.accounts.outsider.account });
    const report = await analyse(outsider);
    expect(recent(report)).toEqual(["recent-voting-power/acquired:critical"]);
    const finding = report.findings.find((f) => f.id === "recent-voting-power/acquired")!;
    expect(finding.title).toContain("(100,000 DEMO of 100,000 DEMO)");
    expect(finding.detail).toContain(`100,000 DEMO from ${addressOf("bob")} to ${outsider}`);
    expect(finding.evidence).toMatchObject({ since: "genesis", arrived: (100_000n * E18).toString() });
  });

  it("other holders delegating their own tokens just before: medium, not acquired", async () => {
    const erin = addressOf("erin");
    await dao.token.write.delegate([erin], { account: dao.accounts.carol.account }); // 100,000 DEMO
    await dao.token.write.delegate([erin], { account: dao.accounts.bob.account }); // 50,000 DEMO left after the transfer above
    const report = await analyse(erin);
    expect(recent(report)).toEqual(["recent-voting-power/delegated:medium"]);
    expect(report.findings.find((f) => f.id === "recent-voting-power/delegated")!.evidence).toMatchObject({ delegatedByOthers: (150_000n * E18).toString(), newDelegators: 2, arrived: "0" });
  });

  it("once the DAO is older than the window: bought votes are critical, long-held ones nothing, at the snapshot too", async () => {
    await connection.networkHelpers.time.increase(86_400);
    expect(recent(await analyse(addressOf("alice")))).toEqual([]);
    expect(recent(await analyse(addressOf("outsider")))).toEqual([]); // its tokens are a day old now

    // Carol takes her delegation back to herself: her own long-held tokens.
    await dao.token.write.delegate([addressOf("carol")], { account: dao.accounts.carol.account });
    expect(recent(await analyse(addressOf("carol")))).toEqual([]);

    // A fresh account is funded and proposes at once.
    const executor = addressOf("executor");
    await dao.token.write.transfer([executor, 50_000n * E18], { account: dao.accounts.alice.account });
    await dao.token.write.delegate([executor], { account: dao.accounts.executor.account });
    await connection.networkHelpers.mine();
    const proposal = ethTransfer(executor, parseEther("3"), "Fund the research collective with 3 ETH for the quarter, as discussed.");
    expect(recent(await analyse(executor, proposal))).toEqual(["recent-voting-power/acquired:critical"]);

    // On chain: judged at the proposal's snapshot, for the largest voters.
    const id = await propose(dao, executor, proposal);
    await startVoting(dao, connection, id);
    await dao.governor.write.castVote([id, 1], { account: dao.accounts.executor.account });
    await dao.governor.write.castVote([id, 1], { account: dao.accounts.alice.account });
    const onChain = await analyse(undefined, proposal);
    expect(onChain.votingPower!.referenceKind).toBe("snapshot");
    expect(onChain.findings.filter((f) => f.check === "recent-voting-power").map((f) => [f.evidence.address, f.severity])).toEqual([[executor, "critical"]]);
  });
});

describe("on the chain: initializer calls, with the fork simulation", () => {
  let connection: NetworkConnection;
  let dao: LocalDAO;
  let rpc: Awaited<ReturnType<typeof serveRpc>>;
  const deploy = async (name: string, args: readonly unknown[] = []) => getAddress(((await connection.viem.deployContract(name as never, args as never)) as { address: Address }).address);
  const analyse = (target: Address, data: Hex, description = "Set the vault's owner, as agreed on the forum last week.") =>
    analyzeProposal({ client: dao.publicClient as never, deployment: dao.deployment, proposal: { targets: [target], values: [0n], calldatas: [data], description }, simulate: { forkUrl: rpc.url } });
  const initFindings = <F extends ReportFinding>(report: { findings: F[] }) => report.findings.filter((f) => f.check === "initializer-call");

  beforeAll(async () => {
    const { network } = await import("hardhat");
    connection = await network.create();
    dao = await deployLocalDAO(connection);
    rpc = await serveRpc(connection.provider as never);
  });
  afterAll(async () => {
    await rpc?.close();
    await connection?.close();
  });

  it("re-running initialize on a live, DAO-owned proxy is critical", async () => {
    const { timelock } = dao.deployment.contracts;
    const implementation = await deploy("EvalUpgradeableVault");
    const proxy = await deploy("ERC1967Proxy", [implementation, encodeFunctionData({ abi: initializeAbi, args: [timelock] })]);
    const attacker = getAddress(dao.accounts.outsider.account.address);
    const report = await analyse(proxy, encodeFunctionData({ abi: initializeAbi, args: [attacker] }));
    const [finding] = initFindings(report);
    expect(`${finding!.id}:${finding!.severity}`).toBe("initializer-call/already-initialized:critical");
    expect(finding!.evidence).toMatchObject({ state: "initialized", version: "1", daoControl: ["owner"], implementation, simulation: "reverted" });
    expect(report.recommendation).toBe("against");
  });

  it("the first initialize of a contract just deployed is not critical", async () => {
    const implementation = await deploy("EvalUpgradeableVault");
    // OpenZeppelin 5's proxy needs constructor data: a harmless view call leaves it uninitialised.
    const proxy = await deploy("ERC1967Proxy", [implementation, encodeFunctionData({ abi: parseAbi(["function UPGRADE_INTERFACE_VERSION() view returns (string)"]) })]);
    const report = await analyse(proxy, encodeFunctionData({ abi: initializeAbi, args: [dao.deployment.contracts.timelock] }));
    expect(initFindings(report).map((f) => `${f.id}:${f.severity}`)).toEqual(["initializer-call/first-initialization:low"]);
    expect(initFindings(report)[0]!.evidence).toMatchObject({ state: "not-initialized", simulation: "succeeded" });
  });

  it("an initializer whose own guard does not hold, on a live contract holding ETH, is the takeover", async () => {
    const vault = await deploy("FaInitializableLegacy", [dao.deployment.contracts.timelock]);
    const [deployer] = await connection.viem.getWalletClients();
    await deployer!.sendTransaction({ to: vault, value: parseEther("5") });
    const attacker = getAddress(dao.accounts.outsider.account.address);
    const report = await analyse(vault, encodeFunctionData({ abi: initializeAbi, args: [attacker] }));
    const [finding] = initFindings(report);
    expect(`${finding!.id}:${finding!.severity}`).toBe("initializer-call/takeover:critical");
    expect(finding!.evidence).toMatchObject({ state: "unknown", daoControl: ["owner"], simulation: "succeeded", holdings: [{ asset: "ETH", amount: parseEther("5").toString() }] });
    expect(finding!.detail).toContain("It holds 5 ETH");
  });
});

describe("on the chain: the evaluation's Beanstalk scenario", () => {
  let chain: Chain;
  beforeAll(async () => {
    chain = await setupChain();
  });
  afterAll(() => chain?.close());

  it("flash-acquired voting power before proposing is still critical", async () => {
    const { proposal, proposer } = await build(chain, "flash-acquired voting power before proposing");
    const report = await chain.analyze(proposal, { proposer: proposer!, simulate: false });
    expect(recent(report)).toEqual(["recent-voting-power/acquired:critical"]);
    const finding = report.findings.find((f) => f.id === "recent-voting-power/acquired")!;
    expect(finding.title).toBe(`The proposer ${shortAddress(proposer!)} got 100 % of its votes (150,000 DEMO of 150,000 DEMO) from tokens received in the 1 min before the analysis`);
    expect(finding.evidence).toMatchObject({ since: "window", arrived: (150_000n * E18).toString() });
  });
});
