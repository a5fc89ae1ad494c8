import { useState } from "react";
import { CodeEditor } from "../code/CodeEditor";
import { parseJSON } from "../schema/parse";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";

/** TestRunDialog asks for the sample trigger payload of a test run. */
export function TestRunDialog({ open, busy, onClose, onRun }: { open: boolean; busy: boolean; onClose: () => void; onRun: (payload: unknown) => void }) {
  const [text, setText] = useState("{\n  \n}");
  const parsed = parseJSON(text);
  return (
    <Dialog
      open={open}
      title="Test run"
      wide
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" disabled={!parsed.ok || busy} onClick={() => parsed.ok && onRun(parsed.value ?? {})}>
            {busy ? "Running…" : "Run"}
          </Button>
        </>
      }
    >
      <div className="stack">
        <p className="muted" id="test-payload-hint">
          The flow runs once with this payload as its trigger event. Connector nodes call their real connections.
        </p>
        <div className="field">
          <span className="field-label" id="test-payload-label">
            Payload (JSON)
          </span>
          <CodeEditor value={text} onChange={setText} language="json" labelledBy="test-payload-label" describedBy="test-payload-hint" invalid={!parsed.ok} />
          {!parsed.ok && <div className="field-error">{parsed.message}</div>}
        </div>
      </div>
    </Dialog>
  );
}
