/** Link is the part of an edge that connection rules look at. */
export interface Link {
  source: string;
  target: string;
  sourceHandle?: string | null;
}

/** connectionProblem explains why a new link may not be drawn, or returns null when it may. */
export function connectionProblem(link: Link, existing: Link[], triggers: Set<string>): string | null {
  if (link.source === link.target) return "A node cannot connect to itself.";
  if (triggers.has(link.target)) return "A trigger starts the flow and cannot have inputs.";
  if (existing.some((e) => e.source === link.source && e.target === link.target && (e.sourceHandle ?? null) === (link.sourceHandle ?? null))) {
    return "These nodes are already connected from that port.";
  }
  if (reaches(link.target, link.source, existing)) return "That connection would make a loop; flows must not loop.";
  return null;
}

function reaches(from: string, to: string, links: Link[]): boolean {
  const next = new Map<string, string[]>();
  for (const l of links) next.set(l.source, [...(next.get(l.source) ?? []), l.target]);
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return false;
}
