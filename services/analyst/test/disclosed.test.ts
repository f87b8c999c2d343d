// Disclosed payments (a large payment the description states in full is medium, not high), calls
// decoded with well-known signatures (initializers), and ownership handed to the DAO's own contracts.
import { daoAbis, decodeCalls, standardAbis, type DecodedCall } from "@ai-dao/protocol";
import { encodeFunctionData, getAddress, parseAbi, parseEther, toFunctionSelector, type Abi, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { counterpartyControl } from "../src/checks/counterparty-control.ts";
import { disclosedPayments } from "../src/checks/description-amounts.ts";
import { simulatedEffects } from "../src/checks/simulated-effects.ts";
import { treasuryOutflow } from "../src/checks/treasury-outflow.ts";
import type { AnalysisContext, Finding } from "../src/checks/types.ts";
import { undecodableCalls } from "../src/checks/undecodable-calls.ts";
import type { CounterpartyInfo } from "../src/context/counterparties.ts";
import { initializerName } from "../src/context/initializers.ts";
import { INITIALIZER_SIGNATURES, KNOWN_SIGNATURES_SOURCE, knownSignatureAbis } from "@ai-dao/protocol";
import { noEffects, type SimulationResult } from "../src/simulate/simulate.ts";
import { setupChain, type Chain } from "../eval/chain.ts";
import { decodedCall, E18, ethCall, GOVERNOR, LOG, MALLORY, TIMELOCK, TOKEN, unitContext, VAULT } from "./context.ts";

const CAROL = getAddress("0x90f79bf6eb2c4f870365e785982e1f101e93b906");

function ctx(calls: DecodedCall[], description: string, extra: Partial<AnalysisContext> = {}): AnalysisContext {
  return unitContext({ calls, description, blockNumber: 1000n, ...extra });
}

const pay = ethCall;
const tokenPay = (index: number, to: Address, amount: bigint) => ({ ...decodedCall(index, TOKEN, "transfer(address,uint256)", [to, amount]), abiSource: "DAOToken" });
const brief = (findings: Finding[]) => findings.map((f) => `${f.id}:${f.severity}`);
const outflow = (c: AnalysisContext) => treasuryOutflow.check(c).filter((f) => f.id !== "treasury-outflow/third-party-transfer-from");

const STATED = `Pays 15 ETH (15% of the treasury's ETH) to carol (${CAROL}) for the full audit of the governance contracts.`;

describe("disclosed payments: the exact amount and the full address in the text voters see", () => {
  const disclosed = (description: string, amount = parseEther("15"), asset: "ETH" | Address = "ETH") =>
    disclosedPayments(ctx([asset === "ETH" ? pay(0, CAROL, amount) : tokenPay(0, CAROL, amount)], description))({ asset, recipient: CAROL, amount });

  it("must count a payment stated with its amount and the recipient's full address", () => {
    expect(disclosed(STATED)).toBe(true);
    expect(disclosed(`Send 15 ETH to ${CAROL.toLowerCase()}.`)).toBe(true);
    expect(disclosed(`Transfer 60,000 DEMO to ${CAROL} for the audit.`, 60_000n * E18, TOKEN)).toBe(true);
  });

  it("must not count a payment whose amount or recipient the text does not state exactly", () => {
    // The recipient by name or short form only.
    expect(disclosed("Pays 15 ETH to carol for the audit.")).toBe(false);
    expect(disclosed(`Pays 15 ETH to carol (${CAROL.slice(0, 6)}…${CAROL.slice(-4)}).`)).toBe(false);
    // Another amount, a rounded one, or the amount in another asset.
    expect(disclosed(STATED, parseEther("16"))).toBe(false);
    expect(disclosed(`Pays about 15 ETH to ${CAROL}.`, parseEther("15.1"))).toBe(false);
    expect(disclosed(`Pays 15 DEMO to ${CAROL}.`)).toBe(false);
    // Amount or address only where voters do not see it.
    expect(disclosed(`Pays carol for the audit. <!-- 15 ETH to ${CAROL} -->`)).toBe(false);
    expect(disclosed(`Pays 15 ETH to carol for the audit. <!-- ${CAROL} -->`)).toBe(false);
    // Another recipient's address.
    expect(disclosed(`Pays 15 ETH to ${MALLORY}.`)).toBe(false);
  });
});

describe("treasury-outflow: disclosed payments", () => {
  it("must not rate a disclosed 15 % payment high: medium, as the description states", () => {
    const [f] = outflow(ctx([pay(0, CAROL, parseEther("15"))], STATED));
    expect(`${f!.id}:${f!.severity}`).toBe("treasury-outflow/recipient:medium");
    expect(f!.title).toBe("Sends 15 ETH (15 % of the treasury's ETH) to 0x90F7…b906");
    expect(f!.detail).toBe(`15 ETH to ${CAROL} in action 1, as the description states (the amount and the full address); the treasury holds 100 ETH.`);
    expect(f!.evidence).toMatchObject({ disclosed: true, shareBps: 1500 });
  });

  it("must flag the same payment high when the description leaves out the amount or the address", () => {
    expect(brief(outflow(ctx([pay(0, CAROL, parseEther("15"))], "Pays 15 ETH to carol for the full audit.")))).toEqual(["treasury-outflow/recipient:high"]);
    expect(brief(outflow(ctx([pay(0, CAROL, parseEther("15"))], `Pays carol (${CAROL}) for the full audit.`)))).toEqual(["treasury-outflow/recipient:high"]);
    const [f] = outflow(ctx([pay(0, CAROL, parseEther("15"))], "Pays 15 ETH to carol for the full audit."));
    expect(f!.detail).not.toContain("as the description states");
    expect(f!.evidence.disclosed).toBeUndefined();
  });

  it("must keep a disclosed quarter of the treasury critical, and an unknown share high", () => {
    const quarter = outflow(ctx([pay(0, CAROL, parseEther("25"))], `Pays 25 ETH to ${CAROL}.`));
    expect(brief(quarter)).toEqual(["treasury-outflow/recipient:critical"]);
    expect(quarter[0]!.detail).not.toContain("as the description states");
    const unknown = ctx([pay(0, CAROL, parseEther("15"))], STATED);
    unknown.governance.balances[0]!.balance = null;
    expect(brief(outflow(unknown))).toEqual(["treasury-outflow/recipient:high"]);
  });

  it("must leave payments below the high tier as they are", () => {
    expect(brief(outflow(ctx([pay(0, CAROL, parseEther("5"))], `Pays 5 ETH to ${CAROL}.`)))).toEqual(["treasury-outflow/recipient:medium"]);
    expect(brief(outflow(ctx([pay(0, CAROL, parseEther("1"))], `Pays 1 ETH to ${CAROL}.`)))).toEqual(["treasury-outflow/recipient:low"]);
  });

  it("the total of several payments: medium when every payment is disclosed, high when one is not", () => {
    const calls = [pay(0, CAROL, parseEther("6")), pay(1, MALLORY, parseEther("6"))];
    const both = outflow(ctx(calls, `Two grants of 6 ETH each: one to ${CAROL}, one to ${MALLORY}.`));
    expect(brief(both)).toEqual(["treasury-outflow/recipient:medium", "treasury-outflow/recipient:medium", "treasury-outflow/total:medium"]);
    expect(both[2]!.detail).toContain("each payment as the description states");
    const one = outflow(ctx(calls, `Two grants of 6 ETH each: one to ${CAROL}, one to the events team.`));
    expect(brief(one)).toEqual(["treasury-outflow/recipient:medium", "treasury-outflow/recipient:medium", "treasury-outflow/total:high"]);
  });

  it("must flag an undisclosed second recipient high next to a disclosed one", () => {
    const findings = outflow(ctx([pay(0, CAROL, parseEther("15")), pay(1, MALLORY, parseEther("15"))], STATED));
    expect(brief(findings)).toEqual(["treasury-outflow/recipient:medium", "treasury-outflow/recipient:high", "treasury-outflow/total:critical"]);
  });
});

describe("counterparty-control: disclosed payments to an EOA", () => {
  const old = { firstSeen: { blockNumber: 10n, timestamp: 1_000n }, age: { blocks: 990n, seconds: 864_000n, clock: 864_000n }, priorInteractions: 0 };
  const eoa = (address: Address, extra: Partial<CounterpartyInfo> = {}): CounterpartyInfo => ({ address, roles: ["recipient"], callIndexes: [0], kind: "eoa", nonce: 3, ...old, singleKeyControl: true, ...extra });
  const run = (calls: DecodedCall[], description: string, counterparties: CounterpartyInfo[]) => counterpartyControl.check(ctx(calls, description, { counterparties }));

  it("must not rate a disclosed 15 % payment to a long-known EOA high: medium, as the description states", () => {
    const [f] = run([pay(0, CAROL, parseEther("15"))], STATED, [eoa(CAROL)]);
    expect(`${f!.id}:${f!.severity}`).toBe("counterparty-control/single-key:medium");
    expect(f!.detail).toContain(`In action 1, ${CAROL} receives 15 ETH (15 % of the treasury's ETH), as the description states (the amount and the full address).`);
    expect(f!.evidence).toMatchObject({ disclosed: true });
    const tokens = run([tokenPay(0, CAROL, 60_000n * E18)], `Transfer 60,000 DEMO to ${CAROL}.`, [eoa(CAROL)]);
    expect(brief(tokens)).toEqual(["counterparty-control/single-key:medium"]);
  });

  it("must flag an undisclosed 15 % payment, or a disclosed quarter of the treasury, high", () => {
    expect(brief(run([pay(0, CAROL, parseEther("15"))], "Pays 15 ETH to carol for the audit.", [eoa(CAROL)]))).toEqual(["counterparty-control/single-key:high"]);
    expect(brief(run([pay(0, CAROL, parseEther("30"))], `Pays 30 ETH to ${CAROL}.`, [eoa(CAROL)]))).toEqual(["counterparty-control/single-key:high"]);
    // Two assets to one EOA, only one of them stated.
    const mixed = run([pay(0, CAROL, parseEther("15")), tokenPay(1, CAROL, 60_000n * E18)], STATED, [eoa(CAROL, { callIndexes: [0, 1] })]);
    expect(brief(mixed)).toEqual(["counterparty-control/single-key:high"]);
  });

  it("must flag a disclosed payment to a contract or Safe one key controls high", () => {
    const vault: CounterpartyInfo = { ...eoa(CAROL), kind: "contract", controller: { via: "owner", address: MALLORY, isEoa: true } };
    expect(brief(run([pay(0, CAROL, parseEther("15"))], STATED, [vault]))).toEqual(["counterparty-control/single-key:high"]);
    const unread = eoa(CAROL, { unread: ["code"] });
    expect(brief(run([pay(0, CAROL, parseEther("15"))], STATED, [unread])).filter((id) => id.startsWith("counterparty-control/single-key"))).toEqual(["counterparty-control/single-key:high"]);
  });

  it("never lowers powers or allowances, however plainly the description states them", () => {
    const owner = run([decodedCall(0, VAULT, "transferOwnership(address)", [CAROL])], `Makes ${CAROL} the owner of the vault.`, [eoa(CAROL, { roles: ["new-owner"] })]);
    expect(brief(owner)).toEqual(["counterparty-control/single-key:high"]);
    const approval = run([decodedCall(0, TOKEN, "approve(address,uint256)", [CAROL, 60_000n * E18])], `Lets ${CAROL} spend 60,000 DEMO.`, [eoa(CAROL, { roles: ["spender"] })]);
    expect(brief(approval)).toEqual(["counterparty-control/single-key:high"]);
    // A disclosed payment does not lower the ownership handed over with it.
    const both = run([pay(0, CAROL, parseEther("15")), decodedCall(1, VAULT, "transferOwnership(address)", [CAROL])], STATED, [
      eoa(CAROL, { roles: ["recipient", "new-owner"], callIndexes: [0, 1] }),
    ]);
    expect(brief(both)).toEqual(["counterparty-control/single-key:high"]);
  });
});

describe("calls decoded with well-known signatures", () => {
  const initializeAbi = parseAbi(["function initialize(address owner)", "function reinitialize(uint64 version)", "function __Ownable_init(address initialOwner)"]);
  const unknownAbi = parseAbi(["function syncMembers()", "function registerRelayers(uint256 count)", "function withdraw(address to)"]);
  const decode = (data: `0x${string}`) => decodeCalls({ targets: [VAULT], values: [0n], calldatas: [data] }, { token: TOKEN, governor: GOVERNOR, timelock: TIMELOCK, decisionLog: LOG }, knownSignatureAbis);

  it("must decode the initializers the initializer check recognises, and leave them nothing to flag as undecodable", () => {
    for (const [functionName, args, signature] of [
      ["initialize", [TIMELOCK], "initialize(address)"],
      ["reinitialize", [2n], "reinitialize(uint64)"],
      ["__Ownable_init", [TIMELOCK], "__Ownable_init(address)"],
    ] as const) {
      const [call] = decode(encodeFunctionData({ abi: initializeAbi, functionName, args } as never));
      expect(call).toMatchObject({ decoded: true, functionName, signature, abiSource: KNOWN_SIGNATURES_SOURCE });
      expect(initializerName(call!)).toBe(functionName);
      expect(undecodableCalls.check(ctx([call!], "Initialise the vault."))).toEqual([]);
    }
  });

  it("must still flag calls no known signature decodes", () => {
    for (const functionName of ["syncMembers", "registerRelayers", "withdraw"] as const) {
      const args = functionName === "syncMembers" ? [] : functionName === "registerRelayers" ? [3n] : [MALLORY];
      const calls = decode(encodeFunctionData({ abi: unknownAbi, functionName, args } as never));
      expect(calls[0]!.decoded).toBe(false);
      expect(brief(undecodableCalls.check(ctx(calls, "Housekeeping.")))).toEqual(["undecodable-calls/unknown-function:high"]);
    }
  });

  it("one list: every initializer selector is decodable, and none shadows a DAO or standard function", () => {
    const known = new Set((knownSignatureAbis[0]!.abi as Abi).flatMap((item) => (item.type === "function" ? [toFunctionSelector(item)] : [])));
    expect([...known].sort()).toEqual([...new Set(INITIALIZER_SIGNATURES.map((s) => toFunctionSelector(s)))].sort());
    const others = [...Object.values(daoAbis), ...standardAbis.map((s) => s.abi)].flatMap((abi) => (abi as Abi).flatMap((item) => (item.type === "function" ? [toFunctionSelector(item)] : [])));
    expect(others.filter((s) => known.has(s))).toEqual([]);
  });
});

describe("simulated-effects: ownership handed to the DAO", () => {
  const initCall: DecodedCall = { ...decodedCall(0, VAULT, "initialize(address)", [TIMELOCK]), abiSource: KNOWN_SIGNATURES_SOURCE };
  const run = (newOwner: Address, previousOwner: Address = "0x0000000000000000000000000000000000000000") => {
    const simulation: AnalysisContext["simulation"] = {
      status: "simulated",
      forkUrl: "http://127.0.0.1:1",
      result: { status: "executed", forkBlock: 10n, calls: [], logs: [], trace: [], traceSource: "callTracer", effects: { ...noEffects(), ownershipChanges: [{ callIndex: 0, contract: VAULT, previousOwner, newOwner }] } } as SimulationResult,
    };
    return simulatedEffects.check(ctx([initCall], "Take ownership of the payroll vault.", { simulation }));
  };

  it("must not rate the timelock or the Governor becoming the owner high: low, with a plain title", () => {
    const [f] = run(TIMELOCK);
    expect(`${f!.id}:${f!.severity}`).toBe("simulated-effects/ownership-to-dao:low");
    expect(f!.title).toBe("Action 1 makes the treasury (timelock) the owner of 0x2000…0002");
    expect(f!.detail).toBe(`Run on a copy of the chain, ${VAULT} had no owner and now has ${TIMELOCK} (the DAO's timelock) as its owner: the DAO gains control of it.`);
    expect(brief(run(GOVERNOR, MALLORY))).toEqual(["simulated-effects/ownership-to-dao:low"]);
    expect(run(GOVERNOR, MALLORY)[0]!.detail).toContain(`was owned by ${MALLORY}`);
  });

  it("must flag ownership handed to anyone else high, the DAO's token and DecisionLog included", () => {
    expect(brief(run(MALLORY))).toEqual(["simulated-effects/hidden-ownership-change:high"]);
    expect(brief(run(MALLORY, TIMELOCK))).toEqual(["simulated-effects/hidden-ownership-change:high"]);
    expect(brief(run(TOKEN))).toEqual(["simulated-effects/hidden-ownership-change:high"]);
    expect(brief(run(LOG))).toEqual(["simulated-effects/hidden-ownership-change:high"]);
  });
});

// ---------------------------------------------------------------------------------------------
// On the local chain, with the fork simulation: the evaluation's scenarios.
describe("on the chain", () => {
  let chain: Chain;
  const initAbi = parseAbi(["function initialize(address owner)"]);
  const deploy = async (name: string, args: readonly unknown[] = []) => getAddress(((await chain.connection.viem.deployContract(name as never, args as never)) as { address: Address }).address);
  const settle = () => chain.connection.networkHelpers.time.increase(86_400);

  beforeAll(async () => {
    chain = await setupChain();
  }, 300_000);
  afterAll(() => chain?.close());

  it("a 15 % payment stated in full is medium in both checks; the same payment unstated stays high", async () => {
    const carol = getAddress(chain.dao.accounts.carol.account.address);
    const p = (description: string) => ({ targets: [carol], values: [parseEther("15")], calldatas: ["0x" as const], description });
    const stated = await chain.analyze(p(`Pays 15 ETH (15% of the treasury's ETH) to carol (${carol}) for the full audit.`));
    expect(brief(stated.findings as Finding[]).filter((f) => /high|critical/.test(f))).toEqual([]);
    expect(brief(stated.findings as Finding[])).toEqual(expect.arrayContaining(["treasury-outflow/recipient:medium", "counterparty-control/single-key:medium"]));
    expect(stated.riskFloor).toBeLessThan(40);
    const unstated = await chain.analyze(p("Pays 15 ETH to carol for the full audit."));
    expect(brief(unstated.findings as Finding[])).toEqual(expect.arrayContaining(["treasury-outflow/recipient:high", "counterparty-control/single-key:high"]));
  });

  it("the first initialize of a contract deployed for the DAO is decoded and low; a re-run on a live DAO-owned contract is still critical", async () => {
    const { timelock } = chain.dao.deployment.contracts;
    const payroll = await deploy("EvalPayrollVault");
    const attacker = getAddress(chain.dao.accounts.outsider.account.address);
    const staking = await deploy("EvalReinitializable", [getAddress(chain.dao.accounts.deployer.account.address), timelock]);
    await settle();
    const first = await chain.analyze({ targets: [payroll], values: [0n], calldatas: [encodeFunctionData({ abi: initAbi, args: [timelock] })], description: "Take ownership of the payroll vault: its first initialize makes the DAO's timelock its owner." });
    expect(first.decodedCalls[0]).toMatchObject({ decoded: true, functionName: "initialize", abiSource: KNOWN_SIGNATURES_SOURCE });
    expect(brief(first.findings as Finding[]).filter((f) => /high|critical/.test(f))).toEqual([]);
    expect(brief(first.findings as Finding[])).toEqual(expect.arrayContaining(["initializer-call/first-initialization:low", "simulated-effects/ownership-to-dao:low"]));
    const rerun = await chain.analyze({ targets: [staking], values: [0n], calldatas: [encodeFunctionData({ abi: initAbi, args: [attacker] })], description: "Re-sync the staking contract's configuration." });
    expect(brief(rerun.findings as Finding[])).toEqual(expect.arrayContaining(["initializer-call/already-initialized:critical", "simulated-effects/hidden-ownership-change:high"]));
    expect(rerun.recommendation).toBe("against");
  });
});
