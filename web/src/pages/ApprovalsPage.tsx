import { useState } from "react";
import { Link } from "react-router";
import { messageOf } from "../api/error";
import type { Approval } from "../api/types";
import { useResource } from "../api/useResource";
import { useClient } from "../auth/session";
import { formatTime } from "../run/format";
import { Badge, type BadgeTone } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Field } from "../ui/Field";
import { Textarea } from "../ui/Input";
import { Panel } from "../ui/Panel";
import { Empty, ErrorState, Loading } from "../ui/State";
import { Table, type Column } from "../ui/Table";
import { useToast } from "../ui/Toast";

const tones: Record<Approval["status"], BadgeTone> = { pending: "warning", approved: "success", rejected: "danger", timed_out: "neutral" };

const decidedColumns = (flowNames: Map<string, string>): Column<Approval>[] => [
  { key: "title", header: "Approval", cell: (a) => a.title },
  { key: "flow", header: "Flow", cell: (a) => flowNames.get(a.flow_id) ?? a.flow_id },
  { key: "status", header: "Decision", cell: (a) => <Badge tone={tones[a.status]}>{a.status.replace("_", " ")}</Badge>, width: "110px" },
  { key: "by", header: "By", cell: (a) => a.decided_by || "—", width: "200px" },
  { key: "at", header: "When", cell: (a) => formatTime(a.decided_at), width: "190px" },
  { key: "run", header: <span className="visually-hidden">Run</span>, cell: (a) => <Link to={`/runs/${encodeURIComponent(a.run_id)}`}>Run</Link>, width: "60px" },
];

/** ApprovalsPage is the inbox of approvals: pending ones to decide, then the decided ones. */
export function ApprovalsPage() {
  const client = useClient();
  const list = useResource(() => Promise.all([client.approvals({}), client.flows()]), "approvals");
  if (list.error) return <ErrorState message={list.error} onRetry={list.reload} />;
  if (!list.data) return <Loading label="Loading approvals…" />;
  const [{ approvals }, { flows }] = list.data;
  const flowNames = new Map(flows.map((f) => [f.id, f.name]));
  const pending = approvals.filter((a) => a.status === "pending");
  const decided = approvals.filter((a) => a.status !== "pending");
  return (
    <div className="page">
      <div className="page-header">
        <h1>Approvals</h1>
        <Button onClick={list.reload}>Refresh</Button>
      </div>
      {pending.length === 0 ? (
        <div className="panel">
          <Empty title="Nothing waits for a decision">
            <span>Runs that reach an approval step wait here until someone approves or rejects them.</span>
          </Empty>
        </div>
      ) : (
        <div className="stack">
          {pending.map((a) => (
            <PendingApproval key={a.id} approval={a} flowName={flowNames.get(a.flow_id) ?? a.flow_id} onDecided={list.reload} />
          ))}
        </div>
      )}
      {decided.length > 0 && <Table caption="Decided approvals" columns={decidedColumns(flowNames)} rows={decided} rowKey={(a) => a.id} />}
    </div>
  );
}

function PendingApproval({ approval: a, flowName, onDecided }: { approval: Approval; flowName: string; onDecided: () => void }) {
  const client = useClient();
  const toast = useToast();
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);

  async function decide(decision: "approve" | "reject") {
    setBusy(true);
    try {
      await client.decideApproval(a.id, decision, comment);
      toast.show(`${decision === "approve" ? "Approved" : "Rejected"} “${a.title}”.`, "success");
      onDecided();
    } catch (err) {
      toast.show(`The decision was not recorded. ${messageOf(err)}`, "error");
      setBusy(false);
    }
  }

  return (
    <Panel
      className="approval"
      title={a.title}
      actions={
        <Link to={`/runs/${encodeURIComponent(a.run_id)}`} aria-label={`Run of ${a.title}`}>
          Open run
        </Link>
      }
    >
      <div className="stack">
        {a.summary && <p className="approval-summary">{a.summary}</p>}
        <p className="muted">
          {flowName} · requested {formatTime(a.created_at)} · {a.on_timeout.replace("_", " ")} at {formatTime(a.expires_at)} if undecided
        </p>
        <Field label="Comment">{(p) => <Textarea {...p} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />}</Field>
        <span className="row">
          <Button variant="primary" disabled={busy} onClick={() => void decide("approve")} aria-label={`Approve ${a.title}`}>
            Approve
          </Button>
          <Button variant="danger" disabled={busy} onClick={() => void decide("reject")} aria-label={`Reject ${a.title}`}>
            Reject
          </Button>
        </span>
      </div>
    </Panel>
  );
}
