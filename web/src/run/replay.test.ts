import { describe, expect, it } from "vitest";
import { buildReplayRequest, canCancel, canReplay, defaultReplayForm, type ReplayForm } from "./replay";

const base: ReplayForm = { from: "trigger", step: "", inputText: "", version: "original", forceEffects: false, note: "" };

describe("buildReplayRequest", () => {
  it.each<[string, Partial<ReplayForm>, boolean, unknown]>([
    ["from the trigger, dry run", {}, true, { from: "trigger", version: "original", force_effects: false, dry_run: true }],
    [
      "from a chosen step with edited input",
      { from: "step", step: " map_1 ", inputText: '{"sku":"A-1"}', version: "published", forceEffects: true, note: " fixed sku " },
      false,
      { from: "step", step: "map_1", input: { sku: "A-1" }, version: "published", force_effects: true, dry_run: false, note: "fixed sku" },
    ],
    ["an edited trigger payload that is an array", { inputText: ' [1, 2] ' }, true, { from: "trigger", input: [1, 2], version: "original", force_effects: false, dry_run: true }],
    [
      "from the failed step leaves the step out",
      { from: "failed_step", step: "http_1" },
      true,
      { from: "failed_step", version: "original", force_effects: false, dry_run: true },
    ],
  ])("builds %s", (_name, patch, dryRun, want) => {
    const got = buildReplayRequest({ ...base, ...patch }, dryRun);
    expect(got).toEqual({ ok: true, request: want });
  });

  it.each<[string, Partial<ReplayForm>, string, RegExp]>([
    ["a chosen step that is blank", { from: "step", step: "  " }, "step", /Choose the step/],
    ["input that is not JSON", { inputText: "{sku:" }, "input", /not valid JSON/],
    ["input with a trailing comma", { inputText: '{"a":1,}' }, "input", /not valid JSON/],
  ])("rejects %s", (_name, patch, field, message) => {
    const got = buildReplayRequest({ ...base, ...patch }, true);
    if (got.ok) throw new Error(`expected an error on ${field}, got ${JSON.stringify(got.request)}`);
    expect(got.errors[field as keyof typeof got.errors]).toMatch(message);
  });
});

describe("run actions", () => {
  it.each([
    ["succeeded", true, false],
    ["failed", true, false],
    ["cancelled", true, false],
    ["queued", false, true],
    ["running", false, true],
    ["waiting", false, true],
  ])("%s: replay %s, cancel %s", (status, replay, cancel) => {
    expect([canReplay(status), canCancel(status)]).toEqual([replay, cancel]);
  });

  it("starts at the failed step when there is one", () => {
    expect(defaultReplayForm("http_1")).toMatchObject({ from: "failed_step", step: "http_1" });
    expect(defaultReplayForm()).toMatchObject({ from: "trigger", step: "" });
  });
});
