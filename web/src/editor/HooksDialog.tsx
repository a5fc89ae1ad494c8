import type { Hook } from "../api/types";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";

const authText: Record<string, string> = {
  hmac: "Senders sign the raw body with HMAC-SHA256 using the secret and send the signature in the header below.",
  token: "Senders send the secret as a bearer token: Authorization: Bearer <secret>.",
  none: "Requests are not authenticated: anyone with the URL can start a run.",
};

/** HooksDialog shows where systems send events for a published flow, and how they authenticate. */
export function HooksDialog({ open, hooks, onClose }: { open: boolean; hooks: Hook[]; onClose: () => void }) {
  return (
    <Dialog open={open} title="Webhook" wide onClose={onClose} footer={<Button onClick={onClose}>Close</Button>}>
      <div className="stack">
        {hooks.map((h) => (
          <dl key={h.id} className="facts" aria-label={`Webhook of node ${h.node_id}`}>
            <dt>Node</dt>
            <dd className="mono">{h.node_id}</dd>
            <dt>URL</dt>
            <dd>
              <CopyText label="Webhook URL" value={h.url} />
            </dd>
            <dt>Authentication</dt>
            <dd>
              {h.auth_mode} <span className="muted">{authText[h.auth_mode] ?? ""}</span>
            </dd>
            {h.header && (
              <>
                <dt>Signature header</dt>
                <dd className="mono">{h.header}</dd>
              </>
            )}
            {h.secret && (
              <>
                <dt>Secret</dt>
                <dd>
                  <CopyText label="Webhook secret" value={h.secret} />
                </dd>
              </>
            )}
          </dl>
        ))}
      </div>
    </Dialog>
  );
}

function CopyText({ label, value }: { label: string; value: string }) {
  return (
    <span className="row">
      <input className="input mono copy-text" aria-label={label} readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
      <Button small onClick={() => void navigator.clipboard?.writeText(value)}>
        Copy
      </Button>
    </span>
  );
}
