import { niceMax } from "../metrics/stats";

/** RangeRow is one labelled row of a RangeBars chart: a typical and a high value. */
export interface RangeRow {
  key: string;
  label: string;
  low: number;
  high: number;
}

const rowH = 26;
const labelW = 200;
// Drawn at about the size it is shown, so text keeps its size.
const width = 1200;

/**
 * RangeBars draws one horizontal row per item: a light bar to the high value (p95) with a dark
 * bar to the low value (p50) on top, and both values written out.
 */
export function RangeBars({ title, rows, format, lowLabel, highLabel }: { title: string; rows: RangeRow[]; format: (v: number) => string; lowLabel: string; highLabel: string }) {
  const max = niceMax(Math.max(0, ...rows.map((r) => r.high)));
  const plotW = width - labelW - 130;
  const x = (v: number) => (v / max) * plotW;
  const height = rows.length * rowH + 4;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        {rows.map((r, i) => {
          const top = i * rowH + 4;
          return (
            <g key={r.key}>
              <text x={labelW - 8} y={top + 14} textAnchor="end" className="chart-label">
                {r.label.length > 28 ? `${r.label.slice(0, 27)}…` : r.label}
              </text>
              <rect x={labelW} y={top + 3} width={Math.max(1, x(r.high))} height={rowH - 10} className="chart-bar-high" />
              <rect x={labelW} y={top + 3} width={Math.max(1, x(r.low))} height={rowH - 10} className="chart-bar-low" />
              <text x={labelW + x(r.high) + 6} y={top + 14} className="chart-tick">
                {`${format(r.low)} / ${format(r.high)}`}
              </text>
              <title>{`${r.label}: ${lowLabel} ${format(r.low)}, ${highLabel} ${format(r.high)}`}</title>
            </g>
          );
        })}
      </svg>
      <figcaption className="chart-legend">
        <span>
          <span className="chart-swatch chart-bar-low" /> {lowLabel}
        </span>
        <span>
          <span className="chart-swatch chart-bar-high" /> {highLabel}
        </span>
      </figcaption>
    </figure>
  );
}
