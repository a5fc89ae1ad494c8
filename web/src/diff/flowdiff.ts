import type { FlowDefinition, FlowEdge, FlowNode } from "../api/types";
import { isPlainObject } from "../schema/defaults";

/** ValueChange is one changed leaf, addressed like "config.mapping.sku" or "config.lines[1].qty". */
export interface ValueChange {
  path: string;
  before: unknown;
  after: unknown;
}

/** NodeRef names a node in a diff. */
export interface NodeRef {
  id: string;
  type: string;
  name: string;
}

/** NodeChange lists what changed inside a node present in both versions. */
export interface NodeChange extends NodeRef {
  changes: ValueChange[];
  moved: boolean;
}

/** FlowDiff is the difference between two flow definitions. */
export interface FlowDiff {
  nodesAdded: NodeRef[];
  nodesRemoved: NodeRef[];
  nodesChanged: NodeChange[];
  edgesAdded: FlowEdge[];
  edgesRemoved: FlowEdge[];
  settings: ValueChange[];
}

/** diffFlows compares two definitions; nodes match by id, edges by (from, port, to). Moves are noted but are not changes. */
export function diffFlows(before: FlowDefinition, after: FlowDefinition): FlowDiff {
  const oldNodes = new Map(before.nodes.map((n) => [n.id, n]));
  const newNodes = new Map(after.nodes.map((n) => [n.id, n]));
  const nodesChanged: NodeChange[] = [];
  for (const n of after.nodes) {
    const o = oldNodes.get(n.id);
    if (!o) continue;
    const changes = [
      ...leafChanges(o.name, n.name, "name"),
      ...leafChanges(o.type, n.type, "type"),
      ...leafChanges(o.config ?? {}, n.config ?? {}, "config"),
    ];
    const moved = o.position?.x !== n.position?.x || o.position?.y !== n.position?.y;
    if (changes.length || moved) nodesChanged.push({ ...ref(n), changes, moved });
  }
  const edgeKeys = (edges: FlowEdge[]) => new Set(edges.map(edgeKey));
  const oldEdges = edgeKeys(before.edges);
  const newEdges = edgeKeys(after.edges);
  return {
    nodesAdded: after.nodes.filter((n) => !oldNodes.has(n.id)).map(ref),
    nodesRemoved: before.nodes.filter((n) => !newNodes.has(n.id)).map(ref),
    nodesChanged,
    edgesAdded: after.edges.filter((e) => !oldEdges.has(edgeKey(e))),
    edgesRemoved: before.edges.filter((e) => !newEdges.has(edgeKey(e))),
    settings: leafChanges(before.settings ?? {}, after.settings ?? {}, "settings"),
  };
}

/** isEmptyDiff tells whether two versions differ in anything but node positions. */
export function isEmptyDiff(d: FlowDiff): boolean {
  return (
    !d.nodesAdded.length &&
    !d.nodesRemoved.length &&
    d.nodesChanged.every((c) => !c.changes.length) &&
    !d.edgesAdded.length &&
    !d.edgesRemoved.length &&
    !d.settings.length
  );
}

/** describeDiff renders a diff as plain sentences, one per change. */
export function describeDiff(d: FlowDiff, names?: Map<string, string>): string[] {
  const label = (id: string) => `“${names?.get(id) ?? id}”`;
  const lines: string[] = [];
  for (const n of d.nodesAdded) lines.push(`Added node “${n.name}” (${n.type}).`);
  for (const n of d.nodesRemoved) lines.push(`Removed node “${n.name}” (${n.type}).`);
  for (const n of d.nodesChanged) {
    for (const c of n.changes) lines.push(`Changed “${n.name}”: ${describeChange(c)}`);
  }
  for (const e of d.edgesAdded) lines.push(`Connected ${label(e.from)}${portText(e)} to ${label(e.to)}.`);
  for (const e of d.edgesRemoved) lines.push(`Disconnected ${label(e.from)}${portText(e)} from ${label(e.to)}.`);
  for (const c of d.settings) lines.push(`Changed flow settings: ${describeChange(c)}`);
  return lines;
}

/** formatValue shows a value compactly for a diff line. */
export function formatValue(v: unknown): string {
  if (v === undefined) return "(not set)";
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

function describeChange(c: ValueChange): string {
  if (c.before === undefined) return `${c.path} set to ${formatValue(c.after)}.`;
  if (c.after === undefined) return `${c.path} removed (was ${formatValue(c.before)}).`;
  return `${c.path} changed from ${formatValue(c.before)} to ${formatValue(c.after)}.`;
}

function portText(e: FlowEdge): string {
  return e.port ? ` (${e.port})` : "";
}

function ref(n: FlowNode): NodeRef {
  return { id: n.id, type: n.type, name: n.name };
}

function edgeKey(e: FlowEdge): string {
  return JSON.stringify([e.from, e.port ?? "", e.to]);
}

function leafChanges(a: unknown, b: unknown, path: string): ValueChange[] {
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => leafChanges(a[k], b[k], `${path}.${k}`));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const len = Math.max(a.length, b.length);
    return Array.from({ length: len }, (_, i) => leafChanges(a[i], b[i], `${path}[${i}]`)).flat();
  }
  return sameJSON(a, b) ? [] : [{ path, before: a, after: b }];
}

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
