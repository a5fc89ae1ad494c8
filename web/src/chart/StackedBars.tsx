import { niceMax } from "../metrics/stats";

/** Series is one stacked layer of a bar chart. */
export interface Series {
  key: string;
  label: string;
  /** color is a CSS colour, usually a token such as var(--success). */
  color: string;
}

/** Props of StackedBars. */
export interface StackedBarsProps<T> {
  title: string;
  data: T[];
  series: Series[];
  value: (row: T, series: string) => number;
  /** label names a bar on the x axis; null leaves the tick out. */
  label: (row: T, index: number) => string | null;
  height?: number;
}

const pad = { top: 8, right: 8, bottom: 22, left: 34 };
// Drawn at about the size it is shown, so text keeps its size.
const width = 1200;

/** StackedBars draws a small SVG chart of stacked bars with a y axis and a legend. */
export function StackedBars<T>({ title, data, series, value, label, height = 180 }: StackedBarsProps<T>) {
  const totals = data.map((row) => series.reduce((n, s) => n + value(row, s.key), 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const slot = plotW / Math.max(1, data.length);
  const barW = Math.max(1, slot * 0.8);
  const y = (v: number) => pad.top + plotH - (v / max) * plotH;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        {[0, max / 2, max].map((v) => (
          <g key={v}>
            <line x1={pad.left} x2={width - pad.right} y1={y(v)} y2={y(v)} className="chart-grid" />
            <text x={pad.left - 4} y={y(v) + 4} textAnchor="end" className="chart-tick">
              {Number.isInteger(v) ? v : v.toFixed(1)}
            </text>
          </g>
        ))}
        {data.map((row, i) => {
          let base = 0;
          const x = pad.left + i * slot + (slot - barW) / 2;
          const tick = label(row, i);
          return (
            <g key={i}>
              {series.map((s) => {
                const v = value(row, s.key);
                if (v <= 0) return null;
                const top = y(base + v);
                const rect = <rect key={s.key} x={x} y={top} width={barW} height={y(base) - top} fill={s.color} />;
                base += v;
                return rect;
              })}
              <title>{`${tick ?? ""} ${series.map((s) => `${s.label}: ${value(row, s.key)}`).join(", ")}`.trim()}</title>
              {tick && (
                <text x={x + barW / 2} y={height - 6} textAnchor="middle" className="chart-tick">
                  {tick}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="chart-legend">
        {series.map((s) => (
          <span key={s.key}>
            <span className="chart-swatch" style={{ background: s.color }} /> {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
