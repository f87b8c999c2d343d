import { encodeFunctionData, getAddress, parseAbi, parseEther, parseUnits, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { DecodedCall } from "@ai-dao/protocol";
import { delegateAll, deployLocalDAO, serveRpc } from "@ai-dao/testkit";

import { buildDescriptionClaims, calldataAddresses, descriptionClaims } from "../src/checks/description-claims.ts";
import { runChecks } from "../src/checks/index.ts";
import { severityRank, type AnalysisContext, type Finding } from "../src/checks/types.ts";
import { abbreviatedAddresses, addressMentions, extractClaims, looksAlike, matchesAbbreviation, namedAddresses } from "../src/context/claims.ts";
import type { CounterpartyInfo } from "../src/context/counterparties.ts";
import { normalizeProposal } from "../src/proposal.ts";
import { E18, ERIN, ethCall, GOVERNOR, LOG as OTHER, MALLORY, simulated, TIMELOCK, TOKEN, unitContext, type UnitContextOptions } from "./context.ts";

const USD = getAddress("0x5FC8d32690cc91D4c39d9d3abcBD16989F875707");
/** ERIN with one character in the middle changed: same first and last eight characters. */
const ERIN_SPOOF = getAddress("0x9965507d1a55bcc2695d58ba16fb37d819b0a4dc");
const E6 = 10n ** 6n;

function ctx(overrides: UnitContextOptions = {}): AnalysisContext {
  return unitContext({ extraBalances: [{ asset: USD, symbol: "dUSD", decimals: 6, balance: 1_000_000n * E6 }], ...overrides });
}

const erc20 = (index: number, token: Address, functionName: "transfer" | "approve", to: Address, amount: bigint): DecodedCall => ({
  index,
  target: token,
  value: 0n,
  selector: functionName === "transfer" ? "0xa9059cbb" : "0x095ea7b3",
  kind: "call",
  functionName,
  signature: `${functionName}(address,uint256)`,
  args: [to, amount],
  abiSource: "ERC20",
  decoded: true,
});
const transferOwnership = (index: number, target: Address, newOwner: Address): DecodedCall => ({
  index,
  target,
  value: 0n,
  selector: "0xf2fde38b",
  kind: "call",
  functionName: "transferOwnership",
  signature: "transferOwnership(address)",
  args: [newOwner],
  abiSource: "Ownable",
  decoded: true,
});
const quorumCall = (index: number): DecodedCall => ({
  index,
  target: GOVERNOR,
  value: 0n,
  selector: "0x06f3f9e6",
  kind: "call",
  functionName: "updateQuorumNumerator",
  signature: "updateQuorumNumerator(uint256)",
  args: [5n],
  abiSource: "DAOGovernor",
  decoded: true,
});
const opaqueCall = (index: number, target: Address): DecodedCall => ({ index, target, value: 0n, selector: "0xdeadbeef", kind: "call", decoded: false });

function counterparty(address: Address, partial: Partial<CounterpartyInfo>): CounterpartyInfo {
  return { address, roles: ["recipient"], callIndexes: [0], kind: "contract", firstSeen: null, priorInteractions: null, singleKeyControl: false, ...partial };
}
const eoa = (address: Address) => counterparty(address, { kind: "eoa", singleKeyControl: true });
const safe = (address: Address, threshold: number, owners = 3) =>
  counterparty(address, { safe: { owners: Array.from({ length: owners }, (_, i) => getAddress(`0x${(i + 0xa1).toString(16).padStart(40, "0")}`)), threshold }, singleKeyControl: threshold <= 1 });

const ids = (findings: Finding[]) => findings.map((f) => `${f.id}:${f.severity}`);
const check = (c: AnalysisContext) => descriptionClaims.check(c);
/** Every check, sorted as the report sorts them. */
function sorted(c: AnalysisContext): Finding[] {
  return runChecks(c)
    .map((f, order) => ({ f, order }))
    .sort((a, b) => severityRank(b.f.severity) - severityRank(a.f.severity) || a.order - b.order)
    .map(({ f }) => f);
}

const DRAIN = "# Routine treasury maintenance\n\nHousekeeping: consolidate dust balances. No change to the DAO's holdings.";
const drainCalls = () => [ethCall(0, MALLORY, parseEther("60")), erc20(1, USD, "transfer", MALLORY, 600_000n * E6)];

describe("claims read from the description", () => {
  it("finds statements that nothing leaves the treasury, in common phrasings", () => {
    const said = (text: string) => extractClaims(text).noOutflow.map((c) => c.kind);
    expect(said("No change to the DAO's holdings.")).toEqual(["holdings"]);
    expect(said("no change in treasury balances")).toEqual(["holdings"]);
    expect(said("The DAO's holdings do not change.")).toEqual(["holdings"]);
    expect(said("Balances remain unchanged.")).toEqual(["holdings"]);
    expect(said("The holdings won't change.")).toEqual(["holdings"]);
    expect(said("No funds move.")).toEqual(["funds"]);
    expect(said("No funds are moved by this proposal.")).toEqual(["funds"]);
    expect(said("No ETH or tokens leave the treasury.")).toEqual(["funds"]);
    expect(said("This proposal does not move funds.")).toEqual(["funds"]);
    expect(said("It doesn't transfer any tokens.")).toEqual(["funds"]);
    expect(said("At no cost to the DAO.")).toEqual(["funds"]);
    expect(said("No transfer.")).toEqual(["transfer"]);
    expect(said("Nothing is transferred.")).toEqual(["transfer"]);
    expect(said("NOTHING LEAVES THE TREASURY")).toEqual(["transfer"]);
  });

  it("does not read ordinary sentences as such statements", () => {
    const said = (text: string) => extractClaims(text).noOutflow;
    expect(said("The token has no transfer fee and no transfer restrictions.")).toEqual([]);
    expect(said("No funds were lost in last month's incident.")).toEqual([]);
    expect(said("Pay 5 ETH to erin for the audit. The change to the holdings is small.")).toEqual([]);
    expect(said("The description does not say no funds move.")).toEqual([]);
    expect(said("Grant 4,000 DEMO to erin.")).toEqual([]);
  });

  it("keeps the exact spelling of each address and tells a wrong checksum from a right one", () => {
    const right = getAddress(MALLORY);
    const wrong = `${right.slice(0, 40)}${right[40] === right[40]!.toUpperCase() ? right[40]!.toLowerCase() : right[40]!.toUpperCase()}${right[41]}`;
    const found = extractClaims(`Pay ${right} and ${wrong} and ${MALLORY.toLowerCase()} and ${ERIN.toUpperCase().replace("0X", "0x")}.`).addresses;
    expect(found).toHaveLength(2);
    expect(found[0]!.written).toEqual([right, wrong, MALLORY.toLowerCase()]);
    expect(found[0]!.badChecksum).toEqual([wrong]);
    expect(found[1]!.badChecksum).toEqual([]);
    expect(addressMentions(`x ${wrong}`)[0]!.writtenAs).toBe("bad-checksum");
    expect(addressMentions(`x ${right}`)[0]!.writtenAs).toBe("checksummed");
  });

  it("reads addresses written short, with either ellipsis, and what each may stand for", () => {
    const found = abbreviatedAddresses(`The timelock (0x5fc8…f707), again 0x5FC8...F707, and 0x9965507d…b0a4dc.`);
    expect(found).toEqual([
      { written: "0x5fc8…f707", prefix: "5fc8", suffix: "f707" },
      { written: "0x9965507d…b0a4dc", prefix: "9965507d", suffix: "b0a4dc" },
    ]);
    expect(extractClaims("Hand it to 0x5fc8…f707.").abbreviations).toHaveLength(1);
    // A zero-width character inside is still one short form to a reader (kept as read).
    expect(abbreviatedAddresses("0x5fc8\u200B…f707").map((a) => a.written)).toEqual(["0x5fc8...f707"]);
    expect(matchesAbbreviation(ERIN, found[1]!)).toBe(true);
    expect(matchesAbbreviation(ERIN_SPOOF, found[1]!)).toBe(true);
    expect(matchesAbbreviation(MALLORY, found[1]!)).toBe(false);
    expect(matchesAbbreviation("0x9965507d", found[1]!)).toBe(false);
  });

  it("does not read other hex, ranges or full addresses as short forms", () => {
    const none = (text: string) => expect(abbreviatedAddresses(text)).toEqual([]);
    none("0x5fc…f707"); // three characters before the ellipsis
    none("0x5fc8…f70");
    none("0x5fc8..f707"); // two dots
    none("0x5fc8 … f707");
    none("a0x5fc8…f707");
    none("0x5fc8…f707g");
    none(`Pay ${ERIN}.`);
    none(`0x${"a".repeat(30)}…${"b".repeat(20)}`); // longer than an address
    none(`Pay erin.\n\n#proposer=${MALLORY}`);
  });

  it("skips the proposer suffix and 32-byte hashes, and keeps one definition of named addresses", () => {
    expect(namedAddresses(`Pay ${ERIN}.\n\n#proposer=${MALLORY}`)).toEqual([ERIN.toLowerCase()]);
    expect(namedAddresses(`Tx 0x${"ab".repeat(32)} and 10x${"1".repeat(40)}`)).toEqual([]);
  });

  it("ties a descriptor to the address next to it in the same sentence", () => {
    const of = (text: string) => Object.fromEntries(extractClaims(text).addresses.map((a) => [a.address, a.descriptors.map((d) => d.descriptor)]));
    expect(of(`Send 10 ETH to the Gnosis Safe at ${ERIN}.`)).toEqual({ [ERIN.toLowerCase()]: ["safe"] });
    expect(of(`Recipient: ${ERIN} (a 3-of-5 multisig).`)).toEqual({ [ERIN.toLowerCase()]: ["multisig"] });
    expect(of(`Move the funds into the non-custodial vault ${ERIN}, where only the DAO can withdraw.`)).toEqual({ [ERIN.toLowerCase()]: ["non-custodial", "vault", "dao-only-withdrawal"] });
    expect(of(`Transfer ownership of the vault ${MALLORY} to the multisig ${ERIN}.`)).toEqual({ [MALLORY.toLowerCase()]: ["vault"], [ERIN.toLowerCase()]: ["multisig"] });
    expect(extractClaims(`Recipient: ${ERIN} (a 3-of-5 multisig).`).addresses[0]!.descriptors[0]!.threshold).toEqual({ required: 3, owners: 5 });
  });

  it("does not tie descriptors across another action, a negation, a sentence or a modified noun", () => {
    const of = (text: string) => extractClaims(text).addresses.flatMap((a) => a.descriptors.map((d) => d.descriptor));
    expect(of(`Pay ${ERIN} to fund the contract audit.`)).toEqual([]);
    expect(of(`${ERIN} is not a multisig.`)).toEqual([]);
    expect(of(`The multisig signers reviewed it. Pay ${ERIN}.`)).toEqual([]);
    expect(of(`Safe to execute: pay ${ERIN}.`)).toEqual([]);
    expect(of(`Adopt the SEAL Safe Harbor agreement with ${ERIN}.`)).toEqual([]);
    expect(of(`Sign the SEAL Safe Harbor ${ERIN}.`)).toEqual([]);
    expect(of(`It is safe to pay ${ERIN}.`)).toEqual([]);
  });

  it("reads what the recipient is said to be only from a recipient phrase", () => {
    const general = (text: string) => extractClaims(text).recipientDescriptors.map((d) => d.descriptor);
    expect(general("Q3 operations budget: routine top-up of the ops multisig.")).toEqual(["multisig"]);
    expect(general("Deposit 100 ETH into a non-custodial vault.")).toEqual(["non-custodial", "vault"]);
    expect(general("Send the grant to the vesting contract.")).toEqual(["contract"]);
    expect(general("The Security Council multisig can veto. Pay erin 1 ETH.")).toEqual([]);
    expect(general("Pay erin to audit the vault.")).toEqual([]);
  });

  describe("hostile text", () => {
    it("reads look-alike letters and hidden characters as a reader does", () => {
      expect(extractClaims("Top-up of the ops mult\u0456sig.").recipientDescriptors.map((d) => d.descriptor)).toEqual(["multisig"]); // Cyrillic і
      expect(extractClaims("Send to the multi\u200Bsig.").recipientDescriptors.map((d) => d.descriptor)).toEqual(["multisig"]);
      expect(extractClaims("N\u043E change to the DAO's holdings.").noOutflow.map((c) => c.kind)).toEqual(["holdings"]); // Cyrillic о
      expect(extractClaims("\uFF2E\uFF4F funds move.").noOutflow.map((c) => c.kind)).toEqual(["funds"]); // full-width "No"
    });

    it("is total: a byte-order mark, NULs, lone surrogates, non-strings", () => {
      expect(extractClaims(`\uFEFFNo change to the DAO's holdings. Pay ${ERIN}.`).noOutflow).toHaveLength(1);
      expect(() => extractClaims("\u0000\u0000No funds move\u0000 0x\u0000")).not.toThrow();
      expect(() => extractClaims("\uD800\uDC00\uDFFF multisig \uD800")).not.toThrow();
      expect(extractClaims(undefined as unknown as string)).toEqual({ noOutflow: [], addresses: [], abbreviations: [], recipientDescriptors: [] });
      expect(extractClaims(42 as unknown as string).addresses).toEqual([]);
    });

    it("stays fast and bounded on 200 KB of text", () => {
      const inputs = [
        `multisig ${ERIN} no funds move to the `.repeat(4_000),
        `1${" ".repeat(200_000)}x`,
        `${"to the word word word word ".repeat(8_000)}multisig`,
        `0x${"a".repeat(200_000)}`,
        Array.from({ length: 4_000 }, (_, i) => `0x${i.toString(16).padStart(40, "0")} Safe`).join(" "),
        Array.from({ length: 20_000 }, (_, i) => `0x${i.toString(16).padStart(4, "0")}…${i.toString(16).padStart(4, "0")}`).join(" "),
        `0x${"a".repeat(200_000)}…${"b".repeat(200_000)}`,
        `0x1234${"…".repeat(100_000)}`,
        `${"0x1234...".repeat(40_000)}abcd`,
      ];
      for (const text of inputs) {
        const started = performance.now();
        const claims = extractClaims(text);
        expect(performance.now() - started).toBeLessThan(2_000);
        expect(claims.addresses.length).toBeLessThanOrEqual(200);
        expect(claims.abbreviations.length).toBeLessThanOrEqual(200);
        expect(claims.noOutflow.length).toBeLessThanOrEqual(20);
      }
    });
  });

  it("calls two addresses alike when their first and last four hex characters match", () => {
    expect(looksAlike(ERIN, ERIN_SPOOF)).toBe(true);
    expect(looksAlike(ERIN.toLowerCase(), ERIN_SPOOF.toUpperCase().replace("0X", "0x"))).toBe(true);
    expect(looksAlike(ERIN, ERIN)).toBe(false);
    expect(looksAlike(ERIN, MALLORY)).toBe(false);
  });
});

describe("description claims check", () => {
  describe('"nothing moves" against what the calls do', () => {
    it("flags the disguised drain as critical, in token units and shares", () => {
      const findings = check(ctx({ description: DRAIN, calls: drainCalls() }));
      expect(ids(findings)).toEqual(["description-claims/no-outflow-contradicted:critical"]);
      expect(findings[0]!.title).toBe("The description says the DAO's holdings do not change, but the calls send 60 ETH (60 % of the treasury) and 600,000 dUSD (60 %)");
      expect(findings[0]!.detail).toContain(MALLORY);
      expect(findings[0]!.detail).toContain("No change to the DAO's holdings");
      expect(findings[0]!.evidence).toMatchObject({
        callIndex: 0,
        address: MALLORY,
        totals: [
          { asset: "ETH", amount: "60000000000000000000", shareBps: 6000 },
          { asset: USD, amount: "600000000000", shareBps: 6000 },
        ],
      });
    });

    it("is the first finding of the whole analysis among equally severe ones", () => {
      const all = sorted(ctx({ description: DRAIN, calls: drainCalls() }));
      expect(all[0]!.id).toBe("description-claims/no-outflow-contradicted");
      expect(all.filter((f) => f.severity === "critical").length).toBeGreaterThan(1);
    });

    it("counts allowances and NFT-free token approvals as losing funds", () => {
      const findings = check(ctx({ description: "Housekeeping. No funds move.", calls: [erc20(0, TOKEN, "approve", MALLORY, 2n ** 256n - 1n)] }));
      expect(ids(findings)).toEqual(["description-claims/no-outflow-contradicted:critical"]);
      expect(findings[0]!.title).toBe("The description says no funds move, but the calls let 0x976E…0aa9 spend an unlimited amount of DEMO");
    });

    it("uses the fork's measured loss when the calldata shows none", () => {
      const simulation = simulated({ ethBalanceChanges: [{ address: TIMELOCK, before: parseEther("100"), after: parseEther("95"), delta: -parseEther("5") }] });
      const findings = check(ctx({ description: "Nothing is transferred.", calls: [opaqueCall(0, OTHER)], simulation }));
      expect(findings.map((f) => [f.severity, f.title])).toEqual([
        ["critical", "The description says nothing is transferred, but running the calls on a copy of the chain takes 5 ETH (5 % of the treasury) out of the treasury"],
      ]);
    });

    it("does not flag the statement when nothing leaves the treasury", () => {
      expect(check(ctx({ description: "Raise the quorum to 5 %. No change to the DAO's holdings.", calls: [quorumCall(0)] }))).toEqual([]);
      expect(check(ctx({ description: "No funds move.", calls: [erc20(0, TOKEN, "approve", MALLORY, 0n)] }))).toEqual([]);
      // Pays without claiming anything: the outflow checks judge it, not this one.
      expect(check(ctx({ description: "Pay the contributors.", calls: drainCalls() }))).toEqual([]);
    });
  });

  describe("look-alike addresses", () => {
    it("flags a recipient that imitates the named address (one middle character differs)", () => {
      const findings = check(ctx({ description: `Grant 1 ETH to ${ERIN} for the docs.`, calls: [ethCall(0, ERIN_SPOOF, E18)] }));
      expect(ids(findings)).toEqual(["description-claims/look-alike-address:critical"]);
      expect(findings[0]!.title).toContain(ERIN_SPOOF);
      expect(findings[0]!.title).toContain(ERIN);
      expect(findings[0]!.evidence).toMatchObject({ callIndex: 0, address: ERIN_SPOOF, named: ERIN });
    });

    it("flags a look-alike new owner or spender, and a spoof of a DAO contract the text names", () => {
      expect(ids(check(ctx({ description: `Hand the registry to ${ERIN}.`, calls: [transferOwnership(0, OTHER, ERIN_SPOOF)] })))).toEqual(["description-claims/look-alike-address:critical"]);
      const spoofGovernor = getAddress(`${GOVERNOR.slice(0, 20)}${GOVERNOR[20] === "0" ? "1" : "0"}${GOVERNOR.slice(21)}`);
      expect(ids(check(ctx({ description: `Let the Governor ${GOVERNOR} spend DEMO.`, calls: [erc20(0, TOKEN, "approve", spoofGovernor, 5n)] })))).toEqual([
        "description-claims/look-alike-address:critical",
      ]);
    });

    it("does not flag the named address itself, nor an unrelated one", () => {
      expect(check(ctx({ description: `Grant 1 ETH to ${ERIN}.`, calls: [ethCall(0, ERIN, E18)] }))).toEqual([]);
      expect(check(ctx({ description: `Grant 1 ETH to ${ERIN.toLowerCase()}.`, calls: [ethCall(0, ERIN, E18)] }))).toEqual([]);
      // Another address entirely is no look-alike (it is a substituted address, below).
      expect(ids(check(ctx({ description: `Grant 1 ETH to ${ERIN}.`, calls: [ethCall(0, MALLORY, E18)] })))).toEqual(["description-claims/substituted-address:high"]);
    });
  });

  describe("addresses written short", () => {
    /** The timelock with its middle changed: same first 13 and last 4 hex characters, as in the Tornado Cash 2026 attempt. */
    const TIMELOCK_SPOOF = getAddress(`0x${TIMELOCK.slice(2, 15)}${"1".repeat(23)}${TIMELOCK.slice(-4)}`);
    const short = (a: Address, dots = "…") => `${a.slice(0, 6).toLowerCase()}${dots}${a.slice(-4).toLowerCase()}`;

    it("flags control handed to a look-alike of the DAO contract the text names short", () => {
      for (const dots of ["…", "..."]) {
        const findings = check(
          ctx({ description: `Re-registers the fee vault (${OTHER}) under the governance timelock (${short(TIMELOCK, dots)}).`, calls: [transferOwnership(0, OTHER, TIMELOCK_SPOOF)] }),
        );
        expect(ids(findings)).toEqual(["description-claims/look-alike-address:critical"]);
        expect(findings[0]!.title).toBe(`Action 1 hands control to ${TIMELOCK_SPOOF}, a look-alike of the treasury (timelock), which the description names as ${short(TIMELOCK, dots)}`);
        expect(findings[0]!.detail).toContain(TIMELOCK);
        expect(findings[0]!.evidence).toMatchObject({ address: TIMELOCK_SPOOF, named: short(TIMELOCK, dots), imitated: TIMELOCK });
      }
    });

    it("flags a recipient that fits the short form of an address written in full, or alongside another used one", () => {
      const longer = (a: Address) => `${a.slice(0, 10).toLowerCase()}…${a.slice(-6).toLowerCase()}`;
      const spoof = getAddress(`0x${ERIN.slice(2, 10)}${"2".repeat(26)}${ERIN.slice(-6)}`);
      expect(ids(check(ctx({ description: `Erin is ${ERIN}; pay 1 ETH to ${longer(ERIN)}.`, calls: [ethCall(0, spoof, E18)] })))).toContain("description-claims/look-alike-address:critical");
      // Two accounts the calls pay both fit one short form: the text cannot tell them apart.
      const both = check(ctx({ description: `Pay 1 ETH to ${short(ERIN)}.`, calls: [ethCall(0, ERIN, E18), ethCall(1, ERIN_SPOOF, E18)] }));
      expect(ids(both)).toEqual(["description-claims/look-alike-address:critical", "description-claims/look-alike-address:critical"]);
    });

    it("matches a short form only the address used fits, and ignores short forms nothing fits", () => {
      const c = ctx({ description: `Pay 1 ETH to ${short(ERIN)}.`, calls: [ethCall(0, ERIN, E18)] });
      expect(check(c)).toEqual([]);
      expect(buildDescriptionClaims(c, sorted(c))!.claims[0]).toMatchObject({ claim: `The description names ${short(ERIN)}`, status: "matched", evidence: ["call:0"] });
      expect(check(ctx({ description: `The timelock (${short(TIMELOCK)}) takes ownership.`, calls: [transferOwnership(0, OTHER, TIMELOCK)] }))).toEqual([]);
      expect(check(ctx({ description: `Pay 1 ETH to ${short(ERIN)}.`, calls: [ethCall(0, MALLORY, E18)] }))).toEqual([]);
    });
  });

  describe("addresses read from undecoded calldata", () => {
    const TIMELOCK_SPOOF = getAddress(`0x${TIMELOCK.slice(2, 15)}${"1".repeat(23)}${TIMELOCK.slice(-4)}`);
    const withdraw = (to: Address) =>
      encodeFunctionData({ abi: parseAbi(["function withdraw(address,address,uint256)"]), functionName: "withdraw", args: [USD, to, 250_000n * E6] });
    const opaque = (data: `0x${string}`, description: string) => {
      const calls = [opaqueCall(0, OTHER)];
      return ctx({ description, calls, proposal: normalizeProposal({ targets: [OTHER], values: [0n], calldatas: [data], description }) });
    };
    const text = `Moves the 250,000 dUSD held by the fee vault (${OTHER}) back to the governance timelock (0x5fbd…0aa3).`;

    it("reads address-shaped words after the selector, not amounts, small numbers or hashes", () => {
      const words = [USD, TIMELOCK_SPOOF].map((a) => a.slice(2).toLowerCase().padStart(64, "0"));
      const numbers = [250_000n * E6, 5n, 0n, 2n ** 120n].map((n) => n.toString(16).padStart(64, "0"));
      const data = `0xdeadbeef${[...words, ...numbers, "ab".repeat(32)].join("")}` as const;
      const found = calldataAddresses(opaque(data, ""));
      expect([...found.values()]).toEqual([
        { address: USD, callIndexes: [0] },
        { address: TIMELOCK_SPOOF, callIndexes: [0] },
      ]);
      // Decoded calls are read from their arguments, not their bytes.
      expect(calldataAddresses(ctx({ calls: [ethCall(0, ERIN, E18)], proposal: normalizeProposal({ targets: [ERIN], values: [E18], calldatas: [data], description: "" }) })).size).toBe(0);
    });

    it("stays bounded on huge calldata and many short forms", () => {
      const words = Array.from({ length: 50_000 }, (_, i) => (0x10000000n * 2n ** 128n + BigInt(i)).toString(16).padStart(64, "0")).join("");
      const shorts = Array.from({ length: 5_000 }, (_, i) => `0x1000…${i.toString(16).padStart(4, "0")}`).join(" ");
      const started = performance.now();
      const c = opaque(`0xdeadbeef${words}`, shorts);
      expect(calldataAddresses(c).size).toBe(200);
      expect(() => check(c)).not.toThrow();
      expect(performance.now() - started).toBeLessThan(3_000);
    });

    it("flags a look-alike inside a call no ABI decodes, and says where it was read", () => {
      const findings = check(opaque(withdraw(TIMELOCK_SPOOF), text));
      expect(ids(findings)).toEqual(["description-claims/look-alike-address:critical"]);
      expect(findings[0]!.title).toBe(`Action 1 passes ${TIMELOCK_SPOOF} in undecoded calldata, a look-alike of the treasury (timelock), which the description names as 0x5fbd…0aa3`);
      expect(findings[0]!.detail).toContain("read from the undecoded calldata of action 1");
      expect(findings[0]!.evidence).toMatchObject({ address: TIMELOCK_SPOOF, imitated: TIMELOCK, fromCalldata: [0] });
    });

    it("does not flag the real address, nor calldata without look-alikes", () => {
      expect(check(opaque(withdraw(TIMELOCK), text))).toEqual([]);
      expect(check(opaque(withdraw(ERIN), text))).toEqual([]);
    });
  });

  describe("an address other than the one described", () => {
    const PROXY = getAddress("0x2000000000000000000000000000000000000002");
    const PROXY_ADMIN = getAddress("0x3000000000000000000000000000000000000003");
    const DESCRIBED = getAddress("0x4000000000000000000000000000000000000004");
    const INSTALLED = getAddress("0x5000000000000000000000000000000000000005");
    const OLD = getAddress("0x6000000000000000000000000000000000000006");
    const upgrade = (index: number, implementation: Address): DecodedCall => ({
      index,
      target: PROXY_ADMIN,
      value: 0n,
      selector: "0x9623609d",
      kind: "call",
      functionName: "upgradeAndCall",
      signature: "upgradeAndCall(address,address,bytes)",
      args: [PROXY, implementation, "0x"],
      abiSource: "ProxyAdmin",
      decoded: true,
    });

    it("flags an upgrade to an implementation the text does not name while it names another", () => {
      const findings = check(ctx({ description: `Upgrades the bonding pool (${PROXY}) to v2, implementation ${DESCRIBED}.`, calls: [upgrade(0, INSTALLED)] }));
      expect(ids(findings)).toEqual(["description-claims/substituted-address:high"]);
      expect(findings[0]!.title).toBe("The description names 0x4000…0004 but the calls upgrade to 0x5000…0005 instead");
      expect(findings[0]!.detail).toContain(DESCRIBED);
      expect(findings[0]!.detail).toContain(INSTALLED);
      expect(findings[0]!.evidence).toMatchObject({ callIndex: 0, address: INSTALLED, named: [DESCRIBED], gives: ["code"] });
    });

    it("flags money or power to an unnamed account while the named one gets nothing", () => {
      expect(ids(check(ctx({ description: `Hand the registry to the new operator ${ERIN}.`, calls: [transferOwnership(0, OTHER, MALLORY)] })))).toEqual([
        "description-claims/substituted-address:high",
      ]);
      expect(ids(check(ctx({ description: `Let ${ERIN} spend 5 DEMO.`, calls: [erc20(0, TOKEN, "approve", MALLORY, 5n * E18)] })))).toEqual(["description-claims/substituted-address:high"]);
    });

    it("does not flag old addresses named for context when the new one is named too", () => {
      expect(check(ctx({ description: `Upgrades ${PROXY} from ${OLD} to ${INSTALLED}.`, calls: [upgrade(0, INSTALLED)] }))).toEqual([]);
      expect(check(ctx({ description: `Replaces the old operator ${OLD} with ${ERIN}.`, calls: [transferOwnership(0, OTHER, ERIN)] }))).toEqual([]);
      expect(check(ctx({ description: `Replaces the old operator ${OLD} with ${ERIN.slice(0, 6)}…${ERIN.slice(-4)}.`, calls: [transferOwnership(0, OTHER, ERIN)] }))).toEqual([]);
    });

    it("ignores DAO contracts, the proposer suffix, revocations and texts that name no address", () => {
      expect(check(ctx({ description: `The Governor (${GOVERNOR}) is unchanged. Pay erin 1 ETH.`, calls: [ethCall(0, ERIN, E18)] }))).toEqual([]);
      expect(check(ctx({ description: `Pay erin 1 ETH.\n\n#proposer=${MALLORY}`, calls: [ethCall(0, ERIN, E18)] }))).toEqual([]);
      expect(check(ctx({ description: `End the allowance of ${ERIN}.`, calls: [erc20(0, TOKEN, "approve", MALLORY, 0n)] }))).toEqual([]);
      expect(check(ctx({ description: "Pay erin 1 ETH.", calls: [ethCall(0, ERIN, E18)] }))).toEqual([]);
      expect(check(ctx({ description: `Hand the registry ${OLD} to the timelock.`, calls: [transferOwnership(0, OLD, TIMELOCK)] }))).toEqual([]);
    });
  });

  describe("checksums", () => {
    const wrongCase = (a: Address) => {
      const i = [...a].findIndex((c, k) => k > 1 && /[a-f]/i.test(c));
      return `${a.slice(0, i)}${a[i] === a[i]!.toUpperCase() ? a[i]!.toLowerCase() : a[i]!.toUpperCase()}${a.slice(i + 1)}`;
    };

    it("flags a mixed-case address whose checksum is wrong as high, critical with a look-alike", () => {
      const written = wrongCase(ERIN);
      expect(ids(check(ctx({ description: `Grant 1 ETH to ${written}.`, calls: [ethCall(0, ERIN, E18)] })))).toEqual(["description-claims/bad-checksum:high"]);
      expect(ids(check(ctx({ description: `Grant 1 ETH to ${written}.`, calls: [ethCall(0, ERIN_SPOOF, E18)] })))).toEqual([
        "description-claims/look-alike-address:critical",
        "description-claims/bad-checksum:critical",
      ]);
    });

    it("accepts a right checksum, all lower case and all upper case", () => {
      for (const written of [ERIN, ERIN.toLowerCase(), `0x${ERIN.slice(2).toUpperCase()}`])
        expect(check(ctx({ description: `Grant 1 ETH to ${written}.`, calls: [ethCall(0, ERIN, E18)] }))).toEqual([]);
    });
  });

  describe("what the text says an account is", () => {
    const paySafe = (description: string, counterparties: CounterpartyInfo[] | undefined, calls = [ethCall(0, ERIN, E18)]) =>
      check(ctx({ description, calls, ...(counterparties !== undefined ? { counterparties } : {}) }));

    it("flags a multisig or Safe that is an EOA, a 7702 account or a Safe one key controls", () => {
      expect(ids(paySafe(`Fund the ops multisig ${ERIN}.`, [eoa(ERIN)]))).toEqual(["description-claims/descriptor-mismatch:critical"]);
      expect(ids(paySafe(`Fund the Gnosis Safe ${ERIN}.`, [counterparty(ERIN, { kind: "delegated-eoa", delegatedTo: OTHER, singleKeyControl: true })]))).toEqual([
        "description-claims/descriptor-mismatch:critical",
      ]);
      const oneKey = paySafe(`Fund the ops multisig ${ERIN}.`, [safe(ERIN, 1)]);
      expect(ids(oneKey)).toEqual(["description-claims/descriptor-mismatch:critical"]);
      expect(oneKey[0]!.title).toBe("The description says 0x9965…A4dc is a multisig, but it is a Safe that one signature controls (threshold 1 of 3)");
      expect(oneKey[0]!.detail).toContain(ERIN);
    });

    it("flags ownership handed to an EOA described as a multisig", () => {
      const findings = paySafe(`Transfer ownership of the registry to the security multisig ${ERIN}.`, [eoa(ERIN)], [transferOwnership(0, OTHER, ERIN)]);
      expect(ids(findings)).toEqual(["description-claims/descriptor-mismatch:critical"]);
      expect(findings[0]!.detail).toContain("new owner");
    });

    it("flags a vault one outside key controls (goldCOMP) and an escrow that is an EOA", () => {
      const vault = counterparty(ERIN, { controller: { via: "owner", address: MALLORY, isEoa: true }, singleKeyControl: true });
      const findings = paySafe(`Deposit into the non-custodial vault ${ERIN}; only the DAO can withdraw.`, [vault]);
      expect(ids(findings)).toEqual(["description-claims/descriptor-mismatch:critical"]);
      expect(findings[0]!.detail).toContain(MALLORY);
      expect(ids(paySafe(`Hold the funds in escrow at ${ERIN}.`, [eoa(ERIN)]))).toEqual(["description-claims/descriptor-mismatch:critical"]);
      // "A contract" is true of an owned contract, so it is high rather than critical.
      expect(ids(paySafe(`Pay the vesting contract ${ERIN}.`, [vault]))).toEqual(["description-claims/descriptor-mismatch:high"]);
    });

    it("judges the recipient the text describes without an address", () => {
      expect(ids(paySafe("Q3 operations budget: routine top-up of the ops multisig.", [eoa(ERIN)]))).toEqual(["description-claims/descriptor-mismatch:critical"]);
      expect(ids(paySafe("Routine top-up of the ops mult\u0456sig.", [eoa(ERIN)]))).toEqual(["description-claims/descriptor-mismatch:critical"]);
      // Two recipients: the text does not say which one it means.
      expect(paySafe("Routine top-up of the ops multisig.", [eoa(ERIN), eoa(MALLORY)], [ethCall(0, ERIN, E18), ethCall(1, MALLORY, E18)])).toEqual([]);
    });

    it("an account whose code could not be read, or a contract with no owner, admin or Safe, is unverified, never a fact", () => {
      const unreadable = counterparty(ERIN, { kind: "eoa", singleKeyControl: true, unread: ["code", "first seen"] });
      expect(ids(paySafe(`Fund the ops multisig ${ERIN}.`, [unreadable]))).toEqual(["description-claims/descriptor-unverified:low"]);
      const ownerless = counterparty(ERIN, {});
      expect(ids(paySafe(`Deposit into the non-custodial vault ${ERIN}.`, [ownerless]))).toEqual(["description-claims/descriptor-unverified:low"]);
    });

    it("flags a stated threshold the Safe does not have as high", () => {
      expect(ids(paySafe(`Fund the 3-of-5 multisig ${ERIN}.`, [safe(ERIN, 2, 3)]))).toEqual(["description-claims/descriptor-mismatch:high"]);
    });

    it("reports matching descriptors as matched claims, not findings", () => {
      const c = ctx({ description: `Fund the 2-of-3 Safe ${ERIN}.`, calls: [ethCall(0, ERIN, E18)], counterparties: [safe(ERIN, 2, 3)] });
      expect(check(c)).toEqual([]);
      expect(buildDescriptionClaims(c, [])!.claims.find((x) => x.claim.includes("is a multisig"))).toMatchObject({ status: "matched", evidence: ["call:0"] });
      const vault = ctx({
        description: `Deposit into the vault ${ERIN}.`,
        calls: [ethCall(0, ERIN, E18)],
        counterparties: [counterparty(ERIN, { controller: { via: "owner", address: TIMELOCK, isEoa: false } })],
      });
      expect(check(vault)).toEqual([]);
    });

    it("says so when it could not check, never counting it as matched", () => {
      const c = ctx({ description: `Fund the ops multisig ${ERIN}.`, calls: [ethCall(0, ERIN, E18)] });
      const findings = check(c);
      expect(ids(findings)).toEqual(["description-claims/descriptor-unverified:low"]);
      expect(findings[0]!.title).toContain("could not be checked");
      expect(buildDescriptionClaims(c, findings)!.claims.find((x) => x.claim.includes("multisig"))).toMatchObject({ status: "unsupported", evidence: ["finding:0", "call:0"] });
      // A contract the counterparty reader did not cover: unverified too.
      expect(ids(check({ ...c, counterparties: [], targets: [{ address: ERIN, kind: "contract" } as never] }))).toEqual(["description-claims/descriptor-unverified:low"]);
    });

    it("still knows an EOA target from the target inspection when counterparties were not read", () => {
      expect(ids(check(ctx({ description: `Fund the ops multisig ${ERIN}.`, calls: [ethCall(0, ERIN, E18)], targets: [{ address: ERIN, kind: "eoa" } as never] })))).toEqual([
        "description-claims/descriptor-mismatch:critical",
      ]);
    });

    it("ignores descriptors of addresses the calls never use", () => {
      expect(paySafe(`Unlike the old multisig ${MALLORY}, pay ${ERIN}.`, [eoa(ERIN)])).toEqual([]);
      expect(paySafe(`The ops multisig ${MALLORY} reviewed this. Pay ${ERIN}.`, [eoa(ERIN)])).toEqual([]);
    });
  });
});

describe("description claims section", () => {
  it("lists the drain's claim as mismatched with its evidence, and the undisclosed outflows", () => {
    const c = ctx({ description: DRAIN, calls: drainCalls() });
    const findings = sorted(c);
    const section = buildDescriptionClaims(c, findings)!;
    expect(section.claims[0]).toMatchObject({ claim: `The description says: "No change to the DAO's holdings"`, status: "mismatched" });
    expect(section.claims[0]!.evidence).toEqual(["finding:0", "call:0", "call:1", "balance:0", "balance:2"]);
    expect(section.undisclosedEffects.map((e) => e.effect)).toEqual([`Action 1 sends 60 ETH from the treasury to ${MALLORY}`, `Action 2 sends 600,000 dUSD from the treasury to ${MALLORY}`]);
    expect(section.undisclosedEffects[0]!.evidence[0]).toBe("call:0");
  });

  it("includes stated amounts, exact and rounded, and the recipients", () => {
    const c = ctx({ description: `Pay about 0.5 ETH and 600k dUSD to ${ERIN}.`, calls: [ethCall(0, ERIN, parseEther("0.48")), erc20(1, USD, "transfer", ERIN, 600_000n * E6)] });
    const section = buildDescriptionClaims(c, sorted(c))!;
    expect(section.claims.map((x) => [x.claim, x.status])).toEqual([
      [`The description names ${ERIN}`, "matched"],
      ["The description states about 0.5 ETH", "matched"],
      ["The description states 600,000 dUSD", "matched"],
      ["Funds go to the addresses the description names (1)", "matched"],
    ]);
    expect(section.undisclosedEffects).toEqual([]);
  });

  it("marks an amount that does not match as mismatched with the finding", () => {
    const c = ctx({ description: "Grant 800 DEMO to erin.", calls: [erc20(0, TOKEN, "transfer", ERIN, 8_000n * E18)] });
    const findings = sorted(c);
    const section = buildDescriptionClaims(c, findings)!;
    const index = findings.findIndex((f) => f.id === "description-amounts/mismatch");
    expect(section.claims).toEqual([expect.objectContaining({ claim: "The description states 800 DEMO", status: "mismatched", evidence: [`finding:${index}`, "call:0", "balance:1"] })]);
  });

  it("lists undisclosed allowances and role changes only when the text makes claims", () => {
    const grant: DecodedCall = { ...transferOwnership(1, OTHER, MALLORY) };
    const c = ctx({ description: "Grant 1 ETH to erin.", calls: [ethCall(0, ERIN, E18), erc20(2, TOKEN, "approve", MALLORY, 5n * E18), grant] });
    const effects = buildDescriptionClaims(c, sorted(c))!.undisclosedEffects.map((e) => e.effect);
    expect(effects).toEqual([`Action 3 lets ${MALLORY} spend 5 DEMO`, `Action 2 hands ownership to ${MALLORY} on ${OTHER}`]);
    expect(buildDescriptionClaims(ctx({ description: "Housekeeping.", calls: [grant] }), [])).toBeUndefined();
  });

  it("a sentence that denies spending or ownership changes does not disclose them; one that states them does", () => {
    const grant: DecodedCall = { ...transferOwnership(1, OTHER, MALLORY) };
    const calls = [ethCall(0, ERIN, E18), erc20(2, TOKEN, "approve", MALLORY, 5n * E18), grant];
    const effects = (description: string) => buildDescriptionClaims(ctx({ description, calls }), [])!.undisclosedEffects.map((e) => e.effect.split(" ").slice(0, 3).join(" "));
    expect(effects("Grant 1 ETH to erin. No other treasury spending and no ownership changes.")).toEqual(["Action 3 lets", "Action 2 hands"]);
    expect(effects("Grant 1 ETH to erin. Also approves a spender for 5 DEMO and hands over ownership of the log.")).toEqual([]);
  });

  it('matches "no funds move" when nothing moves, and leaves it unsupported when a call cannot be decoded', () => {
    expect(buildDescriptionClaims(ctx({ description: "No funds move.", calls: [quorumCall(0)] }), [])!.claims[0]).toMatchObject({ status: "matched" });
    expect(buildDescriptionClaims(ctx({ description: "No funds move.", calls: [opaqueCall(0, OTHER)] }), [])!.claims[0]).toMatchObject({ status: "unsupported", evidence: ["call:0"] });
  });

  it('leaves "no funds move" unsupported without a fork when a decoded call goes to a contract outside the DAO', () => {
    const outside: DecodedCall = { ...quorumCall(0), target: USD };
    expect(buildDescriptionClaims(ctx({ description: "No funds move.", calls: [outside] }), [])!.claims[0]).toMatchObject({ status: "unsupported", evidence: ["call:0"] });
    expect(buildDescriptionClaims(ctx({ description: "No funds move.", calls: [outside], simulation: simulated({}) }), [])!.claims[0]).toMatchObject({ status: "matched" });
  });
});

describe("on the local chain", () => {
  let chain: Awaited<ReturnType<typeof setup>>;

  async function setup() {
    const { network } = await import("hardhat");
    const connection = await network.create();
    const dao = await deployLocalDAO(connection);
    const [deployer] = await connection.viem.getWalletClients();
    await deployer!.sendTransaction({ to: dao.deployment.contracts.timelock, value: parseEther("100") });
    await delegateAll(dao, connection);
    const rpc = await serveRpc(connection.provider as never);
    return { connection, dao, rpc };
  }

  beforeAll(async () => {
    chain = await setup();
  }, 120_000);

  afterAll(async () => {
    await chain?.rpc.close();
    await chain?.connection.close();
  });

  it("puts the drain's contradiction first, critical, in human units", async () => {
    const { analyzeProposal } = await import("../src/analyze.ts");
    const { dao, connection, rpc } = chain;
    const { timelock } = dao.deployment.contracts;
    const usd = await connection.viem.deployContract("MockERC20", ["Demo USD", "dUSD", 6, timelock, parseUnits("1000000", 6)]);
    const outsider = getAddress(dao.accounts.outsider.account.address);
    const transfer = encodeFunctionData({ abi: parseAbi(["function transfer(address,uint256) returns (bool)"]), functionName: "transfer", args: [outsider, parseUnits("600000", 6)] });
    const report = await analyzeProposal({
      client: dao.publicClient as never,
      deployment: dao.deployment,
      proposal: { targets: [outsider, usd.address], values: [parseEther("60"), 0n], calldatas: ["0x", transfer], description: DRAIN },
      simulate: { forkUrl: rpc.url },
    });
    const first = report.findings[0]!;
    expect(first).toMatchObject({ id: "description-claims/no-outflow-contradicted", severity: "critical" });
    expect(first.title).toBe("The description says the DAO's holdings do not change, but the calls send 60 ETH (60 % of the treasury) and 600,000 dUSD (60 %)");
    expect(first.detail).toContain(outsider);
    expect(report.recommendation).toBe("against");
    expect(report.descriptionClaims?.claims[0]).toMatchObject({ status: "mismatched", evidence: expect.arrayContaining(["finding:0", "call:0", "call:1"]) });
    expect(report.descriptionClaims?.undisclosedEffects.length).toBe(2);
  }, 120_000);

  it("reads what the chain says a described account is: an owned vault, a Safe one signature controls", async () => {
    const { analyzeProposal } = await import("../src/analyze.ts");
    const { dao, connection } = chain;
    const outsider = getAddress(dao.accounts.outsider.account.address);
    const vault = getAddress((await connection.viem.deployContract("CpOwnedVault", [outsider])).address);
    const oneOfThree = getAddress(
      (await connection.viem.deployContract("EvalSafe", [[outsider, getAddress(dao.accounts.alice.account.address), getAddress(dao.accounts.bob.account.address)], 1n])).address,
    );
    const analyze = (target: Address, description: string) =>
      analyzeProposal({
        client: dao.publicClient as never,
        deployment: dao.deployment,
        proposal: { targets: [target], values: [parseEther("10")], calldatas: ["0x"], description },
        simulate: { skip: "not needed" },
      });
    const gold = await analyze(vault, `Deposit 10 ETH into the non-custodial vault ${vault}; only the DAO can withdraw.`);
    expect(gold.findings.filter((f) => f.check === "description-claims").map((f) => `${f.id}:${f.severity}`)).toEqual(["description-claims/descriptor-mismatch:critical"]);
    expect(gold.findings.find((f) => f.check === "description-claims")!.detail).toContain(outsider);
    const safe = await analyze(oneOfThree, `Top up the ops multisig ${oneOfThree} with 10 ETH.`);
    expect(safe.findings.find((f) => f.check === "description-claims")).toMatchObject({ id: "description-claims/descriptor-mismatch", severity: "critical" });
  }, 120_000);
});
