import {
  addEdge,
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useEdgesState,
  useNodesState,
  useReactFlow,
  type Connection,
  type Edge,
  type OnSelectionChangeParams,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import { ApiError, messageOf } from "../api/error";
import type { Flow, FlowDefinition, Hook, NodeType, Step } from "../api/types";
import { useClient } from "../auth/session";
import { connectionProblem } from "../canvas/connect";
import { edgeId, fromCanvas, toCanvas } from "../canvas/convert";
import { createStep, defaultPort, portsFor, type StepEdge, type StepNode } from "../canvas/step";
import { layeredLayout } from "../layout/layered";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Input } from "../ui/Input";
import { useToast } from "../ui/Toast";
import { HistoryDialog } from "./HistoryDialog";
import { HooksDialog } from "./HooksDialog";
import { NodePanel } from "./NodePanel";
import { Palette, paletteMime } from "./Palette";
import { PublishDialog } from "./PublishDialog";
import { StepNodeView } from "./StepNodeView";
import { TestRunDialog } from "./TestRunDialog";

const nodeTypes = { step: StepNodeView };

// Never zoom in past 1:1 when fitting: a lone node would otherwise fill the canvas.
const fitOptions = { padding: 0.2, maxZoom: 1, duration: 200 };

// Roughly half a fresh node's rendered size, to centre it where it is dropped.
const nodeHalfSize = { x: 90, y: 40 };

/** EditableFlow is a flow with its draft; an empty id is a new flow that the first save creates. */
export type EditableFlow = Flow & { definition: FlowDefinition };

/** Props of FlowEditor. */
export interface FlowEditorProps {
  flow: EditableFlow;
  types: NodeType[];
  /** onReload fetches the flow again, dropping local changes. */
  onReload: () => void;
  /** onCreated is called with the id of a new flow after its first save. */
  onCreated: (id: string) => void;
}

/** FlowEditor is the canvas, palette and side panel of one flow. Mount it under a ReactFlowProvider. */
export function FlowEditor({ flow, types, onReload, onCreated }: FlowEditorProps) {
  const client = useClient();
  const toast = useToast();
  const rf = useReactFlow<StepNode, StepEdge>();
  const initial = useMemo(() => toCanvas(flow.definition, types), [flow, types]);
  const [nodes, setNodes, onNodesChange] = useNodesState<StepNode>(initial.nodes);
  const [edges, setEdges, onEdgesChange] = useEdgesState<StepEdge>(initial.edges);
  const [name, setName] = useState(flow.name);
  const [version, setVersion] = useState(flow.version);
  const [publishedVersion, setPublishedVersion] = useState(flow.published_version);
  const [hooks, setHooks] = useState<Hook[]>(flow.hooks ?? []);
  const [saved, setSaved] = useState(() => JSON.stringify([flow.name, fromCanvas(initial.nodes, initial.edges, flow.definition.settings)]));
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [busy, setBusy] = useState<"save" | "publish" | "test" | null>(null);
  const [dialog, setDialog] = useState<"conflict" | "publish" | "test" | "hooks" | "history" | null>(null);
  const [showAllErrors, setShowAllErrors] = useState(false);
  const canvasRef = useRef<HTMLDivElement>(null);

  const typeByName = useMemo(() => new Map(types.map((t) => [t.type, t])), [types]);
  const definition = useMemo(() => fromCanvas(nodes, edges, flow.definition.settings), [nodes, edges, flow.definition.settings]);
  const dirty = JSON.stringify([name, definition]) !== saved;
  const selected = nodes.find((n) => n.id === selectedId);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const patchNodes = useCallback(
    (patch: (n: StepNode) => Partial<StepNode["data"]> | null) =>
      setNodes((ns) =>
        ns.map((n) => {
          const p = patch(n);
          return p ? { ...n, data: { ...n.data, ...p } } : n;
        }),
      ),
    [setNodes],
  );

  const showIssues = useCallback(
    (err: ApiError) => {
      const byNode = new Map<string, string[]>();
      for (const d of err.details) {
        if (!d.node_id) continue;
        const text = d.field ? `${d.field}: ${d.message}` : d.message;
        byNode.set(d.node_id, [...(byNode.get(d.node_id) ?? []), text]);
      }
      patchNodes((n) => ({ issues: byNode.get(n.id) }));
    },
    [patchNodes],
  );

  const fail = useCallback(
    (action: string, err: unknown) => {
      if (err instanceof ApiError) {
        showIssues(err);
        toast.show(`${action} failed. ${err.sentences().join(" ")}`, "error");
      } else {
        toast.show(`${action} failed. ${messageOf(err)}`, "error");
      }
    },
    [showIssues, toast],
  );

  const save = useCallback(async (): Promise<boolean> => {
    setBusy("save");
    setShowAllErrors(true);
    try {
      if (!flow.id) {
        const created = await client.createFlow({ name, description: flow.description, definition });
        setSaved(JSON.stringify([name, definition]));
        toast.show("Flow created; draft saved as version 1.", "success");
        onCreated(created.id);
        return false;
      }
      const res = await client.saveFlow(flow.id, { name, description: flow.description, definition, version });
      setVersion(res.version);
      setSaved(JSON.stringify([name, definition]));
      patchNodes((n) => (n.data.issues ? { issues: undefined } : null));
      toast.show(`Draft saved as version ${res.version}.`, "success");
      for (const w of res.warnings ?? []) toast.show(`Warning: ${w.node_id ? `${w.node_id}: ` : ""}${w.message}`, "info");
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setDialog("conflict");
      else fail("Saving", err);
      return false;
    } finally {
      setBusy(null);
    }
  }, [client, flow.id, flow.description, name, definition, version, patchNodes, toast, fail, onCreated]);

  const saveIfDirty = useCallback(async () => !dirty || (await save()), [dirty, save]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key === "s") {
        e.preventDefault();
        if (!busy) void save();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [save, busy]);

  async function publish(target?: number) {
    setBusy("publish");
    try {
      const res = await client.publishFlow(flow.id, target);
      const live = res.published_version ?? version;
      setPublishedVersion(live);
      setHooks(res.hooks ?? []);
      // A first publish shows where to send events; a rollback stays in the history.
      if (target === undefined) setDialog(res.hooks?.length ? "hooks" : null);
      toast.show(`Version ${live} is now live.`, "success");
    } catch (err) {
      setDialog(null);
      if (err instanceof ApiError && err.status === 409) setDialog("conflict");
      else fail("Publishing", err);
    } finally {
      setBusy(null);
    }
  }

  async function testRun(payload: unknown) {
    setBusy("test");
    try {
      const res = await client.testRun(flow.id, payload);
      const byNode = new Map<string, Step>();
      for (const s of res.steps ?? []) byNode.set(s.node_id, s);
      patchNodes((n) => ({ result: byNode.get(n.id), issues: undefined }));
      setDialog(null);
      const summary = `Test run ${res.status}: ${byNode.size} of ${nodes.length} nodes ran.`;
      toast.show(res.error ? `${summary} ${res.error}` : summary, res.status === "failed" ? "error" : "success");
    } catch (err) {
      setDialog(null);
      fail("The test run", err);
    } finally {
      setBusy(null);
    }
  }

  function addNode(type: NodeType, position?: { x: number; y: number }) {
    let at = position;
    if (!at) {
      const r = canvasRef.current?.getBoundingClientRect();
      at = rf.screenToFlowPosition({ x: (r?.left ?? 0) + (r?.width ?? 0) / 2, y: (r?.top ?? 0) + (r?.height ?? 0) / 2 });
    }
    // Centre the new node on the point rather than hanging it from its corner.
    const step = createStep(type, { x: at.x - nodeHalfSize.x, y: at.y - nodeHalfSize.y }, nodes.map((n) => n.id));
    setNodes((ns) => [...ns.map((n) => ({ ...n, selected: false })), { ...step, selected: true }]);
    setSelectedId(step.id);
  }

  function onDrop(e: DragEvent) {
    const type = typeByName.get(e.dataTransfer.getData(paletteMime));
    if (!type) return;
    e.preventDefault();
    addNode(type, rf.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
  }

  const triggers = useMemo(() => new Set(nodes.filter((n) => n.data.trigger).map((n) => n.id)), [nodes]);
  const isValidConnection = useCallback(
    (c: Connection | Edge) => connectionProblem(c, edges, triggers) === null,
    [edges, triggers],
  );
  const onConnect = useCallback(
    (c: Connection) => {
      const problem = connectionProblem(c, edges, triggers);
      if (problem) return toast.show(problem, "error");
      const ports = nodes.find((n) => n.id === c.source)?.data.ports ?? [];
      const port = c.sourceHandle ?? defaultPort(ports);
      const edge: StepEdge = { ...c, id: edgeId(c.source, port, c.target), sourceHandle: port, targetHandle: "in" };
      if (port !== defaultPort(ports)) edge.label = port;
      setEdges((es) => addEdge(edge, es));
    },
    [edges, triggers, nodes, setEdges, toast],
  );

  const onSelectionChange = useCallback(({ nodes: sel }: OnSelectionChangeParams<StepNode, StepEdge>) => {
    setSelectedId(sel.length === 1 ? sel[0].id : null);
  }, []);

  function autoLayout() {
    const pos = layeredLayout(
      nodes.map((n) => n.id),
      edges.map((e) => ({ from: e.source, to: e.target })),
    );
    setNodes((ns) => ns.map((n) => ({ ...n, position: pos.get(n.id) ?? n.position })));
    requestAnimationFrame(() => void rf.fitView(fitOptions));
  }

  function updateConfig(id: string, config: Record<string, unknown>) {
    const used = edges.filter((e) => e.source === id).map((e) => e.sourceHandle ?? "");
    patchNodes((n) => (n.id === id ? { config, ports: portsFor({ id, config }, typeByName.get(n.data.nodeType), used) } : null));
  }

  const hasResults = nodes.some((n) => n.data.result);

  return (
    <div className="editor">
      <div className="editor-toolbar">
        <Input aria-label="Flow name" className="editor-name" value={name} onChange={(e) => setName(e.target.value)} />
        <span className="muted">v{version}</span>
        {publishedVersion != null ? <Badge tone="success">{`live: v${publishedVersion}`}</Badge> : <Badge>draft</Badge>}
        {dirty && <Badge tone="warning">unsaved</Badge>}
        {flow.id && <Button onClick={() => setDialog("history")}>History…</Button>}
        {hooks.length > 0 && <Button onClick={() => setDialog("hooks")}>Webhook…</Button>}
        <span className="spacer" />
        <Button onClick={autoLayout} disabled={nodes.length === 0}>
          Auto-layout
        </Button>
        <Button onClick={() => void rf.fitView(fitOptions)}>Fit</Button>
        {hasResults && <Button onClick={() => patchNodes(() => ({ result: undefined }))}>Clear results</Button>}
        <Button onClick={async () => (await saveIfDirty()) && setDialog("test")} disabled={busy !== null || !flow.id}>
          Test run…
        </Button>
        <Button onClick={() => void save()} disabled={busy !== null || (!dirty && !!flow.id)} title="Ctrl+S">
          {busy === "save" ? "Saving…" : flow.id ? "Save draft" : "Create flow"}
        </Button>
        <Button variant="primary" onClick={async () => (await saveIfDirty()) && setDialog("publish")} disabled={busy !== null || !flow.id}>
          Publish…
        </Button>
      </div>
      <div className="editor-body">
        <Palette types={types} onAdd={(t) => addNode(t)} />
        <div className="editor-canvas" ref={canvasRef} onDrop={onDrop} onDragOver={(e) => e.preventDefault()} aria-label="Flow canvas">
          <ReactFlow<StepNode, StepEdge>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            isValidConnection={isValidConnection}
            onSelectionChange={onSelectionChange}
            deleteKeyCode={["Backspace", "Delete"]}
            fitView
            fitViewOptions={fitOptions}
            defaultViewport={{ x: 0, y: 0, zoom: 1 }}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={16} />
            <Controls />
            <MiniMap pannable zoomable style={{ width: 160, height: 110 }} />
          </ReactFlow>
          {nodes.length === 0 && (
            <div className="editor-hint">Drag a node type from the left onto the canvas, or select one and press Enter. Start with a trigger.</div>
          )}
        </div>
        {selected ? (
          <NodePanel
            node={selected}
            type={typeByName.get(selected.data.nodeType)}
            nodes={nodes}
            edges={edges}
            showAllErrors={showAllErrors}
            onRename={(v) => patchNodes((n) => (n.id === selected.id ? { name: v } : null))}
            onConfig={(c) => updateConfig(selected.id, c)}
            onDelete={() => void rf.deleteElements({ nodes: [{ id: selected.id }] })}
          />
        ) : (
          <aside className="side-panel" aria-label="Node settings">
            <p className="muted">Select a node to edit its settings. Connect nodes by dragging from a port on the right of one node to the left edge of another. Delete removes the selection.</p>
          </aside>
        )}
      </div>
      <Dialog
        open={dialog === "conflict"}
        title="This flow changed elsewhere"
        onClose={() => setDialog(null)}
        footer={
          <>
            <Button onClick={() => setDialog(null)}>Keep editing</Button>
            <Button variant="primary" onClick={onReload}>
              Reload
            </Button>
          </>
        }
      >
        <p>Someone else saved this flow while you were editing it. Reload to see their version; your unsaved changes here will be lost.</p>
      </Dialog>
      <PublishDialog
        open={dialog === "publish"}
        client={client}
        flowId={flow.id}
        publishedVersion={publishedVersion}
        draft={definition}
        busy={busy === "publish"}
        onClose={() => setDialog(null)}
        onPublish={() => void publish()}
      />
      <HooksDialog open={dialog === "hooks"} hooks={hooks} onClose={() => setDialog(null)} />
      {flow.id && (
        <HistoryDialog
          open={dialog === "history"}
          client={client}
          flowId={flow.id}
          draftVersion={version}
          publishedVersion={publishedVersion}
          busy={busy === "publish"}
          onClose={() => setDialog(null)}
          onRollback={(n) => void publish(n)}
        />
      )}
      <TestRunDialog open={dialog === "test"} busy={busy === "test"} onClose={() => setDialog(null)} onRun={(p) => void testRun(p)} />
    </div>
  );
}
