import { daoAbis, decodeCalls, ERC1967_ADMIN_SLOT, type DecodedCall } from "@ai-dao/protocol";
import { erc20Transfer, ethTransfer, passProposal } from "@ai-dao/testkit";
import {
  concat,
  createPublicClient,
  custom,
  encodeFunctionData,
  getAddress,
  pad,
  parseAbi,
  parseEther,
  toFunctionSelector,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { counterpartyControl } from "../src/checks/counterparty-control.ts";
import type { AnalysisContext } from "../src/checks/types.ts";
import { counterpartyInvolvements, firstBlock, readCounterparties, type CounterpartyInfo, type ReadCounterpartiesArgs } from "../src/context/counterparties.ts";
import { normalizeProposal, type ProposalInput } from "../src/proposal.ts";
import { setupChain, type Chain } from "../eval/chain.ts";
import { E18, GOVERNOR, LOG, TIMELOCK, TOKEN, unitContext } from "./context.ts";

const DEMO = 10n ** 18n;

const abi = parseAbi([
  "function transfer(address to, uint256 amount) returns (bool)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function transferOwnership(address newOwner)",
  "function grantRole(bytes32 role, address account)",
  "function setAnalyst(address account, bool registered)",
  "function _setPendingAdmin(address newPendingAdmin)",
  "function withdraw(address to)",
  "function setPublisher(address account, bool allowed)",
]);
const enc = (functionName: string, args: readonly unknown[]) => encodeFunctionData({ abi, functionName, args } as never);

let chain: Chain;
let client: PublicClient;
let contracts: Chain["dao"]["deployment"]["contracts"];
const accountNames = ["alice", "bob", "carol", "dave", "erin", "outsider", "executor", "guardian"] as const;
const deployedNames = ["oldVault", "daoVault", "safe1", "safe23", "adminOwned", "daoOwnedEoaAdmin", "freshVault", "delegated", "reverting", "garbage", "hugeSafe", "zeroThreshold"] as const;
/** The accounts the tests use, by name: development accounts and what `beforeAll` deploys. */
const a = {} as Record<(typeof accountNames)[number] | (typeof deployedNames)[number], Address>;

async function deploy(name: string, args: readonly unknown[]): Promise<Address> {
  const contract = (await chain.connection.viem.deployContract(name as never, args as never)) as { address: Address };
  return getAddress(contract.address);
}

async function setCode(address: Address, code: Hex) {
  await chain.connection.provider.request({ method: "hardhat_setCode", params: [address, code] });
  await chain.connection.networkHelpers.mine();
}

beforeAll(async () => {
  chain = await setupChain();
  client = chain.dao.publicClient as never;
  contracts = chain.dao.deployment.contracts;
  const { accounts } = chain.dao;
  for (const name of accountNames) a[name] = getAddress(accounts[name].account.address);

  // Old accounts: deployed, then two days pass.
  a.oldVault = await deploy("CpOwnedVault", [a.dave]);
  a.daoVault = await deploy("CpOwnedVault", [contracts.timelock]);
  a.safe1 = await deploy("EvalSafe", [[a.alice], 1n]);
  a.safe23 = await deploy("EvalSafe", [[a.alice, a.bob, a.carol], 2n]);
  // A proxy-like contract without owner() whose ERC-1967 admin is a contract owned by one EOA (a ProxyAdmin).
  a.adminOwned = await deploy("EvalSafe", [[a.alice, a.bob], 2n]);
  await chain.connection.provider.request({ method: "hardhat_setStorageAt", params: [a.adminOwned, ERC1967_ADMIN_SLOT, pad(a.oldVault)] });
  // Owned by the DAO, but its ERC-1967 admin slot names one EOA.
  a.daoOwnedEoaAdmin = await deploy("CpOwnedVault", [contracts.timelock]);
  await chain.connection.provider.request({ method: "hardhat_setStorageAt", params: [a.daoOwnedEoaAdmin, ERC1967_ADMIN_SLOT, pad(a.guardian)] });
  // Answers no Safe has: 257 owners, or a threshold of 0.
  const many = Array.from({ length: 257 }, (_, i) => getAddress(pad(`0x${(i + 1).toString(16)}`, { size: 20 })));
  a.hugeSafe = await deploy("EvalSafe", [many, 1n]);
  a.zeroThreshold = await deploy("EvalSafe", [[a.alice], 0n]);
  // Paid before: one executed proposal pays dave ETH and DEMO.
  await passProposal(chain.dao, chain.connection, {
    targets: [a.dave, contracts.token],
    values: [parseEther("1"), 0n],
    calldatas: ["0x", erc20Transfer(contracts.token, a.dave, 10n * DEMO)],
    description: "Pay dave for the audit.",
  });
  // Back to 100 ETH in the treasury, so shares read as round numbers.
  await accounts.deployer.sendTransaction({ to: contracts.timelock, value: parseEther("1") });
  await chain.connection.networkHelpers.time.increase(2 * 86_400);
  await chain.connection.networkHelpers.mine();

  // Fresh accounts: made within the voting window before the analysis.
  a.freshVault = await deploy("CpOwnedVault", [a.outsider]);
  await accounts.executor.sendTransaction({ to: a.executor, value: 0n });
  a.delegated = getAddress("0x7702000000000000000000000000000000007702");
  await setCode(a.delegated, concat(["0xef0100", a.oldVault]));
  // owner() reverts; every call answers 32 bytes of 0xff (not an address, not a Safe).
  a.reverting = getAddress("0x00000000000000000000000000000000000DEAD1");
  await setCode(a.reverting, "0x60006000fd");
  a.garbage = getAddress("0x00000000000000000000000000000000000DEAD2");
  await setCode(a.garbage, "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff60005260206000f3");
}, 300_000);

afterAll(() => chain?.close());

const proposalOf = (calls: { target: Address; value?: bigint; data?: Hex }[], description = "A proposal."): ProposalInput => ({
  targets: calls.map((c) => c.target),
  values: calls.map((c) => c.value ?? 0n),
  calldatas: calls.map((c) => c.data ?? "0x"),
  description,
});

/** The Governor's clock and voting window, as the analysis passes them. */
async function governorClock(): Promise<NonNullable<ReadCounterpartiesArgs["clock"]>> {
  const read = (functionName: "votingDelay" | "votingPeriod") => client.readContract({ address: contracts.governor, abi: daoAbis.governor, functionName }) as Promise<bigint | number>;
  const [delay, period] = await Promise.all([read("votingDelay"), read("votingPeriod")]);
  return { mode: "timestamp", window: BigInt(delay) + BigInt(period) };
}

async function read(p: ProposalInput, over: { client?: PublicClient; blockNumber?: bigint; clock?: ReadCounterpartiesArgs["clock"] | null } = {}): Promise<CounterpartyInfo[]> {
  const proposal = normalizeProposal(p);
  const clock = over.clock === undefined ? await governorClock() : over.clock;
  return readCounterparties(over.client ?? client, {
    ...(clock !== null ? { clock } : {}),
    calls: decodeCalls(proposal, contracts),
    contracts,
    blockNumber: over.blockNumber ?? (await client.getBlockNumber()),
    fromBlock: BigInt(chain.dao.deployment.startBlock),
    tokens: [contracts.token],
    calldatas: proposal.calldatas,
  });
}

/** A client over the local chain whose requests go through `request` (no retries, as Hardhat's own client). */
function clientWith(request: (method: string, params: unknown[] | undefined) => Promise<unknown>): PublicClient {
  return createPublicClient({ transport: custom({ request: ({ method, params }: { method: string; params?: unknown[] }) => request(method, params) }, { retryCount: 0 }) }) as unknown as PublicClient;
}

const byAddress = (infos: CounterpartyInfo[], address: Address) => infos.find((i) => i.address.toLowerCase() === address.toLowerCase())!;

describe("readCounterparties on the local chain", () => {
  it("reads an EOA that has transacted for days, and one that never did", async () => {
    const infos = await read(proposalOf([{ target: a.erin, value: parseEther("1") }, { target: a.outsider, value: parseEther("1") }]));
    const erin = byAddress(infos, a.erin);
    expect(erin).toMatchObject({ kind: "eoa", roles: ["recipient"], callIndexes: [0], singleKeyControl: true, priorInteractions: 0 });
    expect(erin.firstSeen).not.toBeNull();
    expect(erin.age!.seconds).toBeGreaterThan(86_400n);
    expect(erin.age!.clock).toBe(erin.age!.seconds); // the Governor's clock is a timestamp clock
    expect(erin.unread).toBeUndefined();
    // Days older than the voting window: the search stops at the window's edge instead of finding her first block.
    expect(erin.firstSeenBefore).toBe(true);
    const exact = byAddress(await read(proposalOf([{ target: a.erin, value: parseEther("1") }]), { clock: null }), a.erin);
    expect(exact.firstSeen!.blockNumber).toBeLessThan(erin.firstSeen!.blockNumber);
    // Without the Governor's clock, its age in the clock is the smaller of blocks and seconds.
    expect(exact.age!.clock).toBe(exact.age!.blocks < exact.age!.seconds ? exact.age!.blocks : exact.age!.seconds);
    const outsider = byAddress(infos, a.outsider);
    expect(outsider).toMatchObject({ kind: "eoa", nonce: 0, firstSeen: null, singleKeyControl: true });
  });

  it("reads a fresh contract owned by an EOA: one key, first seen minutes ago", async () => {
    const [vault] = await read(proposalOf([{ target: a.freshVault, value: parseEther("10") }]));
    expect(vault).toMatchObject({ kind: "contract", controller: { via: "owner", address: a.outsider, isEoa: true }, singleKeyControl: true });
    expect(vault!.age!.seconds).toBeLessThan(310n);
    expect(vault!.firstSeenBefore).toBeUndefined();
    // The first block with code is the deployment block.
    const code = await client.getCode({ address: a.freshVault, blockNumber: vault!.firstSeen!.blockNumber - 1n });
    expect(code ?? "0x").toBe("0x");
  });

  it("tells a Safe with threshold 1 from a 2-of-3 Safe", async () => {
    const infos = await read(proposalOf([{ target: a.safe1, value: parseEther("1") }, { target: a.safe23, value: parseEther("1") }]));
    expect(byAddress(infos, a.safe1)).toMatchObject({ kind: "contract", safe: { owners: [a.alice], threshold: 1 }, singleKeyControl: true });
    expect(byAddress(infos, a.safe23)).toMatchObject({ kind: "contract", safe: { owners: [a.alice, a.bob, a.carol], threshold: 2 }, singleKeyControl: false });
    expect(byAddress(infos, a.safe23).controller).toBeUndefined();
    expect(byAddress(infos, a.safe23).age!.seconds).toBeGreaterThan(86_400n);
  });

  it("follows an ERC-1967 admin to its owner, and sees an EOA admin behind a DAO owner", async () => {
    const infos = await read(proposalOf([{ target: a.adminOwned, value: 1n }, { target: a.daoOwnedEoaAdmin, value: 1n }, { target: a.daoVault, value: 1n }]));
    expect(byAddress(infos, a.adminOwned)).toMatchObject({ controller: { via: "proxy-admin", address: a.oldVault, isEoa: false }, controllerOwner: { address: a.dave, isEoa: true }, singleKeyControl: true });
    expect(byAddress(infos, a.daoOwnedEoaAdmin)).toMatchObject({ controller: { via: "owner", address: contracts.timelock, isEoa: false }, proxyAdmin: { address: a.guardian, isEoa: true }, singleKeyControl: true });
    expect(byAddress(infos, a.daoVault)).toMatchObject({ controller: { via: "owner", address: contracts.timelock, isEoa: false }, singleKeyControl: false });
  });

  it("reads an EIP-7702 delegated account as one key", async () => {
    const [delegated] = await read(proposalOf([{ target: a.delegated, value: parseEther("1") }]));
    expect(delegated).toMatchObject({ kind: "delegated-eoa", delegatedTo: a.oldVault, singleKeyControl: true });
    expect(delegated!.controller).toBeUndefined();
  });

  it("counts the treasury's earlier payments to an account", async () => {
    const infos = await read(proposalOf([{ target: a.dave, value: parseEther("1") }, { target: a.erin, value: 1n }]));
    expect(byAddress(infos, a.dave)).toMatchObject({ priorInteractions: 2, prior: { calls: 1, tokenTransfers: 1 } });
    expect(byAddress(infos, a.erin)).toMatchObject({ priorInteractions: 0, prior: { calls: 0, tokenTransfers: 0 } });
  });

  it("an owner() that reverts or answers garbage is unknown, never safe", async () => {
    const infos = await read(proposalOf([{ target: a.reverting, value: 1n }, { target: a.garbage, value: 1n }]));
    const reverting = byAddress(infos, a.reverting);
    expect(reverting).toMatchObject({ kind: "contract", singleKeyControl: false });
    expect(reverting.controller).toBeUndefined();
    const garbage = byAddress(infos, a.garbage);
    expect(garbage.controller).toBeUndefined();
    expect(garbage.safe).toBeUndefined();
    expect(garbage.unread).toEqual(expect.arrayContaining(["owner", "safe"]));
  });

  it("a Safe answer no Safe gives (257 owners, threshold 0) is unread, not a Safe and not one key", async () => {
    const infos = await read(proposalOf([{ target: a.hugeSafe, value: 1n }, { target: a.zeroThreshold, value: 1n }]));
    for (const info of infos) {
      expect(info).toMatchObject({ kind: "contract", singleKeyControl: false, unread: ["safe"] });
      expect(info.safe).toBeUndefined();
    }
  });

  it("names every role: recipient, spender, new owner, grantee, target; never the DAO or the zero address", async () => {
    const infos = await read(
      proposalOf([
        { target: contracts.token, data: enc("transfer", [a.erin, 10n * DEMO]) },
        { target: contracts.token, data: enc("approve", [a.oldVault, 5n * DEMO]) },
        { target: a.daoVault, data: enc("transferOwnership", [a.outsider]) },
        { target: contracts.timelock, data: enc("grantRole", [pad("0x01"), a.carol]) },
        { target: contracts.governor, data: enc("setAnalyst", [a.bob, true]) },
        { target: contracts.token, data: enc("transfer", ["0x0000000000000000000000000000000000000000", 1n]) },
      ]),
    );
    const roles = Object.fromEntries(infos.map((i) => [i.address, i.roles]));
    expect(roles).toEqual({ [a.erin]: ["recipient"], [a.oldVault]: ["spender"], [a.daoVault]: ["target"], [a.outsider]: ["new-owner"], [a.carol]: ["grantee"], [a.bob]: ["grantee"] });
    expect(byAddress(infos, a.oldVault)).toMatchObject({ controller: { via: "owner", address: a.dave, isEoa: true }, singleKeyControl: true });
  });

  it("without historical state, first seen is null; without logs, prior interactions are null; the rest is read", async () => {
    const head = await client.getBlockNumber();
    const hexHead = `0x${head.toString(16)}`;
    const provider = chain.connection.provider;
    const archiveLess = clientWith(async (method, params) => {
      if ((method === "eth_getCode" || method === "eth_getTransactionCount") && params?.[1] !== hexHead) throw new Error("missing trie node");
      if (method === "eth_getLogs") throw new Error("query returned more than 10000 results");
      return provider.request({ method, params } as never);
    });
    const infos = await read(proposalOf([{ target: a.erin, value: 1n }, { target: a.oldVault, value: 1n }]), { client: archiveLess, blockNumber: head });
    for (const info of infos) {
      expect(info.firstSeen).toBeNull();
      expect(info.priorInteractions).toBeNull();
      expect(info.unread).toEqual(expect.arrayContaining(["first seen", "prior interactions"]));
    }
    expect(byAddress(infos, a.oldVault)).toMatchObject({ controller: { address: a.dave, isEoa: true }, singleKeyControl: true });
  });

  it("one account whose every read fails does not stop the others, and counts as one key", async () => {
    const provider = chain.connection.provider;
    const broken = a.safe23.toLowerCase();
    const flaky = clientWith(async (method, params) => {
      const first = params?.[0];
      const to = typeof first === "string" ? first : (first as { to?: string } | undefined)?.to;
      if (typeof to === "string" && to.toLowerCase() === broken) throw new Error("upstream timeout");
      return provider.request({ method, params } as never);
    });
    const infos = await read(proposalOf([{ target: a.safe23, value: 1n }, { target: a.safe1, value: 1n }]), { client: flaky });
    expect(byAddress(infos, a.safe23)).toMatchObject({ kind: "eoa", singleKeyControl: true, firstSeen: null });
    expect(byAddress(infos, a.safe23).unread).toContain("code");
    expect(byAddress(infos, a.safe1)).toMatchObject({ kind: "contract", safe: { threshold: 1 }, singleKeyControl: true });
  });

  it("costs a bounded number of reads per account", async () => {
    const provider = chain.connection.provider;
    const counts = new Map<string, number>();
    const counting = clientWith(async (method, params) => {
      counts.set(method, (counts.get(method) ?? 0) + 1);
      return provider.request({ method, params } as never);
    });
    const clock = await governorClock();
    await read(proposalOf([{ target: a.oldVault, value: 1n }]), { client: counting, clock });
    // At the block: code, nonce, owner(), admin slot, getOwners(), getThreshold(); the controller's code and owner();
    // the search (getCode; one read, as the vault is older than the voting window) and its block's
    // timestamp. Shared: the block, the window's edge (the start block and at most four guesses), two getLogs.
    expect(Object.fromEntries(counts)).toMatchObject({ eth_call: 3 + 1, eth_getStorageAt: 1, eth_getTransactionCount: 1, eth_getLogs: 2 });
    expect(counts.get("eth_getCode")).toBeLessThanOrEqual(2 + 1);
    expect(counts.get("eth_getBlockByNumber")).toBeLessThanOrEqual(1 + 1 + 4);
    expect([...counts.values()].reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(6 + 2 + 1 + 6 + 2);
    // Without a window, the search may take up to its budget.
    counts.clear();
    await read(proposalOf([{ target: a.oldVault, value: 1n }]), { client: counting, clock: null });
    expect(counts.get("eth_getCode")).toBeLessThanOrEqual(2 + 40);
  });
});

describe("counterparty-control on analysed proposals", () => {
  const analyse = (p: ProposalInput) => chain.analyze(p, { simulate: false });
  const mine = (findings: { id: string; severity: string }[]) => findings.filter((f) => f.id.startsWith("counterparty-control/")).map((f) => `${f.id}:${f.severity}`);

  it("must not flag a 1 % grant to an EOA that has existed for days", async () => {
    const report = await analyse(ethTransfer(a.erin, parseEther("1"), "Grant 1 ETH to erin for the docs."));
    expect(mine(report.findings)).toEqual([]);
    expect(report.counterparties).toEqual([expect.objectContaining({ address: a.erin, kind: "eoa", singleKeyControl: true, priorInteractions: 0 })]);
    expect(typeof report.counterparties![0]!.firstSeen!.blockNumber).toBe("string");
  });

  it("must not flag an analyst registration of a long-known key", async () => {
    const report = await analyse(proposalOf([{ target: contracts.governor, data: enc("setAnalyst", [a.carol, true]) }]));
    expect(mine(report.findings)).toEqual([]);
  });

  it("must not flag a payment to a 2-of-3 Safe or to a contract the DAO owns", async () => {
    const report = await analyse(proposalOf([{ target: a.safe23, value: parseEther("20") }, { target: a.daoVault, value: parseEther("20") }]));
    expect(mine(report.findings)).toEqual([]);
  });

  it("flags 60 % of the treasury to a never-used EOA: high, and its unknown age", async () => {
    const report = await analyse(ethTransfer(a.outsider, parseEther("60"), "Routine top-up of the ops multisig."));
    const finding = report.findings.find((f) => f.id === "counterparty-control/single-key")!;
    expect(finding.severity).toBe("high");
    expect(finding.title).toContain("60 ETH (60 % of the treasury's ETH)");
    expect(finding.detail).toContain(a.outsider);
    expect(finding.evidence).toMatchObject({ address: a.outsider, shareBps: 6000, flows: [{ role: "recipient", asset: "ETH", amount: "60000000000000000000" }] });
    expect(mine(report.findings)).toContain("counterparty-control/unknown:low");
  });

  it("flags a medium share to an EOA as medium and says the treasury paid it before", async () => {
    const report = await analyse(ethTransfer(a.dave, parseEther("5"), "Pay dave again."));
    const finding = report.findings.find((f) => f.id === "counterparty-control/single-key")!;
    expect(finding.severity).toBe("medium");
    expect(finding.detail).toContain("dealt with it before (1 executed call to it, 1 token transfer to it)");
  });

  it("flags a fresh vault one EOA owns (goldCOMP): single key and fresh, both high, never critical", async () => {
    const report = await analyse(ethTransfer(a.freshVault, parseEther("30"), "Deposit into the non-custodial vault."));
    expect(mine(report.findings).sort()).toEqual(["counterparty-control/fresh:high", "counterparty-control/single-key:high"]);
    const fresh = report.findings.find((f) => f.id === "counterparty-control/fresh")!;
    expect(fresh.detail).toContain(a.freshVault);
    expect(fresh.detail).toMatch(/within the Governor's voting delay and period \(5 min\)/);
  });

  it("flags a Safe with threshold 1, a 7702 account and an old vault owned by one EOA", async () => {
    const safe = await analyse(ethTransfer(a.safe1, parseEther("5"), "Fund the committee Safe."));
    expect(mine(safe.findings)).toEqual(["counterparty-control/single-key:high"]);
    const delegated = await analyse(ethTransfer(a.delegated, parseEther("1"), "Pay the smart account."));
    expect(mine(delegated.findings)).toContain("counterparty-control/single-key:medium");
    const vault = await analyse(ethTransfer(a.oldVault, parseEther("1"), "Small deposit."));
    expect(mine(vault.findings)).toEqual(["counterparty-control/single-key:medium"]);
    const bigVault = await analyse(ethTransfer(a.oldVault, parseEther("10"), "Deposit."));
    expect(mine(bigVault.findings)).toEqual(["counterparty-control/single-key:high"]);
  });

  it("flags ownership handed to one key, and an unlimited approval to a vault one EOA owns", async () => {
    const owner = await analyse(proposalOf([{ target: a.daoVault, data: enc("transferOwnership", [a.erin]) }]));
    expect(mine(owner.findings)).toEqual(["counterparty-control/single-key:high"]);
    const approval = await analyse(proposalOf([{ target: contracts.token, data: enc("approve", [a.oldVault, 2n ** 256n - 1n]) }]));
    expect(mine(approval.findings)).toEqual(["counterparty-control/single-key:high"]);
    expect(approval.findings.find((f) => f.id === "counterparty-control/single-key")!.title).toContain("unlimited allowance of DEMO");
  });

  it("an owner() that reverts or answers garbage is a low unknown finding", async () => {
    const report = await analyse(proposalOf([{ target: a.reverting, value: 1n }, { target: a.garbage, value: 1n }]));
    const unknown = report.findings.filter((f) => f.id === "counterparty-control/unknown");
    expect(unknown.map((f) => f.severity)).toEqual(["low", "low"]);
    expect(unknown.find((f) => f.evidence.address === a.reverting)!.detail).toContain("who controls it");
    expect(unknown.find((f) => f.evidence.address === a.garbage)!.detail).toContain("its owner (the contract answered");
  });

  it("recognises Compound's _setPendingAdmin, which no standard ABI decodes", async () => {
    const report = await analyse(proposalOf([{ target: a.daoVault, data: enc("_setPendingAdmin", [a.outsider]) }]));
    expect(report.counterparties!.map((c) => [c.address, c.roles])).toEqual([
      [a.daoVault, ["target"]],
      [a.outsider, ["new-owner"]],
    ]);
    expect(mine(report.findings)).toContain("counterparty-control/single-key:high");
  });
});

// The check alone, on hand-made facts.
const GRANTEE = getAddress("0x976ea74026e726554db657fa54763abd0c3a0aa9");
// Same first and last characters as GRANTEE: only the middle differs.
const LOOKALIKE = getAddress("0x976ea74026e7265540000000000000000c3a0aa9");

function ctxWith(calls: DecodedCall[], counterparties: CounterpartyInfo[], symbol = "DEMO"): AnalysisContext {
  return unitContext({ calls, symbol, blockNumber: 1000n, counterparties });
}

const pay = (index: number, to: Address, value: bigint): DecodedCall => ({ index, target: to, value, selector: null, kind: "eth-transfer", decoded: true });
const tokenPay = (index: number, to: Address, amount: bigint): DecodedCall => ({
  index,
  target: TOKEN,
  value: 0n,
  selector: toFunctionSelector("transfer(address,uint256)"),
  kind: "call",
  functionName: "transfer",
  signature: "transfer(address,uint256)",
  inputs: [
    { name: "to", type: "address" },
    { name: "amount", type: "uint256" },
  ],
  args: [to, amount],
  abiSource: "DAOToken",
  decoded: true,
});
const old = { firstSeen: { blockNumber: 10n, timestamp: 1_000n }, age: { blocks: 990n, seconds: 864_000n, clock: 864_000n }, priorInteractions: 0 };
const eoa = (address: Address, extra: Partial<CounterpartyInfo> = {}): CounterpartyInfo => ({ address, roles: ["recipient"], callIndexes: [0], kind: "eoa", nonce: 3, ...old, singleKeyControl: true, ...extra });
const ids = (ctx: AnalysisContext) => counterpartyControl.check(ctx).map((f) => `${f.id}:${f.severity}`);

describe("counterparty-control rules", () => {
  it("EOA grants: below 2 % nothing, 2–10 % medium, 10 % and more high", () => {
    expect(ids(ctxWith([pay(0, GRANTEE, parseEther("1.99"))], [eoa(GRANTEE)]))).toEqual([]);
    expect(ids(ctxWith([pay(0, GRANTEE, parseEther("2"))], [eoa(GRANTEE)]))).toEqual(["counterparty-control/single-key:medium"]);
    expect(ids(ctxWith([pay(0, GRANTEE, parseEther("10"))], [eoa(GRANTEE)]))).toEqual(["counterparty-control/single-key:high"]);
    // Several calls to one account add up: 1.5 ETH and 6,000 DEMO (1.5 %) stay small; 1.5 ETH twice is 3 %.
    expect(ids(ctxWith([pay(0, GRANTEE, parseEther("1.5")), tokenPay(1, GRANTEE, 6_000n * E18)], [eoa(GRANTEE, { callIndexes: [0, 1] })]))).toEqual([]);
    expect(ids(ctxWith([pay(0, GRANTEE, parseEther("1.5")), pay(1, GRANTEE, parseEther("1.5"))], [eoa(GRANTEE, { callIndexes: [0, 1] })]))).toEqual(["counterparty-control/single-key:medium"]);
  });

  it("an unknown treasury balance is never a small share", () => {
    const ctx = ctxWith([pay(0, GRANTEE, 1n)], [eoa(GRANTEE)]);
    ctx.governance.balances[0]!.balance = null;
    expect(ids(ctx)).toEqual(["counterparty-control/single-key:high"]);
  });

  it("a contract, Safe or 7702 account one key controls: high from 2 %, medium below", () => {
    const vault: CounterpartyInfo = { ...eoa(GRANTEE), kind: "contract", controller: { via: "owner", address: LOG, isEoa: true } };
    expect(ids(ctxWith([pay(0, GRANTEE, parseEther("2"))], [vault]))).toEqual(["counterparty-control/single-key:high"]);
    expect(ids(ctxWith([pay(0, GRANTEE, parseEther("0.5"))], [vault]))).toEqual(["counterparty-control/single-key:medium"]);
    const safe: CounterpartyInfo = { ...eoa(GRANTEE), kind: "contract", safe: { owners: [LOG], threshold: 1 } };
    expect(ids(ctxWith([pay(0, GRANTEE, parseEther("5"))], [safe]))).toEqual(["counterparty-control/single-key:high"]);
  });

  it("no single key, no finding: a 2-of-3 Safe, a contract the DAO owns", () => {
    const safe: CounterpartyInfo = { ...eoa(GRANTEE), kind: "contract", safe: { owners: [LOG, GOVERNOR, TOKEN], threshold: 2 }, singleKeyControl: false };
    const daoOwned: CounterpartyInfo = { ...eoa(LOOKALIKE), kind: "contract", controller: { via: "owner", address: TIMELOCK, isEoa: false }, singleKeyControl: false };
    expect(ids(ctxWith([pay(0, GRANTEE, parseEther("50")), pay(1, LOOKALIKE, parseEther("50"))], [safe, { ...daoOwned, callIndexes: [1] }]))).toEqual([]);
  });

  it("fresh: within the voting delay plus period is high, just outside is not", () => {
    const fresh = (clock: bigint) => eoa(GRANTEE, { age: { blocks: 5n, seconds: clock, clock } });
    expect(ids(ctxWith([pay(0, GRANTEE, parseEther("1"))], [fresh(310n)]))).toEqual(["counterparty-control/fresh:high"]);
    expect(ids(ctxWith([pay(0, GRANTEE, parseEther("1"))], [fresh(311n)]))).toEqual([]);
    // Existing before the deployment's start block is not fresh, whatever that block's age.
    expect(ids(ctxWith([pay(0, GRANTEE, parseEther("1"))], [{ ...fresh(5n), firstSeenBefore: true }]))).toEqual([]);
    // A freshly deployed contract the proposal only calls (Tornado Cash governance, 2023).
    const target: CounterpartyInfo = { ...fresh(60n), roles: ["target"], kind: "contract" };
    const call: DecodedCall = { index: 0, target: GRANTEE, value: 0n, selector: "0x12345678", kind: "call", decoded: false };
    expect(ids(ctxWith([call], [target]))).toEqual(["counterparty-control/fresh:high"]);
  });

  it("fresh and single key are two high findings, never critical", () => {
    const found = counterpartyControl.check(ctxWith([pay(0, GRANTEE, parseEther("40"))], [eoa(GRANTEE, { age: { blocks: 2n, seconds: 30n, clock: 30n } })]));
    expect(found.map((f) => f.severity)).toEqual(["high", "high"]);
  });

  it("unknown facts are a low finding that names them; a never-used EOA's age is unknown", () => {
    const unread = eoa(GRANTEE, { firstSeen: null, priorInteractions: null, unread: ["first seen", "prior interactions"] });
    const [finding] = counterpartyControl.check(ctxWith([pay(0, GRANTEE, parseEther("1"))], [unread]));
    expect(finding).toMatchObject({ id: "counterparty-control/unknown", severity: "low" });
    expect(finding!.detail).toContain("when it first appeared on chain");
    expect(finding!.detail).toContain("whether the treasury paid or called it before");
    const neverUsed = eoa(GRANTEE, { firstSeen: null, nonce: 0 });
    expect(counterpartyControl.check(ctxWith([pay(0, GRANTEE, parseEther("1"))], [neverUsed]))[0]!.detail).toContain("it has never sent a transaction");
  });

  it("an unreadable code counts as one key: a 1 % payment is not waved through as an old EOA's grant", () => {
    const unknownKind = eoa(GRANTEE, { firstSeen: null, unread: ["code", "first seen"] });
    expect(ids(ctxWith([pay(0, GRANTEE, parseEther("1"))], [unknownKind]))).toEqual(["counterparty-control/single-key:medium", "counterparty-control/unknown:low"]);
  });

  it("without counterparty facts it does not run (coverage says why)", () => {
    const ctx = ctxWith([pay(0, GRANTEE, parseEther("90"))], []);
    delete ctx.counterparties;
    expect(counterpartyControl.needs).toEqual(["counterparties"]);
    expect(counterpartyControl.applies!(ctx)).toBe(true);
    expect(counterpartyControl.applies!(ctxWith([], []))).toBe(false);
  });

  it("hostile token symbols and look-alike addresses: clean titles, full addresses in the detail", () => {
    const symbol = "D\u202eEMO\u200b\u0000" + "X".repeat(5000);
    const ctx = ctxWith([tokenPay(0, LOOKALIKE, 100_000n * E18)], [eoa(LOOKALIKE)], symbol);
    const [finding] = counterpartyControl.check(ctx);
    expect(finding!.severity).toBe("high");
    expect(finding!.title).not.toMatch(/[\u202e\u200b\u0000]/);
    expect(finding!.title.length).toBeLessThan(200);
    expect(finding!.title).toContain("100,000");
    expect(finding!.title).toContain("25 %");
    expect(finding!.detail).toContain(LOOKALIKE);
    expect(finding!.detail).not.toContain(GRANTEE);
  });
});

describe("which accounts a proposal involves", () => {
  const contractsOf = { token: TOKEN, governor: GOVERNOR, timelock: TIMELOCK, decisionLog: LOG };
  const decode = (p: ProposalInput) => {
    const proposal = normalizeProposal(p);
    return counterpartyInvolvements(decodeCalls(proposal, contractsOf), contractsOf, proposal.calldatas);
  };

  it("skips the DAO's own contracts, the zero address, revoked approvals and analyst removals", () => {
    const found = decode(
      proposalOf([
        { target: TOKEN, data: enc("transfer", [TIMELOCK, 1n]) },
        { target: TOKEN, data: enc("approve", [GRANTEE, 0n]) },
        { target: GOVERNOR, data: enc("setAnalyst", [GRANTEE, false]) },
        { target: TOKEN, data: enc("transfer", ["0x0000000000000000000000000000000000000000", 1n]) },
        { target: GOVERNOR, value: 1n },
      ]),
    );
    expect(found).toEqual([]);
  });

  it("an analyst or publisher registration is a limited power; a guardian or new timelock is not", () => {
    const found = decode(
      proposalOf([
        { target: LOG, data: enc("setPublisher", [GRANTEE, true]) },
        { target: GOVERNOR, data: enc("setAnalyst", [LOOKALIKE, true]) },
        { target: GOVERNOR, data: encodeFunctionData({ abi: parseAbi(["function setProposalGuardian(address)"]), functionName: "setProposalGuardian", args: [GRANTEE] }) },
        { target: GOVERNOR, data: encodeFunctionData({ abi: parseAbi(["function updateTimelock(address)"]), functionName: "updateTimelock", args: [LOOKALIKE] }) },
      ]),
    );
    expect(found.map((i) => [i.callIndex, i.role, i.power, i.limited ?? false])).toEqual([
      [0, "grantee", "setPublisher", true],
      [1, "grantee", "setAnalyst", true],
      [2, "grantee", "setProposalGuardian", false],
      [3, "new-owner", "updateTimelock", false],
    ]);
  });

  it("reads undecoded owner setters by selector only when calldatas are given", () => {
    const p = normalizeProposal(proposalOf([{ target: LOOKALIKE, data: enc("_setPendingAdmin", [GRANTEE]) }]));
    const calls = decodeCalls(p, contractsOf);
    expect(counterpartyInvolvements(calls, contractsOf).map((i) => i.role)).toEqual(["target"]);
    expect(counterpartyInvolvements(calls, contractsOf, p.calldatas).map((i) => [i.address, i.role, i.power])).toEqual([
      [LOOKALIKE, "target", undefined],
      [GRANTEE, "new-owner", "_setPendingAdmin"],
    ]);
  });

  it("a malformed argument (not an address) is skipped, not thrown on", () => {
    const call: DecodedCall = { ...tokenPay(0, GRANTEE, 1n), args: ["not an address", 1n] };
    expect(counterpartyInvolvements([call], contractsOf)).toEqual([]);
  });
});

describe("first-seen search", () => {
  it("finds the first block in rounds of three probes, within the budget", async () => {
    for (const [lo, hi, first] of [
      [0n, 1_000n, 437n],
      [100n, 60_000_000n, 59_999_999n],
      [100n, 60_000_000n, 101n],
      [5n, 6n, 6n],
    ] as const) {
      let reads = 0;
      const found = await firstBlock(
        async (n) => {
          reads++;
          return n >= first;
        },
        lo,
        hi,
      );
      expect(found).toEqual({ blockNumber: first, before: false });
      expect(reads).toBeLessThanOrEqual(40);
    }
  });

  it("says when the account already existed at the first block searched", async () => {
    expect(await firstBlock(async () => true, 100n, 1_000n)).toEqual({ blockNumber: 100n, before: true });
  });

  it("stops at the cutoff when the account already existed there, and searches on when it did not", async () => {
    let reads = 0;
    const old = await firstBlock(
      async (n) => {
        reads++;
        return n >= 437n;
      },
      0n,
      1_000_000n,
      { cutoff: 999_000n },
    );
    expect(old).toEqual({ blockNumber: 999_000n, before: true });
    expect(reads).toBe(1);
    expect(await firstBlock(async (n) => n >= 999_500n, 0n, 1_000_000n, { cutoff: 999_000n })).toEqual({ blockNumber: 999_500n, before: false });
    // A cutoff outside the range is ignored.
    expect(await firstBlock(async (n) => n >= 437n, 100n, 1_000n, { cutoff: 50n })).toEqual({ blockNumber: 437n, before: false });
  });

  it("is null when a probe fails or the budget runs out", async () => {
    expect(await firstBlock(async () => Promise.reject(new Error("missing trie node")), 0n, 1_000n)).toBeNull();
    expect(await firstBlock(async (n) => n >= 500n, 0n, 1_000n, { budget: 6 })).toBeNull();
  });
});
