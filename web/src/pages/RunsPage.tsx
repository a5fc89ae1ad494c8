import { useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import type { Run, RunQuery } from "../api/types";
import { useResource } from "../api/useResource";
import { useClient } from "../auth/session";
import { formatDuration, formatTime } from "../run/format";
import { StatusBadge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Field } from "../ui/Field";
import { Input, Select } from "../ui/Input";
import { Empty, ErrorState, Loading } from "../ui/State";
import { Table, type Column } from "../ui/Table";

const perPage = 50;
const statuses = ["", "queued", "running", "waiting", "succeeded", "failed", "cancelled"];
const filterKeys = ["flow_id", "status", "business_key", "from", "to"] as const;

const columns = (flowNames: Map<string, string>): Column<Run>[] => [
  { key: "started", header: "Started", cell: (r) => formatTime(r.started_at ?? r.created_at), width: "190px" },
  { key: "flow", header: "Flow", cell: (r) => flowNames.get(r.flow_id) ?? r.flow_id },
  { key: "key", header: "Business key", cell: (r) => r.business_key || <span className="muted">—</span> },
  { key: "status", header: "Status", cell: (r) => <StatusBadge status={r.status} />, width: "110px" },
  { key: "duration", header: "Duration", cell: (r) => formatDuration(r.started_at, r.finished_at), width: "100px" },
  { key: "open", header: <span className="visually-hidden">Open</span>, cell: (r) => <Link to={`/runs/${encodeURIComponent(r.id)}`}>Details</Link>, width: "70px" },
];

/** RunsPage finds runs by flow, status, business key and time; filters live in the address. */
export function RunsPage() {
  const client = useClient();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const query: RunQuery = { page: Number(params.get("page") ?? "1") || 1, per_page: perPage };
  for (const k of filterKeys) query[k] = params.get(k) ?? undefined;
  // The inputs hold local wall-clock times; the API gets instants.
  query.from = toInstant(query.from);
  query.to = toInstant(query.to);
  const runs = useResource(() => client.runs(query), params.toString());
  const flows = useResource(() => client.flows(), "flows");

  function setFilters(next: Record<string, string>) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v) p.set(k, v);
    setParams(p);
  }
  const flowNames = new Map(flows.data?.flows.map((f) => [f.id, f.name]));
  const page = query.page ?? 1;
  const total = runs.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / perPage));

  return (
    <div className="page">
      <div className="page-header">
        <h1>Runs</h1>
      </div>
      <Filters key={params.toString()} params={params} flows={flows.data?.flows.map((f) => ({ id: f.id, name: f.name })) ?? []} onApply={setFilters} />
      {runs.error ? (
        <ErrorState message={runs.error} onRetry={runs.reload} />
      ) : !runs.data ? (
        <Loading label="Loading runs…" />
      ) : runs.data.runs.length === 0 ? (
        <div className="panel">
          <Empty title="No runs match these filters" />
        </div>
      ) : (
        <>
          <Table caption="Runs" columns={columns(flowNames)} rows={runs.data.runs} rowKey={(r) => r.id} onRowOpen={(r) => navigate(`/runs/${encodeURIComponent(r.id)}`)} />
          <nav className="row" aria-label="Pages" style={{ marginTop: 8 }}>
            <span className="muted">
              {total} runs · page {page} of {pages}
            </span>
            <span className="spacer" />
            <Button small disabled={page <= 1} onClick={() => setFilters({ ...Object.fromEntries(params), page: String(page - 1) })}>
              Previous
            </Button>
            <Button small disabled={page >= pages} onClick={() => setFilters({ ...Object.fromEntries(params), page: String(page + 1) })}>
              Next
            </Button>
          </nav>
        </>
      )}
    </div>
  );
}

function Filters({ params, flows, onApply }: { params: URLSearchParams; flows: { id: string; name: string }[]; onApply: (f: Record<string, string>) => void }) {
  const [f, setF] = useState<Record<string, string>>(() => Object.fromEntries(filterKeys.map((k) => [k, params.get(k) ?? ""])));
  const set = (k: string) => (e: { target: { value: string } }) => setF((cur) => ({ ...cur, [k]: e.target.value }));
  function submit(e: FormEvent) {
    e.preventDefault();
    onApply(f);
  }
  return (
    <form className="filters panel" onSubmit={submit} aria-label="Filter runs">
      <Field label="Business key" hint="Order number, customer id…">
        {({ invalid, ...p }) => <Input {...p} invalid={invalid} value={f.business_key} onChange={set("business_key")} />}
      </Field>
      <Field label="Flow">
        {({ invalid, ...p }) => (
          <Select {...p} invalid={invalid} value={f.flow_id} onChange={set("flow_id")}>
            <option value="">All flows</option>
            {flows.map((fl) => (
              <option key={fl.id} value={fl.id}>
                {fl.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="Status">
        {({ invalid, ...p }) => (
          <Select {...p} invalid={invalid} value={f.status} onChange={set("status")}>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s || "Any status"}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="From">
        {({ invalid, ...p }) => <Input {...p} invalid={invalid} type="datetime-local" value={f.from} onChange={set("from")} />}
      </Field>
      <Field label="To">
        {({ invalid, ...p }) => <Input {...p} invalid={invalid} type="datetime-local" value={f.to} onChange={set("to")} />}
      </Field>
      <div className="filters-actions">
        <Button type="submit" variant="primary">
          Search
        </Button>
        <Button onClick={() => onApply({})}>Clear</Button>
      </div>
    </form>
  );
}

/** toInstant turns a datetime-local value into an RFC 3339 instant; unparseable text passes through. */
function toInstant(local: string | undefined): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}
