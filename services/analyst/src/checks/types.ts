import type { Address } from "viem";

import type { Deployment } from "@ai-dao/deployment";

import type { DecodedCall } from "@ai-dao/protocol";
import type { CounterpartyInfo } from "../context/counterparties.ts";
import type { GovernanceContext } from "../context/governance.ts";
import type { TargetInfo } from "../context/targets.ts";
import type { VotingPowerContext } from "../context/voting-power.ts";
import { severities, type JsonValue, type Severity } from "@ai-dao/reports";
import type { Proposal } from "../proposal.ts";
import type { SimulationOutcome } from "../simulate/index.ts";

export { severities, type Severity };

/** One thing a check found. `evidence` is plain JSON (amounts as decimal strings). */
export interface Finding {
  /** Stable id of the finding kind, `<check>/<what>`, e.g. `treasury-outflow/share`. */
  id: string;
  /** Id of the check that produced it. */
  check: string;
  severity: Severity;
  title: string;
  detail: string;
  evidence: { callIndex?: number; address?: string; amount?: string; [key: string]: JsonValue | undefined };
}

/** Everything the checks may look at. Built once per analysis; checks only read it. */
export interface AnalysisContext {
  chainId: number;
  blockNumber: bigint;
  deployment: Pick<Deployment, "contracts">;
  proposal: Proposal;
  calls: DecodedCall[];
  targets: TargetInfo[];
  governance: GovernanceContext;
  /** The fork simulation, or why there is none (absent: not requested). */
  simulation?: SimulationOutcome;
  /** Votes of the proposer and largest voters now and one window earlier (absent: no account to look at). */
  votingPower?: VotingPowerContext;
  /** The proposal's snapshot on the Governor at the analysed block (0: not proposed yet). */
  proposalSnapshot?: bigint;
  /**
   * The proposal's id on its Governor: the hash of its fields (OpenZeppelin), or for a Compound
   * Governor the id it was given (or, not proposed yet, the next one).
   */
  proposalId?: bigint;
  /** The state the Governor reports for the proposal at the analysed block (absent: not on chain). */
  proposalState?: number;
  /** Accounts outside the DAO the proposal pays, empowers or calls (absent: not read). */
  counterparties?: CounterpartyInfo[];
  /** New implementations installed by proxy upgrade calls, inspected at the analysed block. */
  upgradeImplementations?: { callIndex: number; proxy: Address; implementation: TargetInfo }[];
  /** Targets of initializer calls: initialised state, DAO control and holdings (absent: not read). */
  initializers?: import("../context/initializers.ts").InitializerInfo[];
  /**
   * Parts of the context that were asked for but could not be read (an RPC error), with the reason.
   * A check that needs one of them is `skipped` and the report is inconclusive.
   */
  unavailable?: Partial<Record<ContextPart, string>>;
}

/** Parts of the context read beyond the calls, targets and treasury, which some checks cannot run without. */
export const contextParts = ["simulation", "votingPower", "counterparties"] as const;
export type ContextPart = (typeof contextParts)[number];

/**
 * A deterministic check: one file each, listed in `checks/index.ts`. Its label is not here: it lives
 * once in the catalogue of `@ai-dao/reports` (`checkName(id)`), which must have an entry for `id`.
 */
export interface ProposalCheck {
  id: string;
  /**
   * Context the check cannot run without. When one is missing the check is `skipped` with the reason
   * ({@link contextGap}); the report is inconclusive when that part was asked for and could not be read.
   */
  needs?: readonly ContextPart[];
  /**
   * Whether this proposal has anything for the check to look at (no upgrade call for an upgrade
   * check, ...). Looks only at the calls, targets and description. Absent: always. False: `not-applicable`.
   */
  applies?(ctx: AnalysisContext): boolean;
  check(ctx: AnalysisContext): Finding[];
}

/**
 * Why a part of the context is missing, or null when it is there. `failed`: it was asked for and
 * could not be read (a failed fork, an RPC error), so what depends on it is unknown; otherwise it was
 * not asked for (`--offline`, no fork configured, no proposer given for a proposal not yet on chain).
 */
export function contextGap(ctx: AnalysisContext, part: ContextPart): { reason: string; failed: boolean } | null {
  const unavailable = ctx.unavailable?.[part];
  switch (part) {
    case "simulation": {
      const sim = ctx.simulation;
      if (sim?.status === "simulated") return null;
      if (sim?.status === "failed") return { reason: `running the proposal on a copy of the chain failed: ${sim.reason}`, failed: true };
      if (unavailable !== undefined) return { reason: `running the proposal on a copy of the chain failed: ${unavailable}`, failed: true };
      if (sim?.status === "skipped") return { reason: `the proposal was not run on a copy of the chain: ${sim.reason}`, failed: false };
      return { reason: "no run on a copy of the chain was requested", failed: false };
    }
    case "votingPower":
      if (ctx.votingPower !== undefined) return null;
      if (unavailable !== undefined) return { reason: `voting power could not be read: ${unavailable}`, failed: true };
      return { reason: "no proposer given and the proposal is not on chain yet", failed: false };
    case "counterparties":
      if (ctx.counterparties !== undefined) return null;
      if (unavailable !== undefined) return { reason: `the accounts the proposal pays or empowers could not be read: ${unavailable}`, failed: true };
      return { reason: "the accounts the proposal pays or empowers were not read", failed: false };
  }
}

export function severityRank(s: Severity): number {
  return severities.indexOf(s);
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

/** The role name of a DAO address (`timelock`, `governor`, ...), or undefined. */
export function daoRole(ctx: Pick<AnalysisContext, "deployment">, address: string): keyof Deployment["contracts"] | undefined {
  const entry = Object.entries(ctx.deployment.contracts).find(([, a]) => a.toLowerCase() === address.toLowerCase());
  return entry?.[0] as keyof Deployment["contracts"] | undefined;
}

export function isTreasury(ctx: Pick<AnalysisContext, "deployment">, address: unknown): boolean {
  return typeof address === "string" && address.toLowerCase() === ctx.deployment.contracts.timelock.toLowerCase();
}

export function targetInfo(ctx: AnalysisContext, address: Address): TargetInfo | undefined {
  return ctx.targets.find((t) => t.address.toLowerCase() === address.toLowerCase());
}

/** Share of `amount` in `balance` in basis points (10000 = 100%); null if the balance is unknown or zero. */
export function shareBps(amount: bigint, balance: bigint | null): number | null {
  if (balance === null || balance === 0n) return null;
  return Number((amount * 10_000n) / balance);
}

/** Outflow share tiers: >=25% critical, >=10% high, >=2% medium, else low. */
export function shareSeverity(bps: number | null): Severity {
  if (bps === null) return "high";
  if (bps >= 2500) return "critical";
  if (bps >= 1000) return "high";
  if (bps >= 200) return "medium";
  return "low";
}

export function formatBps(bps: number | null): string {
  return bps === null ? "an unknown share" : `${(bps / 100).toFixed(2)}%`;
}
