import { describe, expect, it } from "vitest";
import { entriesToMap, mapToEntries } from "./entries";
import { formFields } from "./field";

describe("mapping tables", () => {
  it("turns a free-keyed object of scalars into a map field, other objects into JSON", () => {
    const fields = formFields({
      type: "object",
      properties: {
        status_map: { type: "object", additionalProperties: { type: "string" } },
        warehouses: { type: "object", additionalProperties: { type: "integer" } },
        anything: { type: "object" },
        nested: { type: "object", additionalProperties: { type: "object" } },
      },
    });
    expect(fields.map((f) => f.kind)).toEqual(["map", "map", "json", "json"]);
  });

  it("lists pairs as rows and reads them back", () => {
    const rows = mapToEntries({ complete: "Closed", pending: "Open", qty: 3 });
    expect(rows).toEqual([
      { key: "complete", value: "Closed" },
      { key: "pending", value: "Open" },
      { key: "qty", value: "3" },
    ]);
    expect(entriesToMap(rows.slice(0, 2), "string")).toEqual({ ok: true, value: { complete: "Closed", pending: "Open" } });
    expect(mapToEntries(undefined)).toEqual([]);
    expect(mapToEntries(["a"])).toEqual([]);
  });

  it("skips blank rows, trims keys and leaves an empty table unset", () => {
    expect(entriesToMap([{ key: " a ", value: "x" }, { key: "", value: "" }], "string")).toEqual({ ok: true, value: { a: "x" } });
    expect(entriesToMap([{ key: "", value: " " }], "string")).toEqual({ ok: true, value: undefined });
  });

  it("reads numbers where the table holds numbers", () => {
    expect(entriesToMap([{ key: "MAIN", value: "2" }], "integer")).toEqual({ ok: true, value: { MAIN: 2 } });
    expect(entriesToMap([{ key: "MAIN", value: "1.5" }], "number")).toEqual({ ok: true, value: { MAIN: 1.5 } });
  });

  it.each([
    { name: "value without key", rows: [{ key: "", value: "Closed" }], type: "string", message: "Row 1: give the value “Closed” a key." },
    { name: "repeated key", rows: [{ key: "a", value: "1" }, { key: "a ", value: "2" }], type: "string", message: "Row 2: the key “a” is already mapped." },
    { name: "not a whole number", rows: [{ key: "a", value: "1.5" }], type: "integer", message: "Row 1: “1.5” is not a whole number." },
    { name: "number missing", rows: [{ key: "a", value: "" }], type: "number", message: "Row 1: give “a” a value." },
  ])("reports $name with its row", ({ rows, type, message }) => {
    expect(entriesToMap(rows, type)).toEqual({ ok: false, message });
  });
});
