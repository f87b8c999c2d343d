// The one sentence a voter reads first: what moves where, in token units and as a share of the
// treasury, who gets which power, what changes in the Governor, and the worst contradiction between
// the description and the calls. Built by code from the analysis context and the final findings; the
// description's own words never reach it (it is hostile), only what the checks concluded about it.
import { getAddress, isAddress, zeroAddress, type Address } from "viem";

import type { DecodedCall } from "@ai-dao/protocol";
import { roleName } from "./checks/access-control.ts";
import { UPGRADE_SIGNATURES } from "./checks/proxy-upgrades.ts";
import { treasuryFlows } from "./checks/treasury-outflow.ts";
import { UNLIMITED } from "./checks/treasury-approvals.ts";
import { daoRole, isTreasury, severityRank, shareBps, type AnalysisContext, type Finding } from "./checks/types.ts";
import { DESCRIPTOR_NOUN } from "./context/claims.ts";
import { treasuryBalance } from "./context/governance.ts";
import { addressLabel, assetSymbol, count, formatAssetAmount, formatDuration, formatShare } from "./units.ts";
import { actionLabel } from "@ai-dao/reports";

/** The report's `summary` is at most this long. */
export const MAX_SUMMARY_LENGTH = 1000;
/** Recipients, powers and other calls named one by one before the rest are counted. */
const MAX_LISTED = 3;

type SummaryFinding = Pick<Finding, "id" | "severity" | "evidence">;

/** `a`, `a and b`, `a, b and c`. */
function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** The first `MAX_LISTED` items, then how many more of what. */
function listed(items: readonly string[], more: (n: number) => string): string[] {
  return items.length <= MAX_LISTED ? [...items] : [...items.slice(0, MAX_LISTED), more(items.length - MAX_LISTED)];
}

/** A non-negative integer argument as a bigint (small uints decode as numbers), or null. */
function bigintOf(value: unknown): bigint | null {
  if (typeof value === "bigint") return value >= 0n ? value : null;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === "string" && /^\d{1,78}$/.test(value)) return BigInt(value);
  return null;
}

function addressOf(value: unknown): Address | null {
  return typeof value === "string" && isAddress(value, { strict: false }) ? getAddress(value) : null;
}

/** How an account that gains a power is controlled, when the counterparty reader saw it: ` (a single key)`, ` (a Safe needing 2 of 3 owners)`. */
function control(ctx: AnalysisContext, address: string): string {
  const info = ctx.counterparties?.find((c) => c.address.toLowerCase() === address.toLowerCase());
  if (info === undefined) return "";
  if (info.safe) return ` (a Safe needing ${info.safe.threshold} of ${count(info.safe.owners.length, "owner")})`;
  if (info.kind === "eoa") return " (a single key)";
  if (info.kind === "delegated-eoa") return " (a single key running delegated code)";
  if (info.controller) {
    const by = addressLabel(ctx.deployment.contracts, info.controller.address);
    return ` (a contract ${info.controller.via === "owner" ? "owned" : "administered"} by ${by}${info.controller.isEoa ? ", a single key" : ""})`;
  }
  return "";
}

/** A share of the treasury, the first time with "of the treasury". */
function shareText(bps: number | null, first: boolean): string {
  const share = formatShare(bps);
  return first && (bps === null || bps <= 10_000) ? `${share} of the treasury` : share;
}

/** Money leaving the treasury by the calldata: "sends 60 ETH (63 % of the treasury) and 600,000 dUSD (60 %) to 0x976E…0aa9". */
function outflowClause(ctx: AnalysisContext): string | null {
  const flows = treasuryFlows(ctx).filter((f) => f.amount > 0n && !isTreasury(ctx, f.recipient));
  if (flows.length === 0) return null;
  let first = true;
  const amount = (asset: "ETH" | Address, value: bigint) => {
    const bps = shareBps(value, treasuryBalance(ctx.governance, asset));
    const text = `${formatAssetAmount(ctx.governance, asset, value)} (${shareText(bps, first)})`;
    first = false;
    return text;
  };
  const recipients = new Map<string, { recipient: Address; flows: typeof flows }>();
  for (const f of flows) {
    const key = f.recipient.toLowerCase();
    recipients.set(key, { recipient: f.recipient, flows: [...(recipients.get(key)?.flows ?? []), f] });
  }
  if (recipients.size <= MAX_LISTED) {
    const parts = [...recipients.values()].map(({ recipient, flows: own }) => `${joinAnd(own.map((f) => amount(f.asset, f.amount)))} to ${addressLabel(ctx.deployment.contracts, recipient)}`);
    return `sends ${joinAnd(parts)}`;
  }
  const totals = new Map<string, { asset: "ETH" | Address; amount: bigint }>();
  for (const f of flows) {
    const key = f.asset === "ETH" ? "ETH" : f.asset.toLowerCase();
    totals.set(key, { asset: f.asset, amount: (totals.get(key)?.amount ?? 0n) + f.amount });
  }
  return `sends ${joinAnd([...totals.values()].map((t) => amount(t.asset, t.amount)))} in total to ${recipients.size} recipients`;
}

/** More leaving on the fork than the calldata states. */
function undeclaredClauses(ctx: AnalysisContext, findings: readonly SummaryFinding[]): string[] {
  return findings
    .filter((f) => f.id === "simulated-outflow/undeclared")
    .flatMap((f) => {
      const asset = f.evidence.asset === "ETH" ? "ETH" : addressOf(f.evidence.asset);
      const extra = bigintOf(f.evidence.undeclared);
      if (asset === null || extra === null) return [];
      return [`run on a copy of the chain, it takes ${formatAssetAmount(ctx.governance, asset, extra)} more from the treasury than the calls state`];
    });
}

function approvalClause(ctx: AnalysisContext, call: DecodedCall): string | null {
  if (call.abiSource === "DAOGovernor" || call.abiSource === "TimelockController") return null;
  const args = call.args ?? [];
  const label = (a: unknown) => addressLabel(ctx.deployment.contracts, String(a));
  if (call.signature === "setApprovalForAll(address,bool)") {
    return args[1] === true ? `lets ${label(args[0])}${control(ctx, String(args[0]))} move every token the treasury holds in ${label(call.target)}` : null;
  }
  let spender: unknown;
  let amount: bigint | null = null;
  if (call.signature === "approve(address,uint256)" || call.signature === "increaseAllowance(address,uint256)") [spender, amount] = [args[0], bigintOf(args[1])];
  else if (call.functionName === "permit" && args.length === 7 && isTreasury(ctx, args[0])) [spender, amount] = [args[1], bigintOf(args[2])];
  else return null;
  if (amount === null) return null;
  if (amount === 0n) return `revokes the allowance of ${label(spender)} over the treasury's ${assetSymbol(ctx.governance, call.target)}`;
  const who = `${label(spender)}${control(ctx, String(spender))}`;
  if (amount >= UNLIMITED) return `lets ${who} take an unlimited amount of the treasury's ${assetSymbol(ctx.governance, call.target)}`;
  const bps = shareBps(amount, treasuryBalance(ctx.governance, call.target));
  return `lets ${who} spend ${formatAssetAmount(ctx.governance, call.target, amount)} (${shareText(bps, true)})`;
}

/** Who gains or loses which power: roles, ownership, analysts, the guardian, the timelock delay, proxies. */
function powerClause(ctx: AnalysisContext, call: DecodedCall): string | null {
  if (!call.decoded) return null;
  const args = call.args ?? [];
  const label = (a: unknown) => addressLabel(ctx.deployment.contracts, String(a));
  const who = (a: unknown) => `${label(a)}${control(ctx, String(a))}`;
  const role = daoRole(ctx, call.target);
  switch (call.signature) {
    case "grantRole(bytes32,address)":
      return `grants ${roleName(String(args[0]))} on ${label(call.target)} to ${who(args[1])}`;
    case "revokeRole(bytes32,address)":
      return `revokes ${roleName(String(args[0]))} on ${label(call.target)} from ${label(args[1])}`;
    case "renounceRole(bytes32,address)":
      return `gives up ${roleName(String(args[0]))} on ${label(call.target)}`;
    case "transferOwnership(address)":
      return `hands ownership of ${label(call.target)} to ${who(args[0])}`;
    case "renounceOwnership()":
      return `gives up ownership of ${label(call.target)} for good`;
    case "setAnalyst(address,bool)":
      return role === "governor" ? `${args[1] === true ? "registers" : "removes"} ${args[1] === true ? who(args[0]) : label(args[0])} as an analyst` : null;
    case "setProposalGuardian(address)":
      if (role !== "governor") return null;
      return String(args[0]).toLowerCase() === zeroAddress ? "removes the proposal guardian" : `makes ${who(args[0])} the proposal guardian, who can cancel any proposal`;
    case "updateDelay(uint256)": {
      const delay = bigintOf(args[0]);
      if (role !== "timelock" || delay === null) return null;
      return `sets the timelock delay from ${formatDuration(ctx.governance.governor.timelockMinDelay)} to ${formatDuration(delay)}`;
    }
  }
  if (call.signature !== undefined && UPGRADE_SIGNATURES.has(call.signature)) {
    const byAdmin = call.signature.startsWith("upgradeAndCall") || call.signature.startsWith("changeProxyAdmin");
    const proxy = byAdmin ? args[0] : call.target;
    const value = byAdmin ? args[1] : args[0];
    if (call.signature.startsWith("change")) return `makes ${who(value)} the admin of proxy ${label(proxy)}`;
    return `upgrades proxy ${label(proxy)} to the code at ${label(value)}`;
  }
  return null;
}

/** Powers that change inside another call, seen only on the fork. */
function hiddenPowerClauses(ctx: AnalysisContext, findings: readonly SummaryFinding[]): string[] {
  const label = (a: unknown) => addressLabel(ctx.deployment.contracts, String(a));
  return findings.flatMap((f) => {
    const e = f.evidence;
    const where = `inside ${typeof e.callIndex === "number" ? actionLabel(e.callIndex) : "an action"}`;
    switch (f.id) {
      case "simulated-effects/hidden-role-change": {
        const role = typeof e.roleId === "string" ? roleName(e.roleId) : typeof e.role === "string" ? roleName(e.role) : "a role";
        return [`${where}, ${e.granted === true ? `grants ${role} on ${label(e.address)} to ${label(e.account)}${control(ctx, String(e.account))}` : `revokes ${role} on ${label(e.address)} from ${label(e.account)}`} without saying so`];
      }
      case "simulated-effects/hidden-ownership-change":
        return [`${where}, hands ownership of ${label(e.address)} to ${label(e.newOwner)}${control(ctx, String(e.newOwner))} without saying so`];
      case "simulated-effects/hidden-upgrade":
        return [`${where}, changes the ${e.kind === "admin" ? "admin" : "code"} behind proxy ${label(e.address)} to ${label(e.newValue)} without saying so`];
      default:
        return [];
    }
  });
}

/** Durations in the Governor's clock: seconds (timestamp clock) or blocks. */
function clockAmount(ctx: AnalysisContext, value: bigint): string {
  return ctx.governance.governor.clockMode === "blocknumber" ? count(value, "block") : formatDuration(value);
}

function direction(before: bigint, after: bigint, up: string, down: string): string {
  return after > before ? up : after < before ? down : "keeps";
}

/** `4 %`, `12.5 %` of the supply for a quorum numerator over its denominator. */
function percent(numerator: bigint, denominator: bigint): string {
  if (denominator === 0n) return `${numerator}/0`;
  const hundredths = (numerator * 10_000n) / denominator;
  return `${Number(hundredths) / 100} %`;
}

/** A Governor setting change in words: "calls setVotingPeriod on the Governor: lengthens the voting period from 5 min to 10 min". */
function governorClause(ctx: AnalysisContext, call: DecodedCall): string | null {
  if (daoRole(ctx, call.target) !== "governor" || !call.decoded || call.functionName === undefined) return null;
  const g = ctx.governance.governor;
  const value = bigintOf(call.args?.[0]);
  const change = (what: string, before: bigint, after: bigint, show: (v: bigint) => string, up = "lengthens", down = "shortens") => {
    const verb = direction(before, after, up, down);
    return verb === "keeps" ? `keeps ${what} at ${show(after)}` : `${verb} ${what} from ${show(before)} to ${show(after)}`;
  };
  let effect: string | null = null;
  switch (call.functionName) {
    case "setVotingPeriod":
      if (value !== null) effect = change("the voting period", g.votingPeriod, value, (v) => clockAmount(ctx, v));
      break;
    case "setVotingDelay":
      if (value !== null) effect = change("the voting delay", g.votingDelay, value, (v) => clockAmount(ctx, v));
      break;
    case "setLateQuorumVoteExtension":
      if (value !== null) effect = change("the late-quorum extension", g.lateQuorumVoteExtension, value, (v) => clockAmount(ctx, v));
      break;
    case "updateQuorumNumerator":
      if (value !== null) effect = `${change("the quorum", g.quorumNumerator, value, (v) => percent(v, g.quorumDenominator), "raises", "lowers")} of the supply`;
      break;
    case "setProposalThreshold":
      if (value !== null) effect = change("the proposal threshold", g.proposalThreshold, value, (v) => formatAssetAmount(ctx.governance, ctx.deployment.contracts.token, v), "raises", "lowers");
      break;
    case "updateTimelock":
      effect = `moves the Governor and its powers to the timelock ${addressLabel(ctx.deployment.contracts, String(call.args?.[0]))}`;
      break;
    case "setRiskTiers":
      if (Array.isArray(call.args?.[0]))
        effect = `sets the delays for risky proposals to ${(call.args[0] as { minRisk: number; delay: number | bigint }[]).map((t) => `${formatDuration(BigInt(t.delay))} from risk ${t.minRisk}`).join(", ")}`;
      break;
    default:
      return null;
  }
  return effect ?? `changes a Governor setting (${call.functionName})`;
}

/** Any other call, named by what is known of it. */
function otherClause(ctx: AnalysisContext, call: DecodedCall): string {
  const where = addressLabel(ctx.deployment.contracts, call.target);
  if (!call.decoded) return `makes a call to ${where} that no known interface decodes`;
  if (call.kind === "empty") return `calls ${where} with no data and no value`;
  return `calls ${call.functionName ?? "a function"} on ${where}`;
}


/**
 * The worst contradiction between the description and the calls, in code's words: from the most
 * severe `description-claims/*` or `description-amounts/*` finding, by its id and the fixed
 * vocabulary of its evidence. Quoted statements in the evidence are never used.
 */
function contradiction(ctx: AnalysisContext, findings: readonly SummaryFinding[]): string | null {
  const worst = findings
    .map((f, order) => ({ f, order }))
    .filter(({ f }) => f.id.startsWith("description-claims/") || f.id.startsWith("description-amounts/"))
    .sort((a, b) => severityRank(b.f.severity) - severityRank(a.f.severity) || a.order - b.order)[0]?.f;
  if (worst === undefined) return null;
  const account = addressOf(worst.evidence.address);
  const who = account ? addressLabel(ctx.deployment.contracts, account) : "an account";
  const descriptors = Array.isArray(worst.evidence.descriptors) ? joinAnd(worst.evidence.descriptors.flatMap((d) => (typeof d === "string" && (DESCRIPTOR_NOUN as Record<string, string>)[d] ? [(DESCRIPTOR_NOUN as Record<string, string>)[d]!] : []))) : "";
  switch (worst.id) {
    case "description-amounts/mismatch":
      return "the description states other amounts";
    case "description-amounts/recipient":
      return "the description names other recipients";
    case "description-amounts/not-moved":
      return "the description states amounts that no call moves";
    case "description-claims/no-outflow-contradicted":
      return "the description says nothing leaves the treasury";
    case "description-claims/look-alike-address":
      return `the description names a different address that looks like ${who}`;
    case "description-claims/descriptor-mismatch":
      return `the description calls ${who} ${descriptors || "something it is not"}`;
    case "description-claims/descriptor-unverified":
      return `the description's claim that ${who} is ${descriptors || "something else"} could not be checked`;
    case "description-claims/substituted-address":
      return `the description names another address than ${who}`;
    case "description-claims/bad-checksum":
      return "the description writes an address with a wrong checksum";
    default:
      return "the description claims something the calls contradict";
  }
}

/** Cuts a sentence to the report's limit on a character boundary. */
function bounded(sentence: string): string {
  const chars = [...sentence];
  return chars.length <= MAX_SUMMARY_LENGTH ? sentence : `${chars.slice(0, MAX_SUMMARY_LENGTH - 1).join("")}…`;
}

/**
 * The report's summary: one sentence, deterministic, from the context and the final findings (most
 * severe first). No text of the description is copied into it.
 */
export function buildSummary(ctx: AnalysisContext, findings: readonly SummaryFinding[]): string {
  const clauses: string[] = [];
  const outflow = outflowClause(ctx);
  if (outflow) clauses.push(outflow);
  clauses.push(...undeclaredClauses(ctx, findings));

  const powers: string[] = [];
  const settings: string[] = [];
  const others: string[] = [];
  for (const call of ctx.calls) {
    const approval = approvalClause(ctx, call);
    if (approval) {
      powers.push(approval);
      continue;
    }
    const power = powerClause(ctx, call);
    if (power) {
      powers.push(power);
      continue;
    }
    const setting = governorClause(ctx, call);
    if (setting) {
      settings.push(setting);
      continue;
    }
    // Plain ETH payments and the treasury's token transfers are in the outflow clause already.
    if (call.kind === "eth-transfer" || treasuryFlows({ ...ctx, calls: [{ ...call, value: 0n }] }).some((f) => f.amount > 0n)) continue;
    others.push(otherClause(ctx, call));
  }
  clauses.push(...listed(powers, (n) => `changes ${count(n, "more power")}`));
  clauses.push(...hiddenPowerClauses(ctx, findings));
  clauses.push(...listed(settings, (n) => `changes ${count(n, "more Governor setting")}`));
  clauses.push(...listed(others, (n) => `makes ${count(n, "more call")}`));

  let sentence = clauses.length > 0 ? clauses.join("; ") : "makes no calls";
  const against = contradiction(ctx, findings);
  if (against) sentence += ` while ${against}`;
  sentence = `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
  return bounded(sentence);
}
