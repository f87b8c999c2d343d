import { formatAmount, percent } from "../lib/format.ts";

/** For / Against / Abstain bars against the quorum line (for + abstain count toward quorum). Plain SVG: no chart library needed. */
export function TallyChart({ forVotes, against, abstain, quorum, symbol }: { forVotes: bigint; against: bigint; abstain: bigint; quorum: bigint; symbol: string }) {
  const max = [forVotes + abstain, against, quorum].reduce((a, b) => (b > a ? b : a), 1n);
  const width = 320;
  const scale = (v: bigint) => (Number((v * 10_000n) / max) / 10_000) * (width - 10);
  const rows = [
    { label: "For", value: forVotes, color: "var(--for)" },
    { label: "Against", value: against, color: "var(--against)" },
    { label: "Abstain", value: abstain, color: "var(--abstain)" },
  ];
  const quorumX = scale(quorum);
  return (
    <figure className="tally">
      <svg viewBox={`0 0 ${width} 110`} width="100%" role="img" aria-label={`For ${formatAmount(forVotes)}, against ${formatAmount(against)}, abstain ${formatAmount(abstain)} ${symbol}; quorum ${formatAmount(quorum)}`}>
        {rows.map((row, i) => (
          <g key={row.label} transform={`translate(0 ${i * 30 + 8})`}>
            <rect x={0} y={0} width={Math.max(scale(row.value), 1)} height={20} fill={row.color} />
          </g>
        ))}
        <line x1={quorumX} x2={quorumX} y1={0} y2={100} stroke="currentColor" strokeDasharray="4 3" />
        <text x={Math.min(quorumX + 4, width - 50)} y={106} fontSize={10} fill="currentColor">
          quorum
        </text>
      </svg>
      <figcaption>
        <ul className="legend">
          {rows.map((row) => (
            <li key={row.label}>
              {row.label}: {formatAmount(row.value)} {symbol}
            </li>
          ))}
          <li>
            Quorum: {formatAmount(quorum)} {symbol} ({percent(forVotes + abstain, quorum || 1n)}% reached)
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}
