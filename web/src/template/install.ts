import type { Connection, InstalledFlow, Template } from "../api/types";

/** missingConnections lists the template's connection names that have no connection chosen yet. */
export function missingConnections(template: Pick<Template, "connections">, chosen: Record<string, string>): string[] {
  return template.connections.filter((c) => !chosen[c.name]).map((c) => c.name);
}

/** connectionsOfType lists the connections a template connection of the given type can use, by name. */
export function connectionsOfType(connections: Connection[], type: string): Connection[] {
  return connections.filter((c) => c.type === type).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * preselect picks, for every template connection without a choice, the only connection of its
 * type when there is exactly one; other choices are kept.
 */
export function preselect(template: Pick<Template, "connections">, connections: Connection[], chosen: Record<string, string>): Record<string, string> {
  const out = { ...chosen };
  for (const want of template.connections) {
    if (out[want.name]) continue;
    const fits = connectionsOfType(connections, want.type);
    if (fits.length === 1) out[want.name] = fits[0].id;
  }
  return out;
}

/** wiringText tells in words how an installed flow is triggered and what to set up for it. */
export function wiringText(flow: Pick<InstalledFlow, "wiring">): string {
  const w = flow.wiring ?? {};
  const parts: string[] = [];
  if (w.heartland_events?.length) parts.push(`Subscribe the webhook URL in Heartland to ${w.heartland_events.join(", ")}.`);
  if (w.epicor_events?.length) parts.push(`Have Epicor call the webhook URL on ${w.epicor_events.join(", ")}.`);
  if (w.schedule) parts.push(`Runs on a schedule: ${w.schedule}.`);
  return parts.join(" ");
}
