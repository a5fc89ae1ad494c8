import { useState } from "react";
import { useNavigate } from "react-router";
import { ApiError, messageOf } from "../api/error";
import type { ReplayResponse, Run } from "../api/types";
import { useClient } from "../auth/session";
import { CodeEditor } from "../code/CodeEditor";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field } from "../ui/Field";
import { Input, Select } from "../ui/Input";
import { buildReplayRequest, defaultReplayForm, type ReplayForm, type ReplayFormErrors } from "./replay";

/** Props of ReplayDialog. */
export interface ReplayDialogProps {
  run: Run;
  /** stepKeys are the run's recorded steps, in order, to replay from. */
  stepKeys: string[];
  onClose: () => void;
}

/**
 * ReplayDialog asks how to replay a finished run, shows the server's dry-run plan
 * (steps to execute, steps reused, effects already in the ledger), then replays it for real
 * and opens the new run.
 */
export function ReplayDialog({ run, stepKeys, onClose }: ReplayDialogProps) {
  const client = useClient();
  const navigate = useNavigate();
  const [form, setForm] = useState<ReplayForm>(() => defaultReplayForm(run.failed_node));
  const [errors, setErrors] = useState<ReplayFormErrors>({});
  const [plan, setPlan] = useState<ReplayResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  function edit(patch: Partial<ReplayForm>) {
    setForm((f) => ({ ...f, ...patch }));
    setPlan(null);
  }

  async function send(dryRun: boolean) {
    const built = buildReplayRequest(form, dryRun);
    if (!built.ok) return setErrors(built.errors);
    setErrors({});
    setFailure(null);
    setBusy(true);
    try {
      const res = await client.replayRun(run.id, built.request);
      if (dryRun) setPlan(res);
      else if (res.run_id) {
        onClose();
        navigate(`/runs/${encodeURIComponent(res.run_id)}`);
      }
    } catch (err) {
      setFailure(err instanceof ApiError ? err.sentences().join(" ") : messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      open
      wide
      title="Replay run"
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button onClick={() => void send(true)} disabled={busy}>
            Preview replay
          </Button>
          <Button variant="primary" onClick={() => void send(false)} disabled={busy || !plan}>
            Replay now
          </Button>
        </>
      }
    >
      <div className="stack">
        <Field label="Start from">
          {({ invalid, ...p }) => (
            <Select {...p} invalid={invalid} value={form.from} onChange={(e) => edit({ from: e.target.value as ReplayForm["from"] })}>
              <option value="trigger">The trigger</option>
              <option value="failed_step" disabled={!run.failed_node}>
                The failed step{run.failed_node ? ` (${run.failed_node})` : ""}
              </option>
              <option value="step">A chosen step</option>
            </Select>
          )}
        </Field>
        {form.from === "step" && (
          <Field label="Step" required error={errors.step}>
            {({ invalid, ...p }) => (
              <Select {...p} invalid={invalid} value={form.step} onChange={(e) => edit({ step: e.target.value })}>
                <option value="">Choose a step…</option>
                {stepKeys.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        )}
        <Field
          label="Edited input"
          hint={form.from === "trigger" ? "JSON replacing the trigger payload; leave blank to keep it." : "JSON replacing the step's input; leave blank to keep it."}
          error={errors.input}
        >
          {({ id, invalid, ...p }) => (
            <CodeEditor
              language="json"
              labelledBy={`${id}-label`}
              describedBy={p["aria-describedby"]}
              invalid={invalid}
              value={form.inputText}
              onChange={(v) => edit({ inputText: v })}
              placeholder='{"order": {...}}'
            />
          )}
        </Field>
        <Field label="Flow version">
          {({ invalid, ...p }) => (
            <Select {...p} invalid={invalid} value={form.version} onChange={(e) => edit({ version: e.target.value as ReplayForm["version"] })}>
              <option value="original">The version the run used</option>
              <option value="published">The published version</option>
            </Select>
          )}
        </Field>
        <Field label="Force effects" inline hint="Send writes again even when the ledger records them as done.">
          {({ invalid, ...p }) => (
            <input type="checkbox" {...p} aria-invalid={invalid || undefined} checked={form.forceEffects} onChange={(e) => edit({ forceEffects: e.target.checked })} />
          )}
        </Field>
        <Field label="Note">
          {({ invalid, ...p }) => <Input {...p} invalid={invalid} value={form.note} onChange={(e) => edit({ note: e.target.value })} />}
        </Field>
        {failure && (
          <div className="alert alert-error" role="alert">
            {failure}
          </div>
        )}
        {plan && <ReplayPlan plan={plan} />}
      </div>
    </Dialog>
  );
}

function ReplayPlan({ plan }: { plan: ReplayResponse }) {
  return (
    <section aria-label="Replay plan" className="panel">
      <p>
        Runs on flow version v{plan.flow_version}
        {plan.edited_step ? `, with edited input for ${plan.edited_step}` : ""}
        {plan.force_effects ? ", forcing effects" : ""}.
      </p>
      <dl className="facts">
        <dt>Will execute</dt>
        <dd className="mono">{plan.will_execute.length ? plan.will_execute.join(", ") : "nothing"}</dd>
        <dt>Reused</dt>
        <dd className="mono">{plan.reused_steps.length ? plan.reused_steps.join(", ") : "nothing"}</dd>
      </dl>
      <h3>Effects in the ledger</h3>
      {plan.effects_in_ledger.length === 0 ? (
        <p className="muted">No writes recorded for this run.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Step</th>
              <th>Operation</th>
              <th>Status</th>
              <th>On replay</th>
            </tr>
          </thead>
          <tbody>
            {plan.effects_in_ledger.map((e) => (
              <tr key={`${e.step_key}/${e.idempotency_key}`}>
                <td className="mono">{e.step_key}</td>
                <td>{e.operation}</td>
                <td>{e.status}</td>
                <td>{e.repeated ? "sent again" : "not sent again"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
