import { useEffect, useState } from "react";
import type { Client } from "../api/client";
import { messageOf } from "../api/error";
import type { FlowVersion } from "../api/types";
import { describeDiff, diffFlows } from "../diff/flowdiff";
import { defaultPair, orderedPair, type VersionPair } from "../diff/pair";
import { formatTime } from "../run/format";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Select } from "../ui/Input";
import { ErrorState, Loading } from "../ui/State";

/** Props of HistoryDialog. */
export interface HistoryDialogProps {
  open: boolean;
  client: Client;
  flowId: string;
  draftVersion: number;
  publishedVersion: number | null;
  busy: boolean;
  onClose: () => void;
  /** onRollback publishes an older version. */
  onRollback: (version: number) => void;
}

/** HistoryDialog lists a flow's versions, compares any two and rolls back to an older one. */
export function HistoryDialog({ open, client, flowId, draftVersion, publishedVersion, busy, onClose, onRollback }: HistoryDialogProps) {
  const [versions, setVersions] = useState<FlowVersion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pair, setPair] = useState<VersionPair | null>(null);
  useEffect(() => {
    if (!open) return;
    let current = true;
    setVersions(null);
    setError(null);
    client.flowVersions(flowId).then(
      (res) => {
        if (!current) return;
        setVersions(res.versions);
        setPair(defaultPair(res.versions.map((v) => v.version), publishedVersion));
      },
      (err: unknown) => current && setError(messageOf(err)),
    );
    return () => {
      current = false;
    };
  }, [open, client, flowId, draftVersion, publishedVersion]);

  const newestFirst = [...(versions ?? [])].sort((a, b) => b.version - a.version);
  return (
    <Dialog open={open} title="Version history" wide onClose={onClose} footer={<Button onClick={onClose}>Close</Button>}>
      {error ? (
        <ErrorState message={error} />
      ) : !versions ? (
        <Loading label="Loading versions…" />
      ) : (
        <div className="stack">
          <table className="table" aria-label="Versions">
            <thead>
              <tr>
                <th>Version</th>
                <th>Saved</th>
                <th>By</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {newestFirst.map((v) => (
                <tr key={v.version}>
                  <td>
                    v{v.version} {v.published && <Badge tone="success">live</Badge>} {v.version === draftVersion && <Badge>draft</Badge>}
                  </td>
                  <td>{formatTime(v.created_at)}</td>
                  <td className="muted">{v.created_by}</td>
                  <td>
                    {!v.published && (
                      <Button small disabled={busy} onClick={() => onRollback(v.version)}>
                        {publishedVersion != null && v.version < publishedVersion ? `Roll back to v${v.version}` : `Publish v${v.version}`}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {versions.length < 2 ? (
            <p className="muted">There is only one version so far; save again to compare.</p>
          ) : (
            <Comparison client={client} flowId={flowId} versions={newestFirst.map((v) => v.version)} pair={pair} onPair={setPair} />
          )}
        </div>
      )}
    </Dialog>
  );
}

function Comparison({ client, flowId, versions, pair, onPair }: { client: Client; flowId: string; versions: number[]; pair: VersionPair | null; onPair: (p: VersionPair | null) => void }) {
  const [lines, setLines] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<[number, number]>(() => (pair ? [pair.from, pair.to] : [versions[1], versions[0]]));
  useEffect(() => {
    if (!pair) return;
    let current = true;
    setLines(null);
    setError(null);
    Promise.all([client.flowVersion(flowId, pair.from), client.flowVersion(flowId, pair.to)]).then(
      ([a, b]) => {
        if (!current) return;
        const names = new Map([...a.definition.nodes, ...b.definition.nodes].map((n) => [n.id, n.name]));
        setLines(describeDiff(diffFlows(a.definition, b.definition), names));
      },
      (err: unknown) => current && setError(messageOf(err)),
    );
    return () => {
      current = false;
    };
  }, [client, flowId, pair]);
  const choose = (i: 0 | 1) => (e: { target: { value: string } }) => {
    const next: [number, number] = [...picked];
    next[i] = Number(e.target.value);
    setPicked(next);
    onPair(orderedPair(next[0], next[1]));
  };
  return (
    <section aria-label="Compare versions" className="stack">
      <div className="row">
        <span>Compare</span>
        <VersionSelect label="Older version" versions={versions} value={picked[0]} onChange={choose(0)} />
        <span>with</span>
        <VersionSelect label="Newer version" versions={versions} value={picked[1]} onChange={choose(1)} />
      </div>
      {!pair ? (
        <p className="muted">Pick two different versions.</p>
      ) : error ? (
        <div className="alert alert-error">{error}</div>
      ) : !lines ? (
        <Loading label="Comparing…" />
      ) : lines.length === 0 ? (
        <p>
          No differences between v{pair.from} and v{pair.to} other than node positions.
        </p>
      ) : (
        <>
          <p>
            Changes from v{pair.from} to v{pair.to}:
          </p>
          <ul className="diff-list" aria-label="Differences">
            {lines.map((l, i) => (
              <li key={i}>{l}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function VersionSelect({ label, versions, value, onChange }: { label: string; versions: number[]; value: number; onChange: (e: { target: { value: string } }) => void }) {
  return (
    <Select aria-label={label} value={value} onChange={onChange}>
      {versions.map((v) => (
        <option key={v} value={v}>
          v{v}
        </option>
      ))}
    </Select>
  );
}
