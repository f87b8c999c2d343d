import { governorAbi, proposalStateName, type ProposalStateName } from "@ai-dao/protocol";
import { GUARD_REASON_TEXT, readDecisionReport, type DecisionReport } from "@ai-dao/reports";
import { useQuery } from "@tanstack/react-query";
import { Link, createFileRoute } from "@tanstack/react-router";
import { useRef, useState, type ReactNode } from "react";
import type { Address } from "viem";

import { Actions } from "../components/Actions.tsx";
import { CancelProposal, useProposalGuardian } from "../components/CancelProposal.tsx";
import { Description } from "../components/Description.tsx";
import { Modal, refocus } from "../components/Modal.tsx";
import { VerifiedReport } from "../components/Report.tsx";
import { QueueForecast, QueuedDelay } from "../components/RiskDelay.tsx";
import { TallyChart } from "../components/TallyChart.tsx";
import { Address as AddressView, Empty, ErrorNote, Loading, RiskBadge, StateBadge } from "../components/ui.tsx";
import { useProposalDescription } from "../lib/description.ts";
import { codeChangeWords, executeCheckOf, type ExecuteCheck } from "../lib/execute-check.ts";
import { formatAmount, formatTimestamp } from "../lib/format.ts";
import { lifecycleCall, readChainState, readHasVoted, readVotesAt, voteCall, voteChoices, votesHaveReasons } from "../lib/governance.ts";
import { useBlockTime, useChainTime, useGovernorClock, useSecondsPerClockUnit } from "../lib/hooks.ts";
import { PROPOSAL_QUERY, type DecisionRow, type GovernanceTotals, type ProposalDetail } from "../lib/queries.ts";
import { readReportOf } from "../lib/report-bytes.ts";
import { RelayerRefusal, relayVote } from "../lib/relayer.ts";
import { durationInWords } from "../lib/risk-delay.ts";
import { useServices } from "../lib/services.tsx";
import { plural, proposalSafety, safetyFromDecisions, type Safety } from "../lib/safety.ts";
import { effectiveState, proposalState, quorumOf } from "../lib/state.ts";
import { simulateAndWrite } from "../lib/tx.ts";
import { useWallet } from "../lib/wallet.tsx";

export const Route = createFileRoute("/proposals/$proposalId")({
  component: ProposalPage,
});

interface ProposalAnswer extends GovernanceTotals {
  proposal: ProposalDetail | null;
}

function useAnalystReport(proposalId: string) {
  const { analyst } = useServices();
  return useQuery({ queryKey: ["analysis", proposalId], queryFn: () => analyst.report(proposalId), retry: false, refetchInterval: (q) => (q.state.data ? false : 5_000) });
}

/** Governor.state() and proposalEta(): the chain's word on what may happen next. */
function useChainState(proposalId: string) {
  const { publicClient, config } = useServices();
  return useQuery({
    queryKey: ["chain-state", proposalId],
    queryFn: async () => {
      const { state, eta } = await readChainState(publicClient, config, proposalId);
      return { state: proposalStateName(state), eta };
    },
    refetchInterval: 4_000,
  });
}

function ProposalPage() {
  const { proposalId } = Route.useParams();
  const { gql, config, publicClient } = useServices();
  // The voting window is on the Governor's clock (`clock`: timestamps, or block numbers for some
  // attached Governors); an eta is on the timelock's, always a timestamp (`time`, `blockTime`).
  const time = useChainTime();
  const blockTime = useBlockTime();
  const clock = useGovernorClock();
  const secondsPerUnit = useSecondsPerClockUnit();
  const now = clock?.now ?? null;
  const latest = clock?.latest ?? null;
  const query = useQuery({ queryKey: ["proposal", proposalId], queryFn: () => gql<ProposalAnswer>(PROPOSAL_QUERY, { id: proposalId }), refetchInterval: 4_000 });
  const proposal = query.data?.proposal;
  // quorum(snapshot) straight from the Governor: exact even if the quorum numerator changed since.
  const chainQuorum = useQuery({
    queryKey: ["quorum", proposal?.voteStart],
    enabled: proposal !== undefined && proposal !== null && latest !== null && BigInt(proposal.voteStart) < latest && config.governance.flavour !== "compound-alpha" && config.governance.flavour !== "compound-bravo",
    queryFn: () => publicClient.readContract({ address: config.contracts.governor as Address, abi: governorAbi, functionName: "quorum", args: [BigInt(proposal!.voteStart)] }),
  });
  const chain = useChainState(proposalId);
  const api = useAnalystReport(proposalId);
  const guardian = useProposalGuardian();
  const wallet = useWallet();

  if (query.error) return <ErrorNote error={query.error} title="Could not load the proposal" />;
  if (!query.data || now === null || time === null) return <Loading what="the proposal" />;
  if (!proposal) return <Empty>No proposal {proposalId} in the index (yet). A just-submitted proposal appears after the indexer sees its block.</Empty>;

  const totals = query.data;
  const quorum = chainQuorum.data ?? quorumOf(BigInt(totals.tokens[0]?.totalSupply ?? "0"), BigInt(totals.governors[0]?.quorumNumerator ?? config.governor.quorumPercent ?? 4));
  const computed = proposalState(
    {
      status: proposal.status,
      voteStart: BigInt(proposal.voteStart),
      voteEnd: BigInt(proposal.voteEnd),
      forVotes: BigInt(proposal.forVotes),
      againstVotes: BigInt(proposal.againstVotes),
      abstainVotes: BigInt(proposal.abstainVotes),
      eta: proposal.eta === null ? null : BigInt(proposal.eta),
      quorum,
      timelockStatus: proposal.timelockOperation?.status ?? null,
    },
    now,
  );
  // One source of truth: the chain's state when read; the indexer's is history and a fallback.
  const state = effectiveState(chain.data?.state, computed, { voteStart: BigInt(proposal.voteStart), blockTime: latest });
  const eta = chain.data && chain.data.eta > 0n ? chain.data.eta : proposal.eta === null ? null : BigInt(proposal.eta);
  const guards = proposal.allDecisions.filter((d) => d.kind === "EXECUTION_GUARD");
  const votingEnded = state !== "Pending" && state !== "Active";
  const indexedAnalysis = proposal.allDecisions.some((d) => d.kind === "ANALYSIS");
  // The on-chain decisions decide; the analyst API's copy stands in until the indexer has the analysis.
  const safety =
    indexedAnalysis || !api.data
      ? safetyFromDecisions(proposal.allDecisions, votingEnded)
      : proposalSafety({
          analysis: readDecisionReport("Analysis", api.data.reportJson),
          analysisDecisionId: String(api.data.decisionId),
          guards: guards.map((d) => ({ decisionId: d.decisionId, read: readReportOf(d).read })),
          votingEnded,
        });
  // Fail closed for the buttons at once; the banner waits for the analyst API so that a proposal
  // whose analysis is on its way does not flash "no analysis".
  const showBanner = safety.concerned && (indexedAnalysis || !api.isLoading);

  return (
    <article>
      <p>
        <Link to="/proposals">← Proposals</Link>
      </p>
      {showBanner && <SafetyBanner safety={safety} state={state} guardian={guardianNote(guardian, wallet.account, state)} />}
      <h1>{proposal.title || "(untitled)"}</h1>
      <p>
        <StateBadge state={state} testId="proposal-state" /> · Proposed by{" "}
        <Link to="/delegates/$address" params={{ address: proposal.proposer.id }}>
          <AddressView value={proposal.proposer.id} />
        </Link>{" "}
        · id <code>{proposal.id.slice(0, 12)}…</code>
      </p>
      <div className="grid">
        <div>
          <ProposalDescription proposal={proposal} />
          <Actions proposal={proposal} />
          <AnalysisPanel proposalId={proposal.id} decisions={proposal.allDecisions} />
          {guards.length > 0 && <GuardDecisions decisions={guards} />}
          <Votes proposal={proposal} />
        </div>
        <aside>
          <VoteBox proposal={proposal} state={state} latest={latest} />
          <QueueExecute proposal={proposal} eta={eta} state={state} now={time} blockTime={blockTime} safety={safety} />
          {config.governance.flavour === "platform" && <CancelProposal proposalId={proposal.id} title={proposal.title} proposer={proposal.proposer.id} state={state} />}
          <section className="card">
            <h2>Tally</h2>
            <TallyChart forVotes={BigInt(proposal.forVotes)} against={BigInt(proposal.againstVotes)} abstain={BigInt(proposal.abstainVotes)} quorum={quorum} symbol={config.token.symbol} decimals={config.token.decimals} />
          </section>
          <Timeline proposal={proposal} state={state} eta={eta} clock={{ now, time, secondsPerUnit, blocks: config.governance.clock === "blocknumber" }} />
          <OnChainState onChain={chain.data?.state} computed={computed} />
        </aside>
      </div>
    </article>
  );
}

/** What the banner and the confirmation tell a member to do next, by state. */
function adviceFor(safety: Safety, state: string): string {
  if (state === "Queued" && safety.codeDrift) return "Do not execute it until someone has reviewed the changed code. Execute asks you to confirm.";
  if (state === "Succeeded" || state === "Queued") return "Read the findings below before anything else. Queue and Execute ask you to confirm that you have.";
  if (state === "Active" || state === "Pending") return "Read the analysis below before you vote.";
  return "Read the analysis below.";
}

/** Who can still stop a proposal that is waiting to be queued or executed: the connected guardian, or the guardian in general. */
function guardianNote(guardian: string | null, account: string | null, state: string): "you" | "someone" | null {
  if (state !== "Succeeded" && state !== "Queued") return null;
  if (guardian === null || /^0x0{40}$/i.test(guardian)) return null;
  return account !== null && account.toLowerCase() === guardian.toLowerCase() ? "you" : "someone";
}

/** The proposal's concerns, first on the page, in plain words. */
function SafetyBanner({ safety, state, guardian }: { safety: Safety; state: string; guardian: "you" | "someone" | null }) {
  return (
    <div role="alert" className="safety-banner" data-testid="safety-banner" aria-labelledby="safety-headline">
      <p className="safety-headline" id="safety-headline">
        <span aria-hidden="true">⚠ </span>
        <strong>Warning: {safety.headline}.</strong>
      </p>
      <SafetyDetails safety={safety} />
      <p>
        {adviceFor(safety, state)} <a href="#analysis-heading">Read the analysis</a>
      </p>
      {guardian === "you" && (
        <p data-testid="guardian-advice">
          <strong>You are the proposal guardian:</strong> you can cancel this proposal before it is executed. <a href="#cancel-proposal">Cancel proposal</a>
        </p>
      )}
      {guardian === "someone" && <p data-testid="guardian-advice">The proposal guardian can still cancel it before it is executed.</p>}
    </div>
  );
}

const severityWords = { critical: "Critical", high: "High risk" } as const;

function SafetyDetails({ safety, maxFindings = 6 }: { safety: Safety; maxFindings?: number }) {
  const shown = safety.findings.slice(0, maxFindings);
  return (
    <>
      {(safety.guards.length > 0 || safety.analysisProblems.length > 0) && (
        <ul className="safety-reasons">
          {safety.guards.map((g) => (
            <li key={g.decisionId} data-testid="safety-guard">
              {g.text}
            </li>
          ))}
          {safety.analysisProblems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {shown.length > 0 && (
        <>
          <p className="safety-findings-label">{plural(safety.findings.length, "finding")} to read:</p>
          <ul className="safety-findings">
            {shown.map((f, i) => (
              <li key={i} data-testid="safety-finding">
                <strong>{severityWords[f.severity]}:</strong> {f.title}
              </li>
            ))}
            {safety.findings.length > shown.length && <li>and {safety.findings.length - shown.length} more in the analysis below</li>}
          </ul>
        </>
      )}
    </>
  );
}

/** The description from the exact bytes the Governor emitted, with every warning. */
function ProposalDescription({ proposal }: { proposal: ProposalDetail }) {
  const description = useProposalDescription(proposal);
  if (description === undefined) return <Loading what="the description" />;
  const note =
    description.source === "indexer" ? (
      <p className="muted" data-testid="description-source">Could not read this description from the chain; showing the indexer's copy.</p>
    ) : description.differsFromIndexer ? (
      <p className="muted" data-testid="description-source">The indexer's copy of this description differs from the one on chain; this is the chain's.</p>
    ) : undefined;
  return <Description text={description.text} invalidSequences={description.invalidSequences} note={note} />;
}

function OnChainState({ onChain, computed }: { onChain: ProposalStateName | undefined; computed: ProposalStateName }) {
  if (onChain === undefined) return null;
  return (
    <p className="muted">
      State on chain: <span data-testid="onchain-state">{onChain}</span>
      {onChain !== computed && ` (the history still says ${computed}; the chain's state is shown)`}
    </p>
  );
}

/** The Governor's clock now, the chain's time, and for a block-number clock its seconds per block. */
interface TimelineClock {
  now: bigint;
  time: bigint;
  secondsPerUnit: number;
  blocks: boolean;
}

function Timeline({ proposal, state, eta, clock }: { proposal: ProposalDetail; state: ProposalStateName; eta: bigint | null; clock: TimelineClock }) {
  const { now, time } = clock;
  // A point of the voting window: a timestamp, or for a block-number clock its block and the time
  // it is expected at (from the chain's average block time).
  const windowPoint = (label: string, at: string) => {
    const value = BigInt(at);
    const done = value < now;
    if (!clock.blocks) return { label, at, done, block: null };
    const expected = time + BigInt(Math.round(Number(value - now) * clock.secondsPerUnit));
    return { label, at: String(expected), done, block: value };
  };
  const items: { label: string; at: string; done: boolean; block: bigint | null }[] = [
    { label: "Created", at: proposal.createdTimestamp, done: true, block: null },
    windowPoint("Voting starts", proposal.voteStart),
    ...proposal.extensions.map((e) => ({ label: "Deadline extended (late quorum)", at: e.timestamp, done: true, block: null })),
    windowPoint(proposal.extended ? "Voting ends (extended)" : "Voting ends", proposal.voteEnd),
    ...proposal.stateChanges.filter((c) => c.status !== "CREATED").map((c) => ({ label: c.status[0] + c.status.slice(1).toLowerCase(), at: c.timestamp, done: true, block: null })),
  ];
  if (eta !== null && state === "Queued") items.push({ label: "Executable from", at: String(eta), done: eta <= time, block: null });
  return (
    <section className="card">
      <h2>Timeline</h2>
      <ol className="timeline">
        {items.map((item, i) => (
          <li key={i} className={item.done ? "" : "muted"}>
            <strong>{item.label}</strong>
            <br />
            {item.block !== null && <>Block {item.block.toLocaleString("en-US")}</>}
            {/* A past block's time is not estimated (blocks may have come faster or slower); a coming one's is. */}
            {item.block !== null && !item.done && <>, about </>}
            {(item.block === null || !item.done) && <time>{formatTimestamp(item.at)}</time>}
            {!item.done && ` (in ${item.block !== null ? "about " : ""}${durationInWords(BigInt(item.at) - time)})`}
          </li>
        ))}
      </ol>
    </section>
  );
}

function AnalysisPanel({ proposalId, decisions }: { proposalId: string; decisions: DecisionRow[] }) {
  const api = useAnalystReport(proposalId);
  // Without the analyst API, the latest ANALYSIS decision the indexer holds (the same bytes).
  const indexed = [...decisions].reverse().find((d) => d.kind === "ANALYSIS");
  // Read through @ai-dao/reports from the exact JSON, never from the API's parsed copy.
  let source: { read: DecisionReport; reportJson: string; reportHash: string; decisionId: string } | null = null;
  if (api.data) source = { read: readDecisionReport("Analysis", api.data.reportJson), reportJson: api.data.reportJson, reportHash: api.data.reportHash, decisionId: String(api.data.decisionId) };
  else if (indexed) {
    const { read, json } = readReportOf(indexed);
    source = { read, reportJson: json, reportHash: indexed.reportHash, decisionId: indexed.decisionId };
  }
  return (
    <section className="card" aria-labelledby="analysis-heading" data-testid="analysis-panel">
      <h2 id="analysis-heading">Analysis</h2>
      {source ? (
        <>
          <p className="muted">
            Published on chain by the analyst; every decision on this proposal is in the{" "}
            <Link to="/decisions" search={{ proposal: proposalId }}>
              decision log
            </Link>
            .
          </p>
          <VerifiedReport read={source.read} reportJson={source.reportJson} proposalId={proposalId} decisionId={source.decisionId} storedHash={source.reportHash} />
        </>
      ) : api.isLoading ? (
        <Loading what="the analysis" />
      ) : (
        <Empty>No analysis published for this proposal yet{api.error ? ` (${(api.error as Error).message})` : ""}.</Empty>
      )}
    </section>
  );
}

function GuardDecisions({ decisions }: { decisions: DecisionRow[] }) {
  return (
    <section className="card">
      <h2>Executor guard decisions</h2>
      <ul>
        {decisions.map((d) => {
          const { read, json } = readReportOf(d);
          const guard = read.kind === "execution-guard" ? read.report : null;
          return (
            <li key={d.id} data-testid="guard-decision">
              #{d.decisionId} {formatTimestamp(d.timestamp)}:{" "}
              {guard ? (
                <>
                  <strong>
                    {guard.decision === "refuse" ? "refused to" : "holding before it may"} {guard.action}
                  </strong>{" "}
                  because {GUARD_REASON_TEXT[guard.reason]} · <RiskBadge risk={d.risk} /> — <span className="muted">{guard.summary}</span>
                </>
              ) : (
                <>
                  <strong className="bad">unreadable report</strong> ({read.kind === "unreadable" ? read.reason : read.kind}) · <RiskBadge risk={d.risk} />
                </>
              )}
              <details>
                <summary>Report</summary>
                <VerifiedReport read={read} reportJson={json} proposalId={d.proposalId} decisionId={d.decisionId} storedHash={d.reportHash} />
              </details>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

const choiceName = ["Against", "For", "Abstain"];

function Votes({ proposal }: { proposal: ProposalDetail }) {
  const { config } = useServices();
  return (
    <section className="card">
      <h2>Votes ({proposal.votes.length})</h2>
      {proposal.votes.length === 0 ? (
        <Empty>No votes yet.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Voter</th>
              <th scope="col">Vote</th>
              <th scope="col">Weight</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {proposal.votes.map((v) => (
              <tr key={v.id} data-testid="vote-row">
                <td>
                  <Link to="/delegates/$address" params={{ address: v.voter.id }}>
                    <AddressView value={v.voter.id} />
                  </Link>
                </td>
                <td>{choiceName[v.support]}</td>
                <td>
                  {formatAmount(v.weight)} {config.token.symbol}
                </td>
                <td>{v.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function VoteBox({ proposal, state, latest }: { proposal: ProposalDetail; state: ProposalStateName; latest: bigint | null }) {
  const wallet = useWallet();
  const { publicClient, config } = useServices();
  const [support, setSupport] = useState<number | null>(null);
  const [reason, setReason] = useState("");
  const [sent, setSent] = useState<{ account: string; support: number } | null>(null);
  const [sending, setSending] = useState(false);
  /** Why the relayer did not send the last gasless vote (the member may send it themselves). */
  const [refusal, setRefusal] = useState<string | null>(null);
  const account = wallet.account;
  const snapshot = BigInt(proposal.voteStart);
  const hasVoted = useQuery({
    queryKey: ["has-voted", proposal.id, account],
    enabled: account !== null,
    queryFn: () => readHasVoted(publicClient, config, proposal.id, account!),
    refetchInterval: 5_000,
  });
  // The weight a vote carries: the account's votes at the snapshot (a past timepoint is required).
  const power = useQuery({
    queryKey: ["votes-at", account, proposal.voteStart],
    enabled: account !== null && latest !== null && snapshot < latest,
    queryFn: () => readVotesAt(publicClient, config, account!, snapshot),
  });
  const mine = account === null ? undefined : proposal.votes.find((v) => v.voter.id.toLowerCase() === account.toLowerCase());
  const justSent = sent !== null && account !== null && sent.account === account;
  const voted = mine !== undefined || hasVoted.data === true || justSent;
  if (state !== "Active" && !voted) return null;

  const symbol = config.token.symbol;
  // The relayer sponsors the platform's own Governor only.
  const relayerUrl = config.governance.flavour === "platform" ? config.relayerUrl : undefined;
  const withReason = votesHaveReasons(config);
  const submit = async (gasless: boolean) => {
    if (support === null || account === null) return;
    setSending(true);
    setRefusal(null);
    const ok = await wallet.run(`Vote ${choiceName[support]}${gasless ? " without gas" : ""}`, async (client, from) => {
      if (!gasless || relayerUrl === undefined) {
        return simulateAndWrite(publicClient, client, from, voteCall(config, proposal.id, support, withReason ? reason : ""));
      }
      try {
        return await relayVote(
          { publicClient, wallet: client, account: from, relayerUrl, chainId: config.chainId, governor: config.contracts.governor as Address },
          { proposalId: BigInt(proposal.id), support, reason },
        );
      } catch (error) {
        if (error instanceof RelayerRefusal) setRefusal(error.message);
        throw error;
      }
    });
    setSending(false);
    if (ok) {
      setSent({ account, support });
      setSupport(null);
      setReason("");
    }
  };
  const votedSupport = mine?.support ?? (justSent ? sent.support : null);
  const votedWeight = mine ? BigInt(mine.weight) : power.data;
  return (
    <section className="card" aria-labelledby="vote-heading">
      <h2 id="vote-heading">{voted ? "Your vote" : "Cast your vote"}</h2>
      {voted && (
        <p role="status" data-testid="your-vote">
          {votedSupport === null ? "You have voted on this proposal." : `You voted ${choiceName[votedSupport]}${votedWeight === undefined ? "" : ` with ${formatAmount(votedWeight, config.token.decimals)} ${symbol}`}.`}
        </p>
      )}
      {account !== null && power.data !== undefined && !voted && (
        <p data-testid="voting-power">
          {power.data === 0n
            ? "You had no voting power when voting started; delegate to yourself before the next proposal."
            : `Your voting power for this proposal: ${formatAmount(power.data, config.token.decimals)} ${symbol} (your votes when voting started).`}
        </p>
      )}
      {state === "Active" && (
        <>
          <fieldset disabled={voted || sending}>
            <legend>Your vote</legend>
            {voteChoices(config).map((s) => (
              <label key={s} style={{ display: "block" }}>
                <input type="radio" name="support" value={s} checked={support === s} onChange={() => setSupport(s)} /> {choiceName[s]}
              </label>
            ))}
          </fieldset>
          {withReason && (
            <label>
              Reason (optional)
              <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} disabled={voted || sending} />
            </label>
          )}
          {relayerUrl === undefined ? (
            <button type="button" className="primary" disabled={support === null || !account || voted || sending} onClick={() => void submit(false)}>
              Submit vote
            </button>
          ) : (
            <>
              <p className="muted" data-testid="gasless-note">
                Voting without gas: your wallet asks you to sign a message, not to send a transaction, so you pay no fee. The DAO&apos;s relayer
                sends it for you, and the vote counts as yours.
              </p>
              <div className="button-row">
                <button type="button" className="primary" disabled={support === null || !account || voted || sending} onClick={() => void submit(true)}>
                  Vote without gas
                </button>
                <button type="button" disabled={support === null || !account || voted || sending} onClick={() => void submit(false)}>
                  Send as a transaction (you pay the fee)
                </button>
              </div>
            </>
          )}
          {refusal !== null && !voted && (
            <div role="alert" className="note" data-testid="relay-refused">
              <p>The relayer did not send your vote: {refusal}</p>
              <button type="button" disabled={support === null || sending} onClick={() => void submit(false)}>
                Send it myself
              </button>
            </div>
          )}
        </>
      )}
      {!account && <p className="muted">Connect a wallet to vote.</p>}
    </section>
  );
}

/**
 * Whether the Governor would execute the proposal now: `execute` simulated against the pending block
 * (the one a transaction would be mined in), checked again at each new block.
 */
function useExecuteCheck(proposal: ProposalDetail, enabled: boolean, blockTime: bigint | null) {
  const { publicClient, config } = useServices();
  const wallet = useWallet();
  return useQuery({
    queryKey: ["execute-check", proposal.id, blockTime?.toString(), wallet.account],
    enabled,
    queryFn: async (): Promise<ExecuteCheck> => {
      try {
        await publicClient.simulateContract({
          ...lifecycleCall(config, "execute", proposal),
          ...(wallet.account ? { account: wallet.account } : {}),
          blockTag: "pending",
        } as never);
        return executeCheckOf(null);
      } catch (error) {
        return executeCheckOf(error);
      }
    },
    retry: false,
    refetchInterval: 10_000,
  });
}

function QueueExecute({ proposal, eta, state, now, blockTime, safety }: { proposal: ProposalDetail; eta: bigint | null; state: ProposalStateName; now: bigint; blockTime: bigint | null; safety: Safety }) {
  const proposalId = proposal.id;
  const wallet = useWallet();
  const { publicClient, config } = useServices();
  const [confirming, setConfirming] = useState<"queue" | "execute" | null>(null);
  const opener = useRef<HTMLButtonElement | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // The chain's clock decides: the latest block must have reached the eta before the timelock runs it.
  const ready = state === "Queued" && eta !== null && eta <= now;
  const check = useExecuteCheck(proposal, ready, blockTime);
  const riskTiers = config.governance.riskTiers;
  const executeValue = (() => {
    try {
      return lifecycleCall(config, "execute", proposal).value ?? 0n;
    } catch {
      return 0n;
    }
  })();
  if (state !== "Succeeded" && state !== "Queued") return null;
  const codeChanged = check.data?.kind === "code-changed" ? check.data : null;
  const send = (functionName: "queue" | "execute") =>
    void wallet.run(functionName === "queue" ? "Queue" : "Execute", (client, account) =>
      simulateAndWrite(publicClient, client, account, lifecycleCall(config, functionName, proposal)),
    );
  // With a concern, the button opens the confirmation instead of sending at once.
  const click = (action: "queue" | "execute", button: HTMLButtonElement) => {
    if (!safety.concerned) return send(action);
    opener.current = button;
    setConfirming(action);
  };
  const close = () => {
    setConfirming(null);
    // Back to the button that opened the dialog, or to this card when that button is gone (the proposal moved on).
    refocus(opener.current, heading.current);
  };
  const buttonClass = safety.concerned ? "danger" : "primary";
  return (
    <section className="card" aria-labelledby="next-step-heading">
      <h2 id="next-step-heading" ref={heading} tabIndex={-1}>
        Next step
      </h2>
      {safety.concerned && !codeChanged && (state === "Succeeded" || ready) && (
        <p className="safety-note" data-testid="next-step-warning">
          <span aria-hidden="true">⚠ </span>This proposal has warnings (at the top of the page). You will be asked to confirm that you have read them.
        </p>
      )}
      {state === "Succeeded" && (
        <>
          {riskTiers && <QueueForecast proposalId={proposalId} blockTime={blockTime} />}
          <button type="button" className={buttonClass} disabled={!wallet.account} onClick={(e) => click("queue", e.currentTarget)}>
            Queue
          </button>
        </>
      )}
      {state === "Queued" && (
        <>
          {riskTiers && <QueuedDelay proposalId={proposalId} eta={eta} now={now} />}
          {codeChanged ? (
            <div className="safety-note" role="alert" data-testid="code-changed">
              <p>
                <span aria-hidden="true">⚠ </span>
                <strong>The Governor will refuse to execute this proposal:</strong> the code at <AddressView value={codeChanged.target} /> changed since the vote.
              </p>
              <p>{codeChangeWords(codeChanged)} What members voted on is no longer what would run, so it can never be executed; it can only be canceled.</p>
            </div>
          ) : (
            ready && (
              <>
                {check.data?.kind === "refused" && (
                  <p className="safety-note" data-testid="execute-would-fail">
                    <span aria-hidden="true">⚠ </span>Executing it now would fail: {check.data.message}
                  </p>
                )}
                {executeValue > 0n && (
                  <p className="note" data-testid="execute-sends-eth">
                    Executing sends {formatAmount(executeValue, 18)} ETH from your own account: this Governor takes the ETH a proposal pays
                    from whoever executes it, not from the treasury.
                  </p>
                )}
                <button type="button" className={buttonClass} disabled={!wallet.account} onClick={(e) => click("execute", e.currentTarget)}>
                  Execute
                </button>
              </>
            )
          )}
        </>
      )}
      {!wallet.account && !codeChanged && (state === "Succeeded" || ready) && <p className="muted">Connect a wallet to send the transaction.</p>}
      {confirming !== null && (
        <ConfirmDialog
          action={confirming}
          forecast={confirming === "queue" && riskTiers ? <QueueForecast proposalId={proposalId} blockTime={blockTime} compact /> : null}
          safety={safety}
          onCancel={close}
          onConfirm={() => {
            const action = confirming;
            close();
            send(action);
          }}
        />
      )}
    </section>
  );
}

/**
 * Asks a member to confirm Queue/Execute of a proposal with concerns: a modal <dialog> naming the
 * findings and the executor's reasons; the confirm button stays disabled until the box is ticked.
 * Escape (the dialog's cancel event) and Cancel send nothing.
 */
function ConfirmDialog({ action, safety, forecast, onConfirm, onCancel }: { action: "queue" | "execute"; safety: Safety; forecast: ReactNode; onConfirm(): void; onCancel(): void }) {
  const [ticked, setTicked] = useState(false);
  const verb = action === "queue" ? "Queue" : "Execute";
  return (
    <Modal headingId="confirm-heading" heading={`${verb} this proposal despite the warnings?`} describedBy="confirm-headline" testId="confirm-dialog" onCancel={onCancel}>
      <p id="confirm-headline">
        <span aria-hidden="true">⚠ </span>
        <strong>{safety.headline}.</strong>
      </p>
      <SafetyDetails safety={safety} maxFindings={12} />
      {forecast}
      {safety.codeDrift && action === "execute" && <p>Executing now would run contract code that nobody reviewed when they voted.</p>}
      <label className="confirm-check">
        <input type="checkbox" checked={ticked} onChange={(e) => setTicked(e.target.checked)} /> I have read these findings and still want to {action}
      </label>
      <div className="dialog-buttons">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="danger" disabled={!ticked} onClick={onConfirm}>
          {verb} anyway
        </button>
      </div>
    </Modal>
  );
}
