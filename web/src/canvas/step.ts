import type { Edge, Node } from "@xyflow/react";
import type { FlowNode, NodeType, Position, Step } from "../api/types";
import { defaultValue, isPlainObject } from "../schema/defaults";

/** StepData is what a canvas node carries: the flow node plus what the editor shows on it. */
export type StepData = {
  nodeType: string;
  name: string;
  config: Record<string, unknown>;
  title: string;
  ports: string[];
  trigger: boolean;
  /** extra keeps unknown keys of the flow node so a round trip loses nothing. */
  extra?: Record<string, unknown>;
  /** result is this node's step from the last test run. */
  result?: Step;
  /** issues are validation messages the server gave for this node. */
  issues?: string[];
};

/** StepNode is a node on the flow canvas. */
export type StepNode = Node<StepData, "step">;

/** EdgeData marks an edge whose port was left out of the flow definition. */
export type EdgeData = { implicitPort?: boolean };

/** StepEdge is an edge on the flow canvas; sourceHandle is the port. */
export type StepEdge = Edge<EdgeData>;

/** defaultPorts are the ports of a node whose type declares none. */
export const defaultPorts = ["out"];

/** defaultPort is the port an edge without one leaves from: "out" when present, else the first. */
export function defaultPort(ports: string[]): string {
  return ports.includes("out") ? "out" : (ports[0] ?? "out");
}

/**
 * portsFor lists a node's output ports: switch cases from its config first, then the ports its
 * type declares, then any port an existing edge uses (so nothing on the canvas is dropped).
 */
export function portsFor(node: Pick<FlowNode, "id" | "config">, type: NodeType | undefined, usedPorts: string[] = []): string[] {
  const out: string[] = [];
  const add = (p: string) => {
    if (p && !out.includes(p)) out.push(p);
  };
  caseNames(node.config).forEach(add);
  (type?.ports?.length ? type.ports : defaultPorts).forEach(add);
  usedPorts.forEach(add);
  return out;
}

/** caseNames reads switch cases from config.cases: strings, or objects with port, name or value. */
export function caseNames(config: Record<string, unknown>): string[] {
  const cases = config.cases;
  if (!Array.isArray(cases)) return [];
  return cases
    .map((c) => {
      if (typeof c === "string") return c;
      if (isPlainObject(c)) {
        const name = c.port ?? c.name ?? c.value;
        return typeof name === "string" || typeof name === "number" ? String(name) : "";
      }
      return "";
    })
    .filter((name) => name !== "");
}

/** newNodeId returns "<type>_<n>" with the smallest n not yet taken. */
export function newNodeId(type: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base = type.replace(/[^A-Za-z0-9_]/g, "_");
  for (let n = 1; ; n++) {
    const id = `${base}_${n}`;
    if (!used.has(id)) return id;
  }
}

/** createStep makes a canvas node for a new node of the given type, config filled with defaults. */
export function createStep(type: NodeType, position: Position, taken: Iterable<string>): StepNode {
  const config = defaultValue(type.config_schema);
  const node = { id: newNodeId(type.type, taken), config: isPlainObject(config) ? config : {} };
  return {
    id: node.id,
    type: "step",
    position,
    data: {
      nodeType: type.type,
      name: type.title,
      config: node.config,
      title: type.title,
      ports: portsFor(node, type),
      trigger: type.trigger,
    },
  };
}
