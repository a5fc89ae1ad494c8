import { describe, expect, it } from "vitest";
import { niceMax, succeededTotal, summaryBuckets, summaryDurations } from "./stats";

describe("summaryBuckets", () => {
  it("keeps the series order and converts times", () => {
    const got = summaryBuckets({
      series: [
        { at: "2026-11-27T08:01:00Z", succeeded: 12, failed: 1 },
        { at: "not a time", succeeded: 3, failed: 0 },
        { at: "2026-11-27T08:02:00Z", succeeded: 0, failed: 2 },
      ],
    });
    expect(got).toEqual([
      { start: Date.parse("2026-11-27T08:01:00Z"), succeeded: 12, failed: 1 },
      { start: Date.parse("2026-11-27T08:02:00Z"), succeeded: 0, failed: 2 },
    ]);
  });

  it("sums the succeeded runs", () => {
    expect(succeededTotal({ series: [{ at: "x", succeeded: 4, failed: 9 }, { at: "y", succeeded: 5, failed: 0 }] })).toBe(9);
  });
});

describe("summaryDurations", () => {
  it("converts seconds to milliseconds, drops idle flows and sorts by p95", () => {
    const got = summaryDurations({
      flows: [
        { flow_id: "a", runs: 600, failed: 8, p50_seconds: 0.8, p95_seconds: 2.4 },
        { flow_id: "idle", runs: 0, failed: 0, p50_seconds: 0, p95_seconds: 0 },
        { flow_id: "b", runs: 5, failed: 0, p50_seconds: 3, p95_seconds: 9.5 },
      ],
    });
    expect(got).toEqual([
      { flowId: "b", count: 5, failed: 0, p50: 3000, p95: 9500 },
      { flowId: "a", count: 600, failed: 8, p50: 800, p95: 2400 },
    ]);
  });
});

describe("niceMax", () => {
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
