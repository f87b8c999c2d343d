import { decisionLogAbi, DecisionKind, proposalCreatedEvent, ProposalState, proposalStateNames, Recommendation, type FlavouredProposalCreated } from "@ai-dao/protocol";
import {
  BaseError,
  HttpRequestError,
  SocketClosedError,
  TimeoutError,
  WebSocketRequestError,
  encodeFunctionData,
  keccak256,
  toHex,
  type Address,
  type LocalAccount,
  type PublicClient,
} from "viem";
import { encodeReport } from "@ai-dao/reports/node";
import type { Logger } from "pino";

import { Alerter } from "./alerts.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { governorFor, type AttachedShape, type GovernorAdapter } from "./governor.ts";
import { createGuards, runGuards, type Guard, type GuardOutcome } from "./guards/index.ts";
import { readPins, type CodePin } from "./pins.ts";
import {
  EXECUTOR_NAME,
  EXECUTOR_VERSION,
  GUARD_REPORT_SCHEMA_VERSION,
  guardKey,
  serializeGuardReport,
  type GuardAction,
  type GuardReason,
  type GuardReport,
} from "./report.ts";
import { decodeRevert, revertDataOf } from "./revert.ts";
import type { Journal, ProposalRecord, TxRecord } from "./store.ts";
import { errorText, TxSender, type Fault } from "./txs.ts";

/** The deployment fields the executor needs (a subset of `deployments/<chainId>.json`). */
export interface ExecutorDeployment {
  chainId: number;
  startBlock: number;
  contracts: { governor: Address; timelock: Address; decisionLog: Address };
  /** For a DAO the platform attached to (`npm run attach`): its Governor's flavour and capabilities. */
  attached?: AttachedShape;
}

export interface ExecutorOptions {
  client: PublicClient;
  account: LocalAccount;
  deployment: ExecutorDeployment;
  journal: Journal;
  logger: Logger;
  metrics?: Metrics;
  /** Decide and log, send nothing (no queue, execute or publish). */
  dryRun?: boolean;
  /** Proposal ids (decimal) whose analysis hold an operator lifted. */
  overrides?: Iterable<string>;
  webhookUrl?: string;
  /** Publish refusals and holds to the DecisionLog (default true). */
  publishGuards?: boolean;
  txTimeoutMs?: number;
  feeBumpPercent?: number;
  /** Blocks per eth_getLogs request when scanning for proposals. */
  logChunkBlocks?: number;
  fault?: Fault;
  webhookBaseDelayMs?: number;
}

const CLOSED_STATES: ReadonlySet<number> = new Set([ProposalState.Canceled, ProposalState.Defeated, ProposalState.Expired, ProposalState.Executed]);

/**
 * The keeper. Each {@link tick} finds new proposals, settles the transaction in flight, publishes
 * guard decisions not yet published, and takes at most one new step (queue or execute) for the
 * proposals that are ready, after reading their on-chain state and passing every guard.
 */
export class Executor {
  readonly metrics: Metrics;
  readonly sender: TxSender;
  readonly alerter: Alerter;
  private readonly overrides: Set<string>;
  private readonly guards: Guard[] = createGuards();
  /** The Governor in the executor's words, for its flavour (`src/governor.ts`). */
  readonly governorAdapter: GovernorAdapter;
  /** The eta last logged for each queued proposal still waiting for it. */
  private readonly waitingFor = new Map<string, bigint>();
  /** Queued proposals already said to be past their timelock's grace period. */
  private readonly saidStale = new Set<string>();
  private isPublisher: boolean | undefined;
  lastTickAt: number | null = null;
  lastError: string | null = null;

  private readonly o: ExecutorOptions;

  constructor(o: ExecutorOptions) {
    this.o = o;
    this.governorAdapter = governorFor(o.client, o.deployment.contracts, o.deployment.attached);
    this.metrics = o.metrics ?? createMetrics();
    this.overrides = new Set([...(o.overrides ?? [])].map((id) => BigInt(id).toString()));
    this.sender = new TxSender({
      client: o.client,
      account: o.account,
      chainId: o.deployment.chainId,
      journal: o.journal,
      logger: o.logger,
      metrics: this.metrics,
      txTimeoutMs: o.txTimeoutMs ?? 120_000,
      feeBumpPercent: o.feeBumpPercent ?? 25,
      fault: o.fault ?? "none",
    });
    this.alerter = new Alerter({ url: o.webhookUrl, logger: o.logger, metrics: this.metrics, baseDelayMs: o.webhookBaseDelayMs });
  }

  get address(): Address {
    return this.o.account.address;
  }

  get journal(): Journal {
    return this.o.journal;
  }

  private get governor(): Address {
    return this.o.deployment.contracts.governor;
  }

  /** One poll. Throws on RPC failures; the caller retries with backoff. */
  async tick(): Promise<void> {
    await this.scanProposals();
    const { busy, resolved } = await this.sender.settle((tx) => this.stillNeeded(tx));
    for (const tx of resolved) await this.onResolved(tx);
    if (!busy && !(await this.publishNextGuard())) await this.advanceProposals();
    this.lastTickAt = Date.now();
    this.metrics.lastTick.set(Math.floor(this.lastTickAt / 1000));
  }

  /** Ticks until `done` holds or `maxTicks` pass (tests). */
  async tickUntil(done: () => Promise<boolean> | boolean, maxTicks = 50): Promise<void> {
    for (let i = 0; i < maxTicks; i++) {
      await this.tick();
      if (await done()) return;
    }
    throw new Error(`condition not reached after ${maxTicks} ticks`);
  }

  // --- proposals ---

  private async scanProposals(): Promise<void> {
    const { journal, client, logger } = this.o;
    const latest = await client.getBlockNumber({ cacheTime: 0 });
    const scanned = journal.getMeta("scannedTo");
    let from = scanned === undefined ? BigInt(this.o.deployment.startBlock) : BigInt(scanned) + 1n;
    const chunk = BigInt(this.o.logChunkBlocks ?? 10_000);
    while (from <= latest) {
      const to = from + chunk - 1n < latest ? from + chunk - 1n : latest;
      const logs = await client.getLogs({ address: this.governor, event: proposalCreatedEvent, fromBlock: from, toBlock: to });
      for (const log of logs) {
        // The description hash comes from the event's exact bytes: decoded text can differ from
        // them (a byte-order mark, invalid UTF-8) and would name another proposal.
        let created: FlavouredProposalCreated;
        try {
          created = this.governorAdapter.decodeCreated(log);
        } catch (error) {
          // Not a proposal this executor can act on; it must not stop the others.
          logger.error({ block: Number(log.blockNumber), tx: log.transactionHash, err: errorText(error) }, "undecodable ProposalCreated event skipped");
          continue;
        }
        const { proposalId, targets } = created;
        const id = proposalId.toString();
        if (journal.getProposal(id) !== undefined) continue;
        // Pin the code as it was when the proposal was created (what voters saw); fall back to the
        // current block on nodes without historical state.
        let pins: CodePin[];
        try {
          pins = await readPins(client, targets, log.blockNumber);
        } catch (error) {
          logger.warn({ proposalId: id, err: errorText(error) }, "historical state unavailable; pinning target code at the latest block");
          pins = await readPins(client, targets);
        }
        journal.addProposal({
          proposalId: id,
          targets,
          values: created.values.map((v) => v.toString()),
          calldatas: created.calldatas,
          descriptionHash: created.descriptionHash,
          createdBlock: Number(log.blockNumber),
          pins,
        });
        this.metrics.proposalsSeen.inc();
        logger.info({ proposalId: id, block: Number(log.blockNumber), targets: targets.length, pins }, "proposal found; target code pinned");
      }
      journal.setMeta("scannedTo", to.toString());
      from = to + 1n;
    }
  }

  private async state(proposalId: string): Promise<number> {
    return this.governorAdapter.state(proposalId);
  }

  /** The step a proposal needs now, from its on-chain state, or null. Closes finished proposals. */
  private async nextStep(p: ProposalRecord): Promise<GuardAction | null> {
    const { client, journal, logger } = this.o;
    const state = await this.state(p.proposalId);
    if (state !== p.lastState) {
      logger.info({ proposalId: p.proposalId, state: proposalStateNames[state] }, "proposal state");
    }
    journal.setProposalState(p.proposalId, state, CLOSED_STATES.has(state));
    if (state !== ProposalState.Queued) this.waitingFor.delete(p.proposalId);
    if (state === ProposalState.Expired && p.lastState !== ProposalState.Expired) {
      logger.warn({ proposalId: p.proposalId }, "proposal expired (its timelock's grace period ended): it can no longer be executed, and the executor will not try");
    }
    if (state === ProposalState.Succeeded) return (await this.governorAdapter.needsQueuing(p.proposalId)) ? "queue" : "execute";
    if (state !== ProposalState.Queued) return null;
    // The Governor sets the eta from the delay the proposal's risk earned when it was queued (up to
    // the highest tier when nobody had analysed it); until then there is nothing to do, and no error.
    // Every timelock counts in seconds, whatever the Governor's clock: the eta is a block timestamp.
    const block = await client.getBlock({ blockTag: "latest" });
    const readiness = await this.governorAdapter.readiness(p, block.timestamp);
    switch (readiness.kind) {
      case "ready":
        return "execute";
      case "waiting":
        await this.logWaiting(p, readiness.eta, block.timestamp);
        return null;
      case "not-ready":
        logger.debug({ proposalId: p.proposalId, eta: readiness.eta.toString() }, "eta reached but the timelock operation is not ready; waiting");
        return null;
      case "expired":
        // The Governor says so too from the next block on; never execute a stale transaction.
        if (!this.saidStale.has(p.proposalId)) {
          this.saidStale.add(p.proposalId);
          logger.warn(
            { proposalId: p.proposalId, eta: readiness.eta.toString(), gracePeriod: readiness.gracePeriod.toString() },
            "the timelock's grace period after the eta has ended: this proposal can no longer be executed, and the executor will not try",
          );
        }
        return null;
    }
  }

  /** Says once per proposal (at info) when it becomes executable and why it waits that long; every later poll at debug. */
  private async logWaiting(p: ProposalRecord, eta: bigint, now: bigint): Promise<void> {
    const { logger } = this.o;
    const fields = { proposalId: p.proposalId, eta: eta.toString(), secondsLeft: Number(eta - now) };
    if (this.waitingFor.get(p.proposalId) === eta) {
      logger.debug(fields, "queued; waiting for its eta");
      return;
    }
    this.waitingFor.set(p.proposalId, eta);
    let riskDelay: Record<string, unknown> | undefined;
    try {
      riskDelay = await this.governorAdapter.riskDelay(p.proposalId);
    } catch (error) {
      // Only informative: a Governor without risk delays still has an eta.
      if (isTransportError(error)) throw error;
    }
    logger.info({ ...fields, riskDelay }, "queued; executable once its eta passes");
  }

  private async advanceProposals(): Promise<void> {
    const { journal, logger } = this.o;
    for (const p of journal.openProposals()) {
      try {
        if (await this.advance(p)) return; // one new transaction per poll
      } catch (error) {
        // The RPC itself failing stops the poll (the loop backs off); anything else is about this
        // proposal only and must not keep the others waiting.
        if (isTransportError(error)) throw error;
        this.metrics.proposalErrors.inc();
        logger.error({ proposalId: p.proposalId, err: errorText(error) }, "cannot advance this proposal; the others go on, it is retried next poll");
      }
    }
  }

  /** Takes the next step of one proposal if it is due and passes the guards; true when a transaction was sent. */
  private async advance(p: ProposalRecord): Promise<boolean> {
    const { logger } = this.o;
    let action: GuardAction | null;
    try {
      action = await this.nextStep(p);
    } catch (error) {
      // A proposal the Governor does not know (e.g. removed by a reorg) must not stop the others.
      const revertData = revertDataOf(error);
      if (revertData === undefined) throw error;
      logger.warn({ proposalId: p.proposalId, revert: decodeRevert(revertData).message }, "cannot read the proposal's state; skipping it this poll");
      return false;
    }
    if (action === null) return false;
    const { value } = this.governorAdapter.stepCall(p, action);
    if (value > 0n) {
      // Compound's execute pays the actions' values from what it is sent, so this key pays them.
      const balance = await this.o.client.getBalance({ address: this.address });
      if (balance < value) {
        logger.error(
          { proposalId: p.proposalId, action, value: value.toString(), balance: balance.toString() },
          `${action} must be sent with the sum of the proposal's values (this Governor pays them from what it is sent) and this key holds less: not sent; fund the key or let someone else ${action}`,
        );
        return false;
      }
    }
    const outcome = await this.runGuards(p, action);
    if (outcome === "skip") return false;
    if (outcome !== null) {
      await this.recordGuard(p, action, outcome);
      return false;
    }
    const { data } = this.governorAdapter.stepCall(p, action);
    if (this.o.dryRun) {
      logger.info({ proposalId: p.proposalId, action, dryRun: true }, `dry run: would ${action}`);
      return false;
    }
    let gas: bigint;
    try {
      gas = await this.o.client.estimateGas({ account: this.address, to: this.governor, data, value });
    } catch (error) {
      const revertData = revertDataOf(error);
      if (revertData === undefined) throw error;
      // The latest block allows it but the pending one does not: another keeper's transaction is
      // waiting to be mined. Look again next poll rather than send a transaction that would revert.
      logger.info({ proposalId: p.proposalId, action, revert: decodeRevert(revertData).message }, `${action} would revert on top of pending transactions; waiting`);
      return false;
    }
    await this.sender.send({ key: `${action}:${p.proposalId}`, proposalId: p.proposalId, action, to: this.governor, data, value, gas: (gas * 12n) / 10n + 10_000n });
    return true;
  }

  /** Whether a pending transaction of ours is still worth mining. */
  private async stillNeeded(tx: TxRecord): Promise<boolean> {
    if (tx.action === "publish" || tx.action === "cancel") return true;
    const state = await this.state(tx.proposalId);
    if (tx.action === "queue") return state === ProposalState.Succeeded;
    return state === ProposalState.Queued || state === ProposalState.Succeeded;
  }

  private async onResolved(tx: TxRecord): Promise<void> {
    const { logger, journal } = this.o;
    if (tx.action === "publish") {
      const guard = journal.allGuards().find((g) => g.publishTxId === tx.id);
      if (tx.status === "confirmed") {
        this.metrics.guardsPublished.inc();
        logger.info({ guard: guard?.key, hash: tx.minedHash }, "guard decision published to the DecisionLog");
      } else if (tx.status === "dropped" && guard !== undefined) {
        journal.setGuardPublishTx(guard.key, null); // try again
      } else if (tx.status === "reverted") {
        logger.error({ guard: guard?.key, hash: tx.minedHash }, "publishing the guard decision reverted (is this key a DecisionLog publisher?)");
      }
      return;
    }
    if (tx.action === "cancel") return;
    if (tx.status === "confirmed") {
      if (tx.action === "queue") this.metrics.queued.inc();
      if (tx.action === "execute") this.metrics.executed.inc();
      logger.info({ proposalId: tx.proposalId, action: tx.action, hash: tx.minedHash }, `proposal ${tx.action === "queue" ? "queued" : "executed"}`);
      return;
    }
    // Reverted or dropped: usually another keeper got there first. Read the chain before calling it an error.
    const state = await this.state(tx.proposalId);
    const doneByOthers = (tx.action === "queue" && state !== ProposalState.Succeeded) || (tx.action === "execute" && state === ProposalState.Executed);
    if (doneByOthers) {
      this.metrics.alreadyDone.inc({ action: tx.action });
      logger.info({ proposalId: tx.proposalId, action: tx.action, state: proposalStateNames[state], status: tx.status }, "step already done by someone else");
    } else {
      logger.warn({ proposalId: tx.proposalId, action: tx.action, state: proposalStateNames[state], status: tx.status }, "our transaction did not take effect; the step will be retried");
    }
  }

  // --- guards ---

  /** Runs the guards (`src/guards/`) for one step. `skip`: the step is no longer needed. */
  async runGuards(p: ProposalRecord, action: GuardAction): Promise<GuardOutcome | null | "skip"> {
    const { data, value } = this.governorAdapter.stepCall(p, action);
    return runGuards(this.guards, {
      client: this.o.client,
      logger: this.o.logger,
      proposal: p,
      action,
      executor: this.address,
      governor: this.governor,
      decisionLog: this.o.deployment.contracts.decisionLog,
      fromBlock: BigInt(this.o.deployment.startBlock),
      overrides: this.overrides,
      calldata: data,
      value,
      state: () => this.state(p.proposalId),
      guardian: () => this.proposalGuardian(),
    });
  }

  private proposalGuardian(): Promise<Address | null> {
    return this.governorAdapter.guardian();
  }

  /** Logs, alerts and journals a refusal or hold once; publishing follows on a later poll. */
  async recordGuard(p: ProposalRecord, action: GuardAction, outcome: GuardOutcome): Promise<void> {
    const { journal, logger } = this.o;
    const key = guardKey(p.proposalId, action, outcome.reason, outcome.fingerprint);
    if (journal.getGuard(key) !== undefined) {
      logger.debug({ proposalId: p.proposalId, action, reason: outcome.reason }, "guard decision already recorded");
      return;
    }
    const block = await this.o.client.getBlockNumber({ cacheTime: 0 });
    const report: GuardReport = {
      schemaVersion: GUARD_REPORT_SCHEMA_VERSION,
      kind: "execution-guard",
      executor: { name: EXECUTOR_NAME, version: EXECUTOR_VERSION, address: this.address },
      chainId: this.o.deployment.chainId,
      governor: this.governor,
      proposalId: p.proposalId,
      action,
      decision: outcome.decision,
      reason: outcome.reason,
      summary: outcome.summary,
      blockNumber: block.toString(),
      evidence: { ...outcome.evidence, risk: outcome.risk },
    };
    const { json, reportHash } = serializeGuardReport(report);
    journal.addGuard({ key, proposalId: p.proposalId, action, reason: outcome.reason, decision: outcome.decision, reportJson: json, reportHash });
    if (outcome.decision === "hold") this.metrics.held.inc({ reason: outcome.reason });
    else this.metrics.refused.inc({ reason: outcome.reason });
    const guardian = await this.proposalGuardian();
    logger.warn({ proposalId: p.proposalId, action, decision: outcome.decision, reason: outcome.reason, summary: outcome.summary, reportHash, guardian }, `${action} ${outcome.decision === "hold" ? "held" : "refused"} by guard`);
    this.alerter.send({ type: "execution-guard", guardian, reportHash, report });
  }

  /** Publishes the oldest unpublished guard decision. Returns whether a transaction was sent. */
  private async publishNextGuard(): Promise<boolean> {
    if (this.o.publishGuards === false || this.o.dryRun) return false;
    const { journal } = this.o;
    const guard = journal.unpublishedGuards()[0];
    if (guard === undefined) return false;
    // A crash between journaling the publish transaction and linking it leaves it unlinked: link it.
    const earlier = journal.txsByKey(`publish:${guard.key}`).find((t) => t.status !== "dropped");
    if (earlier !== undefined) {
      journal.setGuardPublishTx(guard.key, earlier.id);
      return false;
    }
    const report = JSON.parse(guard.reportJson) as GuardReport;
    const risk = Number((report.evidence as { risk?: number }).risk ?? 100);
    const recommendation = guard.decision === "hold" ? Recommendation.NeedsReview : Recommendation.Against;
    // The journal keeps the canonical JSON; what goes on chain is its raw-DEFLATE encoding, hashed as sent.
    const encoded = encodeReport(guard.reportJson);
    const reportBytes = toHex(encoded.bytes);
    const data = encodeFunctionData({
      abi: decisionLogAbi,
      functionName: "publish",
      args: [BigInt(guard.proposalId), DecisionKind.ExecutionGuard, risk, recommendation, encoded.encoding, keccak256(reportBytes), reportBytes],
    });
    const to = this.o.deployment.contracts.decisionLog;
    if (this.isPublisher === undefined) {
      this.isPublisher = await this.o.client.readContract({ address: to, abi: decisionLogAbi, functionName: "isPublisher", args: [this.address] });
      if (!this.isPublisher) {
        this.o.logger.error({ address: this.address }, "this key is not a DecisionLog publisher: guard decisions are logged and alerted but not published");
      }
    }
    if (!this.isPublisher) return false;
    let gas: bigint;
    try {
      gas = await this.o.client.estimateGas({ account: this.address, to, data });
    } catch (error) {
      const revertData = revertDataOf(error);
      if (revertData === undefined) throw error;
      this.o.logger.error({ guard: guard.key, revert: decodeRevert(revertData).message }, "publishing the guard decision would revert; retrying later");
      return false;
    }
    const tx = await this.sender.send({ key: `publish:${guard.key}`, proposalId: guard.proposalId, action: "publish", to, data, gas: (gas * 12n) / 10n + 10_000n });
    journal.setGuardPublishTx(guard.key, tx.id);
    return true;
  }
}

/** Whether `error` is the RPC being unreachable (not an answer about one proposal). */
function isTransportError(error: unknown): boolean {
  if (!(error instanceof BaseError)) return false;
  return error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError || e instanceof SocketClosedError || e instanceof WebSocketRequestError) !== null;
}
