import { useState } from "react";
import type { Client } from "../api/client";
import type { Run } from "../api/types";
import { useResource } from "../api/useResource";
import { useClient } from "../auth/session";
import { RangeBars } from "../chart/RangeBars";
import { StackedBars } from "../chart/StackedBars";
import { bucketRuns, durationsByFlow, statusCounts, type Bucket } from "../metrics/runs";
import { Button } from "../ui/Button";
import { Select } from "../ui/Input";
import { Panel } from "../ui/Panel";
import { Empty, ErrorState, Loading } from "../ui/State";

const minute = 60_000;
const windows = [
  { hours: 1, bucket: 1 },
  { hours: 6, bucket: 5 },
  { hours: 24, bucket: 15 },
];
const perPage = 500;
const maxPages = 10;

const series = [
  { key: "succeeded", label: "Succeeded", color: "var(--color-success)" },
  { key: "failed", label: "Failed", color: "var(--color-danger)" },
  { key: "other", label: "Queued, running or waiting", color: "var(--color-border-strong)" },
];

/** DashboardPage summarises recent runs: volume over time, outcomes and durations per flow. */
export function DashboardPage() {
  const client = useClient();
  const [hours, setHours] = useState(1);
  const win = windows.find((w) => w.hours === hours) ?? windows[0];
  const data = useResource(async () => {
    const end = Date.now();
    const [runs, flows] = await Promise.all([recentRuns(client, end - hours * 60 * minute), client.flows()]);
    return { end, ...runs, flows: flows.flows };
  }, String(hours));

  return (
    <div className="page">
      <div className="page-header">
        <h1>Dashboard</h1>
        <span className="row">
          <label className="row">
            Period
            <Select value={hours} onChange={(e) => setHours(Number(e.target.value))}>
              {windows.map((w) => (
                <option key={w.hours} value={w.hours}>
                  Last {w.hours === 1 ? "hour" : `${w.hours} hours`}
                </option>
              ))}
            </Select>
          </label>
          <Button onClick={data.reload} disabled={data.loading}>
            Refresh
          </Button>
        </span>
      </div>
      {data.error ? (
        <ErrorState message={data.error} onRetry={data.reload} />
      ) : !data.data ? (
        <Loading label="Loading runs…" />
      ) : (
        <Charts {...data.data} hours={hours} bucketMinutes={win.bucket} />
      )}
    </div>
  );
}

function Charts({ end, runs, total, flows, hours, bucketMinutes }: { end: number; runs: Run[]; total: number; flows: { id: string; name: string }[]; hours: number; bucketMinutes: number }) {
  const width = bucketMinutes * minute;
  // Buckets end on a whole bucket boundary so the axis reads cleanly.
  const edge = Math.ceil(end / width) * width;
  const buckets = bucketRuns(runs, edge, width, Math.ceil((hours * 60) / bucketMinutes));
  const counts = statusCounts(runs);
  const names = new Map(flows.map((f) => [f.id, f.name]));
  const durations = durationsByFlow(runs);
  const every = Math.ceil(buckets.length / 8);
  const finished = (counts.succeeded ?? 0) + (counts.failed ?? 0);
  return (
    <div className="stack">
      {total > runs.length && (
        <div className="alert">
          Showing the newest {runs.length} of {total} runs in this period.
        </div>
      )}
      <div className="stat-row" aria-label="Totals">
        <Stat label="Runs" value={String(runs.length)} />
        <Stat label="Succeeded" value={String(counts.succeeded ?? 0)} tone="success" />
        <Stat label="Failed" value={String(counts.failed ?? 0)} tone="danger" />
        <Stat label="In progress" value={String((counts.queued ?? 0) + (counts.running ?? 0) + (counts.waiting ?? 0))} />
        <Stat label="Success rate" value={finished ? `${Math.round(((counts.succeeded ?? 0) / finished) * 100)}%` : "—"} />
      </div>
      <Panel title={`Runs per ${bucketMinutes === 1 ? "minute" : `${bucketMinutes} minutes`}`}>
        <StackedBars<Bucket>
          title="Runs over time by outcome"
          data={buckets}
          series={series}
          value={(b, k) => b[k as "succeeded" | "failed" | "other"]}
          label={(b, i) => (i % every === 0 ? clock(b.start) : null)}
        />
      </Panel>
      <Panel title="Duration per flow (p50 / p95)">
        {durations.length === 0 ? (
          <Empty title="No finished runs in this period" />
        ) : (
          <RangeBars
            title="Run duration per flow"
            rows={durations.map((d) => ({ key: d.flowId, label: `${names.get(d.flowId) ?? d.flowId} (${d.count})`, low: d.p50, high: d.p95 }))}
            format={ms}
            lowLabel="p50"
            highLabel="p95"
          />
        )}
      </Panel>
    </div>
  );
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: "success" | "danger" }) {
  return (
    <div className={tone ? `stat stat-${tone}` : "stat"}>
      <div className="stat-value">{value}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

async function recentRuns(client: Client, from: number): Promise<{ runs: Run[]; total: number }> {
  const runs: Run[] = [];
  let total = 0;
  for (let page = 1; page <= maxPages; page++) {
    const res = await client.runs({ from: new Date(from).toISOString(), page, per_page: perPage });
    runs.push(...res.runs);
    total = res.total;
    if (runs.length >= total || res.runs.length < perPage) break;
  }
  return { runs, total };
}

function clock(t: number): string {
  return new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function ms(v: number): string {
  if (v < 1000) return `${Math.round(v)} ms`;
  if (v < 60_000) return `${(v / 1000).toFixed(1)} s`;
  return `${(v / 60_000).toFixed(1)} min`;
}
