import { formatAmount } from "../lib/format.ts";

/**
 * Quorum as votes against the line, in token units: "Quorum: 37,500 of 40,000 DEMO (for + abstain)"
 * or "Quorum reached: 400,000 DEMO of 40,000 needed" (a percentage such as "1000% reached" says little).
 */
export function quorumText(counted: bigint, quorum: bigint, symbol: string, decimals = 18, maxFraction = 4): string {
  const votes = formatAmount(counted, decimals, maxFraction);
  const needed = formatAmount(quorum, decimals, maxFraction);
  return counted >= quorum ? `Quorum reached: ${votes} ${symbol} of ${needed} needed` : `Quorum: ${votes} of ${needed} ${symbol} (for + abstain)`;
}

/** For / Against / Abstain bars against the quorum line (for + abstain count toward quorum). Plain SVG: no chart library needed. */
export function TallyChart({ forVotes, against, abstain, quorum, symbol, decimals = 18 }: { forVotes: bigint; against: bigint; abstain: bigint; quorum: bigint; symbol: string; decimals?: number }) {
  const max = [forVotes + abstain, against, quorum].reduce((a, b) => (b > a ? b : a), 1n);
  const width = 320;
  // Each bar is named on its left, so the chart reads without the legend.
  const labelWidth = 64;
  const scale = (v: bigint) => labelWidth + (Number((v * 10_000n) / max) / 10_000) * (width - labelWidth - 10);
  const rows = [
    { label: "For", value: forVotes, color: "var(--for)" },
    { label: "Against", value: against, color: "var(--against)" },
    { label: "Abstain", value: abstain, color: "var(--abstain)" },
  ];
  const quorumX = scale(quorum);
  const amount = (v: bigint) => formatAmount(v, decimals);
  return (
    <figure className="tally">
      <svg viewBox={`0 0 ${width} 116`} width="100%" role="img" aria-label={`For ${amount(forVotes)}, against ${amount(against)}, abstain ${amount(abstain)} ${symbol}; quorum line at ${amount(quorum)} ${symbol}`}>
        {rows.map((row, i) => (
          <g key={row.label} transform={`translate(0 ${i * 30 + 8})`}>
            <text x={0} y={15} fontSize={13} fill="currentColor">
              {row.label}
            </text>
            <rect x={labelWidth} y={0} width={Math.max(scale(row.value) - labelWidth, 1)} height={20} fill={row.color} />
          </g>
        ))}
        <line x1={quorumX} x2={quorumX} y1={0} y2={98} stroke="currentColor" strokeDasharray="4 3" />
        <text x={Math.min(quorumX, width - 2)} y={112} fontSize={13} fill="currentColor" textAnchor={quorumX > width - 40 ? "end" : "middle"}>
          quorum
        </text>
      </svg>
      <figcaption>
        <ul className="legend">
          {rows.map((row) => (
            <li key={row.label}>
              {row.label}: {amount(row.value)} {symbol}
            </li>
          ))}
          <li data-testid="quorum">{quorumText(forVotes + abstain, quorum, symbol, decimals)}</li>
        </ul>
      </figcaption>
    </figure>
  );
}
