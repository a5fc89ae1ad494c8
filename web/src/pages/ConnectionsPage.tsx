import { useState } from "react";
import { messageOf } from "../api/error";
import type { Connection, ConnectionTest } from "../api/types";
import { useResource } from "../api/useResource";
import { useClient } from "../auth/session";
import { ConnectionDialog, TestResult, type ConnectionEditing } from "../connection/ConnectionDialog";
import { formatTime } from "../run/format";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Empty, ErrorState, Loading } from "../ui/State";
import { Table, type Column } from "../ui/Table";
import { useToast } from "../ui/Toast";

/** ConnectionsPage lists the tenant's connections and creates, edits, tests and deletes them. */
export function ConnectionsPage() {
  const client = useClient();
  const toast = useToast();
  const list = useResource(() => Promise.all([client.connections(), client.connectors()]), "connections");
  const [editing, setEditing] = useState<ConnectionEditing | null>(null);
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
