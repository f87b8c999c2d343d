import { readFileSync } from "node:fs";

import { getAddress, type Address, type PublicClient } from "viem";

import type { Deployment } from "@ai-dao/deployment";
import { daoAbis, decodeCalls, hashDescription, hashProposal as governorProposalId, knownSignatureAbis, type ContractRole } from "@ai-dao/protocol";

import { runChecksWithCoverage, type CheckRun } from "./checks/index.ts";
import { descriptionClaimsSection } from "./checks/description-claims.ts";
import { severityRank, type AnalysisContext, type Finding } from "./checks/types.ts";
import { describeDescription } from "./context/description.ts";
import { readCounterparties } from "./context/counterparties.ts";
import { readGovernance } from "./context/governance.ts";
import { readInitializers } from "./context/initializers.ts";
import { inspectTarget, inspectTargets } from "./context/targets.ts";
import { readVotingPower, votesWindowSeconds } from "./context/voting-power.ts";
import { AnalystError, errorLine } from "./errors.ts";
import { toJson } from "@ai-dao/reports";
import { normalizeProposal, proposalToJson, type ProposalInput } from "./proposal.ts";
import type { ModelJudge } from "./model/client.ts";
import { applyModelStep } from "./model/judge.ts";
import type { Trigger } from "@ai-dao/reports";
import { canonicalHash, reportSchema, REPORT_SCHEMA_VERSION, type Report } from "./report.ts";
import { recommend, riskFloor } from "./risk.ts";
import { buildSummary } from "./summary.ts";
import { runSimulation, simulationToJson, type SimulationOutcome } from "./simulate/index.ts";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { name: string; version: string };
export const ANALYZER = { name: pkg.name, version: pkg.version } as const;

/** Notes every deterministic report carries: what it did not look at. */
export const DETERMINISTIC_NOTES = [
  "deterministic analysis only: no model judgement was requested",
  "not simulated: effects were inferred from calldata, not executed on a fork",
];

/**
 * The Governor's proposal id, `uint256(keccak256(abi.encode(targets, values, calldatas, descriptionHash)))`,
 * from the description's exact bytes (`@ai-dao/protocol`); text is taken as its UTF-8.
 */
export function hashProposal(proposal: ProposalInput): bigint {
  const p = normalizeProposal(proposal);
  return governorProposalId({ ...p, descriptionHash: hashDescription(p.descriptionBytes) });
}

export interface AnalyzeArgs {
  client: PublicClient;
  deployment: Pick<Deployment, "chainId" | "contracts" | "startBlock">;
  /** The proposal; its description as text (hashed as UTF-8) or as the exact bytes emitted on chain. */
  proposal: ProposalInput;
  /** Who proposes (or proposed): adds their voting power and recent delegation changes. */
  proposer?: Address;
  /** Block to read state at; default the latest. */
  blockNumber?: bigint;
  /** The model step (src/model/): without a judge the report stays deterministic. */
  judge?: ModelJudge | undefined;
  /** Why this analysis runs, recorded in `provenance.trigger`; default `preview`. */
  trigger?: Trigger | undefined;
  /**
   * Fork simulation: the JSON-RPC URL of the same chain to fork at the analysed block, or a reason not
   * to simulate (`{ skip: "..." }`, e.g. `--offline`). Absent: not simulated.
   */
  simulate?: { forkUrl: string } | { skip: string };
  /** Window for "votes acquired shortly before the snapshot", in seconds; default 2 days scaled by the voting period. */
  votesWindowSeconds?: bigint;
}

/** Builds the read-only context the checks run on. */
export async function buildContext(args: AnalyzeArgs): Promise<AnalysisContext> {
  const { client, deployment } = args;
  const proposal = normalizeProposal(args.proposal);
  const chainId = await client.getChainId();
  if (chainId !== deployment.chainId) {
    throw new AnalystError(`the RPC serves chain ${chainId} but the deployment file is for chain ${deployment.chainId}`, [
      "point --rpc at the deployment's chain or pass the matching --deployment file",
    ]);
  }
  const blockNumber = args.blockNumber ?? (await client.getBlockNumber());
  if (args.blockNumber !== undefined) {
    const latest = await client.getBlockNumber({ cacheTime: 0 });
    if (args.blockNumber > latest) {
      throw new AnalystError(`block ${args.blockNumber} is beyond the chain head (latest block ${latest})`, ["pass a block number at or below the latest block, or leave it out to analyse at the latest"]);
    }
  }
  const contracts = deployment.contracts;
  const calls = decodeCalls(proposal, contracts, knownSignatureAbis);
  const labels = Object.fromEntries((Object.entries(contracts) as [ContractRole, Address][]).map(([role, a]) => [a.toLowerCase(), role]));
  const proposalId = governorProposalId({ ...proposal, descriptionHash: hashDescription(proposal.descriptionBytes) });
  const [targets, governance, snapshot] = await Promise.all([
    inspectTargets(client, proposal.targets, blockNumber, labels),
    readGovernance(client, {
      contracts,
      calls,
      blockNumber,
      fromBlock: BigInt(deployment.startBlock),
      ...(args.proposer !== undefined ? { proposer: getAddress(args.proposer) } : {}),
    }),
    client.readContract({ address: contracts.governor, abi: daoAbis.governor, functionName: "proposalSnapshot", args: [proposalId], blockNumber }) as Promise<bigint>,
  ]);
  const ctx: AnalysisContext = { chainId, blockNumber, deployment: { contracts }, proposal, calls, targets, governance, proposalSnapshot: snapshot };

  const unavailable: NonNullable<AnalysisContext["unavailable"]> = {};
  // Accounts outside the DAO the calls pay, empower or call: read alongside the simulation and the votes.
  const counterparties = readCounterparties(client, {
    calls,
    contracts,
    blockNumber,
    fromBlock: BigInt(deployment.startBlock),
    tokens: governance.balances.flatMap((b) => (b.asset === "ETH" ? [] : [b.asset])),
    calldatas: proposal.calldatas,
    clock: { mode: governance.governor.clockMode, window: governance.governor.votingDelay + governance.governor.votingPeriod },
  }).catch((error: unknown) => {
    unavailable.counterparties = errorLine(error);
    return undefined;
  });
  // Everything below reads the chain independently of the rest: in parallel, the simulation usually last.
  const [simulation, votingPower, upgradeImplementations, initializers] = await Promise.all([
    simulationFor(args, ctx),
    // A failed read leaves the voting-power check skipped and the report inconclusive, not the analysis failed.
    readVotingPower(client, {
      token: contracts.token,
      governor: contracts.governor,
      blockNumber,
      windowSeconds: votesWindowSeconds(governance.governor.votingPeriod, args.votesWindowSeconds),
      ...(args.proposer !== undefined ? { proposer: getAddress(args.proposer) } : {}),
      ...(snapshot > 0n ? { proposalId, snapshot } : {}),
      fromBlock: BigInt(deployment.startBlock),
    }).catch((error: unknown) => {
      unavailable.votingPower = errorLine(error);
      return undefined;
    }),
    Promise.all(
      calls
        .filter((c) => ["upgradeTo(address)", "upgradeToAndCall(address,bytes)", "upgradeAndCall(address,address,bytes)"].includes(c.signature ?? ""))
        .map(async (c) => {
          const byAdmin = c.signature === "upgradeAndCall(address,address,bytes)";
          const proxy = getAddress((byAdmin ? c.args![0] : c.target) as Address);
          const implementation = getAddress((byAdmin ? c.args![1] : c.args![0]) as Address);
          return { callIndex: c.index, proxy, implementation: await inspectTarget(client, implementation, blockNumber) };
        }),
    ),
    readInitializers(client, ctx),
  ]);
  ctx.upgradeImplementations = upgradeImplementations;
  ctx.initializers = initializers;
  if (simulation) ctx.simulation = simulation;
  if (votingPower) ctx.votingPower = votingPower;
  const counterpartyFacts = await counterparties;
  if (counterpartyFacts) ctx.counterparties = counterpartyFacts;
  if (Object.keys(unavailable).length > 0) ctx.unavailable = { ...ctx.unavailable, ...unavailable };
  return ctx;
}

async function simulationFor(args: AnalyzeArgs, ctx: AnalysisContext): Promise<SimulationOutcome | undefined> {
  if (args.simulate === undefined) return undefined;
  if ("skip" in args.simulate) return { status: "skipped", reason: args.simulate.skip };
  return runSimulation({
    forkUrl: args.simulate.forkUrl,
    chainId: ctx.chainId,
    blockNumber: ctx.blockNumber,
    proposal: ctx.proposal,
    contracts: ctx.deployment.contracts,
    tokens: ctx.governance.balances.flatMap((b) => (b.asset === "ETH" ? [] : [b.asset])),
  });
}

/** The notes of a report: what this analysis did not cover. */
function notesFor(ctx: AnalysisContext, run: CheckRun): string[] {
  const notes = [DETERMINISTIC_NOTES[0]!];
  const sim = ctx.simulation;
  if (sim === undefined) notes.push(DETERMINISTIC_NOTES[1]!);
  else if (sim.status !== "simulated") notes.push(`not simulated (${sim.status}: ${sim.reason}): effects were inferred from calldata only`);
  else if (sim.result.traceSource === "top-level") notes.push("the fork offered no call trace: only top-level calls are listed");
  if (ctx.votingPower === undefined) {
    notes.push(
      ctx.unavailable?.votingPower !== undefined
        ? `voting power before the snapshot not checked: it could not be read (${ctx.unavailable.votingPower})`
        : "voting power before the snapshot not checked: no proposer given and the proposal is not on chain",
    );
  }
  if (run.inconclusive) notes.push(inconclusiveNote(run));
  return notes;
}

/** Says in words that the report is inconclusive and which checks could not run. */
function inconclusiveNote(run: CheckRun): string {
  const list = run.failed.map((c) => `${c.name} — ${c.reason ?? "no reason given"}`).join("; ");
  return `inconclusive: ${run.failed.length === 1 ? "a check that applies" : `${run.failed.length} checks that apply`} could not run, so the findings may be incomplete and a person should review the proposal before anyone votes: ${list}`;
}

/**
 * Analyses a proposal against the deployed DAO without sending anything: decodes its calls,
 * inspects its targets and the treasury, runs every deterministic check, and returns a validated
 * report (serialise it with `serializeReport`).
 */
export async function analyzeProposal(args: AnalyzeArgs): Promise<Report> {
  const ctx = await buildContext(args);
  const { proposal, blockNumber, chainId } = ctx;

  const run = runChecksWithCoverage(ctx);
  const findings = run.findings
    .map((f, order) => ({ f, order }))
    .sort((a, b) => severityRank(b.f.severity) - severityRank(a.f.severity) || a.order - b.order)
    .map(({ f }) => ({ ...f, evidence: toJson(f.evidence) as Finding["evidence"] }));
  const floor = riskFloor(findings, run.inconclusive);

  const descriptionHash = hashDescription(proposal.descriptionBytes);
  const proposalId = governorProposalId({ ...proposal, descriptionHash });
  const description = describeDescription(proposal);
  let onChain: { state: number; snapshot: string } | undefined;
  const snapshot =
    ctx.proposalSnapshot ??
    ((await args.client.readContract({ address: ctx.deployment.contracts.governor, abi: daoAbis.governor, functionName: "proposalSnapshot", args: [proposalId], blockNumber })) as bigint);
  if (snapshot > 0n) {
    const state = (await args.client.readContract({ address: ctx.deployment.contracts.governor, abi: daoAbis.governor, functionName: "state", args: [proposalId], blockNumber })) as number;
    onChain = { state, snapshot: snapshot.toString() };
  }

  const inputHash = canonicalHash({
    analyzer: ANALYZER,
    chainId,
    blockNumber: blockNumber.toString(),
    contracts: ctx.deployment.contracts,
    proposal: proposalToJson(proposal),
    proposer: args.proposer !== undefined ? getAddress(args.proposer) : null,
  });

  const g = ctx.governance;
  const report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    status: "analysed",
    mode: "deterministic",
    analyzer: { ...ANALYZER },
    chainId,
    blockNumber: blockNumber.toString(),
    inputHash,
    proposal: {
      proposalId: proposalId.toString(),
      descriptionHash,
      descriptionInfo: {
        byteLength: description.byteLength,
        invalidUtf8Sequences: description.invalidSequences,
        hiddenContent: description.rendered.hidden.length,
        hiddenCharacters: description.rendered.hiddenCharacters.length,
      },
      targets: proposal.targets,
      values: proposal.values.map(String),
      calldatas: proposal.calldatas,
      ...(onChain ? { onChain } : {}),
    },
    decodedCalls: ctx.calls.map(({ inputs: _inputs, ...c }) => toJson(c)),
    targets: ctx.targets.map((t) => toJson(t)),
    governance: toJson({
      treasury: g.treasury,
      balances: g.balances,
      // The report keeps each Governor parameter as one string: the risk tiers as "40:180,70:600" (risk:seconds).
      governor: { ...g.governor, riskTiers: g.governor.riskTiers === null ? "unknown" : g.governor.riskTiers.map((t) => `${t.minRisk}:${t.delay}`).join(",") },
      ...(g.proposer ? { proposer: g.proposer } : {}),
    }),
    findings,
    ...descriptionClaimsSection(ctx, findings),
    riskFloor: floor,
    // Deterministic mode: the risk is the floor. A model judgement may raise it later.
    scores: { risk: floor },
    recommendation: recommend(findings, run.inconclusive),
    notes: notesFor(ctx, run),
    summary: buildSummary(ctx, findings),
    coverage: run.coverage,
    inconclusive: run.inconclusive,
    ...(ctx.simulation ? { simulation: simulationToJson(ctx.simulation) } : {}),
    ...(ctx.votingPower ? { votingPower: toJson(ctx.votingPower) } : {}),
    ...(ctx.counterparties ? { counterparties: toJson(ctx.counterparties) } : {}),
  };
  const deterministic = reportSchema.parse(report);

  // Model step, separate from the deterministic analysis above: provenance, and the model's judgement when configured.
  return reportSchema.parse(await applyModelStep(deterministic, { description: description.rendered.visibleText, judge: args.judge, trigger: args.trigger }));
}
