// The wait a proposal's risk earns between queueing and execution, read from the Governor
// (GovernorRiskDelay): what queueing now would give, then what it got, why, and when it may run.
import { decisionLogAbi, DecisionKind, governorAbi, timelockAbi } from "@ai-dao/protocol";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";

import { formatTimestamp } from "../lib/format.ts";
import { durationInWords, forecastSentence, queuedSentence, tierLines, type DelayBasis, type RiskTier } from "../lib/risk-delay.ts";
import { useServices } from "../lib/services.tsx";

/** The Governor's risk levels and the timelock's minimum delay (both change only by a governance vote). */
function useRiskLevels() {
  const { publicClient, config } = useServices();
  return useQuery({
    queryKey: ["risk-levels"],
    queryFn: async () => {
      const [tiers, minDelay] = await Promise.all([
        publicClient.readContract({ address: config.contracts.governor as Address, abi: governorAbi, functionName: "riskTiers" }),
        publicClient.readContract({ address: config.contracts.timelock as Address, abi: timelockAbi, functionName: "getMinDelay" }),
      ]);
      return { tiers: tiers.map((t): RiskTier => ({ minRisk: Number(t.minRisk), delay: Number(t.delay) })), minDelay: Number(minDelay) };
    },
    staleTime: 60_000,
    retry: 1,
  });
}

/** What queueing now would give: the latest analysis' risk as the DecisionLog holds it (what `queue` reads), through `riskDelayFor`. */
function useForecast(proposalId: string, blockTime: bigint | null) {
  const { publicClient, config } = useServices();
  return useQuery({
    queryKey: ["risk-forecast", proposalId, blockTime?.toString()],
    queryFn: async (): Promise<DelayBasis> => {
      const [analysed, risk] = await publicClient.readContract({ address: config.contracts.decisionLog as Address, abi: decisionLogAbi, functionName: "latestRisk", args: [BigInt(proposalId), DecisionKind.Analysis] });
      const capped = Math.min(Number(risk), 100);
      const [tier, delay] = await publicClient.readContract({ address: config.contracts.governor as Address, abi: governorAbi, functionName: "riskDelayFor", args: [analysed, capped] });
      return { analysed, risk: analysed ? capped : 0, tier: Number(tier), delay: Number(delay) };
    },
    refetchInterval: 5_000,
    retry: 1,
  });
}

/** The wait a queued proposal got, as the Governor recorded it. */
function useQueuedDelay(proposalId: string) {
  const { publicClient, config } = useServices();
  return useQuery({
    queryKey: ["risk-delay", proposalId],
    queryFn: async () => {
      const r = await publicClient.readContract({ address: config.contracts.governor as Address, abi: governorAbi, functionName: "proposalRiskDelay", args: [BigInt(proposalId)] });
      return r.queued ? ({ delay: Number(r.delay), tier: Number(r.tier), risk: Number(r.risk), analysed: r.analysed } satisfies DelayBasis) : null;
    },
    retry: 1,
  });
}

function Levels({ tiers, minDelay }: { tiers: readonly RiskTier[]; minDelay: number }) {
  return (
    <details className="risk-levels">
      <summary>How the wait is chosen</summary>
      <p className="muted">The riskier the latest analysis, the longer members have to read it and, if needed, cancel the proposal before it runs.</p>
      <ul>
        {tierLines(tiers, minDelay).map((l) => (
          <li key={l.label}>
            {l.label}: {l.wait}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** Before queueing: how long it would wait if queued now, and why. */
export function QueueForecast({ proposalId, blockTime, compact = false }: { proposalId: string; blockTime: bigint | null; compact?: boolean }) {
  const levels = useRiskLevels();
  const forecast = useForecast(proposalId, blockTime);
  if (!levels.data || !forecast.data) return null;
  return (
    <div className="risk-delay" data-testid={compact ? "risk-delay-forecast" : "risk-delay"}>
      <p>{forecastSentence(forecast.data, levels.data.tiers)}</p>
      {!compact && <Levels {...levels.data} />}
    </div>
  );
}

/** After queueing: the wait it got and why, and a countdown to when it can be executed. */
export function QueuedDelay({ proposalId, eta, now }: { proposalId: string; eta: bigint | null; now: bigint }) {
  const levels = useRiskLevels();
  const got = useQueuedDelay(proposalId);
  const left = eta === null ? null : eta - now;
  return (
    <div className="risk-delay" data-testid="risk-delay">
      {got.data && levels.data && <p>{queuedSentence(got.data, levels.data.tiers)}</p>}
      {eta !== null && left !== null && left > 0n && (
        <p data-testid="execute-countdown">
          <strong>Can be executed in {durationInWords(left)}</strong> <span className="muted">(from {formatTimestamp(eta)}).</span>
        </p>
      )}
      {levels.data && <Levels {...levels.data} />}
    </div>
  );
}
