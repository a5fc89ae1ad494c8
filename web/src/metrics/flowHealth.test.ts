import { describe, expect, it } from "vitest";
import { errorRate, lastRunAt } from "./flowHealth";

describe("errorRate", () => {
  it.each([
    [0, 0, "—", "none", "No runs finished in the last 24 hours"],
    [5, 0, "0%", "ok", "None of 5 runs failed in the last 24 hours"],
    [1, 1, "100%", "high", "1 of 1 run failed in the last 24 hours"],
    [5, 2, "40%", "high", "2 of 5 runs failed in the last 24 hours"],
    [10, 1, "10%", "high", "1 of 10 runs failed in the last 24 hours"],
    [11, 1, "9%", "some", "1 of 11 runs failed in the last 24 hours"],
    [1000, 1, "<1%", "some", "1 of 1000 runs failed in the last 24 hours"],
    [150, 1, "1%", "some", "1 of 150 runs failed in the last 24 hours"],
    [1000, 999, "99%", "high", "999 of 1000 runs failed in the last 24 hours"],
  ])("%i finished, %i failed → %s (%s)", (finished, failed, text, level, title) => {
    expect(errorRate(finished, failed)).toEqual({ text, level, title });
  });

  it("never counts more failures than finished runs, nor negative ones", () => {
    expect(errorRate(2, 5).text).toBe("100%");
    expect(errorRate(3, -1)).toMatchObject({ text: "0%", level: "ok" });
    expect(errorRate(-4, 1).level).toBe("none");
  });

  it("names another window", () => {
    expect(errorRate(2, 1, "this week").title).toBe("1 of 2 runs failed this week");
  });
});

describe("lastRunAt", () => {
  const run = { id: "r", status: "queued", created_at: "2026-01-01T00:00:00Z", started_at: null, finished_at: null };
  it("prefers the finish, then the start, then the trigger time", () => {
    expect(lastRunAt(run)).toBe("2026-01-01T00:00:00Z");
    expect(lastRunAt({ ...run, started_at: "2026-01-01T00:00:01Z" })).toBe("2026-01-01T00:00:01Z");
    expect(lastRunAt({ ...run, started_at: "2026-01-01T00:00:01Z", finished_at: "2026-01-01T00:00:09Z" })).toBe("2026-01-01T00:00:09Z");
  });
});
