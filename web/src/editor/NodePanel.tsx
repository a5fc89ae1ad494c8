import { useState } from "react";
import type { NodeType } from "../api/types";
import type { StepEdge, StepNode } from "../canvas/step";
import { MappingDialog } from "../mapping/MappingDialog";
import { previewData, previewLanguage } from "../preview/sample";
import { JsonView } from "../run/JsonView";
import { validate } from "../schema/validate";
import { StatusBadge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Field } from "../ui/Field";
import { Input } from "../ui/Input";
import { parseJSON } from "../schema/parse";
import { Textarea } from "../ui/Input";
import { ConfigForm } from "./ConfigForm";
import { ExpressionPreview } from "./ExpressionPreview";

/** Props of NodePanel. */
export interface NodePanelProps {
  node: StepNode;
  type: NodeType | undefined;
  /** nodes are all the flow's nodes: previews read the trigger's sample and the last test run from them. */
  nodes: StepNode[];
  /** edges are the flow's edges: a map node's mapping suggestions look up and down the flow. */
  edges: StepEdge[];
  showAllErrors: boolean;
  onRename: (name: string) => void;
  onConfig: (config: Record<string, unknown>) => void;
  onDelete: () => void;
}

/** NodePanel edits the selected node: name, generated config form, and its last test-run step. */
export function NodePanel({ node, type, nodes, edges, showAllErrors, onRename, onConfig, onDelete }: NodePanelProps) {
  const { data } = node;
  const [mapping, setMapping] = useState(false);
  const schema = type?.config_schema ?? { type: "object" as const };
  const [pasted, setPasted] = useState("");
  const pastedValue = parseJSON(pasted);
  const sample = previewData(nodes, node.id, pastedValue.ok ? pastedValue.value : undefined);
  return (
    <aside className="side-panel" aria-label="Node settings">
      <div className="side-panel-head">
        <div>
          <h2>{data.name || node.id}</h2>
          <div className="muted">
            {data.title} · <code>{node.id}</code>
          </div>
        </div>
        <Button small variant="danger" onClick={onDelete}>
          Delete
        </Button>
      </div>
      {!type && (
        <div className="alert alert-error">This node's type “{data.nodeType}” is not known to the server; its config is shown as stored.</div>
      )}
      {type?.description && <p className="muted">{type.description}</p>}
      {data.issues?.length ? (
        <div className="alert alert-error" role="alert">
          <ul>
            {data.issues.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="stack">
        <Field label="Name" required>
          {({ invalid, ...p }) => <Input {...p} invalid={invalid} value={data.name} onChange={(e) => onRename(e.target.value)} />}
        </Field>
        {data.nodeType === "map" && (
          <div className="mapping-suggest">
            <Button onClick={() => setMapping(true)}>Suggest mapping…</Button>
            <span className="muted">Match a sample's fields to a target and generate the jq.</span>
          </div>
        )}
        <ConfigForm
          key={node.id}
          schema={schema}
          value={data.config}
          onChange={onConfig}
          errors={validate(schema, data.config)}
          showAll={showAllErrors}
          codeFooter={(field, source) => {
            const language = previewLanguage(field.language);
            return language && <ExpressionPreview label={field.label} language={language} source={source} data={sample} />;
          }}
        />
        {!data.trigger && (
          <details className="advanced">
            <summary>Preview sample</summary>
            <Field
              label="Trigger payload (JSON)"
              hint="Paste a payload to preview expressions against it instead of the trigger's sample."
              error={pastedValue.ok ? undefined : pastedValue.message}
            >
              {({ invalid, ...p }) => <Textarea {...p} invalid={invalid} value={pasted} spellCheck={false} onChange={(e) => setPasted(e.target.value)} />}
            </Field>
          </details>
        )}
      </div>
      {mapping && (
        <MappingDialog
          node={node}
          nodes={nodes}
          edges={edges}
          onClose={() => setMapping(false)}
          onApply={(jq) => {
            setMapping(false);
            onConfig({ ...data.config, jq });
          }}
        />
      )}
      {data.result && (
        <section className="side-panel-result" aria-label="Last test run">
          <h3>
            Last test run <StatusBadge status={data.result.status} />
          </h3>
          {data.result.error && <div className="alert alert-error">{data.result.error}</div>}
          <h3>Output</h3>
          <JsonView value={data.result.output} openDepth={2} />
          <h3>Input</h3>
          <JsonView value={data.result.input} openDepth={1} />
        </section>
      )}
    </aside>
  );
}
