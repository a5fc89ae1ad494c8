import { Handle, Position, type NodeProps } from "@xyflow/react";
import type { StepNode } from "../canvas/step";
import { formatValue } from "../diff/flowdiff";
import { StatusBadge } from "../ui/Badge";

/** StepNodeView draws one flow node: input handle on the left, one labelled handle per port on the right. */
export function StepNodeView({ data, selected }: NodeProps<StepNode>) {
  const status = data.result?.status;
  const classes = ["step-node"];
  if (selected) classes.push("selected");
  if (status) classes.push(`step-${status}`);
  if (data.issues?.length) classes.push("step-invalid");
  return (
    <div className={classes.join(" ")}>
      {!data.trigger && <Handle type="target" position={Position.Left} id="in" className="step-handle" />}
      <div className="step-node-head">
        <div className="step-node-name">{data.name}</div>
        <div className="step-node-type">{data.title}</div>
      </div>
      {status && (
        <div className="step-node-result">
          <StatusBadge status={status} />
          {data.result?.error ? (
            <span className="step-node-error" title={data.result.error}>
              {data.result.error}
            </span>
          ) : (
            data.result?.output !== undefined && (
              <span className="step-node-output mono" title={formatValue(data.result.output)}>
                {formatValue(data.result.output)}
              </span>
            )
          )}
        </div>
      )}
      {data.issues?.map((m) => (
        <div key={m} className="step-node-issue">
          {m}
        </div>
      ))}
      <div className="step-node-ports">
        {data.ports.map((p) => (
          <div key={p} className={`step-port step-port-${p}${data.result?.port === p ? " step-port-taken" : ""}`} title={data.result?.port === p ? "Taken in the last test run" : undefined}>
            <span>{p}</span>
            <Handle type="source" position={Position.Right} id={p} className="step-handle" />
          </div>
        ))}
      </div>
    </div>
  );
}
