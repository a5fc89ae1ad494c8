import { useEffect, useState } from "react";
import { messageOf } from "../api/error";
import type { PreviewRequest } from "../api/types";
import { useClient } from "../auth/session";
import type { PreviewData } from "../preview/sample";

/** previewDelay is how long typing must pause before the preview is evaluated again. */
const previewDelay = 300;

type Outcome = { kind: "idle" } | { kind: "result"; value: unknown } | { kind: "error"; message: string };

/** ExpressionPreview evaluates a jq program or expr expression on the server, debounced, and shows the result or the error. */
export function ExpressionPreview({ label, language, source, data }: { label: string; language: PreviewRequest["language"]; source: string; data: PreviewData }) {
  const client = useClient();
  const [state, setState] = useState<Outcome>({ kind: "idle" });
  const [busy, setBusy] = useState(false);
  const sample = JSON.stringify([data.input, data.trigger, data.nodes]);
  useEffect(() => {
    if (source.trim() === "") {
      setState({ kind: "idle" });
      setBusy(false);
      return;
    }
    let current = true;
    const timer = window.setTimeout(() => {
      setBusy(true);
      const [input, trigger, nodes] = JSON.parse(sample) as [unknown, unknown, Record<string, unknown>];
      client
        .previewExpression({ language, source, input, trigger, nodes })
        .then((res) => current && setState(res.error !== undefined ? { kind: "error", message: res.error } : { kind: "result", value: res.result }))
        .catch((err) => current && setState({ kind: "error", message: `The preview failed. ${messageOf(err)}` }))
        .finally(() => current && setBusy(false));
    }, previewDelay);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [client, language, source, sample]);
  if (state.kind === "idle" && !busy) return null;
  return (
    <section className="expression-preview" aria-label={`Preview of ${label}`} data-state={busy ? "running" : state.kind}>
      <div className="expression-preview-head muted">
        Preview against the {data.source === "none" ? "empty sample (no trigger sample yet)" : data.source}
        {busy && " · evaluating…"}
      </div>
      {state.kind === "error" && (
        <div className="alert alert-error expression-preview-error" role="status">
          {state.message}
        </div>
      )}
      {state.kind === "result" && <pre className="expression-preview-result">{JSON.stringify(state.value, null, 2)}</pre>}
    </section>
  );
}
