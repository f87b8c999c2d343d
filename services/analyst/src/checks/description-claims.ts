import { getAddress, isAddress, type Address } from "viem";

import type { IntentVsEffect } from "@ai-dao/reports";

import {
  DESCRIPTOR_NOUN,
  extractClaims,
  looksAlike,
  matchesAbbreviation,
  type AbbreviatedAddress,
  type DescriptionClaims,
  type Descriptor,
  type DescriptorMention,
  type NoOutflowKind,
} from "../context/claims.ts";
import type { CounterpartyInfo } from "../context/counterparties.ts";
import { describeDescription } from "../context/description.ts";
import { treasuryBalance } from "../context/governance.ts";
import { addressLabel, assetUnits, formatAssetAmount, formatShare, POWER_VERBS, safeSymbol, shortAddress } from "../units.ts";
import { analyseAmounts } from "./description-amounts.ts";
import { UNLIMITED } from "./treasury-approvals.ts";
import { daoRole, isTreasury, shareBps, type AnalysisContext, type Finding, type ProposalCheck, type Severity } from "./types.ts";
import { actionLabel, actionList } from "@ai-dao/reports";

const CHECK_ID = "description-claims";
/** Anything at or above 2^255 is an unlimited allowance. */

/** Something the calls take out of the treasury or let someone take. */
interface Outflow {
  kind: "send" | "nft" | "approve" | "approve-all";
  callIndex: number;
  asset: "ETH" | Address;
  /** Who receives or may spend it. */
  to: Address;
  /** Base units (token id for `nft`); null for approval for all. */
  amount: bigint | null;
}

const TOKEN_SKIP = new Set(["DAOGovernor", "TimelockController"]);

function asAddress(value: unknown): Address | null {
  return typeof value === "string" && isAddress(value, { strict: false }) ? getAddress(value) : null;
}

/** What the calls take out of the treasury or let someone take, from the decoded calldata. */
export function treasuryOutflows(ctx: AnalysisContext): Outflow[] {
  const out: Outflow[] = [];
  for (const call of ctx.calls) {
    if (call.value > 0n && !isTreasury(ctx, call.target)) out.push({ kind: "send", callIndex: call.index, asset: "ETH", to: call.target, amount: call.value });
    if (!call.decoded || TOKEN_SKIP.has(call.abiSource ?? "")) continue;
    const args = call.args ?? [];
    const push = (kind: Outflow["kind"], to: unknown, amount: unknown) => {
      const address = asAddress(to);
      if (address === null || isTreasury(ctx, address)) return;
      const value = typeof amount === "bigint" ? amount : null;
      if (kind !== "approve-all" && (value === null || value === 0n)) return;
      out.push({ kind, callIndex: call.index, asset: call.target, to: address, amount: value });
    };
    switch (call.signature) {
      case "transfer(address,uint256)":
        push("send", args[0], args[1]);
        break;
      case "transferFrom(address,address,uint256)":
        if (isTreasury(ctx, args[0])) push("send", args[1], args[2]);
        break;
      case "safeTransferFrom(address,address,uint256)":
      case "safeTransferFrom(address,address,uint256,bytes)":
        if (isTreasury(ctx, args[0])) push("nft", args[1], args[2]);
        break;
      case "safeTransferFrom(address,address,uint256,uint256,bytes)":
        if (isTreasury(ctx, args[0]) && typeof args[3] === "bigint" && args[3] > 0n) push("nft", args[1], args[2]);
        break;
      case "safeBatchTransferFrom(address,address,uint256[],uint256[],bytes)":
        if (isTreasury(ctx, args[0])) for (const id of (args[2] as readonly bigint[] | undefined) ?? []) push("nft", args[1], id);
        break;
      case "approve(address,uint256)":
      case "increaseAllowance(address,uint256)":
        push("approve", args[0], args[1]);
        break;
      case "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)":
        if (isTreasury(ctx, args[0])) push("approve", args[1], args[2]);
        break;
      case "setApprovalForAll(address,bool)":
        if (args[1] === true) push("approve-all", args[0], null);
        break;
    }
  }
  return out;
}

/** What the fork measured leaving the treasury (ETH and tokens), when the proposal was simulated and executed. */
function simulatedLosses(ctx: AnalysisContext): { asset: "ETH" | Address; amount: bigint }[] {
  const sim = ctx.simulation;
  if (sim?.status !== "simulated" || sim.result.status !== "executed") return [];
  const fx = sim.result.effects;
  const losses: { asset: "ETH" | Address; amount: bigint }[] = [];
  const eth = fx.ethBalanceChanges.find((c) => isTreasury(ctx, c.address));
  if (eth && eth.delta < 0n) losses.push({ asset: "ETH", amount: -eth.delta });
  for (const t of fx.treasuryTokenBalances) if (t.before !== null && t.after !== null && t.after < t.before) losses.push({ asset: t.token, amount: t.before - t.after });
  return losses;
}

type Role = "recipient" | "spender" | "new owner" | "grantee" | "implementation" | "target" | "argument";

/** Every address the calls use (targets and address arguments at any depth), with what each call does with it. */
function usedAddresses(ctx: AnalysisContext): Map<string, { address: Address; roles: Set<Role>; callIndexes: number[] }> {
  const used = new Map<string, { address: Address; roles: Set<Role>; callIndexes: number[] }>();
  const note = (value: unknown, role: Role, callIndex: number) => {
    const address = asAddress(value);
    if (address === null) return;
    const entry = used.get(address.toLowerCase()) ?? { address, roles: new Set<Role>(), callIndexes: [] };
    entry.roles.add(role);
    if (!entry.callIndexes.includes(callIndex)) entry.callIndexes.push(callIndex);
    used.set(address.toLowerCase(), entry);
  };
  let budget = 0;
  const walk = (value: unknown, callIndex: number, depth: number) => {
    if (budget-- <= 0 || depth > 6) return;
    if (typeof value === "string") note(value, "argument", callIndex);
    else if (Array.isArray(value)) for (const v of value) walk(v, callIndex, depth + 1);
    else if (value !== null && typeof value === "object") for (const v of Object.values(value)) walk(v, callIndex, depth + 1);
  };
  for (const call of ctx.calls) {
    budget = 10_000; // each call's arguments get their own budget: a huge array in one call hides nothing in the next
    note(call.target, call.value > 0n ? "recipient" : "target", call.index);
    const args = call.args ?? [];
    const role: Record<string, [number, Role]> = {
      "transfer(address,uint256)": [0, "recipient"],
      "transferFrom(address,address,uint256)": [1, "recipient"],
      "safeTransferFrom(address,address,uint256)": [1, "recipient"],
      "safeTransferFrom(address,address,uint256,bytes)": [1, "recipient"],
      "safeTransferFrom(address,address,uint256,uint256,bytes)": [1, "recipient"],
      "safeBatchTransferFrom(address,address,uint256[],uint256[],bytes)": [1, "recipient"],
      "approve(address,uint256)": [0, "spender"],
      "increaseAllowance(address,uint256)": [0, "spender"],
      "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)": [1, "spender"],
      "setApprovalForAll(address,bool)": [0, "spender"],
      "transferOwnership(address)": [0, "new owner"],
      "changeAdmin(address)": [0, "new owner"],
      "changeProxyAdmin(address,address)": [1, "new owner"],
      "grantRole(bytes32,address)": [1, "grantee"],
      "upgradeTo(address)": [0, "implementation"],
      "upgradeToAndCall(address,bytes)": [0, "implementation"],
      "upgradeAndCall(address,address,bytes)": [1, "implementation"],
    };
    const known = call.decoded ? role[call.signature ?? ""] : undefined;
    if (known !== undefined) note(args[known[0]], known[1], call.index);
    walk(args, call.index, 0);
  }
  for (const u of used.values()) if (u.roles.size > 1) u.roles.delete("argument");
  return used;
}

/** Words of calldata read per undecoded call, and addresses kept from all of them. */
const CALLDATA_LIMITS = { maxWords: 4_096, maxAddresses: 200 } as const;
const ADDRESS_WORD = /^0{24}[0-9a-f]{40}$/;

/**
 * Addresses in the arguments of calls no ABI decodes: 32-byte words after the selector that hold 12
 * zero bytes and then 20 bytes that are not a small number (their first four bytes not all zero),
 * the shape of an ABI-encoded address. Amounts, offsets and lengths are small numbers and do not
 * count; an address that happens to start with four zero bytes is missed.
 */
export function calldataAddresses(ctx: Pick<AnalysisContext, "calls" | "proposal">): Map<string, { address: Address; callIndexes: number[] }> {
  const found = new Map<string, { address: Address; callIndexes: number[] }>();
  for (const call of ctx.calls) {
    if (call.decoded) continue;
    const data = ctx.proposal.calldatas[call.index];
    if (typeof data !== "string") continue;
    const args = data.slice(10).toLowerCase();
    const words = Math.min(Math.floor(args.length / 64), CALLDATA_LIMITS.maxWords);
    for (let i = 0; i < words; i++) {
      const word = args.slice(i * 64, i * 64 + 64);
      if (!ADDRESS_WORD.test(word) || word.slice(24, 32) === "00000000") continue;
      const lower = `0x${word.slice(24)}`;
      const entry = found.get(lower);
      if (entry !== undefined) {
        if (!entry.callIndexes.includes(call.index)) entry.callIndexes.push(call.index);
        continue;
      }
      if (found.size >= CALLDATA_LIMITS.maxAddresses) continue;
      found.set(lower, { address: getAddress(lower), callIndexes: [call.index] });
    }
  }
  return found;
}

/** An address the calls use: decoded (with what each call does with it) or read from undecoded calldata. */
interface InUse {
  address: Address;
  roles: Set<Role>;
  callIndexes: number[];
  /** Calls whose undecoded calldata holds it. */
  fromCalldata: number[];
}

/** The decoded uses and the addresses read from undecoded calldata, one entry per address. */
function addressesInUse(used: ReturnType<typeof usedAddresses>, raw: ReturnType<typeof calldataAddresses>): Map<string, InUse> {
  const all = new Map<string, InUse>();
  for (const [key, u] of used) all.set(key, { ...u, fromCalldata: [] });
  for (const [key, r] of raw) {
    const entry = all.get(key) ?? { address: r.address, roles: new Set<Role>(["argument"]), callIndexes: [], fromCalldata: [] };
    for (const i of r.callIndexes) {
      if (!entry.callIndexes.includes(i)) entry.callIndexes.push(i);
      entry.fromCalldata.push(i);
    }
    all.set(key, entry);
  }
  return all;
}


/** Whether the address is known only from the bytes of calls no ABI decodes. */
function onlyInCalldata(u: InUse): boolean {
  return u.fromCalldata.length > 0 && u.roles.size === 1 && u.roles.has("argument") && u.callIndexes.every((i) => u.fromCalldata.includes(i));
}

/** How the calls use an address, in parentheses: `(recipient in action 1)`, `(read from the undecoded calldata of action 3)`. */
function usage(u: InUse): string {
  const read = u.fromCalldata.length > 0 ? `read from the undecoded calldata of ${actionList(u.fromCalldata)}` : "";
  if (onlyInCalldata(u)) return `(${read})`;
  return `(${list([...u.roles])} in ${actionList(u.callIndexes)}${read !== "" ? `; ${read}` : ""})`;
}

/** What a call does with an address, as a verb before it. */
function verbFor(roles: readonly Role[]): string {
  if (roles.includes("recipient")) return "pays";
  if (roles.includes("spender")) return "gives an allowance to";
  if (roles.includes("new owner")) return "hands control to";
  if (roles.includes("grantee")) return "grants a role to";
  if (roles.includes("implementation")) return "upgrades to";
  if (roles.includes("target")) return "calls";
  return "passes";
}

/** What a call gives to an account: money (ETH, tokens, allowances), power (ownership, admin, a role) or code (an upgrade). */
interface Gift {
  address: Address;
  callIndex: number;
  /** Verb after "the calls": `pay`, `give an allowance to`, ... */
  verb: string;
  /** The same after "call 0": `pays`, `gives an allowance to`, ... */
  verbOne: string;
  what: "money" | "power" | "code";
}

const POWER_SIGNATURES: Record<string, { arg: number; verb: string; verbOne: string; what: Gift["what"] }> = {
  "transferOwnership(address)": { arg: 0, verb: "hand ownership to", verbOne: "hands ownership to", what: "power" },
  "changeAdmin(address)": { arg: 0, verb: "make the proxy admin", verbOne: "makes the proxy admin", what: "power" },
  "changeProxyAdmin(address,address)": { arg: 1, verb: "make the proxy admin", verbOne: "makes the proxy admin", what: "power" },
  "grantRole(bytes32,address)": { arg: 1, verb: "grant a role to", verbOne: "grants a role to", what: "power" },
  "upgradeTo(address)": { arg: 0, verb: "upgrade to", verbOne: "upgrades to", what: "code" },
  "upgradeToAndCall(address,bytes)": { arg: 0, verb: "upgrade to", verbOne: "upgrades to", what: "code" },
  "upgradeAndCall(address,address,bytes)": { arg: 1, verb: "upgrade to", verbOne: "upgrades to", what: "code" },
};

/** Every account outside the DAO a call gives money, power or code to. */
function gifts(ctx: AnalysisContext, outflows: readonly Outflow[]): Gift[] {
  const out: Gift[] = [];
  for (const o of outflows) {
    const allowance = o.kind === "approve" || o.kind === "approve-all";
    out.push({ address: o.to, callIndex: o.callIndex, verb: allowance ? "give an allowance to" : "pay", verbOne: allowance ? "gives an allowance to" : "pays", what: "money" });
  }
  for (const call of ctx.calls) {
    const power = call.decoded ? POWER_SIGNATURES[call.signature ?? ""] : undefined;
    const address = power !== undefined ? asAddress(call.args?.[power.arg]) : null;
    if (power !== undefined && address !== null) out.push({ address, callIndex: call.index, verb: power.verb, verbOne: power.verbOne, what: power.what });
  }
  return out.filter((g) => daoRole(ctx, g.address) === undefined && BigInt(g.address) !== 0n);
}

/** Who the calls pay or empower: recipients, spenders, new owners and admins, grantees. */
function beneficiaries(used: ReturnType<typeof usedAddresses>): Address[] {
  return [...used.values()].filter((u) => ["recipient", "spender", "new owner", "grantee"].some((r) => u.roles.has(r as Role))).map((u) => u.address);
}

/** `a`, `a and b`, `a, b and c`. */
function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

const NO_OUTFLOW_SAYS: Record<NoOutflowKind, string> = {
  holdings: "the DAO's holdings do not change",
  funds: "no funds move",
  transfer: "nothing is transferred",
};

const MULTISIG: ReadonlySet<Descriptor> = new Set(["multisig", "safe"]);

/** What is known about an account outside the DAO: from the counterparty reader, else (kind only) from the target inspection. */
interface AccountFacts {
  kind: "eoa" | "contract" | "delegated-eoa" | "empty";
  counterparty?: CounterpartyInfo;
}

function factsOf(ctx: AnalysisContext, address: string): AccountFacts | null {
  const counterparty = ctx.counterparties?.find((c) => c.address.toLowerCase() === address.toLowerCase());
  if (counterparty !== undefined) return { kind: counterparty.kind, counterparty };
  const target = ctx.targets.find((t) => t.address.toLowerCase() === address.toLowerCase());
  if (target !== undefined) return { kind: target.delegatedTo !== undefined ? "delegated-eoa" : target.kind };
  return null;
}

const KIND_TEXT: Record<AccountFacts["kind"], { short: string; long: string }> = {
  eoa: { short: "it is an externally owned account (one key)", long: "an externally owned account: one private key controls it" },
  "delegated-eoa": { short: "it is an EIP-7702 account (one key)", long: "an EIP-7702 account: a private key with delegated code, which the key can change or bypass" },
  empty: { short: "it has no code", long: "an account with no code and no history: whoever holds its key, if anyone, controls what it receives" },
  contract: { short: "it is a contract", long: "a contract" },
};

/** One descriptor judgement: a finding (or none when it matches), and the claim's status. */
interface DescriptorOutcome {
  status: "matched" | "mismatched" | "unsupported";
  severity?: Severity;
  /** What is wrong (title end) or what matched. */
  says: string;
  detail: string;
  kind: "mismatch" | "unverified" | null;
}

function judgeDescriptors(ctx: AnalysisContext, address: Address, mentions: DescriptorMention[]): DescriptorOutcome {
  const nouns = list([...new Set(mentions.map((m) => DESCRIPTOR_NOUN[m.descriptor]))]);
  const facts = factsOf(ctx, address);
  const multisig = mentions.some((m) => MULTISIG.has(m.descriptor));
  const custody = mentions.filter((m) => !MULTISIG.has(m.descriptor));
  const cp = facts?.counterparty;
  if (facts === null || (facts.kind === "contract" && cp === undefined)) {
    const why = ctx.counterparties === undefined ? "the accounts the proposal pays or empowers were not read" : "the account was not among those read";
    return {
      status: "unsupported",
      severity: "low",
      kind: "unverified",
      says: `could not be checked: ${why}`,
      detail: `The description says ${address} is ${nouns}; ${why}, so who controls it is unknown. Treat the claim as unverified.`,
    };
  }
  if (cp?.unread?.includes("code")) {
    return {
      status: "unsupported",
      severity: "low",
      kind: "unverified",
      says: "could not be checked: its code could not be read",
      detail: `The description says ${address} is ${nouns}; its code could not be read, so what it is and who controls it are unknown. Treat the claim as unverified.`,
    };
  }
  if (facts.kind !== "contract" || cp === undefined) {
    return {
      status: "mismatched",
      severity: "critical",
      kind: "mismatch",
      says: KIND_TEXT[facts.kind].short,
      detail: `The description says ${address} is ${nouns}, but it is ${KIND_TEXT[facts.kind].long}. Whatever the proposal gives it is in the hands of one key, not of several signers or of code.`,
    };
  }
  const controller = cp.controller ? ` (${cp.controller.via === "owner" ? "owner" : "proxy admin"} ${cp.controller.address}${cp.controller.isEoa ? ", an externally owned account" : ""})` : "";
  if (multisig) {
    if (cp.safe !== undefined && cp.safe.threshold <= 1) {
      return {
        status: "mismatched",
        severity: "critical",
        kind: "mismatch",
        says: `it is a Safe that one signature controls (threshold ${cp.safe.threshold} of ${cp.safe.owners.length})`,
        detail: `The description says ${address} is ${nouns}, but it is a Safe with threshold ${cp.safe.threshold} of ${cp.safe.owners.length} owners (${cp.safe.owners.join(", ")}): any one owner can move what it holds.`,
      };
    }
    if (cp.singleKeyControl) {
      return {
        status: "mismatched",
        severity: "critical",
        kind: "mismatch",
        says: "one key controls it",
        detail: `The description says ${address} is ${nouns}, but one key outside the DAO controls it${controller}.`,
      };
    }
    if (cp.safe === undefined) {
      return {
        status: "unsupported",
        severity: "low",
        kind: "unverified",
        says: "it is a contract but not a Safe the analysis can read",
        detail: `The description says ${address} is ${nouns}; it is a contract that does not say who its signers are as a Safe does, so its signers could not be checked${controller}.`,
      };
    }
    const stated = mentions.find((m) => m.threshold !== undefined)?.threshold;
    if (stated !== undefined && (stated.required !== cp.safe.threshold || stated.owners !== cp.safe.owners.length)) {
      return {
        status: "mismatched",
        severity: "high",
        kind: "mismatch",
        says: `it is a ${cp.safe.threshold}-of-${cp.safe.owners.length} Safe, not ${stated.required}-of-${stated.owners}`,
        detail: `The description says ${address} is a ${stated.required}-of-${stated.owners} multisig; it is a Safe with threshold ${cp.safe.threshold} of ${cp.safe.owners.length} owners (${cp.safe.owners.join(", ")}).`,
      };
    }
  }
  if (custody.length > 0) {
    if (cp.singleKeyControl) {
      const onlyContract = custody.every((m) => m.descriptor === "contract");
      // "A contract" is literally true of a contract an EOA owns; "vault", "escrow", "non-custodial" are not.
      return {
        status: "mismatched",
        severity: onlyContract ? "high" : "critical",
        kind: "mismatch",
        says: "one key outside the DAO controls it",
        detail: `The description says ${address} is ${nouns}, but one key outside the DAO controls it${controller}: it can move what the proposal gives it.`,
      };
    }
    if (custody.some((m) => m.descriptor === "dao-only-withdrawal") && cp.controller !== undefined && daoRole(ctx, cp.controller.address) === undefined) {
      return {
        status: "mismatched",
        severity: "high",
        kind: "mismatch",
        says: `it is controlled by ${shortAddress(cp.controller.address)}, not the DAO`,
        detail: `The description says only the DAO can withdraw from ${address}, but its ${cp.controller.via === "owner" ? "owner" : "proxy admin"} is ${cp.controller.address}, not a DAO contract.`,
      };
    }
  }
  if (custody.length > 0 && cp.controller === undefined && cp.safe === undefined) {
    // No owner, no proxy admin, not a Safe: who can withdraw is not established either way.
    return {
      status: "unsupported",
      severity: "low",
      kind: "unverified",
      says: "who can withdraw from it could not be established",
      detail: `The description says ${address} is ${nouns}; it is a contract with no owner or proxy admin the analysis can read, so who can move what it holds was not established. Treat the claim as unverified.`,
    };
  }
  const safe = cp.safe ? `: a Safe with threshold ${cp.safe.threshold} of ${cp.safe.owners.length}` : "";
  return { status: "matched", kind: null, says: "matched", detail: `${address} is a contract no single outside key controls${safe}${controller}.` };
}

interface Analysis {
  claims: DescriptionClaims;
  findings: Finding[];
  outflows: Outflow[];
  simulated: { asset: "ETH" | Address; amount: bigint }[];
  used: ReturnType<typeof usedAddresses>;
  /** Claim outcomes for the report section, each with the findings that state it (filled as findings are made). */
  items: { claim: string; status: "matched" | "mismatched" | "unsupported"; calls: number[]; addresses: string[]; assets: ("ETH" | Address)[]; findings: Finding[]; explanation: string }[];
}

/** The claims of a proposal's description, read once per proposal object (the check and the report section share them). */
const claimsCache = new WeakMap<object, DescriptionClaims>();
function claimsOf(ctx: AnalysisContext): DescriptionClaims {
  const known = claimsCache.get(ctx.proposal);
  if (known !== undefined) return known;
  const claims = extractClaims(describeDescription(ctx.proposal).visibleText);
  claimsCache.set(ctx.proposal, claims);
  return claims;
}

/** One analysis per context: the check and the report section share it. */
const analyses = new WeakMap<AnalysisContext, Analysis>();
function analyse(ctx: AnalysisContext): Analysis {
  let known = analyses.get(ctx);
  if (known === undefined) {
    known = analyseOnce(ctx);
    analyses.set(ctx, known);
  }
  return known;
}

function analyseOnce(ctx: AnalysisContext): Analysis {
  const claims = claimsOf(ctx);
  const outflows = treasuryOutflows(ctx);
  const simulated = simulatedLosses(ctx);
  const used = usedAddresses(ctx);
  const findings: Finding[] = [];
  const items: Analysis["items"] = [];
  const fmt = (asset: "ETH" | Address, amount: bigint) => formatAssetAmount(ctx.governance, asset, amount);
  const label = (address: string) => addressLabel(ctx.deployment.contracts, address);
  const symbolOf = (asset: "ETH" | Address) => {
    const units = assetUnits(ctx.governance, asset);
    const clean = units.symbol ? safeSymbol(units.symbol) : "";
    return clean !== "" ? clean : asset === "ETH" ? "ETH" : `tokens of ${shortAddress(asset)}`;
  };

  // 1. "Nothing leaves the treasury" against what the calls (or the fork) take out of it.
  if (claims.noOutflow.length > 0) {
    const first = claims.noOutflow[0]!;
    const sends = new Map<string, { asset: "ETH" | Address; amount: bigint }>();
    for (const o of outflows) {
      if (o.kind !== "send" || o.amount === null) continue;
      const k = o.asset === "ETH" ? "ETH" : o.asset.toLowerCase();
      const entry = sends.get(k) ?? { asset: o.asset, amount: 0n };
      entry.amount += o.amount;
      sends.set(k, entry);
    }
    const shareOf = (asset: "ETH" | Address, amount: bigint) => shareBps(amount, treasuryBalance(ctx.governance, asset));
    /** `60 ETH (63 % of the treasury)` for the first asset, `600,000 dUSD (60 %)` after it. */
    const withShare = (asset: "ETH" | Address, amount: bigint, first: boolean) => {
      const bps = shareOf(asset, amount);
      return `${fmt(asset, amount)} (${formatShare(bps)}${first && bps !== null && bps <= 10_000 ? " of the treasury" : ""})`;
    };
    const sendParts = [...sends.values()].map((s, i) => withShare(s.asset, s.amount, i === 0));
    const nftParts = outflows.filter((o) => o.kind === "nft").map((o) => `token #${o.amount} of ${label(o.asset)}`);
    const approvalParts = outflows
      .filter((o) => o.kind === "approve" || o.kind === "approve-all")
      .map((o) =>
        o.kind === "approve-all"
          ? `let ${label(o.to)} take every token the treasury holds of ${label(o.asset)}`
          : `let ${label(o.to)} spend ${o.amount! >= UNLIMITED ? `an unlimited amount of ${symbolOf(o.asset)}` : fmt(o.asset, o.amount!)}`,
      );
    const actions: string[] = [];
    const sent = [...sendParts, ...nftParts];
    if (sent.length > 0) actions.push(`send ${list(sent.length > 4 ? [...sent.slice(0, 3), `${sent.length - 3} more`] : sent)}`);
    actions.push(...approvalParts.slice(0, 2));
    if (approvalParts.length > 2) actions.push(`grant ${approvalParts.length - 2} more allowances`);
    let effect: string | null = actions.length > 0 ? `the calls ${list(actions)}` : null;
    if (effect === null && simulated.length > 0) {
      effect = `running the calls on a copy of the chain takes ${list(simulated.map((s, i) => withShare(s.asset, s.amount, i === 0)))} out of the treasury`;
    }
    const quotes = claims.noOutflow.map((c) => `"${c.text}"`).join(", ");
    if (effect !== null) {
      const lines = outflows.map((o) =>
        o.kind === "send"
          ? `${actionLabel(o.callIndex)} sends ${fmt(o.asset, o.amount!)} to ${o.to}`
          : o.kind === "nft"
            ? `${actionLabel(o.callIndex)} sends token #${o.amount} of ${o.asset} to ${o.to}`
            : o.kind === "approve"
              ? `${actionLabel(o.callIndex)} lets ${o.to} spend ${o.amount! >= UNLIMITED ? "an unlimited amount" : fmt(o.asset, o.amount!)} of the treasury's ${symbolOf(o.asset)}`
              : `${actionLabel(o.callIndex)} lets ${o.to} move every token of ${o.asset} the treasury holds`,
      );
      const sim = simulated.length > 0 ? ` Run on a copy of the chain, the treasury loses ${list(simulated.map((s) => fmt(s.asset, s.amount)))}.` : "";
      const finding: Finding = {
        id: `${CHECK_ID}/no-outflow-contradicted`,
        check: CHECK_ID,
        severity: "critical",
        title: `The description says ${NO_OUTFLOW_SAYS[first.kind]}, but ${effect}`,
        detail:
          `The description states ${quotes}. ${lines.length > 0 ? `${lines.map((l) => l[0]!.toUpperCase() + l.slice(1)).join("; ")}.` : ""}${sim} A voter who reads only the text approves moving the DAO's money without knowing it.`
            .replace(/\s+/g, " ")
            .trim(),
        evidence: {
          ...(outflows[0] ? { callIndex: outflows[0].callIndex, address: outflows[0].to } : {}),
          claim: "no-outflow",
          statements: claims.noOutflow.map((c) => c.text),
          outflows: outflows.map((o) => ({ kind: o.kind, callIndex: o.callIndex, asset: o.asset, to: o.to, amount: o.amount === null ? null : o.amount.toString() })),
          totals: [...sends.values()].map((s) => ({
            asset: s.asset,
            amount: s.amount.toString(),
            treasuryBalance: treasuryBalance(ctx.governance, s.asset)?.toString() ?? null,
            shareBps: shareOf(s.asset, s.amount),
          })),
          simulated: simulated.map((s) => ({ asset: s.asset, amount: s.amount.toString() })),
        },
      };
      findings.push(finding);
      for (const c of claims.noOutflow) {
        items.push({
          claim: `The description says: "${c.text}"`,
          status: "mismatched",
          calls: [...new Set(outflows.map((o) => o.callIndex))],
          addresses: [],
          assets: [...new Set([...outflows.map((o) => o.asset), ...simulated.map((s) => s.asset)])],
          findings: [finding],
          explanation: `${effect[0]!.toUpperCase()}${effect.slice(1)}.`,
        });
      }
    } else {
      const executed = ctx.simulation?.status === "simulated" && ctx.simulation.result.status === "executed";
      const opaque = ctx.calls.filter((c) => !c.decoded).map((c) => c.index);
      // Without a fork, only calls to the DAO's own contracts are known to move nothing: any other
      // contract may pull from the treasury inside a call whose arguments look harmless.
      const outside = ctx.calls.filter((c) => c.decoded && daoRole(ctx, c.target) === undefined).map((c) => c.index);
      for (const c of claims.noOutflow) {
        if (opaque.length > 0 && !executed) {
          items.push({
            claim: `The description says: "${c.text}"`,
            status: "unsupported",
            calls: opaque,
            addresses: [],
            assets: [],
            findings: [],
            explanation: `${actionList(opaque, { capital: true })} could not be decoded and the proposal was not run on a copy of the chain: what it moves is unknown.`,
          });
        } else if (outside.length > 0 && !executed) {
          items.push({
            claim: `The description says: "${c.text}"`,
            status: "unsupported",
            calls: outside,
            addresses: [],
            assets: [],
            findings: [],
            explanation: `No call sends ETH or tokens from the treasury or grants an allowance over them, but ${actionList(outside)} ${outside.length === 1 ? "goes" : "go"} to a contract outside the DAO and the proposal was not run on a copy of the chain: what that contract does with the treasury is unknown.`,
          });
        } else {
          items.push({
            claim: `The description says: "${c.text}"`,
            status: "matched",
            calls: [],
            addresses: [],
            assets: [],
            findings: [],
            explanation: `No call sends ETH or tokens from the treasury or grants an allowance over them${executed ? ", and running it on a copy of the chain shows no loss" : " (not confirmed by running it on a copy of the chain)"}.`,
          });
        }
      }
    }
  }

  // 2. Look-alike addresses: an address the calls use (decoded, or read from undecoded calldata), not
  // named in the text, that imitates one the text names in full or in short form.
  const named = claims.addresses;
  const namedSet = new Set<string>(named.map((n) => n.address));
  const inUse = addressesInUse(used, calldataAddresses(ctx));
  const lookAlikeNamed = new Set<string>();
  const lookAlikeUsed = new Set<string>();
  const lookAlike = (u: InUse, written: string, ends: { start: string; end: string }, imitated: string | null) => {
    const lower = u.address.toLowerCase();
    lookAlikeUsed.add(lower);
    const roles = [...u.roles];
    const moves = outflows.filter((o) => o.to.toLowerCase() === lower && o.amount !== null && o.kind === "send").map((o) => fmt(o.asset, o.amount!));
    // A short form names whatever starts and ends like it: say which address it stands for.
    const means =
      imitated === null
        ? ""
        : daoRole(ctx, imitated) !== undefined
          ? `, which is ${label(imitated)} ${getAddress(imitated)}`
          : namedSet.has(imitated)
            ? `, which is ${getAddress(imitated)} named in full`
            : `, which ${getAddress(imitated)}, also used by the calls, fits as well`;
    const opaque = onlyInCalldata(u) ? " in undecoded calldata" : "";
    const finding: Finding = {
      id: `${CHECK_ID}/look-alike-address`,
      check: CHECK_ID,
      severity: "critical",
      title:
        imitated !== null && daoRole(ctx, imitated) !== undefined
          ? `${actionLabel(u.callIndexes[0]!, { capital: true })} ${verbFor(roles)} ${u.address}${opaque}, a look-alike of ${label(imitated)}, which the description names as ${written}`
          : `${actionLabel(u.callIndexes[0]!, { capital: true })} ${verbFor(roles)} ${u.address}${opaque}, a look-alike of ${written} named in the description`,
      detail: `The description names ${written}${means}; the calls use ${u.address} ${usage(u)}${moves.length > 0 ? `, receiving ${list(moves)}` : ""}. Both start with ${ends.start} and end with ${ends.end}, but they differ in the middle: a reader comparing the ends sees the address they expect.`,
      evidence: {
        callIndex: u.callIndexes[0]!,
        address: u.address,
        named: written,
        ...(imitated !== null ? { imitated: getAddress(imitated) } : {}),
        roles,
        callIndexes: u.callIndexes,
        ...(u.fromCalldata.length > 0 ? { fromCalldata: u.fromCalldata } : {}),
        claim: `look-alike:${lower}`,
      },
    };
    findings.push(finding);
    items.push({
      claim: `The description names ${written}`,
      status: "mismatched",
      calls: u.callIndexes,
      addresses: [u.address],
      assets: [],
      findings: [finding],
      explanation: `The calls use ${u.address}, which shares the first and last characters of ${written}${means} but is a different address.`,
    });
  };
  const outsiders = [...inUse.values()].filter((u) => !namedSet.has(u.address.toLowerCase()) && daoRole(ctx, u.address) === undefined);
  for (const u of outsiders) {
    const imitated = named.find((n) => looksAlike(n.address, u.address));
    if (imitated === undefined) continue;
    lookAlikeNamed.add(imitated.address);
    lookAlike(u, imitated.written[0]!, { start: u.address.slice(0, 6), end: u.address.slice(-4) }, null);
  }
  // A short form (`0x5fc8…f707`) names an address by its ends. An address the calls use that fits it
  // imitates the DAO contract, the address written in full or the other used address that fits it too.
  const daoAddresses = (Object.values(ctx.deployment.contracts) as unknown[]).filter((a): a is string => typeof a === "string");
  const known = [...new Set([...daoAddresses.map((a) => a.toLowerCase()), ...namedSet, ...inUse.keys()])];
  const abbreviationFits = new Map<AbbreviatedAddress, string[]>(claims.abbreviations.map((a) => [a, known.filter((k) => matchesAbbreviation(k, a))]));
  for (const u of outsiders) {
    const lower = u.address.toLowerCase();
    if (lookAlikeUsed.has(lower)) continue;
    for (const [abbreviation, fits] of abbreviationFits) {
      if (!fits.includes(lower)) continue;
      const others = fits.filter((a) => a !== lower);
      const imitated = others.find((a) => daoRole(ctx, a) !== undefined) ?? others.find((a) => namedSet.has(a)) ?? others[0];
      if (imitated === undefined) continue;
      if (namedSet.has(imitated)) lookAlikeNamed.add(imitated);
      lookAlike(u, abbreviation.written, { start: `0x${abbreviation.prefix}`, end: abbreviation.suffix }, imitated);
      break;
    }
  }
  // A short form only one address fits, and the calls use that address: the text names it.
  for (const [abbreviation, fits] of abbreviationFits) {
    const u = fits.length === 1 ? inUse.get(fits[0]!) : undefined;
    if (u === undefined) continue;
    items.push({
      claim: `The description names ${abbreviation.written}`,
      status: "matched",
      calls: u.callIndexes,
      addresses: [u.address],
      assets: [],
      findings: [],
      explanation: `The calls use ${u.address} ${usage(u)}, the only address in the proposal that starts and ends like it.`,
    });
  }

  // 2b. The text names an address no call uses, and a call gives money, power or code to one it does
  // not name: the address voters check is not the one that receives. Old addresses mentioned for
  // context pass as long as the new one is named too.
  const unusedNamed = named.filter((n) => !inUse.has(n.address) && daoRole(ctx, n.address) === undefined);
  if (unusedNamed.length > 0) {
    const byAbbreviation = (address: string) => claims.abbreviations.some((a) => matchesAbbreviation(address, a));
    const unnamed = new Map<string, Gift[]>();
    for (const g of gifts(ctx, outflows)) {
      const lower = g.address.toLowerCase();
      if (namedSet.has(lower) || lookAlikeUsed.has(lower) || byAbbreviation(lower)) continue;
      const entry = unnamed.get(lower) ?? [];
      entry.push(g);
      unnamed.set(lower, entry);
    }
    const namesShort = list(unusedNamed.length > 2 ? [...unusedNamed.slice(0, 2).map((n) => shortAddress(n.address)), `${unusedNamed.length - 2} more`] : unusedNamed.map((n) => shortAddress(n.address)));
    const namesFull = list(unusedNamed.map((n) => n.written[0]!));
    for (const given of unnamed.values()) {
      const first = given[0]!;
      const calls = [...new Set(given.map((g) => g.callIndex))];
      const whats = [...new Set(given.map((g) => g.what))];
      const verbs = [...new Set(given.map((g) => g.verb))];
      const done = `${actionList(calls)} ${list([...new Set(given.map((g) => (calls.length === 1 ? g.verbOne : g.verb)))])}`;
      const finding: Finding = {
        id: `${CHECK_ID}/substituted-address`,
        check: CHECK_ID,
        severity: "high",
        title: `The description names ${namesShort} but the calls ${list(verbs)} ${shortAddress(first.address)} instead`,
        detail: `The description names ${namesFull}, which no call uses; ${done} ${first.address}, an address the text does not name. A voter who checks the address in the text is not checking the one that receives the ${list(whats)}.`,
        evidence: { callIndex: first.callIndex, address: first.address, named: unusedNamed.map((n) => n.written[0]!), callIndexes: calls, gives: whats, claim: `substituted:${first.address.toLowerCase()}` },
      };
      findings.push(finding);
      items.push({
        claim: `The description names ${namesFull}`,
        status: "mismatched",
        calls,
        addresses: [first.address, ...unusedNamed.map((n) => getAddress(n.address))],
        assets: [],
        findings: [finding],
        explanation: `No call uses ${unusedNamed.length === 1 ? "it" : "them"}; ${done} ${first.address}, which the text does not name.`,
      });
    }
  }

  // 3. What the text says an address (or the recipient) is, against what the chain says it is.
  const judge = (address: Address, mentions: DescriptorMention[], subject: string) => {
    const nouns = list([...new Set(mentions.map((m) => DESCRIPTOR_NOUN[m.descriptor]))]);
    const role = daoRole(ctx, address);
    if (role !== undefined) {
      // The DAO's own contracts are code the DAO governs: a vault, escrow or timelock claim about one holds; a multisig claim does not.
      const holds = mentions.every((m) => !MULTISIG.has(m.descriptor));
      items.push({
        claim: `The description says ${subject} is ${nouns}`,
        status: holds ? "matched" : "mismatched",
        calls: used.get(address.toLowerCase())?.callIndexes ?? [],
        addresses: [address],
        assets: [],
        findings: [],
        explanation: `It is the DAO's ${role}.`,
      });
      return;
    }
    const u = used.get(address.toLowerCase());
    const claim = `The description says ${subject} is ${nouns}`;
    if (u === undefined) {
      items.push({ claim, status: "unsupported", calls: [], addresses: [address], assets: [], findings: [], explanation: "No call pays, empowers or calls this address." });
      return;
    }
    const outcome = judgeDescriptors(ctx, address, mentions);
    if (outcome.kind === null) {
      items.push({ claim, status: "matched", calls: u.callIndexes, addresses: [address], assets: [], findings: [], explanation: outcome.detail });
      return;
    }
    const finding: Finding = {
      id: `${CHECK_ID}/${outcome.kind === "mismatch" ? "descriptor-mismatch" : "descriptor-unverified"}`,
      check: CHECK_ID,
      severity: outcome.severity!,
      title: outcome.kind === "mismatch" ? `The description says ${label(address)} is ${nouns}, but ${outcome.says}` : `The description says ${label(address)} is ${nouns}; this ${outcome.says}`,
      detail: `${outcome.detail} It is used in ${actionList(u.callIndexes)} (${list([...u.roles])}).`,
      evidence: {
        callIndex: u.callIndexes[0]!,
        address,
        descriptors: [...new Set(mentions.map((m) => m.descriptor))],
        said: mentions.map((m) => m.text),
        callIndexes: u.callIndexes,
        claim: `descriptor:${address.toLowerCase()}`,
      },
    };
    findings.push(finding);
    items.push({ claim, status: outcome.status, calls: u.callIndexes, addresses: [address], assets: [], findings: [finding], explanation: outcome.detail });
  };
  // Descriptors of the recipient in general join those written next to its address: one judgement per account.
  const described = new Map<string, { address: Address; subject: string; mentions: DescriptorMention[] }>();
  for (const n of named) if (n.descriptors.length > 0) described.set(n.address, { address: getAddress(n.address), subject: n.written[0]!, mentions: [...n.descriptors] });
  if (claims.recipientDescriptors.length > 0) {
    const who = beneficiaries(used);
    const nouns = list([...new Set(claims.recipientDescriptors.map((m) => DESCRIPTOR_NOUN[m.descriptor]))]);
    if (who.length === 1) {
      const entry = described.get(who[0]!.toLowerCase());
      if (entry !== undefined) entry.mentions.push(...claims.recipientDescriptors.filter((m) => !entry.mentions.some((x) => x.descriptor === m.descriptor)));
      else described.set(who[0]!.toLowerCase(), { address: who[0]!, subject: `the recipient (${who[0]!})`, mentions: claims.recipientDescriptors });
    } else {
      items.push({
        claim: `The description says the recipient is ${nouns}`,
        status: "unsupported",
        calls: [],
        addresses: who,
        assets: [],
        findings: [],
        explanation: who.length === 0 ? "No call pays or empowers anyone." : `The calls pay or empower ${who.length} accounts; the text does not say which one it means.`,
      });
    }
  }
  for (const d of described.values()) judge(d.address, d.mentions, d.subject);

  // 4. An address written in mixed case with a wrong EIP-55 checksum: edited by hand after checksumming.
  for (const n of named) {
    if (n.badChecksum.length === 0) continue;
    const alike = lookAlikeNamed.has(n.address);
    const correct = getAddress(n.address);
    const finding: Finding = {
      id: `${CHECK_ID}/bad-checksum`,
      check: CHECK_ID,
      severity: alike ? "critical" : "high",
      title: `The description writes ${n.badChecksum[0]} with a wrong checksum${alike ? ", and the calls use a look-alike of it" : ""}`,
      detail: `Written in mixed case, an address carries an EIP-55 checksum; ${n.badChecksum[0]} does not match its own (${correct}), so its letters were changed by hand after it was copied. Compare every character with the address the calls use.`,
      evidence: { address: correct, written: n.badChecksum, claim: `checksum:${n.address}` },
    };
    findings.push(finding);
    const u = used.get(n.address);
    items.push({
      claim: `The description names ${n.badChecksum[0]}`,
      status: "mismatched",
      calls: u?.callIndexes ?? [],
      addresses: [correct],
      assets: [],
      findings: [finding],
      explanation: `The mixed-case spelling is not a valid EIP-55 checksum (${correct}).`,
    });
  }

  // Named addresses the calls use and nothing is wrong with: matched.
  for (const n of named) {
    const u = inUse.get(n.address);
    if (u === undefined || n.badChecksum.length > 0 || items.some((i) => i.claim === `The description names ${n.written[0]}`)) continue;
    items.push({
      claim: `The description names ${n.written[0]}`,
      status: "matched",
      calls: u.callIndexes,
      addresses: [u.address],
      assets: [],
      findings: [],
      explanation: `The calls use it ${usage(u)}.`,
    });
  }
  return { claims, findings, outflows, simulated, used, items };
}

/**
 * What the description asserts, against what the calls do: "no change to the DAO's holdings" while
 * the calls send ETH or tokens or grant allowances (or the fork measures a loss) is critical; an
 * address the calls use (decoded, or read from the calldata of a call no ABI decodes) that imitates
 * one the text names (same first and last four hex characters, a different middle), or that fits a
 * short form (`0x5fc8…f707`) a DAO contract or a named address fits too, is critical; a named address
 * no call uses while a call pays, empowers or upgrades to an address the text does not name is high;
 * an address written in mixed case with a wrong checksum is high
 * (critical with a look-alike); what the text says an address or the recipient is (multisig, Safe,
 * vault, non-custodial, only the DAO can withdraw, escrow, contract, timelock) against what the chain
 * says it is: an EOA or 7702 account, a Safe with threshold 1, or one outside key in control is
 * critical. Without facts about the account, the claim is reported as unverified (low), never as
 * matched.
 */
export const descriptionClaims: ProposalCheck = {
  id: CHECK_ID,
  check(ctx) {
    return analyse(ctx).findings;
  },
};

const MENTIONS_APPROVAL = /\b(?:approv\w*|allowances?|spend(?:er|ing)?)\b/iu;
const MENTIONS_POWER = /\b(?:roles?|owner\w*|admin\w*|upgrad\w*|guardian|analysts?|delay|permissions?|access|control)\b/iu;
const NEGATION = /\b(?:no|not|never|none|nothing|without|neither|nor)\b|n't\b/iu;

/** Whether some sentence of the text speaks of `topic` without denying it: "no treasury spending" discloses no allowance. */
function mentions(text: string, topic: RegExp): boolean {
  return text.split(/[.!?;\n]+/u).some((sentence) => topic.test(sentence) && !NEGATION.test(sentence));
}

/**
 * The description's claims as a report section (`descriptionClaims`, the shape of the model's
 * `intentVsEffect`): each claim matched, mismatched or unsupported with evidence ids (`call:N`,
 * `finding:N` in the final sorted findings, `target:N`, `balance:N`), and, when the text makes
 * claims, the outflows, allowances and role or ownership changes it never mentions. Undefined when
 * the description makes no claim the analysis reads.
 */
export function buildDescriptionClaims(ctx: AnalysisContext, findings: readonly Pick<Finding, "id" | "check" | "title" | "evidence">[]): IntentVsEffect | undefined {
  try {
    const a = analyse(ctx);
    const amounts = analyseAmounts(ctx);
    const findingIds = (list: readonly Finding[]) =>
      list
        .map((f) => findings.findIndex((g) => g.check === f.check && g.id === f.id && g.title === f.title))
        .filter((i) => i >= 0)
        .map((i) => `finding:${i}`);
    const targetIds = (addresses: readonly string[]) => ctx.targets.flatMap((t, i) => (addresses.some((x) => x.toLowerCase() === t.address.toLowerCase()) ? [`target:${i}`] : []));
    const balanceIds = (assets: readonly ("ETH" | Address)[]) =>
      ctx.governance.balances.flatMap((b, i) => (assets.some((x) => (x === "ETH" ? b.asset === "ETH" : b.asset !== "ETH" && b.asset.toLowerCase() === x.toLowerCase())) ? [`balance:${i}`] : []));
    const evidence = (calls: readonly number[], found: readonly Finding[], addresses: readonly string[], assets: readonly ("ETH" | Address)[]) =>
      [...new Set([...findingIds(found), ...calls.map((c) => `call:${c}`), ...targetIds(addresses), ...balanceIds(assets)])].slice(0, 20);

    const claims: IntentVsEffect["claims"] = a.items.map((i) => ({ claim: i.claim, status: i.status, evidence: evidence(i.calls, i.findings, i.addresses, i.assets), explanation: i.explanation }));
    const fmt = (asset: "ETH" | Address, amount: bigint) => formatAssetAmount(ctx.governance, asset, amount);
    const seenAmounts = new Set<string>();
    for (const c of amounts.claims) {
      const says = `${c.stated.approximate ? "about " : ""}${fmt(c.stated.asset, c.stated.amount)}`;
      if (seenAmounts.has(says)) continue;
      seenAmounts.add(says);
      claims.push({ claim: `The description states ${says}`, status: c.status, evidence: evidence(c.callIndexes, c.findings, [], [c.stated.asset]), explanation: c.explanation });
    }
    if (amounts.recipients !== null) {
      const r = amounts.recipients;
      claims.push({
        claim: `Funds go to the addresses the description names (${r.named.length})`,
        status: r.status,
        evidence: evidence(r.callIndexes, r.findings, [], []),
        explanation: r.status === "matched" ? "Every recipient of ETH or tokens is named in the text." : `${r.findings.length} recipient(s) of ETH or tokens are not named in the text.`,
      });
    }
    if (claims.length === 0) return undefined;

    // Effects the text never mentions: outflows of an asset it states no amount of, to an address it
    // does not name; allowances and role or ownership changes it says nothing about.
    const visible = describeDescription(ctx.proposal).visibleText;
    const named = new Set<string>(a.claims.addresses.map((n) => n.address));
    const statedAssets = new Set(amounts.claims.map((c) => (c.stated.asset === "ETH" ? "ETH" : c.stated.asset.toLowerCase())));
    const related = (callIndex: number) => findings.flatMap((f, i) => (f.evidence.callIndex === callIndex && f.check !== CHECK_ID ? [`finding:${i}`] : [])).slice(0, 3);
    const undisclosed: IntentVsEffect["undisclosedEffects"] = [];
    for (const o of a.outflows) {
      if (named.has(o.to.toLowerCase())) continue;
      if (o.kind === "send" || o.kind === "nft") {
        if (statedAssets.has(o.asset === "ETH" ? "ETH" : o.asset.toLowerCase())) continue;
        const what = o.kind === "send" ? fmt(o.asset, o.amount!) : `token #${o.amount} of ${o.asset}`;
        undisclosed.push({ effect: `${actionLabel(o.callIndex, { capital: true })} sends ${what} from the treasury to ${o.to}`, evidence: [`call:${o.callIndex}`, ...related(o.callIndex), ...balanceIds([o.asset])] });
      } else if (!mentions(visible, MENTIONS_APPROVAL)) {
        const what =
          o.kind === "approve-all"
            ? `every token of ${o.asset} the treasury holds`
            : o.amount! >= UNLIMITED
              ? `an unlimited amount of the treasury's ${o.asset === "ETH" ? "ETH" : o.asset}`
              : fmt(o.asset, o.amount!);
        undisclosed.push({ effect: `${actionLabel(o.callIndex, { capital: true })} lets ${o.to} spend ${what}`, evidence: [`call:${o.callIndex}`, ...related(o.callIndex)] });
      }
    }
    if (!mentions(visible, MENTIONS_POWER)) {
      for (const call of ctx.calls) {
        const verb = call.decoded ? POWER_VERBS[call.signature ?? ""] : undefined;
        if (verb === undefined) continue;
        const account = (call.args ?? []).map(asAddress).find((x): x is Address => x !== null);
        if (account !== undefined && named.has(account.toLowerCase())) continue;
        undisclosed.push({ effect: `${actionLabel(call.index, { capital: true })} ${verb}${account !== undefined ? ` ${account}` : ""} on ${call.target}`, evidence: [`call:${call.index}`, ...related(call.index)] });
      }
    }
    return { claims, undisclosedEffects: undisclosed.slice(0, 50) };
  } catch {
    return undefined;
  }
}

/** The report's `descriptionClaims` field, or nothing when the description makes no claim the analysis reads. */
export function descriptionClaimsSection(ctx: AnalysisContext, findings: readonly Pick<Finding, "id" | "check" | "title" | "evidence">[]): { descriptionClaims?: IntentVsEffect } {
  const section = buildDescriptionClaims(ctx, findings);
  return section === undefined ? {} : { descriptionClaims: section };
}
