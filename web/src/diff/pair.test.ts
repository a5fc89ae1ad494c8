import { describe, expect, it } from "vitest";
import { defaultPair, orderedPair } from "./pair";

describe("defaultPair", () => {
  it.each([
    { name: "no versions", versions: [], published: null, want: null },
    { name: "one version", versions: [1], published: 1, want: null },
    { name: "never published", versions: [1, 2, 3], published: null, want: { from: 2, to: 3 } },
    { name: "newest is live", versions: [3, 1, 2], published: 3, want: { from: 2, to: 3 } },
    { name: "older version is live", versions: [1, 2, 3, 4], published: 2, want: { from: 2, to: 4 } },
    { name: "live version missing from the list", versions: [5, 6], published: 2, want: { from: 5, to: 6 } },
    { name: "duplicates are ignored", versions: [2, 2], published: null, want: null },
  ])("$name", ({ versions, published, want }) => {
    expect(defaultPair(versions, published)).toEqual(want);
  });
});

describe("orderedPair", () => {
  it("puts the older version first whatever the order of choice", () => {
    expect(orderedPair(4, 2)).toEqual({ from: 2, to: 4 });
    expect(orderedPair(2, 4)).toEqual({ from: 2, to: 4 });
  });
  it("refuses to compare a version with itself", () => {
    expect(orderedPair(3, 3)).toBeNull();
  });
});
