import { useState } from "react";
import { Link, useParams } from "react-router";
import { ApiError, messageOf } from "../api/error";
import type { Connection, ConnectionTest, Connector, InstalledFlow, Template, TemplateConnection } from "../api/types";
import { useResource } from "../api/useResource";
import { useClient } from "../auth/session";
import { ConnectionDialog, TestResult } from "../connection/ConnectionDialog";
import { ConfigForm } from "../editor/ConfigForm";
import { defaultValue } from "../schema/defaults";
import { validate } from "../schema/validate";
import { connectionsOfType, missingConnections, preselect, wiringText } from "../template/install";
import { Button } from "../ui/Button";
import { Field } from "../ui/Field";
import { Select } from "../ui/Input";
import { ErrorState, Loading } from "../ui/State";

const steps = ["Connections", "Parameters", "Installed"];

/** TemplateInstallPage installs one template in three steps: connections, parameters, result. */
export function TemplateInstallPage() {
  const { slug = "" } = useParams();
  const client = useClient();
  const res = useResource(() => Promise.all([client.template(slug), client.connectors()]), `template:${slug}`);
  if (res.error) return <ErrorState message={res.error} onRetry={res.reload} />;
  if (!res.data) return <Loading label="Loading template…" />;
  const [template, { connectors }] = res.data;
  return <Wizard key={slug} template={template} connectors={connectors} />;
}

function Wizard({ template, connectors }: { template: Template; connectors: Connector[] }) {
  const client = useClient();
  const schema = template.params_schema ?? { type: "object" as const };
  const [step, setStep] = useState(0);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [params, setParams] = useState<Record<string, unknown>>(() => (defaultValue(schema) as Record<string, unknown> | undefined) ?? {});
  const [register, setRegister] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [installed, setInstalled] = useState<InstalledFlow[]>([]);
  const conns = useResource(async () => {
    const list = await client.connections();
    setChosen((c) => preselect(template, list.connections, c));
    return list;
  }, "connections");
  const errors = validate(schema, params);

  async function install() {
    setSubmitted(true);
    if (errors.length) return setError("Fix the highlighted parameters first.");
    setBusy(true);
    setError(null);
    try {
      const out = await client.installTemplate(template.slug, { connections: chosen, params, register_webhooks: register });
      setInstalled(out.flows);
      setStep(2);
    } catch (err) {
      setError(err instanceof ApiError ? err.sentences().join(" ") : messageOf(err));
    }
    setBusy(false);
  }

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <div className="muted">
            <Link to="/templates">Templates</Link> /
          </div>
          <h1>Install “{template.name}”</h1>
        </div>
      </div>
      <p className="muted">{template.description}</p>
      <ol className="wizard-steps" aria-label="Install steps">
        {steps.map((s, i) => (
          <li key={s} aria-current={i === step ? "step" : undefined}>
            {i + 1}. {s}
          </li>
        ))}
      </ol>
      <div className="panel stack wizard-panel">
        {step === 0 && (
          <section className="stack" aria-label="Connections">
            <h2>Choose the connections</h2>
            {conns.error && <ErrorState message={conns.error} onRetry={conns.reload} />}
            {!conns.data && !conns.error && <Loading label="Loading connections…" />}
            {conns.data &&
              template.connections.map((want) => (
                <ConnectionPicker
                  key={want.name}
                  want={want}
                  connections={conns.data?.connections ?? []}
                  connectors={connectors}
                  value={chosen[want.name] ?? ""}
                  onChange={(id) => setChosen((c) => ({ ...c, [want.name]: id }))}
                  onCreated={(c) => {
                    setChosen((ch) => ({ ...ch, [want.name]: c.id }));
                    conns.reload();
                  }}
                />
              ))}
            <div className="row" style={{ justifyContent: "flex-end" }}>
              <Button variant="primary" disabled={missingConnections(template, chosen).length > 0} onClick={() => setStep(1)}>
                Next: parameters
              </Button>
            </div>
          </section>
        )}
        {step === 1 && (
          <section className="stack" aria-label="Parameters">
            <h2>Set the parameters</h2>
            <ConfigForm schema={schema} value={params} onChange={setParams} errors={errors} showAll={submitted} />
            <label>
              <input type="checkbox" checked={register} onChange={(e) => setRegister(e.target.checked)} /> Register the webhooks with Heartland now
            </label>
            {error && (
              <div className="alert alert-error" role="alert">
                {error}
              </div>
            )}
            <div className="row" style={{ justifyContent: "flex-end" }}>
              <Button onClick={() => setStep(0)}>Back</Button>
              <Button variant="primary" disabled={busy} onClick={() => void install()}>
                {busy ? "Installing…" : "Install"}
              </Button>
            </div>
          </section>
        )}
        {step === 2 && (
          <section className="stack" aria-label="Installed flows">
            <h2>Installed and published</h2>
            <p>{register ? "The webhooks are registered with Heartland." : "Paste each webhook URL into Heartland (Settings → Webhooks) for the events listed."}</p>
            <ul className="stack">
              {installed.map((f) => (
                <li key={f.id} className="installed-flow">
                  <div className="row">
                    <strong>{f.name}</strong> <span className="muted">version {f.version}</span>
                    <Link to={`/flows/${encodeURIComponent(f.id)}`} aria-label={`Open flow ${f.name}`}>
                      Open flow
                    </Link>
                  </div>
                  {wiringText(f) && <div className="muted">{wiringText(f)}</div>}
                  {f.hooks.map((h) => (
                    <div key={h.id}>
                      Webhook URL: <code className="hook-url">{h.url}</code>
                    </div>
                  ))}
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </div>
  );
}

/** ConnectionPicker chooses, creates and tests the connection for one of a template's connections. */
function ConnectionPicker({
  want,
  connections,
  connectors,
  value,
  onChange,
  onCreated,
}: {
  want: TemplateConnection;
  connections: Connection[];
  connectors: Connector[];
  value: string;
  onChange: (id: string) => void;
  onCreated: (c: Connection) => void;
}) {
  const client = useClient();
  const [creating, setCreating] = useState(false);
  const [test, setTest] = useState<ConnectionTest | "running" | undefined>();
  const fits = connectionsOfType(connections, want.type);
  const connector = connectors.filter((c) => c.type === want.type);
  const title = connector[0]?.title ?? want.type;

  async function runTest() {
    setTest("running");
    try {
      setTest(await client.testConnection(value));
    } catch (err) {
      setTest({ ok: false, message: messageOf(err) });
    }
  }

  return (
    <fieldset className="fieldset">
      <legend>{title}</legend>
      <p className="muted">{want.description}</p>
      <Field label={`${title} connection`} required>
        {({ invalid, ...p }) => (
          <Select
            {...p}
            invalid={invalid}
            value={value}
            onChange={(e) => {
              setTest(undefined);
              onChange(e.target.value);
            }}
          >
            <option value="">— choose a connection —</option>
            {fits.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <div className="row">
        <Button small onClick={() => setCreating(true)} disabled={connector.length === 0}>
          New {title} connection
        </Button>
        <Button small onClick={() => void runTest()} disabled={!value || test === "running"} aria-label={`Test the ${title} connection`}>
          Test connection
        </Button>
        {value && <TestResult result={test} />}
      </div>
      {creating && (
        <ConnectionDialog
          editing={{ mode: "create" }}
          connectors={connector}
          onClose={() => setCreating(false)}
          onSaved={(c) => {
            setCreating(false);
            setTest(undefined);
            onCreated(c);
          }}
        />
      )}
    </fieldset>
  );
}
