import type { FlowDefinition, FlowEdge, FlowNode, NodeType } from "../api/types";
import { defaultPort, portsFor, type StepEdge, type StepNode } from "./step";

/** Canvas is what @xyflow/react draws. */
export interface Canvas {
  nodes: StepNode[];
  edges: StepEdge[];
}

const knownNodeKeys = new Set(["id", "type", "name", "config", "position"]);

/** edgeId names an edge after its ends and port. */
export function edgeId(from: string, port: string, to: string): string {
  return `${from}:${port}->${to}`;
}

/** toCanvas turns a flow definition into canvas nodes and edges; ports become source handles. */
export function toCanvas(def: FlowDefinition, types: NodeType[]): Canvas {
  const typeByName = new Map(types.map((t) => [t.type, t]));
  const usedPorts = new Map<string, string[]>();
  for (const e of def.edges) {
    if (e.port) usedPorts.set(e.from, [...(usedPorts.get(e.from) ?? []), e.port]);
  }
  const nodes = def.nodes.map((n): StepNode => {
    const type = typeByName.get(n.type);
    const extra = Object.fromEntries(Object.entries(n).filter(([k]) => !knownNodeKeys.has(k)));
    return {
      id: n.id,
      type: "step",
      position: { x: n.position?.x ?? 0, y: n.position?.y ?? 0 },
      data: {
        nodeType: n.type,
        name: n.name,
        config: n.config ?? {},
        title: type?.title ?? n.type,
        ports: portsFor(n, type, usedPorts.get(n.id)),
        trigger: type?.trigger ?? false,
        ...(Object.keys(extra).length ? { extra } : {}),
      },
    };
  });
  const portsById = new Map(nodes.map((n) => [n.id, n.data.ports]));
  const seen = new Set<string>();
  const edges = def.edges.map((e): StepEdge => {
    const port = e.port ?? defaultPort(portsById.get(e.from) ?? []);
    let id = edgeId(e.from, port, e.to);
    for (let i = 2; seen.has(id); i++) id = `${edgeId(e.from, port, e.to)}#${i}`;
    seen.add(id);
    return {
      id,
      source: e.from,
      sourceHandle: port,
      target: e.to,
      targetHandle: "in",
      ...(port === defaultPort(portsById.get(e.from) ?? []) ? {} : { label: port }),
      ...(e.port === undefined ? { data: { implicitPort: true } } : {}),
    };
  });
  return { nodes, edges };
}

/** fromCanvas turns canvas nodes and edges back into a flow definition, keeping settings. */
export function fromCanvas(nodes: StepNode[], edges: StepEdge[], settings?: Record<string, unknown>): FlowDefinition {
  const portsById = new Map(nodes.map((n) => [n.id, n.data.ports]));
  const def: FlowDefinition = {
    nodes: nodes.map(
      (n): FlowNode => ({
        id: n.id,
        type: n.data.nodeType,
        name: n.data.name,
        config: n.data.config,
        position: { x: n.position.x, y: n.position.y },
        ...n.data.extra,
      }),
    ),
    edges: edges.map((e): FlowEdge => {
      const port = e.sourceHandle ?? undefined;
      const implicit = e.data?.implicitPort && port === defaultPort(portsById.get(e.source) ?? []);
      return implicit || port === undefined ? { from: e.source, to: e.target } : { from: e.source, to: e.target, port };
    }),
  };
  if (settings !== undefined) def.settings = settings;
  return def;
}
