import { readFileSync } from "node:fs";

import { getAddress, parseAbi, type Abi, type Address, type PublicClient } from "viem";

import type { AttachedGovernor, Deployment } from "@ai-dao/deployment";
import {
  compoundGovernorAlphaAbi,
  daoAbis,
  decodeCalls,
  flavourAbis,
  hashDescription,
  hashProposal as governorProposalId,
  isCompoundFlavour,
  knownSignatureAbis,
  proposalIdFor,
  type ContractRole,
  type DecodedCall,
} from "@ai-dao/protocol";

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
import { checkName, toJson } from "@ai-dao/reports";
import { normalizeProposal, proposalToJson, type ProposalInput } from "./proposal.ts";
import type { ModelJudge } from "./model/client.ts";
import { applyModelStep, DETERMINISTIC_ONLY_NOTE } from "./model/judge.ts";
import type { Trigger } from "@ai-dao/reports";
import { canonicalHash, reportSchema, REPORT_SCHEMA_VERSION, type Report } from "./report.ts";
import { recommend, riskFloor } from "./risk.ts";
import { buildSummary } from "./summary.ts";
import { SECONDS_PER_BLOCK } from "./units.ts";
import { runSimulation, simulationToJson, type SimulationOutcome } from "./simulate/index.ts";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { name: string; version: string };
export const ANALYZER = { name: pkg.name, version: pkg.version } as const;

/** Notes every deterministic report carries: what it did not look at. */
export const DETERMINISTIC_NOTES = [
  DETERMINISTIC_ONLY_NOTE,
  "Not run on a copy of the chain: the effects were read from the calls' data only.",
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
  /** The deployment; for a DAO the platform attached to (`profile: "attached"`), with its `attached` section. */
  deployment: Pick<Deployment, "chainId" | "contracts" | "startBlock"> & { attached?: AttachedGovernor | undefined };
  /**
   * The proposal's id as its Governor emitted it (ProposalCreated). A Compound Governor numbers its
   * proposals, so only the chain knows the id; without it a Compound proposal is analysed under the
   * id it would get next (`proposalCount() + 1`). An OpenZeppelin Governor's id is checked against
   * the hash of the proposal.
   */
  proposalId?: bigint;
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

/** Decodes the calls with the DAO's own ABIs: the platform's contracts, or an attached DAO's flavour. */
export function decodeProposalCalls(deployment: AnalyzeArgs["deployment"], proposal: Parameters<typeof decodeCalls>[0]): DecodedCall[] {
  const { contracts, attached } = deployment;
  if (attached === undefined) return decodeCalls(proposal, contracts, knownSignatureAbis);
  const abis = flavourAbis({ attached });
  const own = (["token", "governor", "timelock"] as const).map((role) => ({ ...abis[role], address: contracts[role] }));
  return decodeCalls(proposal, { decisionLog: contracts.decisionLog }, [...own, ...knownSignatureAbis]);
}

const compoundProposalsAbi = parseAbi([
  // The first five words of GovernorAlpha's and GovernorBravo's `proposals(id)` (they differ after them).
  "function proposals(uint256 proposalId) view returns (uint256 id, address proposer, uint256 eta, uint256 startBlock, uint256 endBlock)",
]);

/**
 * The proposal's id on its Governor and, when it is on chain at `blockNumber`, its snapshot (the
 * timepoint votes are counted at: OpenZeppelin's `proposalSnapshot`, Compound's start block) and state.
 */
async function proposalOnChain(
  client: PublicClient,
  deployment: AnalyzeArgs["deployment"],
  proposal: ReturnType<typeof normalizeProposal>,
  blockNumber: bigint,
  emittedId: bigint | undefined,
): Promise<{ proposalId: bigint; snapshot: bigint; state?: number }> {
  const governor = deployment.contracts.governor;
  const flavour = deployment.attached?.flavour;
  if (flavour === undefined || !isCompoundFlavour(flavour)) {
    const proposalId = proposalIdFor(flavour, { ...proposal, descriptionHash: hashDescription(proposal.descriptionBytes) }, emittedId);
    const snapshot = BigInt((await client.readContract({ address: governor, abi: daoAbis.governor, functionName: "proposalSnapshot", args: [proposalId], blockNumber })) as bigint);
    if (snapshot === 0n) return { proposalId, snapshot };
    const state = (await client.readContract({ address: governor, abi: daoAbis.governor, functionName: "state", args: [proposalId], blockNumber })) as number;
    return { proposalId, snapshot, state };
  }
  const alpha = compoundGovernorAlphaAbi as Abi;
  const count = (await client.readContract({ address: governor, abi: alpha, functionName: "proposalCount", blockNumber })) as bigint;
  const proposalId = emittedId ?? count + 1n;
  if (proposalId === 0n || proposalId > count) return { proposalId, snapshot: 0n };
  const [, , , startBlock] = (await client.readContract({ address: governor, abi: compoundProposalsAbi, functionName: "proposals", args: [proposalId], blockNumber })) as readonly [bigint, Address, bigint, bigint, bigint];
  const state = Number(await client.readContract({ address: governor, abi: alpha, functionName: "state", args: [proposalId], blockNumber }));
  return { proposalId, snapshot: startBlock, state };
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
  const attached = deployment.attached;
  const calls = decodeProposalCalls(deployment, proposal);
  const labels = Object.fromEntries((Object.entries(contracts) as [ContractRole, Address][]).map(([role, a]) => [a.toLowerCase(), role]));
  const [targets, governance, onChain] = await Promise.all([
    inspectTargets(client, proposal.targets, blockNumber, labels),
    readGovernance(client, {
      contracts,
      calls,
      blockNumber,
      fromBlock: BigInt(deployment.startBlock),
      attached,
      ...(args.proposer !== undefined ? { proposer: getAddress(args.proposer) } : {}),
    }),
    proposalOnChain(client, deployment, proposal, blockNumber, args.proposalId),
  ]);
  const { proposalId, snapshot } = onChain;
  const ctx: AnalysisContext = {
    chainId,
    blockNumber,
    deployment: { contracts },
    proposal,
    calls,
    targets,
    governance,
    proposalSnapshot: snapshot,
    proposalId,
    ...(onChain.state !== undefined ? { proposalState: onChain.state } : {}),
  };

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
      // A block-number clock counts its voting period in blocks: the window scales with it in seconds.
      windowSeconds: votesWindowSeconds(
        governance.governor.clockMode === "blocknumber" ? governance.governor.votingPeriod * SECONDS_PER_BLOCK : governance.governor.votingPeriod,
        args.votesWindowSeconds,
      ),
      compoundVotes: attached !== undefined && isCompoundFlavour(attached.flavour),
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
    abis: flavourAbis({ attached: args.deployment.attached }),
  });
}

/** The notes of a report: what this analysis did not cover. */
function notesFor(ctx: AnalysisContext, run: CheckRun): string[] {
  const notes = [DETERMINISTIC_NOTES[0]!];
  const sim = ctx.simulation;
  if (sim === undefined) notes.push(DETERMINISTIC_NOTES[1]!);
  else if (sim.status !== "simulated") notes.push(`Not run on a copy of the chain (${sim.status}: ${sim.reason}): the effects were read from the calls' data only.`);
  else if (sim.result.traceSource === "top-level") notes.push("The copy of the chain gave no trace of inner calls: only the proposal's own actions are listed.");
  if (ctx.votingPower === undefined) {
    notes.push(
      ctx.unavailable?.votingPower !== undefined
        ? `Voting power gained shortly before the snapshot was not checked: it could not be read (${ctx.unavailable.votingPower}).`
        : "Voting power gained shortly before the snapshot was not checked: the proposal is not on chain yet and no proposer was given.",
    );
  }
  if (run.inconclusive) notes.push(inconclusiveNote(run));
  return notes;
}

/** What an analysis of an attached DAO's proposal says about its Governor's flavour. */
function attachedNotes(args: AnalyzeArgs, ctx: AnalysisContext): string[] {
  const attached = args.deployment.attached;
  if (attached === undefined) return [];
  const notes = [
    `Attached DAO: ${attached.flavour} Governor executing through a ${attached.timelockKind === "compound-timelock" ? "Compound Timelock" : "TimelockController"}, ${ctx.governance.governor.clockMode === "blocknumber" ? "block-number clock (voting delays, periods and windows in blocks)" : "timestamp clock"}.`,
  ];
  if (isCompoundFlavour(attached.flavour) && args.proposalId === undefined && (ctx.proposalSnapshot ?? 0n) === 0n) {
    notes.push(`Not on chain yet: analysed under the id the Governor would assign next (${ctx.proposalId}); the published id is the one its ProposalCreated event carries.`);
  }
  return notes;
}

/**
 * The checks that could not run, in words, one clause per reason: checks that failed for the same
 * reason are named together, and a check whose reason already starts with its name (the run on a
 * copy of the chain) is not named twice.
 */
function failedChecksText(failed: CheckRun["failed"]): string {
  const byReason = new Map<string, string[]>();
  for (const c of failed) {
    const reason = c.reason ?? "no reason given";
    byReason.set(reason, [...(byReason.get(reason) ?? []), checkName(c.check)]);
  }
  return [...byReason]
    .map(([reason, names]) => {
      const own = names.find((name) => reason.toLowerCase().startsWith(name.toLowerCase()));
      if (own === undefined) return `${names.join(", ")} — ${reason}`;
      const others = names.filter((name) => name !== own);
      return `${reason.charAt(0).toUpperCase()}${reason.slice(1)}${others.length > 0 ? ` (so these could not run either: ${others.join(", ")})` : ""}`;
    })
    .join("; ");
}

/** Says in words that the report is inconclusive and which checks could not run. */
function inconclusiveNote(run: CheckRun): string {
  const list = failedChecksText(run.failed);
  return `Inconclusive: ${run.failed.length === 1 ? "a check that applies" : `${run.failed.length} checks that apply`} could not run, so the findings may be incomplete and a person should review the proposal before anyone votes: ${list}.`;
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
  const proposalId = ctx.proposalId!;
  const description = describeDescription(proposal);
  const snapshot = ctx.proposalSnapshot ?? 0n;
  const onChain = snapshot > 0n && ctx.proposalState !== undefined ? { state: ctx.proposalState, snapshot: snapshot.toString() } : undefined;
  const attached = args.deployment.attached;

  const inputHash = canonicalHash({
    analyzer: ANALYZER,
    chainId,
    blockNumber: blockNumber.toString(),
    contracts: ctx.deployment.contracts,
    proposal: proposalToJson(proposal),
    proposer: args.proposer !== undefined ? getAddress(args.proposer) : null,
    // An attached DAO's flavour decides what the calls are and, for Compound, the id.
    ...(attached !== undefined ? { flavour: attached.flavour, proposalId: proposalId.toString() } : {}),
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
    notes: [...notesFor(ctx, run), ...attachedNotes(args, ctx)],
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
