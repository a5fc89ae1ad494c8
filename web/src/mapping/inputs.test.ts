import { describe, expect, it } from "vitest";
import type { Connection, Connector, Step } from "../api/types";
import type { StepEdge, StepNode } from "../canvas/step";
import {
  connectorTarget,
  downstreamConnectors,
  mappableOperations,
  mappingTarget,
  operationKey,
  parseOperationKey,
  parseSamples,
  parseSchema,
  sourceOptions,
  targetLabel,
} from "./inputs";

const step = (status: string, input: unknown, output: unknown): Step => ({
  step_key: "",
  node_id: "",
  node_type: "",
  status,
  input,
  output,
  attempt: 1,
  started_at: "",
  finished_at: "",
});

const stepNode = (id: string, nodeType: string, config: Record<string, unknown> = {}, result?: Step): StepNode => ({
  id,
  type: "step",
  position: { x: 0, y: 0 },
  data: { nodeType, name: id.toUpperCase(), config, title: nodeType, ports: ["out"], trigger: nodeType.startsWith("trigger."), result },
});

const edge = (source: string, target: string): StepEdge => ({ id: `${source}-${target}`, source, target });

describe("mapping sources", () => {
  const order = { public_id: "HL-1", lines: [{ qty: 1 }] };

  it("offers the trigger's sample when nothing ran", () => {
    const nodes = [stepNode("hook", "trigger.webhook", { sample: order }), stepNode("map", "map")];
    expect(sourceOptions(nodes, [edge("hook", "map")], "map")).toEqual([
      { id: "trigger", label: "The trigger's sample payload", samples: [order], origin: "trigger sample" },
    ]);
  });

  it("prefers the last test run: the node's input, then the upstream outputs, once each", () => {
    const enriched = { ...order, customer: { id: 7 } };
    const nodes = [
      stepNode("hook", "trigger.webhook", { sample: order }, step("succeeded", order, order)),
      stepNode("enrich", "http", {}, step("succeeded", order, enriched)),
      stepNode("other", "map", {}, step("succeeded", order, { note: "x" })),
      stepNode("broken", "map", {}, step("failed", order, { bad: true })),
      stepNode("map", "map", {}, step("succeeded", enriched, {})),
    ];
    const edges = [edge("hook", "enrich"), edge("enrich", "map"), edge("other", "map"), edge("broken", "map")];
    expect(sourceOptions(nodes, edges, "map").map((s) => [s.id, s.label, s.origin])).toEqual([
      ["input", "This node's input in the last test run", "last test run"],
      ["output:other", "Output of “OTHER” in the last test run", "last test run"],
      ["trigger", "The trigger's sample payload", "trigger sample"],
    ]);
  });

  it("skips data that is not a JSON object", () => {
    const nodes = [stepNode("hook", "trigger.webhook", { sample: [1, 2] }), stepNode("map", "map", {}, step("succeeded", "text", null))];
    expect(sourceOptions(nodes, [edge("hook", "map")], "map")).toEqual([]);
  });

  it.each([
    ['{"id": 1}', [{ id: 1 }]],
    ['[{"id": 1}, {"id": 2}]', [{ id: 1 }, { id: 2 }]],
  ])("reads pasted samples %s", (text, want) => {
    expect(parseSamples(text, "source sample")).toEqual({ ok: true, value: want });
  });

  it.each([
    ["", "Paste a source sample as JSON."],
    ["{", "That is not valid JSON"],
    ["[]", "The list is empty; paste at least one source sample."],
    ["42", "That is not a JSON object; a source sample must look like"],
    ['[{"id": 1}, 2]', "Item 2 of the list is not a JSON object"],
  ])("explains why pasted samples %j are refused", (text, message) => {
    const p = parseSamples(text, "source sample");
    expect(p.ok).toBe(false);
    expect(p.ok ? "" : p.message).toContain(message);
  });
});

describe("mapping targets", () => {
  const nodes = [
    stepNode("hook", "trigger.webhook"),
    stepNode("map", "map"),
    stepNode("check", "condition"),
    stepNode("order", "connector", { connection: "conn-1", operation: "create_sales_order" }),
    stepNode("lines", "connector", { connection: "conn-1", operation: "add_sales_order_lines", input: "{lines: .OrderDtls}" }),
    stepNode("unset", "connector", { connection: "", operation: "x" }),
    stepNode("before", "connector", { connection: "conn-1", operation: "get_sales_order" }),
  ];
  const edges = [edge("before", "hook"), edge("hook", "map"), edge("map", "check"), edge("check", "order"), edge("order", "lines"), edge("map", "unset"), edge("lines", "map")];

  it("finds the connectors downstream, nearest first, ignoring unconfigured ones and cycles", () => {
    expect(downstreamConnectors(nodes, edges, "map")).toEqual([
      { nodeId: "order", nodeName: "ORDER", connectionId: "conn-1", operation: "create_sales_order", inputProgram: false },
      { nodeId: "lines", nodeName: "LINES", connectionId: "conn-1", operation: "add_sales_order_lines", inputProgram: true },
    ]);
    expect(downstreamConnectors(nodes, edges, "unset")).toEqual([]);
  });

  it("resolves a downstream connector through its connection's type", () => {
    const conns = [{ id: "conn-1", type: "epicor" } as Connection];
    const [first] = downstreamConnectors(nodes, edges, "map");
    expect(connectorTarget(first, conns)).toEqual({ type: "epicor", operation: "create_sales_order" });
    expect(connectorTarget(first, [])).toBeNull();
  });

  it("round-trips operation keys", () => {
    expect(parseOperationKey(operationKey({ type: "epicor", operation: "create_sales_order" }))).toEqual({ type: "epicor", operation: "create_sales_order" });
    expect(parseOperationKey("")).toBeNull();
    expect(parseOperationKey("epicor/")).toBeNull();
  });

  it("lists only operations whose input has fields", () => {
    const connectors = [
      {
        type: "epicor",
        title: "Epicor",
        operations: [
          { name: "create_sales_order", input_schema: { type: "object", properties: { PONum: { type: "string" } } } },
          { name: "ping", input_schema: { type: "object", properties: {} } },
          { name: "raw" },
        ],
      },
      { type: "empty", title: "Empty", operations: [{ name: "noop" }] },
    ] as Connector[];
    const groups = mappableOperations(connectors);
    expect(groups.map((g) => [g.connector.type, g.operations.map((o) => o.name)])).toEqual([["epicor", ["create_sales_order"]]]);
  });

  it("builds the API target from the choice, or says what is missing", () => {
    expect(mappingTarget({ kind: "operation", ref: { type: "epicor", operation: "create_sales_order" } })).toEqual({
      ok: true,
      value: { connector: { type: "epicor", operation: "create_sales_order" } },
    });
    expect(mappingTarget({ kind: "operation", ref: null })).toEqual({ ok: false, message: "Choose a connector operation." });
    expect(mappingTarget({ kind: "samples", text: '{"PONum": "1"}' })).toEqual({ ok: true, value: { samples: [{ PONum: "1" }] } });
    const schema = { type: "object", properties: { PONum: { type: "string" } }, required: ["PONum"] };
    expect(mappingTarget({ kind: "schema", text: JSON.stringify(schema) })).toEqual({ ok: true, value: { schema } });
    expect(mappingTarget({ kind: "schema", text: '{"type": "object"}' })).toEqual({
      ok: false,
      message: "The schema has no properties, so there are no target fields to map.",
    });
    expect(parseSchema("[]").ok).toBe(false);
    expect(targetLabel({ kind: "operation", ref: { type: "epicor", operation: "create_sales_order" } })).toBe("epicor · create_sales_order");
    expect(targetLabel({ kind: "samples", text: "" })).toBe("the pasted target sample");
  });
});
