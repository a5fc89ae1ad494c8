import type { LastRun } from "../api/types";

/** highErrorRate is the share of failed runs from which the flows list highlights a flow. */
export const highErrorRate = 0.1;

/** ErrorRateLevel grades an error rate: no finished runs, none failed, some failed, or high. */
export type ErrorRateLevel = "none" | "ok" | "some" | "high";

/** ErrorRate is how the flows list shows a flow's failed share of recently finished runs. */
export interface ErrorRate {
  /** text is the percentage ("25%", "<1%", "100%"), or "—" when no run finished. */
  text: string;
  /** title spells out the counts, for the tooltip. */
  title: string;
  level: ErrorRateLevel;
}

function runs(n: number): string {
  return n === 1 ? "1 run" : `${n} runs`;
}

/**
 * errorRate turns the runs that finished in a window and those of them that failed into the
 * flows list's figure. The percentage never rounds a failure away ("<1%", never "0%") nor a
 * success ("99%", never "100%" unless every run failed); at highErrorRate or above it is "high".
 */
export function errorRate(finished: number, failed: number, window = "in the last 24 hours"): ErrorRate {
  const total = Math.max(0, Math.floor(finished));
  const bad = Math.min(total, Math.max(0, Math.floor(failed)));
  if (total === 0) return { text: "—", title: `No runs finished ${window}`, level: "none" };
  const rate = bad / total;
  const pct = Math.round(rate * 100);
  const text = bad === 0 ? "0%" : bad === total ? "100%" : pct < 1 ? "<1%" : `${Math.min(99, pct)}%`;
  const title = bad === 0 ? `None of ${runs(total)} failed ${window}` : `${bad} of ${runs(total)} failed ${window}`;
  return { text, title, level: bad === 0 ? "ok" : rate >= highErrorRate ? "high" : "some" };
}

/** lastRunAt is when a run last did something: it finished, else started, else was triggered. */
export function lastRunAt(run: LastRun): string {
  return run.finished_at ?? run.started_at ?? run.created_at;
}
