import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { messageOf } from "../api/error";
import type { FlowSummary } from "../api/types";
import { useResource } from "../api/useResource";
import { useClient } from "../auth/session";
import { formatTime } from "../run/format";
import { StatusBadge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field } from "../ui/Field";
import { Input, Textarea } from "../ui/Input";
import { Empty, ErrorState, Loading } from "../ui/State";
import { Table, type Column } from "../ui/Table";

const columns: Column<FlowSummary>[] = [
  { key: "name", header: "Name", cell: (f) => <Link to={`/flows/${encodeURIComponent(f.id)}`}>{f.name}</Link> },
  { key: "status", header: "Status", cell: (f) => <StatusBadge status={f.status} />, width: "110px" },
  { key: "version", header: "Draft", cell: (f) => `v${f.version}`, width: "70px" },
  { key: "live", header: "Live", cell: (f) => (f.published_version != null ? `v${f.published_version}` : "—"), width: "70px" },
  { key: "updated", header: "Updated", cell: (f) => formatTime(f.updated_at), width: "190px" },
  {
    key: "last_run",
    header: "Last run",
    width: "250px",
    cell: (f) =>
      f.last_run ? (
        <Link className="nowrap" to={`/runs/${encodeURIComponent(f.last_run.id)}`}>
          <StatusBadge status={f.last_run.status} /> <span className="muted">{formatTime(f.last_run.started_at)}</span>
        </Link>
      ) : (
        <span className="muted">never</span>
      ),
  },
];

/** FlowsPage lists the tenant's flows and creates new ones. */
export function FlowsPage() {
  const client = useClient();
  const navigate = useNavigate();
  const flows = useResource(() => client.flows(), "flows");
  const [creating, setCreating] = useState(false);
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
      <NewFlowDialog open={creating} onClose={() => setCreating(false)} onCreated={(id) => navigate(`/flows/${encodeURIComponent(id)}`)} />
    </div>
  );
}

function NewFlowDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const client = useClient();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setError("Give the flow a name.");
    setBusy(true);
    setError(null);
    try {
      const flow = await client.createFlow({ name: name.trim(), description: description.trim(), definition: { nodes: [], edges: [] } });
      onCreated(flow.id);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
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
        {error && name.trim() && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        <div className="row" style={{ justifyContent: "flex-end" }}>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? "Creating…" : "Create and open"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
