import { describe, expect, it } from "vitest";
import type { JSONSchema } from "../api/types";
import { defaultValue, withDefaults } from "./defaults";
import { formFields, humanize } from "./field";
import { parseJSON, parseList, parseNumber } from "./parse";
import { getIn, setIn } from "./path";
import { validate } from "./validate";

const httpSchema: JSONSchema = {
  type: "object",
  required: ["url", "method", "lines"],
  properties: {
    url: { type: "string", title: "URL", pattern: "^https?://" },
    method: { type: "string", enum: ["GET", "POST"], default: "POST" },
    timeout_seconds: { type: "integer", minimum: 1, maximum: 300, default: 30 },
    ratio: { type: "number" },
    follow_redirects: { type: "boolean", default: true },
    api_token: { type: "string", writeOnly: true },
    password: { type: "string", format: "password" },
    mapping: { type: "string", "x-language": "jq" },
    condition: { type: "string", format: "expr" },
    auth: {
      type: "object",
      required: ["user"],
      properties: { user: { type: "string" }, realm: { type: "string", default: "main" } },
    },
    lines: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["sku"],
        properties: { sku: { type: "string" }, qty: { type: "integer", minimum: 1 } },
      },
    },
    tags: { type: "array", items: { type: "string" } },
    extra: { type: "object" },
  },
};

describe("formFields", () => {
  const fields = formFields(httpSchema);
  const byKey = Object.fromEntries(fields.map((f) => [f.key, f]));

  it("keeps declaration order", () => {
    expect(fields.map((f) => f.key)).toEqual(Object.keys(httpSchema.properties!));
  });

  it.each([
    ["url", "string"],
    ["method", "enum"],
    ["timeout_seconds", "integer"],
    ["ratio", "number"],
    ["follow_redirects", "boolean"],
    ["api_token", "secret"],
    ["password", "secret"],
    ["mapping", "code"],
    ["condition", "code"],
    ["auth", "object"],
    ["lines", "table"],
    ["tags", "list"],
    ["extra", "json"],
  ])("%s is a %s field", (key, kind) => {
    expect(byKey[key].kind).toBe(kind);
  });

  it("marks required fields and labels them", () => {
    expect(byKey.url.required).toBe(true);
    expect(byKey.url.label).toBe("URL");
    expect(byKey.timeout_seconds.required).toBe(false);
    expect(byKey.timeout_seconds.label).toBe("Timeout seconds");
  });

  it("carries enum options, code languages, object children and table columns", () => {
    expect(byKey.method.options).toEqual(["GET", "POST"]);
    expect(byKey.mapping.language).toBe("jq");
    expect(byKey.condition.language).toBe("expr");
    expect(byKey.auth.children?.map((c) => [c.key, c.required])).toEqual([
      ["user", true],
      ["realm", false],
    ]);
    expect(byKey.lines.columns?.map((c) => `${c.key}:${c.kind}`)).toEqual(["sku:string", "qty:integer"]);
  });
});

describe("engine node spec conventions", () => {
  // The shape GET /node-types sends for a map node.
  const mapSchema: JSONSchema = {
    type: "object",
    properties: {
      jq: { type: "string", format: "jq", minLength: 1 },
      multiple: { type: "string", enum: ["error", "array"], default: "error" },
      timeout: { type: "string", format: "duration", "x-advanced": true },
      token: { type: "string", "x-secret": true },
    },
    required: ["jq"],
    additionalProperties: false,
  };
  it("maps format jq to a code field, x-secret to a secret and x-advanced to an advanced field", () => {
    const byKey = Object.fromEntries(formFields(mapSchema).map((f) => [f.key, f]));
    expect([byKey.jq.kind, byKey.jq.language, byKey.jq.required]).toEqual(["code", "jq", true]);
    expect(byKey.token.kind).toBe("secret");
    expect([byKey.timeout.kind, byKey.timeout.advanced]).toEqual(["string", true]);
    expect(byKey.multiple.advanced).toBe(false);
  });
});

describe("humanize", () => {
  it.each([
    ["order_id", "Order id"],
    ["baseURL", "Base url"],
    ["business-key", "Business key"],
    ["x", "X"],
  ])("%s → %s", (key, want) => expect(humanize(key)).toBe(want));
});

describe("defaults", () => {
  it("builds nested defaults and leaves keys without defaults out", () => {
    expect(defaultValue(httpSchema)).toEqual({
      method: "POST",
      timeout_seconds: 30,
      follow_redirects: true,
      auth: { realm: "main" },
    });
  });

  it("fills only missing keys", () => {
    const got = withDefaults(httpSchema, { method: "GET", auth: { user: "a" } });
    expect(got).toMatchObject({ method: "GET", timeout_seconds: 30, auth: { user: "a", realm: "main" } });
  });

  it("returns a copy, not the schema's default object", () => {
    const s: JSONSchema = { type: "object", default: { a: 1 } };
    const v = defaultValue(s) as { a: number };
    v.a = 2;
    expect(s.default).toEqual({ a: 1 });
  });
});

describe("validate", () => {
  const valid = { url: "https://x.test", method: "GET", lines: [{ sku: "A", qty: 2 }], auth: { user: "u" } };

  it("accepts a valid value", () => {
    expect(validate(httpSchema, valid)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, (string | number)[], string]>([
    ["missing required", { method: "GET" }, ["url"], "URL is required."],
    ["empty table", { ...valid, lines: [] }, ["lines"], "Lines is required."],
    ["bad enum", { ...valid, method: "PUT" }, ["method"], "Method must be one of: GET, POST."],
    ["pattern", { ...valid, url: "ftp://x" }, ["url"], "URL does not have the expected format."],
    ["not integer", { ...valid, timeout_seconds: 1.5 }, ["timeout_seconds"], "Timeout seconds must be a whole number."],
    ["below minimum", { ...valid, timeout_seconds: 0 }, ["timeout_seconds"], "Timeout seconds must be at least 1."],
    ["above maximum", { ...valid, timeout_seconds: 301 }, ["timeout_seconds"], "Timeout seconds must be at most 300."],
    ["wrong type", { ...valid, follow_redirects: "yes" }, ["follow_redirects"], "Follow redirects must be true or false."],
    ["nested required", { ...valid, auth: {} }, ["auth", "user"], "User is required."],
    ["row required", { ...valid, lines: [{ qty: 1 }] }, ["lines", 0, "sku"], "Lines, row 1: Sku is required."],
    ["row minimum", { ...valid, lines: [{ sku: "A" }, { sku: "B", qty: 0 }] }, ["lines", 1, "qty"], "Lines, row 2: Qty must be at least 1."],
  ])("%s", (_name, value, path, message) => {
    expect(validate(httpSchema, value)).toContainEqual({ path, message });
  });

  it("reports a missing required field once", () => {
    expect(validate(httpSchema, {}).filter((e) => e.path[0] === "url")).toHaveLength(1);
  });
});

describe("parse", () => {
  it.each<[string, boolean, unknown]>([
    ["42", true, 42],
    [" 2.5 ", false, 2.5],
    ["", true, undefined],
  ])("number %j", (text, integer, want) => {
    expect(parseNumber(text, integer)).toEqual({ ok: true, value: want });
  });

  it.each([
    ["abc", false, "“abc” is not a number."],
    ["2.5", true, "“2.5” is not a whole number."],
  ])("rejects %j", (text, integer, message) => {
    expect(parseNumber(text, integer as boolean)).toEqual({ ok: false, message });
  });

  it("reads lists one item per line", () => {
    expect(parseList("a\n\n b \n", "string")).toEqual({ ok: true, value: ["a", "b"] });
    expect(parseList("1\n2", "integer")).toEqual({ ok: true, value: [1, 2] });
    expect(parseList("1\nx", "number")).toEqual({ ok: false, message: "Line 2: “x” is not a number." });
  });

  it("reads JSON", () => {
    expect(parseJSON('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJSON("{").ok).toBe(false);
  });
});

describe("path", () => {
  it("sets nested values without touching the original", () => {
    const root = { a: { b: 1 }, list: [{ x: 1 }] };
    const next = setIn(root, ["list", 1, "x"], 2);
    expect(next).toEqual({ a: { b: 1 }, list: [{ x: 1 }, { x: 2 }] });
    expect(root.list).toHaveLength(1);
    expect((next as typeof root).a).toBe(root.a);
    expect(getIn(next, ["list", 1, "x"])).toBe(2);
    expect(getIn(next, ["nope", 3])).toBeUndefined();
  });

  it("removes a key set to undefined", () => {
    expect(setIn({ a: 1, b: 2 }, ["a"], undefined)).toEqual({ b: 2 });
  });
});
