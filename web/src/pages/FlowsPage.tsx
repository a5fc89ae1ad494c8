import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { messageOf } from "../api/error";
import type { FlowListItem, LastRun } from "../api/types";
import { useResource } from "../api/useResource";
import { useClient } from "../auth/session";
import { duplicateFlowRequest, newFlowPath, type NewFlowState } from "./newFlow";
import { errorRate, lastRunAt } from "../metrics/flowHealth";
import { formatAgo, formatTime } from "../run/format";
import { StatusBadge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field } from "../ui/Field";
import { Input, Textarea } from "../ui/Input";
import { Empty, ErrorState, Loading } from "../ui/State";
import { Table, type Column } from "../ui/Table";
import { useToast } from "../ui/Toast";

const baseColumns: Column<FlowListItem>[] = [
  { key: "name", header: "Name", cell: (f) => <Link to={`/flows/${encodeURIComponent(f.id)}`}>{f.name}</Link> },
  { key: "status", header: "Status", cell: (f) => <StatusBadge status={f.status} />, width: "110px" },
  { key: "version", header: "Draft", cell: (f) => `v${f.version}`, width: "70px" },
  { key: "live", header: "Live", cell: (f) => (f.published_version != null ? `v${f.published_version}` : "—"), width: "70px" },
  { key: "last-run", header: "Last run", cell: (f) => <LastRunCell run={f.last_run} />, width: "180px" },
  {
    key: "errors",
    header: <span title="Failed share of the runs that finished in the last 24 hours">Errors (24 h)</span>,
    cell: (f) => <ErrorRateCell finished={f.finished_24h} failed={f.failed_24h} />,
    width: "110px",
  },
  { key: "updated", header: "Updated", cell: (f) => formatTime(f.updated_at), width: "190px" },
];

/** LastRunCell links to a flow's newest run with its status and how long ago it last did something. */
function LastRunCell({ run }: { run: LastRun | null }) {
  if (!run) return <span className="muted">Never run</span>;
  const at = lastRunAt(run);
  return (
    // The row opens the flow on click; the link opens the run instead.
    <Link className="last-run nowrap" to={`/runs/${encodeURIComponent(run.id)}`} title={`${run.status}, ${formatTime(at)}`} onClick={(e) => e.stopPropagation()}>
      <StatusBadge status={run.status} /> <span className="last-run-time">{formatAgo(at)}</span>
    </Link>
  );
}

/** ErrorRateCell shows the failed share of recently finished runs, highlighted when high, with the counts in its tooltip. */
function ErrorRateCell({ finished, failed }: { finished: number; failed: number }) {
  const rate = errorRate(finished, failed);
  return (
    <span className={`error-rate error-rate-${rate.level}`} title={rate.title}>
      {rate.text}
      <span className="visually-hidden"> ({rate.title})</span>
    </span>
  );
}

/** FlowsPage lists the tenant's flows and creates new ones. */
export function FlowsPage() {
  const client = useClient();
  const navigate = useNavigate();
  const flows = useResource(() => client.flows(), "flows");
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<FlowListItem | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function duplicate(f: FlowListItem) {
    setBusy(f.id);
    try {
      const copy = await client.createFlow(duplicateFlowRequest(await client.flow(f.id)));
      navigate(`/flows/${encodeURIComponent(copy.id)}`);
    } catch (err) {
      toast.show(`Duplicating failed. ${messageOf(err)}`, "error");
      setBusy(null);
    }
  }

  async function remove(f: FlowListItem) {
    setBusy(f.id);
    try {
      await client.deleteFlow(f.id);
      toast.show(`Deleted flow “${f.name}”.`, "success");
      flows.reload();
    } catch (err) {
      toast.show(`Deleting failed. ${messageOf(err)}`, "error");
    }
    setBusy(null);
    setDeleting(null);
  }

  const columns: Column<FlowListItem>[] = [
    ...baseColumns,
    {
      key: "actions",
      header: <span className="visually-hidden">Actions</span>,
      width: "180px",
      cell: (f) => (
        // The row opens the flow on click and Enter; the actions must not.
        <span className="row nowrap" onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
          <Button small onClick={() => void duplicate(f)} disabled={busy === f.id} aria-label={`Duplicate ${f.name}`}>
            Duplicate
          </Button>
          <Button small variant="danger" onClick={() => setDeleting(f)} disabled={busy === f.id} aria-label={`Delete ${f.name}`}>
            Delete
          </Button>
        </span>
      ),
    },
  ];

  return (
    <div className="page">
      <div className="page-header">
        <h1>Flows</h1>
        <Button variant="primary" onClick={() => setCreating(true)}>
          New flow
        </Button>
      </div>
      {flows.error ? (
        <ErrorState message={flows.error} onRetry={flows.reload} />
      ) : !flows.data ? (
        <Loading label="Loading flows…" />
      ) : flows.data.flows.length === 0 ? (
        <div className="panel">
          <Empty title="No flows yet">
            <span>Create a flow from scratch, or install a template.</span>
            <div className="row">
              <Button variant="primary" onClick={() => setCreating(true)}>
                New flow
              </Button>
              <Link className="btn" to="/templates">
                Browse templates
              </Link>
            </div>
          </Empty>
        </div>
      ) : (
        <Table caption="Flows" columns={columns} rows={flows.data.flows} rowKey={(f) => f.id} onRowOpen={(f) => navigate(`/flows/${encodeURIComponent(f.id)}`)} />
      )}
      <NewFlowDialog open={creating} onClose={() => setCreating(false)} />
      <Dialog
        open={deleting !== null}
        title="Delete flow"
        onClose={() => setDeleting(null)}
        footer={
          <>
            <Button onClick={() => setDeleting(null)}>Cancel</Button>
            <Button variant="danger" onClick={() => deleting && void remove(deleting)} disabled={busy !== null}>
              Delete
            </Button>
          </>
        }
      >
        <p>Delete “{deleting?.name}”? It stops receiving triggers. This cannot be undone.</p>
      </Dialog>
    </div>
  );
}

function NewFlowDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<string | null>(null);
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setError("Give the flow a name.");
    const state: NewFlowState = { name: name.trim(), description: description.trim() };
    navigate(newFlowPath, { state });
  }
  return (
    <Dialog open={open} title="New flow" onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <Field label="Name" required error={error && !name.trim() ? error : undefined}>
          {({ invalid, ...p }) => <Input {...p} invalid={invalid} autoFocus value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Description">
          {({ invalid, ...p }) => <Textarea {...p} invalid={invalid} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <p className="muted">The flow is saved once it has a trigger and its first draft is valid.</p>
        <div className="row" style={{ justifyContent: "flex-end" }}>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary">
            Open editor
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
