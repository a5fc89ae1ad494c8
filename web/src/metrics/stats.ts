import type { StatsSummary } from "../api/types";

/** Bucket counts the runs that finished in [start, start + bucket_seconds). */
export interface Bucket {
  start: number;
  succeeded: number;
  failed: number;
}

/** FlowDurations are one flow's run counts and duration percentiles, in milliseconds. */
export interface FlowDurations {
  flowId: string;
  count: number;
  failed: number;
  p50: number;
  p95: number;
}

/** summaryBuckets maps the summary's series onto chart buckets, oldest first; unparseable times are left out. */
export function summaryBuckets(s: Pick<StatsSummary, "series">): Bucket[] {
  return s.series
    .map((p) => ({ start: Date.parse(p.at), succeeded: p.succeeded, failed: p.failed }))
    .filter((b) => Number.isFinite(b.start));
}

/** summaryDurations maps the summary's flows onto duration rows, slowest p95 first. */
export function summaryDurations(s: Pick<StatsSummary, "flows">): FlowDurations[] {
  return s.flows
    .filter((f) => f.runs > 0)
    .map((f) => ({ flowId: f.flow_id, count: f.runs, failed: f.failed, p50: f.p50_seconds * 1000, p95: f.p95_seconds * 1000 }))
    .sort((a, b) => b.p95 - a.p95 || a.flowId.localeCompare(b.flowId));
}

/** succeededTotal is the number of runs that succeeded across the series. */
export function succeededTotal(s: Pick<StatsSummary, "series">): number {
  return s.series.reduce((n, p) => n + p.succeeded, 0);
}

/** niceMax rounds a chart's largest value up to 1, 2 or 5 times a power of ten (at least 1). */
export function niceMax(v: number): number {
  if (!(v > 1)) return 1;
  const pow = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * pow >= v) return m * pow;
  return 10 * pow;
}
