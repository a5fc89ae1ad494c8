import { useState, type FormEvent } from "react";
import { ApiError, messageOf } from "../api/error";
import { useSession } from "../auth/session";
import { Button } from "../ui/Button";
import { Field } from "../ui/Field";
import { Input } from "../ui/Input";

type Mode = "password" | "key";

/** LoginPage signs in with email, password and tenant slug, or with an API key. */
export function LoginPage() {
  const { signIn, notice, lastLogin } = useSession();
  const [mode, setMode] = useState<Mode>("password");
  const [email, setEmail] = useState(lastLogin.email);
  const [password, setPassword] = useState("");
  const [tenant, setTenant] = useState(lastLogin.tenant);
  const [apiKey, setApiKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(mode === "password" ? { email: email.trim(), password, tenant: tenant.trim() } : { api_key: apiKey.trim() });
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? signInRejected(mode) : messageOf(err));
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <div className="panel login-card">
        <div className="panel-body">
          <div className="login-title">
            <h1>Sign in to Bridgework</h1>
            <span className="muted">Heartland Retail ⇄ Epicor Kinetic integrations</span>
          </div>
          {notice && (
            <div className="alert alert-info" role="status" style={{ marginBottom: 12 }}>
              {notice}
            </div>
          )}
          <div className="tabs" role="tablist" aria-label="Sign-in method">
            <ModeTab mode="password" current={mode} onSelect={setMode} label="Email and password" />
            <ModeTab mode="key" current={mode} onSelect={setMode} label="API key" />
          </div>
          <form className="stack" onSubmit={submit} noValidate={false}>
            {mode === "password" ? (
              <>
                <Field label="Email" required>
                  {(p) => (
                    <Input {...p} type="email" autoComplete="username" required autoFocus={!lastLogin.email} value={email} onChange={(e) => setEmail(e.target.value)} />
                  )}
                </Field>
                <Field label="Password" required>
                  {(p) => (
                    <Input {...p} type="password" autoComplete="current-password" required autoFocus={Boolean(lastLogin.email)} value={password} onChange={(e) => setPassword(e.target.value)} />
                  )}
                </Field>
                <Field label="Tenant" required hint="The short name of your organisation, for example “demo”.">
                  {(p) => (
                    <Input {...p} autoComplete="organization" required spellCheck={false} value={tenant} onChange={(e) => setTenant(e.target.value)} />
                  )}
                </Field>
              </>
            ) : (
              <Field label="API key" required>
                {(p) => (
                  <Input {...p} type="password" autoComplete="off" required autoFocus spellCheck={false} value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
                )}
              </Field>
            )}
            {error && (
              <div className="alert alert-error" role="alert">
                {error}
              </div>
            )}
            <Button type="submit" variant="primary" disabled={busy}>
              {busy ? "Signing in…" : "Sign in"}
            </Button>
          </form>
        </div>
      </div>
    </main>
  );
}

function ModeTab({ mode, current, onSelect, label }: { mode: Mode; current: Mode; onSelect: (m: Mode) => void; label: string }) {
  return (
    <button type="button" role="tab" className="tab" aria-selected={mode === current} onClick={() => onSelect(mode)}>
      {label}
    </button>
  );
}

function signInRejected(mode: Mode): string {
  return mode === "password"
    ? "The email, password or tenant is not right. Check them and try again."
    : "That API key was not accepted. Check it and try again.";
}
