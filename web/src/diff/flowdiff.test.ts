import { describe, expect, it } from "vitest";
import type { FlowDefinition } from "../api/types";
import { describeDiff, diffFlows, formatValue, isEmptyDiff } from "./flowdiff";

const v1: FlowDefinition = {
  nodes: [
    { id: "hook", type: "webhook", name: "Order placed", config: {}, position: { x: 0, y: 0 } },
    { id: "map", type: "map", name: "To order", config: { expression: ".a", options: { strict: true }, lines: [1, 2] }, position: { x: 200, y: 0 } },
    { id: "old", type: "http", name: "Notify", config: { url: "https://a" }, position: { x: 400, y: 0 } },
  ],
  edges: [
    { from: "hook", to: "map" },
    { from: "map", to: "old", port: "out" },
  ],
  settings: { timeout_seconds: 30 },
};

const v2: FlowDefinition = {
  nodes: [
    { id: "hook", type: "webhook", name: "Order placed", config: {}, position: { x: 10, y: 0 } },
    { id: "map", type: "map", name: "To sales order", config: { expression: ".b", options: { strict: true }, lines: [1, 3, 4], label: "x" }, position: { x: 200, y: 0 } },
    { id: "post", type: "epicor.create_order", name: "Create order", config: {}, position: { x: 400, y: 0 } },
  ],
  edges: [
    { from: "hook", to: "map" },
    { from: "map", to: "post", port: "out" },
  ],
  settings: { timeout_seconds: 60 },
};

describe("diffFlows", () => {
  const d = diffFlows(v1, v2);

  it("finds added and removed nodes", () => {
    expect(d.nodesAdded).toEqual([{ id: "post", type: "epicor.create_order", name: "Create order" }]);
    expect(d.nodesRemoved).toEqual([{ id: "old", type: "http", name: "Notify" }]);
  });

  it("lists field-level config changes", () => {
    const map = d.nodesChanged.find((n) => n.id === "map")!;
    expect(map.changes).toEqual([
      { path: "name", before: "To order", after: "To sales order" },
      { path: "config.expression", before: ".a", after: ".b" },
      { path: "config.lines[1]", before: 2, after: 3 },
      { path: "config.lines[2]", before: undefined, after: 4 },
      { path: "config.label", before: undefined, after: "x" },
    ]);
    expect(map.moved).toBe(false);
  });

  it("notes a move without calling it a change", () => {
    expect(d.nodesChanged.find((n) => n.id === "hook")).toEqual({ id: "hook", type: "webhook", name: "Order placed", changes: [], moved: true });
  });

  it("finds edge and settings changes", () => {
    expect(d.edgesAdded).toEqual([{ from: "map", to: "post", port: "out" }]);
    expect(d.edgesRemoved).toEqual([{ from: "map", to: "old", port: "out" }]);
    expect(d.settings).toEqual([{ path: "settings.timeout_seconds", before: 30, after: 60 }]);
  });

  it("is empty between a version and itself, and when only positions moved", () => {
    expect(isEmptyDiff(diffFlows(v1, structuredClone(v1)))).toBe(true);
    const moved = structuredClone(v1);
    moved.nodes[0].position = { x: 99, y: 99 };
    expect(isEmptyDiff(diffFlows(v1, moved))).toBe(true);
    expect(isEmptyDiff(d)).toBe(false);
  });

  it("treats a port change as a removed and an added edge", () => {
    const b = structuredClone(v1);
    b.edges[0] = { from: "hook", to: "map", port: "error" };
    const pd = diffFlows(v1, b);
    expect(pd.edgesRemoved).toEqual([{ from: "hook", to: "map" }]);
    expect(pd.edgesAdded).toEqual([{ from: "hook", to: "map", port: "error" }]);
  });
});

describe("describeDiff", () => {
  it("writes one sentence per change, naming nodes", () => {
    const names = new Map([...v1.nodes, ...v2.nodes].map((n) => [n.id, n.name]));
    expect(describeDiff(diffFlows(v1, v2), names)).toEqual([
      "Added node “Create order” (epicor.create_order).",
      "Removed node “Notify” (http).",
      "Changed “To sales order”: name changed from \"To order\" to \"To sales order\".",
      "Changed “To sales order”: config.expression changed from \".a\" to \".b\".",
      "Changed “To sales order”: config.lines[1] changed from 2 to 3.",
      "Changed “To sales order”: config.lines[2] set to 4.",
      "Changed “To sales order”: config.label set to \"x\".",
      "Connected “To sales order” (out) to “Create order”.",
      "Disconnected “To sales order” (out) from “Notify”.",
      "Changed flow settings: settings.timeout_seconds changed from 30 to 60.",
    ]);
  });

  it("shortens long values", () => {
    expect(formatValue("x".repeat(200))).toHaveLength(78);
    expect(formatValue(undefined)).toBe("(not set)");
  });
});
