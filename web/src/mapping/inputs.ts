import type { Connection, Connector, MappingTarget } from "../api/types";
import type { StepEdge, StepNode } from "../canvas/step";
import type { PreviewData } from "../preview/sample";
import { triggerSample } from "../preview/sample";
import { isPlainObject } from "../schema/defaults";

/** SourceOption is sample data a mapping can start from. */
export interface SourceOption {
  id: string;
  label: string;
  /** samples are one or more JSON objects. */
  samples: Record<string, unknown>[];
  /** origin says where the data came from, in the words of the expression preview. */
  origin: PreviewData["source"];
}

/** pastedSourceId is the id of the "paste a sample" choice, which sourceOptions never returns. */
export const pastedSourceId = "pasted";

/**
 * sourceOptions lists what a node's mapping can start from, best first: the node's own input in the
 * last test run, the outputs of the nodes feeding it in that run, then the trigger's sample payload.
 * Only JSON objects qualify (a mapping maps fields); the same document is offered once.
 */
export function sourceOptions(nodes: StepNode[], edges: StepEdge[], nodeId: string): SourceOption[] {
  const out: SourceOption[] = [];
  const seen = new Set<string>();
  const add = (id: string, label: string, value: unknown, origin: SourceOption["origin"]) => {
    if (!isPlainObject(value)) return;
    const key = JSON.stringify(value);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ id, label, samples: [value], origin });
  };
  const self = nodes.find((n) => n.id === nodeId);
  add("input", "This node's input in the last test run", self?.data.result?.input, "last test run");
  for (const e of edges) {
    if (e.target !== nodeId) continue;
    const up = nodes.find((n) => n.id === e.source);
    const r = up?.data.result;
    if (up && r?.status === "succeeded") add(`output:${up.id}`, `Output of “${up.data.name || up.id}” in the last test run`, r.output, "last test run");
  }
  add("trigger", "The trigger's sample payload", triggerSample(nodes), "trigger sample");
  return out;
}

/** Parsed is the outcome of reading pasted JSON. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** parseSamples reads pasted sample documents (what names them, e.g. "source sample"): one JSON object, or an array of objects. */
export function parseSamples(text: string, what: string): Parsed<Record<string, unknown>[]> {
  if (text.trim() === "") return { ok: false, message: `Paste a ${what} as JSON.` };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `That is not valid JSON: ${(err as Error).message}` };
  }
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) return { ok: false, message: `The list is empty; paste at least one ${what}.` };
  const bad = list.findIndex((d) => !isPlainObject(d));
  if (bad >= 0) {
    const where = Array.isArray(v) ? `Item ${bad + 1} of the list is not a JSON object` : "That is not a JSON object";
    return { ok: false, message: `${where}; a ${what} must look like {"id": 1, "name": "…"}.` };
  }
  return { ok: true, value: list as Record<string, unknown>[] };
}

/** parseSchema reads a pasted JSON Schema: an object with properties (or items), so it has fields to map. */
export function parseSchema(text: string): Parsed<Record<string, unknown>> {
  if (text.trim() === "") return { ok: false, message: "Paste a JSON Schema." };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `That is not valid JSON: ${(err as Error).message}` };
  }
  if (!isPlainObject(v)) return { ok: false, message: 'A JSON Schema is an object such as {"type": "object", "properties": {…}}.' };
  if (!isPlainObject(v.properties)) return { ok: false, message: "The schema has no properties, so there are no target fields to map." };
  return { ok: true, value: v };
}

/** DownstreamConnector is a connector node the mapped data flows into. */
export interface DownstreamConnector {
  nodeId: string;
  nodeName: string;
  connectionId: string;
  operation: string;
  /** inputProgram is true when the connector reshapes its input with its own jq first. */
  inputProgram: boolean;
}

/**
 * downstreamConnectors finds the connector nodes reachable from a node along edges, nearest first,
 * that name a connection and an operation: their operation's input is a natural mapping target.
 */
export function downstreamConnectors(nodes: StepNode[], edges: StepEdge[], nodeId: string): DownstreamConnector[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out: DownstreamConnector[] = [];
  const seen = new Set([nodeId]);
  let frontier = [nodeId];
  while (frontier.length) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const e of edges) {
        if (e.source !== id || seen.has(e.target)) continue;
        seen.add(e.target);
        next.push(e.target);
        const n = byId.get(e.target);
        const { connection, operation, input } = n?.data.config ?? {};
        if (n?.data.nodeType === "connector" && typeof connection === "string" && connection && typeof operation === "string" && operation) {
          out.push({
            nodeId: n.id,
            nodeName: n.data.name || n.id,
            connectionId: connection,
            operation,
            inputProgram: typeof input === "string" && input.trim() !== "",
          });
        }
      }
    }
    frontier = next;
  }
  return out;
}

/** OperationRef names a connector operation: the connection type and the operation. */
export interface OperationRef {
  type: string;
  operation: string;
}

/** operationKey is the select value of an operation, e.g. "epicor/create_sales_order". */
export function operationKey(ref: OperationRef): string {
  return `${ref.type}/${ref.operation}`;
}

/** parseOperationKey reads an operationKey back, or returns null. */
export function parseOperationKey(key: string): OperationRef | null {
  const i = key.indexOf("/");
  if (i <= 0 || i === key.length - 1) return null;
  return { type: key.slice(0, i), operation: key.slice(i + 1) };
}

/** connectorTarget resolves a downstream connector to its connection type and operation, or null when its connection is gone. */
export function connectorTarget(c: DownstreamConnector, connections: Connection[]): OperationRef | null {
  const conn = connections.find((x) => x.id === c.connectionId);
  return conn ? { type: conn.type, operation: c.operation } : null;
}

/** mappableOperations lists the operations whose input schema has fields, per connector, for choosing a target. */
export function mappableOperations(connectors: Connector[]): { connector: Connector; operations: Connector["operations"] }[] {
  return connectors
    .map((connector) => ({
      connector,
      operations: connector.operations.filter((op) => isPlainObject(op.input_schema) && isPlainObject(op.input_schema.properties) && Object.keys(op.input_schema.properties).length > 0),
    }))
    .filter((g) => g.operations.length > 0);
}

/** TargetChoice is how the user names the target in the dialog. */
export type TargetChoice =
  | { kind: "operation"; ref: OperationRef | null }
  | { kind: "samples"; text: string }
  | { kind: "schema"; text: string };

/** mappingTarget turns a TargetChoice into the API's target, or says what is missing. */
export function mappingTarget(choice: TargetChoice): Parsed<MappingTarget> {
  switch (choice.kind) {
    case "operation":
      return choice.ref ? { ok: true, value: { connector: { type: choice.ref.type, operation: choice.ref.operation } } } : { ok: false, message: "Choose a connector operation." };
    case "samples": {
      const p = parseSamples(choice.text, "target sample");
      return p.ok ? { ok: true, value: { samples: p.value } } : p;
    }
    case "schema": {
      const p = parseSchema(choice.text);
      return p.ok ? { ok: true, value: { schema: p.value } } : p;
    }
  }
}

/** targetLabel describes a target for the summary line, e.g. "epicor · create_sales_order". */
export function targetLabel(choice: TargetChoice): string {
  switch (choice.kind) {
    case "operation":
      return choice.ref ? `${choice.ref.type} · ${choice.ref.operation}` : "a connector operation";
    case "samples":
      return "the pasted target sample";
    case "schema":
      return "the pasted JSON Schema";
  }
}
