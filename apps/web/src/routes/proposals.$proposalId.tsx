import { governorAbi, proposalStateName, type ProposalStateName } from "@ai-dao/protocol";
import { GUARD_REASON_TEXT, readDecisionReport, type DecisionReport } from "@ai-dao/reports";
import { useQuery } from "@tanstack/react-query";
import { Link, createFileRoute } from "@tanstack/react-router";
import { useState } from "react";
import { hexToString, type Address } from "viem";

import { Actions } from "../components/Actions.tsx";
import { Description } from "../components/Description.tsx";
import { VerifiedReport } from "../components/Report.tsx";
import { TallyChart } from "../components/TallyChart.tsx";
import { Address as AddressView, Empty, ErrorNote, Loading, RiskBadge, StateBadge } from "../components/ui.tsx";
import { useProposalDescription } from "../lib/description.ts";
import { formatAmount, formatDuration, formatTimestamp } from "../lib/format.ts";
import { useChainTime } from "../lib/hooks.ts";
import { PROPOSAL_QUERY, type DecisionRow, type GovernanceTotals, type ProposalDetail } from "../lib/queries.ts";
import { useServices } from "../lib/services.tsx";
import { proposalState, quorumOf } from "../lib/state.ts";
import { simulateAndWrite } from "../lib/tx.ts";
import { useWallet } from "../lib/wallet.tsx";

export const Route = createFileRoute("/proposals/$proposalId")({
  component: ProposalPage,
});

interface ProposalAnswer extends GovernanceTotals {
  proposal: ProposalDetail | null;
}

function ProposalPage() {
  const { proposalId } = Route.useParams();
  const { gql, config, publicClient } = useServices();
  const now = useChainTime();
  const query = useQuery({ queryKey: ["proposal", proposalId], queryFn: () => gql<ProposalAnswer>(PROPOSAL_QUERY, { id: proposalId }), refetchInterval: 5_000 });
  const proposal = query.data?.proposal;
  // quorum(snapshot) straight from the Governor: exact even if the quorum numerator changed since.
  const chainQuorum = useQuery({
    queryKey: ["quorum", proposal?.voteStart],
    enabled: proposal !== undefined && proposal !== null && now !== null && BigInt(proposal.voteStart) < now,
    queryFn: () => publicClient.readContract({ address: config.contracts.governor as Address, abi: governorAbi, functionName: "quorum", args: [BigInt(proposal!.voteStart)] }),
  });

  if (query.error) return <ErrorNote error={query.error} title="Could not load the proposal" />;
  if (!query.data || now === null) return <Loading what="the proposal" />;
  if (!proposal) return <Empty>No proposal {proposalId} in the index (yet). A just-submitted proposal appears after the indexer sees its block.</Empty>;

  const totals = query.data;
  const quorum = chainQuorum.data ?? quorumOf(BigInt(totals.tokens[0]?.totalSupply ?? "0"), BigInt(totals.governors[0]?.quorumNumerator ?? config.governor.quorumPercent ?? 4));
  const state = proposalState(
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
  const guards = proposal.allDecisions.filter((d) => d.kind === "EXECUTION_GUARD");

  return (
    <article>
      <p>
        <Link to="/proposals">← Proposals</Link>
      </p>
      <h1>{proposal.title || "(untitled)"}</h1>
      <p>
        <StateBadge state={state} /> <span data-testid="proposal-state">{state}</span> · proposed by <Link to="/delegates/$address" params={{ address: proposal.proposer.id }}><AddressView value={proposal.proposer.id} /></Link> · id <code>{proposal.id.slice(0, 12)}…</code>
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
          <VoteBox proposalId={proposal.id} state={state} />
          <QueueExecute proposal={proposal} state={state} now={now} />
          <section className="card">
            <h2>Tally</h2>
            <TallyChart forVotes={BigInt(proposal.forVotes)} against={BigInt(proposal.againstVotes)} abstain={BigInt(proposal.abstainVotes)} quorum={quorum} symbol={config.token.symbol} />
          </section>
          <Timeline proposal={proposal} state={state} now={now} />
          <OnChainState proposalId={proposal.id} computed={state} />
        </aside>
      </div>
    </article>
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

function OnChainState({ proposalId, computed }: { proposalId: string; computed: ProposalStateName }) {
  const { publicClient, config } = useServices();
  const query = useQuery({
    queryKey: ["chain-state", proposalId],
    queryFn: () => publicClient.readContract({ address: config.contracts.governor as Address, abi: governorAbi, functionName: "state", args: [BigInt(proposalId)] }),
    refetchInterval: 5_000,
  });
  if (query.data === undefined) return null;
  const onChain = proposalStateName(query.data);
  return (
    <p className="muted">
      Governor.state(): <span data-testid="onchain-state">{onChain}</span>
      {onChain !== computed && " (the indexer has not caught up yet)"}
    </p>
  );
}

function Timeline({ proposal, state, now }: { proposal: ProposalDetail; state: ProposalStateName; now: bigint }) {
  const items: { label: string; at: string; done: boolean }[] = [
    { label: "Created", at: proposal.createdTimestamp, done: true },
    { label: "Voting starts", at: proposal.voteStart, done: BigInt(proposal.voteStart) < now },
    ...proposal.extensions.map((e) => ({ label: "Deadline extended (late quorum)", at: e.timestamp, done: true })),
    { label: proposal.extended ? "Voting ends (extended)" : "Voting ends", at: proposal.voteEnd, done: BigInt(proposal.voteEnd) < now },
    ...proposal.stateChanges.filter((c) => c.status !== "CREATED").map((c) => ({ label: c.status[0] + c.status.slice(1).toLowerCase(), at: c.timestamp, done: true })),
  ];
  if (proposal.eta && state === "Queued") items.push({ label: "Executable from", at: proposal.eta, done: BigInt(proposal.eta) <= now });
  return (
    <section className="card">
      <h2>Timeline</h2>
      <ol className="timeline">
        {items.map((item, i) => (
          <li key={i} className={item.done ? "" : "muted"}>
            <strong>{item.label}</strong>
            <br />
            <time>{formatTimestamp(item.at)}</time>
            {!item.done && ` (in ${formatDuration(BigInt(item.at) - now)})`}
          </li>
        ))}
      </ol>
    </section>
  );
}

function AnalysisPanel({ proposalId, decisions }: { proposalId: string; decisions: DecisionRow[] }) {
  const { analyst } = useServices();
  const api = useQuery({ queryKey: ["analysis", proposalId], queryFn: () => analyst.report(proposalId), retry: false, refetchInterval: (q) => (q.state.data ? false : 5_000) });
  // Without the analyst API, the latest ANALYSIS decision the indexer holds (the same bytes).
  const indexed = [...decisions].reverse().find((d) => d.kind === "ANALYSIS");
  // Read through @ai-dao/reports from the exact JSON, never from the API's parsed copy.
  let source: { read: DecisionReport; reportJson: string; reportHash: string; decisionId: string; from: string } | null = null;
  if (api.data) source = { read: readDecisionReport("Analysis", api.data.reportJson), reportJson: api.data.reportJson, reportHash: api.data.reportHash, decisionId: String(api.data.decisionId), from: "analyst API" };
  else if (indexed) {
    const read = readDecisionReport(indexed.kind, indexed.report);
    source = { read, reportJson: read.json ?? hexToString(indexed.report as `0x${string}`), reportHash: indexed.reportHash, decisionId: indexed.decisionId, from: "indexer" };
  }
  return (
    <section className="card" aria-labelledby="analysis-heading" data-testid="analysis-panel">
      <h2 id="analysis-heading">Analysis</h2>
      {source ? (
        <>
          <p className="muted">
            Decision #{source.decisionId}, from the {source.from}.
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
          const read = readDecisionReport(d.kind, d.report);
          const json = read.json ?? hexToString(d.report as `0x${string}`);
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

function VoteBox({ proposalId, state }: { proposalId: string; state: ProposalStateName }) {
  const wallet = useWallet();
  const { publicClient, config } = useServices();
  const [support, setSupport] = useState<number | null>(null);
  const [reason, setReason] = useState("");
  if (state !== "Active") return null;
  const submit = () => {
    if (support === null) return;
    void wallet.run(`Vote ${choiceName[support]}`, (client, account) =>
      simulateAndWrite(publicClient, client, account, {
        address: config.contracts.governor as Address,
        abi: governorAbi,
        functionName: "castVoteWithReason",
        args: [BigInt(proposalId), support, reason],
      }),
    );
  };
  return (
    <section className="card" aria-labelledby="vote-heading">
      <h2 id="vote-heading">Cast your vote</h2>
      <fieldset>
        <legend>Your vote</legend>
        {[1, 0, 2].map((s) => (
          <label key={s} style={{ display: "block" }}>
            <input type="radio" name="support" value={s} checked={support === s} onChange={() => setSupport(s)} /> {choiceName[s]}
          </label>
        ))}
      </fieldset>
      <label>
        Reason (optional)
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} />
      </label>
      <button type="button" className="primary" disabled={support === null || !wallet.account} onClick={submit}>
        Submit vote
      </button>
      {!wallet.account && <p className="muted">Connect a wallet to vote.</p>}
    </section>
  );
}

function QueueExecute({ proposal, state, now }: { proposal: ProposalDetail; state: ProposalStateName; now: bigint }) {
  const wallet = useWallet();
  const { publicClient, config } = useServices();
  if (state !== "Succeeded" && state !== "Queued") return null;
  const ready = state === "Queued" && proposal.eta !== null && BigInt(proposal.eta) <= now;
  const send = (functionName: "queue" | "execute") =>
    void wallet.run(functionName === "queue" ? "Queue" : "Execute", (client, account) =>
      simulateAndWrite(publicClient, client, account, {
        address: config.contracts.governor as Address,
        abi: governorAbi,
        functionName,
        args: [BigInt(proposal.id)],
      }),
    );
  return (
    <section className="card">
      <h2>Next step</h2>
      {state === "Succeeded" && (
        <button type="button" className="primary" disabled={!wallet.account} onClick={() => send("queue")}>
          Queue
        </button>
      )}
      {state === "Queued" && (
        <>
          <button type="button" className="primary" disabled={!wallet.account || !ready} onClick={() => send("execute")}>
            Execute
          </button>
          {!ready && proposal.eta && <p className="muted">Executable in {formatDuration(BigInt(proposal.eta) - now)}.</p>}
        </>
      )}
      {!wallet.account && <p className="muted">Connect a wallet to send the transaction.</p>}
    </section>
  );
}
