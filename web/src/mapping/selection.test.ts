import { describe, expect, it } from "vitest";
import type { MappingSuggestion } from "../api/types";
import {
  acceptedPairs,
  candidatesOf,
  chosenCandidate,
  confidenceLevel,
  initialSelection,
  isSuggestedProgram,
  percent,
  setAccepted,
  setAll,
  setSource,
} from "./selection";

const suggestion = (target: string, source: string, confidence: number, alternatives: [string, number][] = []): MappingSuggestion => ({
  target,
  source,
  confidence,
  reason: `${source} looks like ${target}`,
  scores: {},
  alternatives: alternatives.map(([s, c]) => ({ source: s, confidence: c, reason: `${s} also fits`, scores: {} })),
});

const suggestions = [
  suggestion("PONum", "public_id", 0.93),
  suggestion("CustNum", "customer_id", 0.81, [["customer.id", 0.7]]),
  suggestion("OrderDtls[].PartNum", "lines[].item_lookup", 0.78, [["lines[].item_id", 0.62]]),
  suggestion("OrderDtls[].DocUnitPrice", "lines[].unit_price", 0.66, [
    ["lines[].adjusted_unit_price", 0.64],
    ["lines[].price", 0.5],
  ]),
  suggestion("NeedByDate", "created_at", 0.52),
];

describe("mapping selection", () => {
  it("starts with the best source of every field, accepting the confident ones", () => {
    const sel = initialSelection(suggestions);
    expect(sel).toEqual({
      PONum: { accepted: true, source: "public_id" },
      CustNum: { accepted: true, source: "customer_id" },
      "OrderDtls[].PartNum": { accepted: true, source: "lines[].item_lookup" },
      "OrderDtls[].DocUnitPrice": { accepted: false, source: "lines[].unit_price" },
      NeedByDate: { accepted: false, source: "created_at" },
    });
    expect(Object.values(initialSelection(suggestions, 0)).every((c) => c.accepted)).toBe(true);
  });

  it("lists the best candidate first, then the alternatives, without repeating it", () => {
    const s = suggestion("X", "a", 0.9, [
      ["b", 0.6],
      ["a", 0.5],
    ]);
    expect(candidatesOf(s).map((c) => c.source)).toEqual(["a", "b"]);
    expect(chosenCandidate(s, { accepted: true, source: "b" }).confidence).toBe(0.6);
    expect(chosenCandidate(s, { accepted: true, source: "gone" }).source).toBe("a");
    expect(chosenCandidate(s, undefined).source).toBe("a");
  });

  it("rejects and accepts one field without touching the others", () => {
    const sel = initialSelection(suggestions);
    const rejected = setAccepted(sel, "PONum", false);
    expect(rejected.PONum).toEqual({ accepted: false, source: "public_id" });
    expect(rejected.CustNum).toBe(sel.CustNum);
    expect(sel.PONum.accepted).toBe(true);
    expect(setAccepted(rejected, "PONum", true).PONum.accepted).toBe(true);
    expect(setAccepted(sel, "PONum", true)).toBe(sel);
    expect(setAccepted(sel, "Unknown", true)).toBe(sel);
  });

  it("accepts a field when the user picks an alternative source", () => {
    const sel = initialSelection(suggestions);
    const picked = setSource(sel, "OrderDtls[].DocUnitPrice", "lines[].adjusted_unit_price");
    expect(picked["OrderDtls[].DocUnitPrice"]).toEqual({ accepted: true, source: "lines[].adjusted_unit_price" });
  });

  it("uses or drops every field at once", () => {
    const none = setAll(initialSelection(suggestions), false);
    expect(acceptedPairs(none, suggestions)).toEqual([]);
    expect(acceptedPairs(setAll(none, true), suggestions)).toHaveLength(suggestions.length);
  });

  it("builds the pairs of the accepted fields with their chosen sources, in suggestion order", () => {
    let sel = initialSelection(suggestions);
    sel = setAccepted(sel, "PONum", false);
    sel = setSource(sel, "CustNum", "customer.id");
    sel = setSource(sel, "OrderDtls[].DocUnitPrice", "lines[].adjusted_unit_price");
    expect(acceptedPairs(sel, suggestions)).toEqual([
      { source: "customer.id", target: "CustNum" },
      { source: "lines[].item_lookup", target: "OrderDtls[].PartNum" },
      { source: "lines[].adjusted_unit_price", target: "OrderDtls[].DocUnitPrice" },
    ]);
  });

  it("uses the suggested program only when every field is used from its best source", () => {
    const all = setAll(initialSelection(suggestions), true);
    expect(isSuggestedProgram(all, suggestions)).toBe(true);
    expect(isSuggestedProgram(setAccepted(all, "NeedByDate", false), suggestions)).toBe(false);
    expect(isSuggestedProgram(setSource(all, "CustNum", "customer.id"), suggestions)).toBe(false);
    expect(isSuggestedProgram(setSource(setSource(all, "CustNum", "customer.id"), "CustNum", "customer_id"), suggestions)).toBe(true);
    expect(isSuggestedProgram({}, suggestions)).toBe(false);
    expect(isSuggestedProgram({}, [])).toBe(true);
  });

  it("formats confidences as percentages and levels", () => {
    expect(percent(0.925)).toBe("93%");
    expect(percent(1.2)).toBe("100%");
    expect(percent(-1)).toBe("0%");
    expect([confidenceLevel(0.8), confidenceLevel(0.79), confidenceLevel(0.6), confidenceLevel(0.59)]).toEqual(["high", "medium", "medium", "low"]);
  });
});
