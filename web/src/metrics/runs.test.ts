import { describe, expect, it } from "vitest";
import { bucketRuns, durationsByFlow, niceMax, percentile, statusCounts } from "./runs";

const minute = 60_000;
const end = Date.parse("2026-11-27T10:00:00Z");
const at = (minutesBeforeEnd: number) => new Date(end - minutesBeforeEnd * minute).toISOString();

describe("bucketRuns", () => {
  it("counts runs per status into the right minute, oldest bucket first", () => {
    const runs = [
      { status: "succeeded", started_at: at(0.5), created_at: at(0.5) },
      { status: "failed", started_at: at(0.2), created_at: at(0.2) },
      { status: "succeeded", started_at: at(2.5), created_at: at(2.5) },
      { status: "queued", created_at: at(1.5) },
    ];
    const got = bucketRuns(runs, end, minute, 3);
    expect(got.map((b) => [b.succeeded, b.failed, b.other])).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [1, 1, 0],
    ]);
    expect(got[0].start).toBe(end - 3 * minute);
  });

  it.each([
    { name: "before the window", t: at(3) },
    { name: "at the end (exclusive)", t: at(0) },
    { name: "after the end", t: at(-1) },
    { name: "unparseable", t: "yesterday" },
  ])("leaves out a run $name", ({ t }) => {
    const got = bucketRuns([{ status: "succeeded", started_at: t, created_at: t }], end, minute, 2);
    expect(got.reduce((n, b) => n + b.succeeded + b.failed + b.other, 0)).toBe(0);
  });

  it("includes a run exactly at the window's start", () => {
    const got = bucketRuns([{ status: "failed", started_at: at(2), created_at: at(2) }], end, minute, 2);
    expect(got[0].failed).toBe(1);
  });
});

describe("percentile", () => {
  it.each([
    { values: [], p: 50, want: NaN },
    { values: [7], p: 95, want: 7 },
    { values: [1, 2, 3, 4], p: 50, want: 2 },
    { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 95, want: 10 },
    { values: Array.from({ length: 100 }, (_, i) => i + 1), p: 95, want: 95 },
  ])("p$p of $values.length values", ({ values, p, want }) => {
    expect(percentile(values, p)).toBe(want);
  });
});

describe("durationsByFlow", () => {
  it("uses finished runs only and sorts the slowest first", () => {
    const run = (flow_id: string, ms: number) => ({ flow_id, started_at: at(10), finished_at: new Date(end - 10 * minute + ms).toISOString() });
    const got = durationsByFlow([run("a", 100), run("a", 300), run("a", 200), run("b", 5000), { flow_id: "b", started_at: at(1) }]);
    expect(got).toEqual([
      { flowId: "b", count: 1, p50: 5000, p95: 5000 },
      { flowId: "a", count: 3, p50: 200, p95: 300 },
    ]);
  });
});

describe("statusCounts and niceMax", () => {
  it("counts statuses", () => {
    expect(statusCounts([{ status: "failed" }, { status: "succeeded" }, { status: "failed" }])).toEqual({ failed: 2, succeeded: 1 });
  });
  it.each([
    [0, 1],
    [1, 1],
    [3, 5],
    [7, 10],
    [12, 20],
    [450, 500],
  ])("niceMax(%i) = %i", (v, want) => {
    expect(niceMax(v)).toBe(want);
  });
});
