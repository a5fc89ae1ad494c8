import { useState, type FormEvent } from "react";
import { ApiError, messageOf } from "../api/error";
import type { Connection, ConnectionTest, Connector } from "../api/types";
import { useClient } from "../auth/session";
import { ConfigForm } from "../editor/ConfigForm";
import { humanize } from "../schema/field";
import { validate } from "../schema/validate";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field } from "../ui/Field";
import { Input, Select } from "../ui/Input";
import { compactConfig, secretChanges, type SecretEdit } from "./secrets";

/** ConnectionEditing says whether ConnectionDialog creates a connection or edits one. */
export type ConnectionEditing = { mode: "create" } | { mode: "edit"; connection: Connection };

/** TestResult shows the outcome of a connection test. */
export function TestResult({ result }: { result: ConnectionTest | "running" | undefined }) {
  if (!result) return <span className="muted">not tested</span>;
  if (result === "running") return <span className="muted">testing…</span>;
  return (
    <span className="test-result" role="status">
      <Badge tone={result.ok ? "success" : "danger"}>{result.ok ? "ok" : "failed"}</Badge> <span className="muted">{result.message}</span>
    </span>
  );
}

/** ConnectionDialog creates a connection (of one of connectors) or edits an existing one. */
export function ConnectionDialog({ editing, connectors, onClose, onSaved }: { editing: ConnectionEditing; connectors: Connector[]; onClose: () => void; onSaved: (c: Connection) => void }) {
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
