import { describe, expect, it } from "vitest";
import { formatDuration, formatTime } from "./format";

describe("formatDuration", () => {
  it.each([
    ["2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.850Z", "850 ms"],
    ["2026-01-01T00:00:00Z", "2026-01-01T00:00:12.340Z", "12.3 s"],
    ["2026-01-01T00:00:00Z", "2026-01-01T00:04:05Z", "4 min 5 s"],
    ["2026-01-01T00:00:05Z", "2026-01-01T00:00:00Z", "—"],
    ["2026-01-01T00:00:00Z", null, "—"],
    ["nonsense", "2026-01-01T00:00:00Z", "—"],
  ])("%s → %s", (a, b, want) => expect(formatDuration(a, b)).toBe(want));
});

describe("formatTime", () => {
  it("keeps unparseable input and marks missing values", () => {
    expect(formatTime("soon")).toBe("soon");
    expect(formatTime(null)).toBe("—");
    expect(formatTime("2026-01-01T00:00:00Z")).not.toBe("—");
  });
});
