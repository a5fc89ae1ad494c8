import { describe, expect, it } from "vitest";
import type { Step } from "../api/types";
import type { StepNode } from "../canvas/step";
import { previewData, previewLanguage, triggerSample } from "./sample";

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

const stepNode = (id: string, config: Record<string, unknown>, opts: { trigger?: boolean; result?: Step } = {}): StepNode => ({
  id,
  type: "step",
  position: { x: 0, y: 0 },
  data: { nodeType: opts.trigger ? "trigger.webhook" : "map", name: id, config, title: id, ports: ["out"], trigger: opts.trigger ?? false, result: opts.result },
});

describe("preview sample data", () => {
  it("previews only jq and expr fields", () => {
    expect(previewLanguage("jq")).toBe("jq");
    expect(previewLanguage("expr")).toBe("expr");
    expect(previewLanguage("json")).toBeUndefined();
    expect(previewLanguage(undefined)).toBeUndefined();
  });

  it("takes the trigger's sample payload", () => {
    const nodes = [stepNode("map", { jq: "." }), stepNode("hook", { sample: { order: 1 } }, { trigger: true })];
    expect(triggerSample(nodes)).toEqual({ order: 1 });
    expect(previewData(nodes, "map")).toEqual({ input: { order: 1 }, trigger: { order: 1 }, nodes: {}, source: "trigger sample" });
  });

  it("prefers a pasted payload, also over the node's last input", () => {
    const nodes = [stepNode("hook", { sample: { order: 1 } }, { trigger: true }), stepNode("map", {}, { result: step("succeeded", { order: 5 }, { o: 5 }) })];
    expect(previewData(nodes, "map", { order: 2 })).toEqual({ input: { order: 2 }, trigger: { order: 2 }, nodes: { map: { o: 5 } }, source: "pasted" });
  });

  it("falls back to the last test run, with the outputs of succeeded steps as $nodes", () => {
    const nodes = [
      stepNode("hook", {}, { trigger: true, result: step("succeeded", { order: 7 }, { order: 7 }) }),
      stepNode("load", {}, { result: step("succeeded", { order: 7 }, { lines: [1] }) }),
      stepNode("fails", {}, { result: step("failed", { lines: [1] }, undefined) }),
      stepNode("map", {}, { result: step("skipped", { lines: [1] }, undefined) }),
    ];
    expect(previewData(nodes, "map")).toEqual({
      input: { lines: [1] },
      trigger: { order: 7 },
      nodes: { hook: { order: 7 }, load: { lines: [1] } },
      source: "last test run",
    });
  });

  it("has null data when there is no sample at all", () => {
    expect(previewData([stepNode("map", {})], "map")).toEqual({ input: null, trigger: null, nodes: {}, source: "none" });
  });
});
