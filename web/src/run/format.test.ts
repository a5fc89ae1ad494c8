import { describe, expect, it } from "vitest";
import { formatAgo, formatDuration, formatTime } from "./format";

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

describe("formatAgo", () => {
  const now = Date.parse("2026-03-10T12:00:00Z");
  it.each([
    ["2026-03-10T11:59:30Z", "just now"],
    ["2026-03-10T12:00:20Z", "just now"],
    ["2026-03-10T11:59:00Z", "1 min ago"],
    ["2026-03-10T11:01:00Z", "59 min ago"],
    ["2026-03-10T11:00:00Z", "1 h ago"],
    ["2026-03-09T12:00:01Z", "23 h ago"],
    ["2026-03-09T12:00:00Z", "1 d ago"],
    ["2026-03-03T12:00:01Z", "6 d ago"],
  ])("%s → %s", (iso, want) => expect(formatAgo(iso, now)).toBe(want));

  it("shows the date from a week on, and marks missing or unparseable values", () => {
    expect(formatAgo("2026-03-03T12:00:00Z", now)).toBe(new Date("2026-03-03T12:00:00Z").toLocaleDateString());
    expect(formatAgo(null, now)).toBe("—");
    expect(formatAgo("later", now)).toBe("later");
  });
});
