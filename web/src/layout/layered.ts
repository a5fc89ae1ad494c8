import type { Position } from "../api/types";

/** LayoutOptions size the grid of a layered layout. */
export interface LayoutOptions {
  /** columnGap is the distance between layers, left to right. */
  columnGap: number;
  /** rowGap is the distance between nodes of one layer, top to bottom. */
  rowGap: number;
}

/** defaultLayout suits the editor's node size. */
export const defaultLayout: LayoutOptions = { columnGap: 300, rowGap: 120 };

/**
 * layeredLayout places a directed graph left to right: each node goes one layer after its
 * furthest predecessor (longest path), and nodes in a layer are ordered by the mean row of
 * their predecessors to cut crossings. Edges that close a cycle are ignored. Ties keep input
 * order, so the result is deterministic. Layers are centred vertically around y = 0.
 */
export function layeredLayout(
  ids: string[],
  edges: { from: string; to: string }[],
  opts: LayoutOptions = defaultLayout,
): Map<string, Position> {
  const known = new Set(ids);
  const order = new Map(ids.map((id, i) => [id, i]));
  const preds = new Map<string, string[]>(ids.map((id) => [id, []]));
  const succs = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of forwardEdges(ids, edges.filter((e) => known.has(e.from) && known.has(e.to) && e.from !== e.to))) {
    preds.get(e.to)!.push(e.from);
    succs.get(e.from)!.push(e.to);
  }

  // Longest-path layering in topological order (Kahn, ties by input order).
  const layer = new Map<string, number>();
  const indegree = new Map(ids.map((id) => [id, preds.get(id)!.length]));
  const ready = ids.filter((id) => indegree.get(id) === 0);
  while (ready.length) {
    ready.sort((a, b) => order.get(a)! - order.get(b)!);
    const id = ready.shift()!;
    layer.set(id, Math.max(0, ...preds.get(id)!.map((p) => layer.get(p)! + 1)));
    for (const s of succs.get(id)!) {
      indegree.set(s, indegree.get(s)! - 1);
      if (indegree.get(s) === 0) ready.push(s);
    }
  }

  const layers: string[][] = [];
  for (const id of ids) (layers[layer.get(id)!] ??= []).push(id);

  // Order each layer by the mean row of its predecessors in the previous layers.
  const row = new Map<string, number>();
  for (const ids of layers) {
    const score = (id: string) => {
      const ps = preds.get(id)!;
      return ps.length ? ps.reduce((sum, p) => sum + row.get(p)!, 0) / ps.length : order.get(id)!;
    };
    const scored = ids.map((id) => ({ id, s: score(id) }));
    scored.sort((a, b) => a.s - b.s || order.get(a.id)! - order.get(b.id)!);
    scored.forEach(({ id }, i) => row.set(id, i));
    ids.splice(0, ids.length, ...scored.map((x) => x.id));
  }

  const out = new Map<string, Position>();
  layers.forEach((ids, col) => {
    const top = -((ids.length - 1) * opts.rowGap) / 2;
    ids.forEach((id, i) => out.set(id, { x: col * opts.columnGap, y: top + i * opts.rowGap }));
  });
  return out;
}

/** forwardEdges drops the edges that close a cycle, found by depth-first search in input order. */
function forwardEdges(ids: string[], edges: { from: string; to: string }[]): { from: string; to: string }[] {
  const out = new Map<string, { from: string; to: string }[]>(ids.map((id) => [id, []]));
  for (const e of edges) out.get(e.from)!.push(e);
  const state = new Map<string, "open" | "done">();
  const keep: { from: string; to: string }[] = [];
  const visit = (id: string) => {
    state.set(id, "open");
    for (const e of out.get(id)!) {
      const s = state.get(e.to);
      if (s === "open") continue; // back edge: closes a cycle
      keep.push(e);
      if (!s) visit(e.to);
    }
    state.set(id, "done");
  };
  for (const id of ids) if (!state.has(id)) visit(id);
  return keep;
}
