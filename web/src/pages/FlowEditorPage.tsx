import { ReactFlowProvider } from "@xyflow/react";
import { useState } from "react";
import { useLocation, useNavigate, useParams } from "react-router";
import type { NodeType } from "../api/types";
import { useResource } from "../api/useResource";
import { useClient } from "../auth/session";
import { FlowEditor, type EditableFlow } from "../editor/FlowEditor";
import { ErrorState, Loading } from "../ui/State";
import { newFlowPath, type NewFlowState } from "./newFlow";

/** FlowEditorPage loads a flow and the node types, then shows the editor. */
export default function FlowEditorPage() {
  const { id = "" } = useParams();
  const client = useClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [tick, setTick] = useState(0);
  const isNew = `/flows/${id}` === newFlowPath;
  const res = useResource(
    () => Promise.all([isNew ? Promise.resolve(blankFlow(location.state as NewFlowState | null)) : client.flow(id), client.nodeTypes()]),
    `${id}:${tick}`,
  );
  if (res.error) return <ErrorState message={res.error} onRetry={res.reload} />;
  if (!res.data || res.loading) return <Loading label="Loading flow…" />;
  const [flow, types] = res.data as [EditableFlow, { node_types: NodeType[] }];
  return (
    <ReactFlowProvider>
      <FlowEditor
        key={`${flow.id}:${flow.version}:${tick}`}
        flow={{ ...flow, definition: flow.definition ?? { nodes: [], edges: [] } }}
        types={types.node_types}
        onReload={() => setTick((t) => t + 1)}
        onCreated={(newId) => navigate(`/flows/${encodeURIComponent(newId)}`, { replace: true })}
      />
    </ReactFlowProvider>
  );
}

function blankFlow(state: NewFlowState | null): EditableFlow {
  return {
    id: "",
    name: state?.name || "Untitled flow",
    description: state?.description ?? "",
    status: "draft",
    version: 0,
    published_version: null,
    created_at: "",
    updated_at: "",
    definition: { nodes: [], edges: [] },
  };
}
