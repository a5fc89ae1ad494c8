import { useState } from "react";
import { Link, useParams } from "react-router";
import { messageOf } from "../api/error";
import type { Step } from "../api/types";
import { useResource } from "../api/useResource";
import { useClient } from "../auth/session";
import { formatDuration, formatTime } from "../run/format";
import { JsonView } from "../run/JsonView";
import { canCancel, canReplay } from "../run/replay";
import { ReplayDialog } from "../run/ReplayDialog";
import { StatusBadge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Panel } from "../ui/Panel";
import { ErrorState, Loading } from "../ui/State";
import { useToast } from "../ui/Toast";

/** RunPage shows one run: its summary and a timeline of steps with their input, output and error. */
export function RunPage() {
  const { id = "" } = useParams();
  const client = useClient();
  const run = useResource(() => client.run(id), id);
  const flowId = run.data?.run.flow_id ?? "";
  const flow = useResource(() => (flowId ? client.flow(flowId) : Promise.resolve(undefined)), flowId);
  const toast = useToast();
  const [replaying, setReplaying] = useState(false);
  const [cancelling, setCancelling] = useState(false);

  async function cancel() {
    setCancelling(true);
    try {
      await client.cancelRun(id);
      toast.show("Run cancelled.", "success");
      run.reload();
    } catch (err) {
      toast.show(`Cancelling failed. ${messageOf(err)}`, "error");
    } finally {
      setCancelling(false);
    }
  }

  if (run.error) return <ErrorState message={run.error} onRetry={run.reload} />;
  if (!run.data) return <Loading label="Loading run…" />;
  const { run: r, steps } = run.data;
  const flowName = flow.data?.name ?? r.flow_id;
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <div className="muted">
            <Link to="/runs">Runs</Link> /
          </div>
          <h1>
            {flowName} {r.business_key ? `· ${r.business_key}` : ""}
          </h1>
        </div>
        <div className="row">
          {canCancel(r.status) && (
            <Button variant="danger" onClick={() => void cancel()} disabled={cancelling}>
              Cancel run
            </Button>
          )}
          {canReplay(r.status) && (
            <Button variant="primary" onClick={() => setReplaying(true)}>
              Replay
            </Button>
          )}
          <Button onClick={run.reload} disabled={run.loading}>
            Refresh
          </Button>
        </div>
      </div>
      <Panel>
        <dl className="facts">
          <dt>Status</dt>
          <dd>
            <StatusBadge status={r.status} />
          </dd>
          <dt>Run id</dt>
          <dd className="mono">{r.id}</dd>
          <dt>Flow</dt>
          <dd>
            <Link to={`/flows/${encodeURIComponent(r.flow_id)}`}>{flowName}</Link>
          </dd>
          <dt>Received</dt>
          <dd>{formatTime(r.created_at)}</dd>
          <dt>Duration</dt>
          <dd>{formatDuration(r.started_at, r.finished_at)}</dd>
          <dt>Attempt</dt>
          <dd>{r.attempt}</dd>
          {r.replay_of && (
            <>
              <dt>Replay of</dt>
              <dd>
                <RunLink id={r.replay_of} />
              </dd>
            </>
          )}
          {r.replayed_by && (
            <>
              <dt>Replayed as</dt>
              <dd>
                <RunLink id={r.replayed_by} />
              </dd>
            </>
          )}
          {r.replay && (
            <>
              <dt>Replayed</dt>
              <dd>
                {[
                  r.replay.by && `by ${r.replay.by}`,
                  r.replay.at && formatTime(r.replay.at),
                  r.replay.from && `from ${replayFromLabel(r.replay.from, r.replay.step)}`,
                  r.replay.version && `on the ${r.replay.version} version`,
                  r.replay.force_effects && "forcing effects",
                ]
                  .filter(Boolean)
                  .join(", ")}
              </dd>
              {r.replay.note && (
                <>
                  <dt>Replay note</dt>
                  <dd>{r.replay.note}</dd>
                </>
              )}
              {r.replay.input !== undefined && (
                <>
                  <dt>Edited input</dt>
                  <dd>
                    {r.replay.step && <span className="mono">{r.replay.step}</span>}
                    <JsonView value={r.replay.input} />
                  </dd>
                </>
              )}
            </>
          )}
          {r.failed_node && (
            <>
              <dt>Failed at</dt>
              <dd className="mono">{r.failed_node}</dd>
            </>
          )}
        </dl>
        {r.error && (
          <div className="alert alert-error" role="alert" style={{ marginTop: 8 }}>
            {r.error}
          </div>
        )}
      </Panel>
      {r.payload !== undefined && (
        <details className="panel run-payload">
          <summary>Trigger payload</summary>
          <JsonView value={r.payload} openDepth={2} />
        </details>
      )}
      <h2 style={{ margin: "16px 0 8px" }}>Steps</h2>
      {steps.length === 0 ? (
        <p className="muted">This run has no recorded steps yet.</p>
      ) : (
        <ol className="timeline">
          {steps.map((s) => (
            <StepItem key={`${s.step_key}#${s.attempt}`} step={s} open={s.status === "failed"} />
          ))}
        </ol>
      )}
      {replaying && <ReplayDialog run={r} stepKeys={[...new Set(steps.map((s) => s.step_key))]} onClose={() => setReplaying(false)} />}
    </div>
  );
}

function RunLink({ id }: { id: string }) {
  return (
    <Link className="mono" to={`/runs/${encodeURIComponent(id)}`}>
      {id}
    </Link>
  );
}

function replayFromLabel(from: string, step?: string): string {
  if (from === "trigger") return "the trigger";
  if (from === "failed_step") return step ? `the failed step ${step}` : "the failed step";
  return step ? `step ${step}` : "a chosen step";
}

function StepItem({ step, open }: { step: Step; open: boolean }) {
  return (
    <li className={`timeline-item timeline-${step.status}`}>
      <details open={open}>
        <summary className="timeline-summary">
          <StatusBadge status={step.status} />
          <span className="timeline-node">{step.step_key}</span>
          <span className="muted">{step.node_type}</span>
          {step.port && step.port !== "out" && <span className="muted">→ {step.port}</span>}
          {step.attempt > 1 && <span className="muted">attempt {step.attempt}</span>}
          <span className="spacer" />
          <span className="muted">{formatTime(step.started_at)}</span>
          <span className="muted timeline-duration">{formatDuration(step.started_at, step.finished_at)}</span>
        </summary>
        <div className="timeline-body">
          {step.error && <div className="alert alert-error">{step.error}</div>}
          <div className="timeline-io">
            <section>
              <h3>Input</h3>
              {step.input === undefined ? <p className="muted">No input.</p> : <JsonView value={step.input} />}
            </section>
            <section>
              <h3>Output</h3>
              {step.output === undefined ? <p className="muted">No output.</p> : <JsonView value={step.output} />}
            </section>
          </div>
        </div>
      </details>
    </li>
  );
}
