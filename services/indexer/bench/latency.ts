// How the benchmarks time a query: `QUERY_WARMUP` untimed runs first (the server's first answers
// to a new query shape run code the engine has not optimised yet: the first few of the nested
// query took 40 to 63 ms where the later ones took 25 to 30), then `QUERY_RUNS` timed runs, one
// after another, and percentiles of those. The same for every server compared.

export const QUERY_RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 60);
export const QUERY_WARMUP = Number(process.env.BENCH_QUERY_WARMUP ?? 5);

/** The value at percentile `p` of `values` (nearest rank at or below). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The milliseconds of each of {@link QUERY_RUNS} runs of `ask`, after {@link QUERY_WARMUP} untimed ones. */
export async function timeRuns(ask: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < QUERY_WARMUP; i++) await ask();
  const times: number[] = [];
  for (let i = 0; i < QUERY_RUNS; i++) {
    const started = performance.now();
    await ask();
    times.push(performance.now() - started);
  }
  return times;
}
