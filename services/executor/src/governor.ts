// What the executor asks of a Governor, for each flavour it can act on: the platform's own
// (GovernorStorage, risk delays, a proposal guardian), an attached OpenZeppelin 4.x / 5.x Governor
// with a TimelockController, and an attached Compound GovernorAlpha / GovernorBravo with a Compound
// Timelock. The deployment file's `attached` section (flavour, timelock kind, capabilities) decides,
// here and nowhere else; the rest of the executor asks this adapter.
import {
  compoundGovernorAlphaAbi,
  compoundGovernorBravoAbi,
  compoundTimelockAbi,
  decodeProposalCreatedFor,
  governorAbi,
  governorProbeAbi,
  isCompoundFlavour,
  openZeppelinGovernorAbi,
  proposalStateNames,
  timelockAbi,
  timelockSalt,
  type FlavouredProposalCreated,
  type GovernorFlavourName,
  type TimelockKindName,
} from "@ai-dao/protocol";
import { encodeFunctionData, getAddress, zeroHash, type Address, type Hex, type PublicClient } from "viem";

import type { DecodedRevert } from "./revert.ts";
import type { GuardAction } from "./report.ts";
import type { ProposalRecord } from "./store.ts";

/** The capabilities of an attached Governor the executor depends on (the deployment file's `attached.capabilities`). */
export interface ExecutorCapabilities {
  proposalNeedsQueuing: boolean;
  proposalEta: boolean;
  queueById: boolean;
  executeById: boolean;
  proposalGuardian: boolean;
  riskTiers: boolean;
}

/** The deployment file's `attached` section, as far as the executor reads it. Absent: the platform's own DAO. */
export interface AttachedShape {
  flavour: GovernorFlavourName;
  timelockKind: TimelockKindName;
  clockMode: string;
  capabilities: ExecutorCapabilities;
}

/** Where a queued proposal stands against its timelock, in seconds (every timelock counts time, whatever the Governor's clock). */
export type Readiness =
  | { kind: "ready"; eta: bigint }
  /** The eta has not passed yet. */
  | { kind: "waiting"; eta: bigint; now: bigint }
  /** The eta passed but the timelock does not say ready (a node behind, or an operation it does not know). */
  | { kind: "not-ready"; eta: bigint }
  /** A Compound Timelock's grace period ended: the transaction can never be executed. */
  | { kind: "expired"; eta: bigint; gracePeriod: bigint };

/** One `queue` / `execute` transaction to the Governor. */
export interface StepCall {
  data: Hex;
  /** Wei sent with it (Compound's `execute` pays each action's value from what it is sent). */
  value: bigint;
}

/** The Governor of one deployment, in the executor's words. */
export interface GovernorAdapter {
  /** `platform` for a DAO this platform deployed, else the attached flavour. */
  readonly flavour: GovernorFlavourName | "platform";
  /** Decodes a ProposalCreated log as this Governor emits it (Compound: sequential id, signature selectors). Throws when it cannot. */
  decodeCreated(log: { data: Hex; topics: readonly Hex[] }): FlavouredProposalCreated;
  /** The proposal's state as `ProposalState` of `@ai-dao/protocol`. */
  state(proposalId: string): Promise<number>;
  /** Whether a Succeeded proposal is queued before it is executed. */
  needsQueuing(proposalId: string): Promise<boolean>;
  /** Where a Queued proposal stands against its timelock at `now` (a block timestamp). */
  readiness(p: ProposalRecord, now: bigint): Promise<Readiness>;
  /** The exact call the executor sends (and simulates) for `action`. */
  stepCall(p: ProposalRecord, action: GuardAction): StepCall;
  /** The platform's risk delay of a queued proposal (informative), or undefined where the Governor has none. */
  riskDelay(proposalId: string): Promise<Record<string, unknown> | undefined>;
  /** Who can cancel a proposal (proposal guardian), or null when the Governor has none. */
  guardian(): Promise<Address | null>;
}

/** Whether a revert of `execute` only says the timelock is not ready yet, in any timelock's words. */
export function isTimelockNotReady(revert: DecodedRevert): boolean {
  if (revert.name === "TimelockUnexpectedOperationState") return true;
  if (revert.kind !== "error-string") return false;
  const reason = String(revert.reason ?? "");
  return /operation is not ready|hasn't surpassed time lock/i.test(reason);
}

/** The adapter for a deployment: its Governor and timelock addresses and, for an attached DAO, what attach found. */
export function governorFor(client: PublicClient, contracts: { governor: Address; timelock: Address }, attached: AttachedShape | undefined): GovernorAdapter {
  if (attached === undefined) return openZeppelinGovernor(client, contracts, undefined);
  if (isCompoundFlavour(attached.flavour)) {
    if (attached.timelockKind !== "compound-timelock") throw new Error(`a ${attached.flavour} Governor with a ${attached.timelockKind} is not supported`);
    return compoundGovernor(client, contracts, attached);
  }
  if (attached.timelockKind !== "timelock-controller") throw new Error(`an ${attached.flavour} Governor with a ${attached.timelockKind} is not supported`);
  return openZeppelinGovernor(client, contracts, attached);
}

/** A state number checked against the shared enum (Compound's enum has the same eight states in the same order). */
function checkedState(value: number | bigint): number {
  const state = Number(value);
  if (!Number.isInteger(state) || state < 0 || state >= proposalStateNames.length) throw new Error(`the Governor answered an unknown proposal state ${value}`);
  return state;
}

async function guardianAt(client: PublicClient, governor: Address, functionName: "proposalGuardian" | "guardian"): Promise<Address | null> {
  try {
    const g = await client.readContract({ address: governor, abi: governorProbeAbi, functionName });
    return BigInt(g) === 0n ? null : getAddress(g);
  } catch {
    return null;
  }
}

/**
 * The platform's Governor (attached undefined) or an attached OpenZeppelin 4.x / 5.x Governor with a
 * TimelockController. Queue and execute with the full actions unless the Governor takes an id
 * (GovernorStorage on an attached one); the TimelockController operation's salt is the description
 * hash in 4.x and the Governor's address XOR the description hash from 5.0 on.
 */
function openZeppelinGovernor(client: PublicClient, contracts: { governor: Address; timelock: Address }, attached: AttachedShape | undefined): GovernorAdapter {
  const { governor, timelock } = contracts;
  const own = attached === undefined;
  const caps = attached?.capabilities;
  const abi = own ? governorAbi : openZeppelinGovernorAbi;
  const salt = (p: ProposalRecord): Hex => (attached?.flavour === "openzeppelin-4" ? p.descriptionHash : timelockSalt(governor, p.descriptionHash));
  let guardian: Promise<Address | null> | undefined;

  async function operationId(p: ProposalRecord): Promise<Hex> {
    return client.readContract({ address: timelock, abi: timelockAbi, functionName: "hashOperationBatch", args: [p.targets, p.values.map((v) => BigInt(v)), p.calldatas, zeroHash, salt(p)] });
  }

  return {
    flavour: attached?.flavour ?? "platform",
    decodeCreated: (log) => decodeProposalCreatedFor(attached?.flavour, log),
    async state(proposalId) {
      return checkedState(await client.readContract({ address: governor, abi: openZeppelinGovernorAbi, functionName: "state", args: [BigInt(proposalId)] }));
    },
    async needsQueuing(proposalId) {
      // Before 5.0 a Governor with a timelock extension always queues (there is no proposalNeedsQueuing).
      if (!own && !caps!.proposalNeedsQueuing) return true;
      return client.readContract({ address: governor, abi: governorAbi, functionName: "proposalNeedsQueuing", args: [BigInt(proposalId)] });
    },
    async readiness(p, now) {
      const id = await operationId(p);
      // The eta is the Governor's where it says it, else the timelock operation's own timestamp.
      const eta =
        own || caps!.proposalEta
          ? await client.readContract({ address: governor, abi: openZeppelinGovernorAbi, functionName: "proposalEta", args: [BigInt(p.proposalId)] })
          : await client.readContract({ address: timelock, abi: timelockAbi, functionName: "getTimestamp", args: [id] });
      if (now < eta) return { kind: "waiting", eta, now };
      const ready = await client.readContract({ address: timelock, abi: timelockAbi, functionName: "isOperationReady", args: [id] });
      return ready ? { kind: "ready", eta } : { kind: "not-ready", eta };
    },
    stepCall(p, action) {
      const byId = !own && (action === "queue" ? caps!.queueById : caps!.executeById);
      const data = byId
        ? encodeFunctionData({ abi: governorAbi, functionName: action, args: [BigInt(p.proposalId)] })
        : encodeFunctionData({ abi, functionName: action, args: [p.targets, p.values.map((v) => BigInt(v)), p.calldatas, p.descriptionHash] });
      // A TimelockController pays the actions' values from the treasury it holds.
      return { data, value: 0n };
    },
    async riskDelay(proposalId) {
      if (!own && !caps!.riskTiers) return undefined;
      const d = await client.readContract({ address: governor, abi: governorAbi, functionName: "proposalRiskDelay", args: [BigInt(proposalId)] });
      return { delay: d.delay, tier: d.tier, risk: d.analysed ? d.risk : null, analysed: d.analysed };
    },
    guardian() {
      if (!own && !caps!.proposalGuardian) return Promise.resolve(null);
      guardian ??= guardianAt(client, governor, "proposalGuardian");
      return guardian;
    },
  };
}

/**
 * An attached Compound GovernorAlpha / GovernorBravo with its Compound Timelock: sequential ids,
 * `queue(id)` / `execute(id)`, the eta from `proposals(id)` and the Timelock's `GRACE_PERIOD`
 * (past `eta + GRACE_PERIOD` a transaction can never run). `execute` forwards each action's value
 * from what the Governor is sent (`timelock.executeTransaction.value(values[i])`), so it is sent
 * with the sum of the values.
 */
function compoundGovernor(client: PublicClient, contracts: { governor: Address; timelock: Address }, attached: AttachedShape): GovernorAdapter {
  const { governor, timelock } = contracts;
  const abi = attached.flavour === "compound-alpha" ? compoundGovernorAlphaAbi : compoundGovernorBravoAbi;
  let gracePeriod: bigint | undefined;
  let guardian: Promise<Address | null> | undefined;
  return {
    flavour: attached.flavour,
    decodeCreated: (log) => decodeProposalCreatedFor(attached.flavour, log),
    async state(proposalId) {
      return checkedState(await client.readContract({ address: governor, abi, functionName: "state", args: [BigInt(proposalId)] }));
    },
    async needsQueuing() {
      return true;
    },
    async readiness(p, now) {
      const proposal = await client.readContract({ address: governor, abi, functionName: "proposals", args: [BigInt(p.proposalId)] });
      const eta = proposal[2];
      gracePeriod ??= await client.readContract({ address: timelock, abi: compoundTimelockAbi, functionName: "GRACE_PERIOD" });
      if (now < eta) return { kind: "waiting", eta, now };
      // The Timelock refuses from eta + GRACE_PERIOD on (`Transaction is stale`).
      if (now >= eta + gracePeriod) return { kind: "expired", eta, gracePeriod };
      return { kind: "ready", eta };
    },
    stepCall(p, action) {
      const data = encodeFunctionData({ abi, functionName: action, args: [BigInt(p.proposalId)] });
      const value = action === "execute" ? p.values.reduce((sum, v) => sum + BigInt(v), 0n) : 0n;
      return { data, value };
    },
    async riskDelay() {
      return undefined;
    },
    guardian() {
      if (!attached.capabilities.proposalGuardian) return Promise.resolve(null);
      guardian ??= guardianAt(client, governor, "guardian");
      return guardian;
    },
  };
}
