import type { Run } from "../api/types";

/** Bucket counts the runs that started in [start, start + width). */
export interface Bucket {
  start: number;
  succeeded: number;
  failed: number;
  /** other counts queued, running, waiting and cancelled runs. */
  other: number;
}

/** FlowDurations are the duration percentiles of one flow's finished runs, in milliseconds. */
export interface FlowDurations {
  flowId: string;
  count: number;
  p50: number;
  p95: number;
}

/** runTime is when a run counts on the time axis: its start, or its arrival while queued. */
export function runTime(r: Pick<Run, "started_at" | "created_at">): number {
  return Date.parse(r.started_at ?? r.created_at);
}

/**
 * bucketRuns counts runs per status in consecutive buckets of width ms ending at end (exclusive
 * of runs after it). Runs before end - count*width are left out. The oldest bucket comes first.
 */
export function bucketRuns(runs: Pick<Run, "status" | "started_at" | "created_at">[], end: number, width: number, count: number): Bucket[] {
  const first = end - count * width;
  const buckets: Bucket[] = Array.from({ length: count }, (_, i) => ({ start: first + i * width, succeeded: 0, failed: 0, other: 0 }));
  for (const r of runs) {
    const t = runTime(r);
    if (!Number.isFinite(t) || t < first || t >= end) continue;
    const b = buckets[Math.floor((t - first) / width)];
    if (r.status === "succeeded") b.succeeded++;
    else if (r.status === "failed") b.failed++;
    else b.other++;
  }
  return buckets;
}

/** statusCounts counts runs per status. */
export function statusCounts(runs: Pick<Run, "status">[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of runs) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

/** percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of sorted values, or NaN when empty. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** durationsByFlow computes p50 and p95 run durations per flow from finished runs, slowest p95 first. */
export function durationsByFlow(runs: Pick<Run, "flow_id" | "started_at" | "finished_at">[]): FlowDurations[] {
  const byFlow = new Map<string, number[]>();
  for (const r of runs) {
    if (!r.started_at || !r.finished_at) continue;
    const ms = Date.parse(r.finished_at) - Date.parse(r.started_at);
    if (!Number.isFinite(ms) || ms < 0) continue;
    byFlow.set(r.flow_id, [...(byFlow.get(r.flow_id) ?? []), ms]);
  }
  return [...byFlow.entries()]
    .map(([flowId, ms]) => {
      const sorted = ms.sort((a, b) => a - b);
      return { flowId, count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
    })
    .sort((a, b) => b.p95 - a.p95 || a.flowId.localeCompare(b.flowId));
}

/** niceMax rounds a chart's largest value up to 1, 2 or 5 times a power of ten (at least 1). */
export function niceMax(v: number): number {
  if (!(v > 1)) return 1;
  const pow = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * pow >= v) return m * pow;
  return 10 * pow;
}
