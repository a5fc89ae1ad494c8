import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import type { FlowSummary } from "../api/types";
import { useResource } from "../api/useResource";
import { useClient } from "../auth/session";
import { newFlowPath, type NewFlowState } from "./newFlow";
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
      <NewFlowDialog open={creating} onClose={() => setCreating(false)} />
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
