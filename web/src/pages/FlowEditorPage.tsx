import { ReactFlowProvider } from "@xyflow/react";
import { useState } from "react";
import { useParams } from "react-router";
import { useResource } from "../api/useResource";
import { useClient } from "../auth/session";
import { FlowEditor } from "../editor/FlowEditor";
import { ErrorState, Loading } from "../ui/State";

/** FlowEditorPage loads a flow and the node types, then shows the editor. */
export default function FlowEditorPage() {
  const { id = "" } = useParams();
  const client = useClient();
  const [tick, setTick] = useState(0);
  const res = useResource(() => Promise.all([client.flow(id), client.nodeTypes()]), `${id}:${tick}`);
  if (res.error) return <ErrorState message={res.error} onRetry={res.reload} />;
  if (!res.data || res.loading) return <Loading label="Loading flow…" />;
  const [flow, types] = res.data;
  return (
    <ReactFlowProvider>
      <FlowEditor key={`${flow.id}:${flow.version}:${tick}`} flow={flow} types={types.node_types} onReload={() => setTick((t) => t + 1)} />
    </ReactFlowProvider>
  );
}
