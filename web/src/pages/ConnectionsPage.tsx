import { useState, type FormEvent } from "react";
import { ApiError, messageOf } from "../api/error";
import type { Connection, ConnectionTest, Connector } from "../api/types";
import { useResource } from "../api/useResource";
import { useClient } from "../auth/session";
import { compactConfig, secretChanges, type SecretEdit } from "../connection/secrets";
import { ConfigForm } from "../editor/ConfigForm";
import { formatTime } from "../run/format";
import { humanize } from "../schema/field";
import { validate } from "../schema/validate";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field } from "../ui/Field";
import { Input, Select } from "../ui/Input";
import { Empty, ErrorState, Loading } from "../ui/State";
import { Table, type Column } from "../ui/Table";
import { useToast } from "../ui/Toast";

type Editing = { mode: "create" } | { mode: "edit"; connection: Connection };

/** ConnectionsPage lists the tenant's connections and creates, edits, tests and deletes them. */
export function ConnectionsPage() {
  const client = useClient();
  const toast = useToast();
  const list = useResource(() => Promise.all([client.connections(), client.connectors()]), "connections");
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<Connection | null>(null);
  const [tests, setTests] = useState<Record<string, ConnectionTest | "running">>({});

  async function test(c: Connection) {
    setTests((t) => ({ ...t, [c.id]: "running" }));
    try {
      const res = await client.testConnection(c.id);
      setTests((t) => ({ ...t, [c.id]: res }));
    } catch (err) {
      setTests((t) => ({ ...t, [c.id]: { ok: false, message: messageOf(err) } }));
    }
  }

  async function remove(c: Connection) {
    try {
      await client.deleteConnection(c.id);
      toast.show(`Deleted connection “${c.name}”.`, "success");
      list.reload();
    } catch (err) {
      toast.show(`Deleting failed. ${messageOf(err)}`, "error");
    }
    setDeleting(null);
  }

  if (list.error) return <ErrorState message={list.error} onRetry={list.reload} />;
  if (!list.data) return <Loading label="Loading connections…" />;
  const [{ connections }, { connectors }] = list.data;
  const titles = new Map(connectors.map((c) => [c.type, c.title]));
  const columns: Column<Connection>[] = [
    { key: "name", header: "Name", cell: (c) => c.name },
    { key: "type", header: "System", cell: (c) => titles.get(c.type) ?? c.type, width: "160px" },
    { key: "secrets", header: "Secrets set", cell: (c) => (c.secret_fields.length ? c.secret_fields.join(", ") : <span className="muted">none</span>) },
    { key: "updated", header: "Updated", cell: (c) => formatTime(c.updated_at), width: "190px" },
    { key: "test", header: "Last test", cell: (c) => <TestResult result={tests[c.id]} /> },
    {
      key: "actions",
      header: <span className="visually-hidden">Actions</span>,
      width: "230px",
      cell: (c) => (
        <span className="row nowrap">
          <Button small onClick={() => void test(c)} disabled={tests[c.id] === "running"} aria-label={`Test connection ${c.name}`}>
            Test connection
          </Button>
          <Button small onClick={() => setEditing({ mode: "edit", connection: c })} aria-label={`Edit ${c.name}`}>
            Edit
          </Button>
          <Button small variant="danger" onClick={() => setDeleting(c)} aria-label={`Delete ${c.name}`}>
            Delete
          </Button>
        </span>
      ),
    },
  ];

  return (
    <div className="page">
      <div className="page-header">
        <h1>Connections</h1>
        <Button variant="primary" onClick={() => setEditing({ mode: "create" })}>
          New connection
        </Button>
      </div>
      {connections.length === 0 ? (
        <div className="panel">
          <Empty title="No connections yet">
            <span>A connection holds the address and credentials flows use to reach Heartland, Epicor or another HTTP API.</span>
            <Button variant="primary" onClick={() => setEditing({ mode: "create" })}>
              New connection
            </Button>
          </Empty>
        </div>
      ) : (
        <Table caption="Connections" columns={columns} rows={connections} rowKey={(c) => c.id} />
      )}
      {editing && (
        <ConnectionDialog
          editing={editing}
          connectors={connectors}
          onClose={() => setEditing(null)}
          onSaved={(c) => {
            setEditing(null);
            toast.show(`Saved connection “${c.name}”.`, "success");
            list.reload();
          }}
        />
      )}
      <Dialog
        open={deleting !== null}
        title="Delete connection"
        onClose={() => setDeleting(null)}
        footer={
          <>
            <Button onClick={() => setDeleting(null)}>Cancel</Button>
            <Button variant="danger" onClick={() => deleting && void remove(deleting)}>
              Delete
            </Button>
          </>
        }
      >
        <p>Delete “{deleting?.name}”? Flows that use it fail until they point at another connection.</p>
      </Dialog>
    </div>
  );
}

function TestResult({ result }: { result: ConnectionTest | "running" | undefined }) {
  if (!result) return <span className="muted">not tested</span>;
  if (result === "running") return <span className="muted">testing…</span>;
  return (
    <span className="test-result" role="status">
      <Badge tone={result.ok ? "success" : "danger"}>{result.ok ? "ok" : "failed"}</Badge> <span className="muted">{result.message}</span>
    </span>
  );
}

function ConnectionDialog({ editing, connectors, onClose, onSaved }: { editing: Editing; connectors: Connector[]; onClose: () => void; onSaved: (c: Connection) => void }) {
  const client = useClient();
  const existing = editing.mode === "edit" ? editing.connection : null;
  const [type, setType] = useState(existing?.type ?? connectors[0]?.type ?? "");
  const [name, setName] = useState(existing?.name ?? "");
  const [config, setConfig] = useState<Record<string, unknown>>(existing?.config ?? {});
  const [secrets, setSecrets] = useState<Record<string, SecretEdit>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const connector = connectors.find((c) => c.type === type);
  const schema = connector?.config_schema ?? { type: "object" as const };
  const errors = validate(schema, compactConfig(config));
  const stored = existing?.secret_fields ?? [];

  const editSecret = (n: string, patch: Partial<SecretEdit>) =>
    setSecrets((s) => ({ ...s, [n]: { value: s[n]?.value ?? "", remove: s[n]?.remove ?? false, ...patch } }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    if (!name.trim()) return setError("Give the connection a name.");
    if (errors.length) return setError("Fix the highlighted settings first.");
    setBusy(true);
    setError(null);
    const req = { name: name.trim(), config: compactConfig(config), secrets: secretChanges(secrets, stored) };
    try {
      const saved = existing ? await client.saveConnection(existing.id, req) : await client.createConnection({ ...req, type });
      onSaved(saved);
    } catch (err) {
      setError(err instanceof ApiError ? err.sentences().join(" ") : messageOf(err));
      setBusy(false);
    }
  }

  return (
    <Dialog open title={existing ? `Edit “${existing.name}”` : "New connection"} wide onClose={onClose}>
      <form className="stack" onSubmit={submit} aria-label="Connection">
        <Field label="System" required>
          {({ invalid, ...p }) => (
            <Select
              {...p}
              invalid={invalid}
              value={type}
              disabled={existing !== null}
              onChange={(e) => {
                setType(e.target.value);
                setConfig({});
                setSecrets({});
              }}
            >
              {connectors.map((c) => (
                <option key={c.type} value={c.type}>
                  {c.title}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Name" required error={submitted && !name.trim() ? "Give the connection a name." : undefined}>
          {({ invalid, ...p }) => <Input {...p} invalid={invalid} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <fieldset className="fieldset">
          <legend>Settings</legend>
          <ConfigForm key={type} schema={schema} value={config} onChange={setConfig} errors={errors} showAll={submitted} />
        </fieldset>
        {connector && connector.secrets.length > 0 && (
          <fieldset className="fieldset">
            <legend>Credentials</legend>
            <p className="muted">Stored encrypted and never shown again. Leave a field empty to keep what is stored.</p>
            {connector.secrets.map((n) => (
              <Field key={n} label={humanize(n)} hint={stored.includes(n) ? "A value is stored." : "Not set."}>
                {({ invalid, ...p }) => (
                  <span className="row">
                    <Input
                      {...p}
                      invalid={invalid}
                      type="password"
                      autoComplete="new-password"
                      placeholder={stored.includes(n) ? "•••••• (unchanged)" : ""}
                      disabled={secrets[n]?.remove}
                      value={secrets[n]?.value ?? ""}
                      onChange={(e) => editSecret(n, { value: e.target.value })}
                    />
                    {stored.includes(n) && (
                      <label className="nowrap">
                        <input type="checkbox" checked={secrets[n]?.remove ?? false} onChange={(e) => editSecret(n, { remove: e.target.checked })} /> Remove
                      </label>
                    )}
                  </span>
                )}
              </Field>
            ))}
          </fieldset>
        )}
        {error && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        <div className="row" style={{ justifyContent: "flex-end" }}>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? "Saving…" : existing ? "Save" : "Create connection"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
