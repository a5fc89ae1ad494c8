import { useEffect, useState } from "react";
import { messageOf } from "../api/error";
import type { Client } from "../api/client";
import type { FlowDefinition } from "../api/types";
import { describeDiff, diffFlows } from "../diff/flowdiff";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Loading } from "../ui/State";

/** Props of PublishDialog. */
export interface PublishDialogProps {
  open: boolean;
  client: Client;
  flowId: string;
  publishedVersion: number | null;
  draft: FlowDefinition;
  busy: boolean;
  onClose: () => void;
  onPublish: () => void;
}

/** PublishDialog shows what changes against the published version before publishing. */
export function PublishDialog({ open, client, flowId, publishedVersion, draft, busy, onClose, onPublish }: PublishDialogProps) {
  const [lines, setLines] = useState<string[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    if (!open) return;
    setLines(null);
    setNote(null);
    if (publishedVersion == null) {
      setLines([]);
      setNote("This flow has never been published; the whole draft goes live.");
      return;
    }
    let current = true;
    client.flowVersion(flowId, publishedVersion).then(
      (res) => {
        if (!current) return;
        const published = res.definition;
        const names = new Map([...published.nodes, ...draft.nodes].map((n) => [n.id, n.name]));
        setLines(describeDiff(diffFlows(published, draft), names));
      },
      (err: unknown) => {
        if (!current) return;
        setLines([]);
        setNote(`The published version could not be loaded: ${messageOf(err)}`);
      },
    );
    return () => {
      current = false;
    };
  }, [open, client, flowId, publishedVersion, draft]);
  return (
    <Dialog
      open={open}
      title="Publish this flow"
      wide
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" disabled={busy || lines === null} onClick={onPublish}>
            {busy ? "Publishing…" : "Publish"}
          </Button>
        </>
      }
    >
      {lines === null ? (
        <Loading label="Comparing with the published version…" />
      ) : (
        <div className="stack">
          {note && <p>{note}</p>}
          {publishedVersion != null && lines.length === 0 && !note && <p>No changes against version {publishedVersion} other than node positions.</p>}
          {lines.length > 0 && (
            <>
              <p>Changes against the published version {publishedVersion}:</p>
              <ul className="diff-list">
                {lines.map((l, i) => (
                  <li key={i}>{l}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </Dialog>
  );
}
