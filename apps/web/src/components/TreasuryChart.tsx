// The treasury's balance of one asset over time, drawn with Chart.js. Loaded lazily by the treasury
// page (React.lazy), so Chart.js is its own chunk and never part of the app's first load.
import {
  Chart,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type TooltipItem,
} from "chart.js";
import { useEffect, useRef } from "react";

import { formatTimestamp } from "../lib/format.ts";

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Filler);

export interface BalancePoint {
  /** Unix seconds. */
  t: number;
  /** Balance after this point, in token units (for the axis; the label carries the exact text). */
  y: number;
  /** The balance as people read it, e.g. "997,500 dUSD". */
  balanceText: string;
  /** What changed it, e.g. "−2,500 dUSD to 0x90F7…b906 (Pay for the audit)"; absent for "now". */
  change?: string;
}

export interface TreasuryChartProps {
  points: BalancePoint[];
  /** Axis title, e.g. "dUSD". */
  unit: string;
  /** Short description for screen readers; the history table has the same data. */
  label: string;
}

function cssColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value === "" ? fallback : value;
}

/** Compact axis numbers: 1.2M, 400k, 12.5. */
function compact(value: number): string {
  return new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 2 }).format(value);
}

/** Axis dates, shorter than the tooltip's full timestamp (which has the year): "12-06 04:47". */
function axisDate(seconds: number): string {
  return formatTimestamp(Math.round(seconds)).slice(5, 16);
}

export default function TreasuryChart({ points, unit, label }: TreasuryChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    if (!canvas.current) return;
    const accent = cssColor("--accent", "#1d4ed8");
    const fg = cssColor("--muted", "#4a5161");
    const grid = cssColor("--line", "#d5d9e2");
    const span = points.length > 1 ? points.at(-1)!.t - points[0]!.t : 0;
    const config: ChartConfiguration<"line", { x: number; y: number }[]> = {
      type: "line",
      data: {
        datasets: [
          {
            label: unit,
            data: points.map((p) => ({ x: p.t, y: p.y })),
            stepped: "after",
            borderColor: accent,
            backgroundColor: `color-mix(in srgb, ${accent} 12%, transparent)`,
            fill: "origin",
            borderWidth: 2,
            pointRadius: points.map((p) => (p.change ? 3 : 0)),
            pointHoverRadius: 5,
            pointBackgroundColor: accent,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "nearest", axis: "x", intersect: false },
        layout: { padding: { right: 8 } },
        scales: {
          x: {
            type: "linear",
            // The axis spans the data exactly (no blank stretch after the last point); a single
            // movement still gets a readable hour around it.
            ...(points.length === 0 ? {} : span === 0 ? { min: points[0]!.t - 3600, max: points[0]!.t + 3600 } : { min: points[0]!.t, max: points.at(-1)!.t }),
            ticks: { color: fg, maxTicksLimit: 4, maxRotation: 0, callback: (value) => axisDate(Number(value)) },
            grid: { color: grid },
            title: { display: true, text: "date (UTC)", color: fg },
          },
          y: {
            beginAtZero: true,
            ticks: { color: fg, maxTicksLimit: 5, callback: (value) => compact(Number(value)) },
            grid: { color: grid },
            title: { display: true, text: `balance (${unit})`, color: fg },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items: TooltipItem<"line">[]) => formatTimestamp(Math.round(items[0]?.parsed.x ?? 0)),
              label: (item: TooltipItem<"line">) => `Balance: ${points[item.dataIndex]?.balanceText ?? ""}`,
              afterLabel: (item: TooltipItem<"line">) => points[item.dataIndex]?.change ?? "now",
            },
          },
        },
      },
    };
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [points, unit]);

  return (
    <div style={{ position: "relative", height: "clamp(200px, 45vw, 280px)", width: "100%" }}>
      <canvas ref={canvas} role="img" aria-label={label} data-testid="treasury-chart" />
    </div>
  );
}
