import { describe, expect, it } from "vitest";
import { layeredLayout } from "./layered";

const opts = { columnGap: 100, rowGap: 50 };

describe("layeredLayout", () => {
  it("puts a chain in consecutive columns on one row", () => {
    const got = layeredLayout(["a", "b", "c"], [
      { from: "a", to: "b" },
      { from: "b", to: "c" },
    ], opts);
    expect([...got.entries()]).toEqual([
      ["a", { x: 0, y: 0 }],
      ["b", { x: 100, y: 0 }],
      ["c", { x: 200, y: 0 }],
    ]);
  });

  it("places a node after its furthest predecessor", () => {
    // a → b → c and a → c: c belongs in column 2, not 1.
    const got = layeredLayout(["c", "b", "a"], [
      { from: "a", to: "b" },
      { from: "b", to: "c" },
      { from: "a", to: "c" },
    ], opts);
    expect(got.get("a")!.x).toBe(0);
    expect(got.get("b")!.x).toBe(100);
    expect(got.get("c")!.x).toBe(200);
  });

  it("centres a layer and orders it by predecessors to avoid crossings", () => {
    // x feeds q, y feeds p; p and q are listed in the crossing order.
    const got = layeredLayout(["x", "y", "p", "q"], [
      { from: "y", to: "p" },
      { from: "x", to: "q" },
    ], opts);
    expect(got.get("x")).toEqual({ x: 0, y: -25 });
    expect(got.get("y")).toEqual({ x: 0, y: 25 });
    expect(got.get("q")).toEqual({ x: 100, y: -25 });
    expect(got.get("p")).toEqual({ x: 100, y: 25 });
  });

  it("survives cycles, self loops and unknown ids", () => {
    const got = layeredLayout(["a", "b", "c"], [
      { from: "a", to: "b" },
      { from: "b", to: "c" },
      { from: "c", to: "a" },
      { from: "b", to: "b" },
      { from: "a", to: "ghost" },
    ], opts);
    expect(got.size).toBe(3);
    expect([got.get("a")!.x, got.get("b")!.x, got.get("c")!.x]).toEqual([0, 100, 200]);
  });

  it("is deterministic and places every node exactly once", () => {
    const ids = Array.from({ length: 30 }, (_, i) => `n${i}`);
    const edges = ids.slice(1).map((id, i) => ({ from: ids[Math.floor(i / 2)], to: id }));
    const a = layeredLayout(ids, edges, opts);
    const b = layeredLayout(ids, edges, opts);
    expect([...a.entries()]).toEqual([...b.entries()]);
    const spots = new Set([...a.values()].map((p) => `${p.x},${p.y}`));
    expect(spots.size).toBe(ids.length);
  });

  it("returns nothing for an empty graph", () => {
    expect(layeredLayout([], [], opts).size).toBe(0);
  });
});
