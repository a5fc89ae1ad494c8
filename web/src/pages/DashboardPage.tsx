import { useState } from "react";
import type { StatsSummary } from "../api/types";
import { useResource } from "../api/useResource";
import { useClient } from "../auth/session";
import { RangeBars } from "../chart/RangeBars";
import { StackedBars } from "../chart/StackedBars";
import { succeededTotal, summaryBuckets, summaryDurations, type Bucket } from "../metrics/stats";
import { Button } from "../ui/Button";
import { Select } from "../ui/Input";
import { Panel } from "../ui/Panel";
import { Empty, ErrorState, Loading } from "../ui/State";
import { Table, type Column } from "../ui/Table";

const windows = [
  { value: "1h", label: "Last hour" },
  { value: "6h", label: "Last 6 hours" },
  { value: "24h", label: "Last 24 hours" },
  { value: "168h", label: "Last 7 days" },
];

const series = [
  { key: "succeeded", label: "Succeeded", color: "var(--color-success)" },
  { key: "failed", label: "Failed", color: "var(--color-danger)" },
];

type NodeTypeRow = StatsSummary["node_types"][number];

const nodeTypeColumns: Column<NodeTypeRow>[] = [
  { key: "type", header: "Node type", cell: (n) => n.node_type },
  { key: "total", header: "Steps", cell: (n) => String(n.total), width: "100px" },
  { key: "failed", header: "Failed", cell: (n) => String(n.failed), width: "100px" },
  { key: "rate", header: "Error rate", cell: (n) => percent(n.error_rate), width: "110px" },
];

/** DashboardPage shows the tenant's run statistics: volume over time, failures, durations per flow, queue lag and error rates. */
export function DashboardPage() {
  const client = useClient();
  const [period, setPeriod] = useState("1h");
  const data = useResource(async () => {
    const [summary, flows] = await Promise.all([client.statsSummary(period), client.flows()]);
    return { summary, flows: flows.flows };
  }, period);

  return (
    <div className="page">
      <div className="page-header">
        <h1>Dashboard</h1>
        <span className="row">
          <label className="row">
            Period
            <Select value={period} onChange={(e) => setPeriod(e.target.value)}>
              {windows.map((w) => (
                <option key={w.value} value={w.value}>
                  {w.label}
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
        <Loading label="Loading statistics…" />
      ) : (
        <Charts {...data.data} />
      )}
    </div>
  );
}

function Charts({ summary, flows }: { summary: StatsSummary; flows: { id: string; name: string }[] }) {
  const buckets = summaryBuckets(summary);
  const names = new Map(flows.map((f) => [f.id, f.name]));
  const durations = summaryDurations(summary);
  const every = Math.max(1, Math.ceil(buckets.length / 8));
  const { totals, queue } = summary;
  const bucketMinutes = Math.max(1, Math.round(summary.bucket_seconds / 60));
  return (
    <div className="stack">
      {summary.truncated && <div className="alert">This period holds more runs than the server counts; only the oldest are shown.</div>}
      <div className="stat-row" aria-label="Totals">
        <Stat label="Runs" value={String(totals.runs)} />
        <Stat label="Succeeded" value={String(succeededTotal(summary))} tone="success" />
        <Stat label="Failed" value={String(totals.failed)} tone="danger" />
        <Stat label="Failure rate" value={totals.runs ? percent(totals.failure_rate) : "—"} />
        <Stat label="Dead letters" value={String(totals.dead_letters)} tone={totals.dead_letters ? "danger" : undefined} />
        <Stat label="Queue depth" value={String(queue.depth)} />
        <Stat label="Queue lag" value={ms(queue.oldest_age_seconds * 1000)} />
      </div>
      <Panel title={`Runs finished per ${bucketMinutes === 1 ? "minute" : `${bucketMinutes} minutes`}`}>
        <StackedBars<Bucket>
          title="Runs over time by outcome"
          data={buckets}
          series={series}
          value={(b, k) => b[k as "succeeded" | "failed"]}
          label={(b, i) => (i % every === 0 ? clock(b.start) : null)}
        />
      </Panel>
      <Panel title="Duration per flow (p50 / p95)">
        {durations.length === 0 ? (
          <Empty title="No finished runs in this period" />
        ) : (
          <RangeBars
            title="Run duration per flow"
            rows={durations.map((d) => ({
              key: d.flowId,
              label: `${names.get(d.flowId) ?? d.flowId} (${d.count}${d.failed ? `, ${d.failed} failed` : ""})`,
              low: d.p50,
              high: d.p95,
            }))}
            format={ms}
            lowLabel="p50"
            highLabel="p95"
          />
        )}
      </Panel>
      <Panel title="Error rate per node type">
        {summary.node_types.length === 0 ? (
          <Empty title="No steps in this period" />
        ) : (
          <Table caption="Error rate per node type" compact columns={nodeTypeColumns} rows={summary.node_types} rowKey={(n) => n.node_type} />
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

function clock(t: number): string {
  return new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function percent(rate: number): string {
  const p = rate * 100;
  return `${p > 0 && p < 1 ? p.toFixed(1) : Math.round(p)}%`;
}

function ms(v: number): string {
  if (v < 1000) return `${Math.round(v)} ms`;
  if (v < 60_000) return `${(v / 1000).toFixed(1)} s`;
  return `${(v / 60_000).toFixed(1)} min`;
}
