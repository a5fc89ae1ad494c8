import { describe, expect, it } from "vitest";
import type { FlowDefinition, NodeType } from "../api/types";
import { connectionProblem } from "./connect";
import { fromCanvas, toCanvas } from "./convert";
import { caseNames, createStep, newNodeId, portsFor } from "./step";

const types: NodeType[] = [
  { type: "webhook", title: "Webhook", category: "trigger", description: "", config_schema: { type: "object" }, ports: ["out"], trigger: true },
  {
    type: "map",
    title: "Map (jq)",
    category: "transform",
    description: "",
    config_schema: { type: "object", properties: { expression: { type: "string", default: "." } } },
    ports: ["out", "error"],
    trigger: false,
  },
  { type: "condition", title: "Condition", category: "logic", description: "", config_schema: { type: "object" }, ports: ["true", "false", "error"], trigger: false },
  { type: "switch", title: "Switch", category: "logic", description: "", config_schema: { type: "object" }, ports: ["default", "error"], trigger: false },
];

const flow: FlowDefinition = {
  nodes: [
    { id: "hook", type: "webhook", name: "Order placed", config: { secret_ref: "x" }, position: { x: 0, y: 0 } },
    { id: "check", type: "condition", name: "Paid?", config: { expression: "status == 'paid'" }, position: { x: 240.5, y: 10 } },
    { id: "route", type: "switch", name: "By store", config: { cases: [{ port: "east" }, { name: "west" }, "north"] }, position: { x: 480, y: -60 } },
    { id: "map", type: "map", name: "To Epicor", config: { expression: ".order" }, position: { x: 720, y: 0 }, disabled: true } as never,
    { id: "old", type: "retired_type", name: "Legacy", config: {}, position: { x: 960, y: 0 } },
  ],
  edges: [
    { from: "hook", to: "check" },
    { from: "check", to: "route", port: "true" },
    { from: "check", to: "map", port: "false" },
    { from: "route", to: "map", port: "east" },
    { from: "route", to: "map", port: "default" },
    { from: "map", to: "old", port: "out" },
    { from: "old", to: "map", port: "legacy_port" },
  ],
  settings: { timeout_seconds: 60 },
};

describe("toCanvas", () => {
  const canvas = toCanvas(flow, types);
  const node = (id: string) => canvas.nodes.find((n) => n.id === id)!;

  it("keeps ids, positions, names and config", () => {
    expect(canvas.nodes.map((n) => [n.id, n.position.x, n.position.y])).toEqual([
      ["hook", 0, 0],
      ["check", 240.5, 10],
      ["route", 480, -60],
      ["map", 720, 0],
      ["old", 960, 0],
    ]);
    expect(node("check").data).toMatchObject({ name: "Paid?", nodeType: "condition", title: "Condition" });
  });

  it("turns ports into handles, switch cases first", () => {
    expect(node("check").data.ports).toEqual(["true", "false", "error"]);
    expect(node("route").data.ports).toEqual(["east", "west", "north", "default", "error"]);
    expect(node("hook").data.trigger).toBe(true);
    expect(node("old").data.ports).toEqual(["out", "legacy_port"]);
  });

  it("maps edge ports to source handles and labels non-default ports", () => {
    const e = canvas.edges.find((x) => x.source === "check" && x.target === "map")!;
    expect(e.sourceHandle).toBe("false");
    expect(e.label).toBe("false");
    const plain = canvas.edges.find((x) => x.source === "hook")!;
    expect(plain.sourceHandle).toBe("out");
    expect(plain.label).toBeUndefined();
  });

  it("gives every edge a unique id", () => {
    expect(new Set(canvas.edges.map((e) => e.id)).size).toBe(flow.edges.length);
  });
});

describe("round trip", () => {
  it("fromCanvas(toCanvas(flow)) equals flow", () => {
    const c = toCanvas(flow, types);
    expect(fromCanvas(c.nodes, c.edges, flow.settings)).toEqual(flow);
  });

  it("keeps an omitted port omitted and an explicit default port explicit", () => {
    const c = toCanvas(flow, types);
    const back = fromCanvas(c.nodes, c.edges, flow.settings);
    expect(back.edges[0]).toEqual({ from: "hook", to: "check" });
    expect(back.edges[5]).toEqual({ from: "map", to: "old", port: "out" });
  });

  it("writes the new port when an implicit edge is moved to another port", () => {
    const c = toCanvas(flow, types);
    const edges = c.edges.map((e) => (e.source === "hook" ? { ...e, sourceHandle: "error" } : e));
    expect(fromCanvas(c.nodes, edges).edges[0]).toEqual({ from: "hook", to: "check", port: "error" });
  });

  it("leaves settings out when there are none", () => {
    const c = toCanvas({ nodes: [], edges: [] }, types);
    expect(fromCanvas(c.nodes, c.edges)).toEqual({ nodes: [], edges: [] });
  });
});

describe("steps", () => {
  it("creates a node with a free id and default config", () => {
    const s = createStep(types[1], { x: 5, y: 6 }, ["map_1"]);
    expect(s.id).toBe("map_2");
    expect(s.data).toMatchObject({ nodeType: "map", name: "Map (jq)", config: { expression: "." }, ports: ["out", "error"] });
    expect(s.position).toEqual({ x: 5, y: 6 });
  });

  it("sanitises ids", () => {
    expect(newNodeId("heartland.order-get", [])).toBe("heartland_order_get_1");
  });

  it("reads case names of several shapes and skips unusable ones", () => {
    expect(caseNames({ cases: ["a", { port: "b" }, { name: "c" }, { value: 4 }, { other: 1 }, null] })).toEqual(["a", "b", "c", "4"]);
    expect(caseNames({ cases: "nope" })).toEqual([]);
  });

  it("falls back to an out port for unknown types", () => {
    expect(portsFor({ id: "x", config: {} }, undefined)).toEqual(["out"]);
  });
});

describe("connectionProblem", () => {
  const existing = [
    { source: "a", target: "b", sourceHandle: "out" },
    { source: "b", target: "c", sourceHandle: "out" },
  ];
  it.each<[string, { source: string; target: string; sourceHandle?: string }, string | null]>([
    ["fine", { source: "a", target: "c", sourceHandle: "out" }, null],
    ["same pair, other port", { source: "a", target: "b", sourceHandle: "error" }, null],
    ["self", { source: "a", target: "a" }, "A node cannot connect to itself."],
    ["into trigger", { source: "c", target: "t" }, "A trigger starts the flow and cannot have inputs."],
    ["duplicate", { source: "a", target: "b", sourceHandle: "out" }, "These nodes are already connected from that port."],
    ["cycle", { source: "c", target: "a", sourceHandle: "out" }, "That connection would make a loop; flows must not loop."],
  ])("%s", (_n, link, want) => {
    expect(connectionProblem(link, existing, new Set(["t"]))).toBe(want);
  });
});
