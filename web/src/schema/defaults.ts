import type { JSONSchema } from "../api/types";

/** defaultValue builds the initial value of a schema from its defaults, or undefined when it has none. */
export function defaultValue(s: JSONSchema): unknown {
  if (s.default !== undefined) return structuredClone(s.default);
  if (s.type === "object" && s.properties) {
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(s.properties)) {
      const v = defaultValue(child);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  return undefined;
}

/** withDefaults returns value with every missing key that has a default filled in; present keys are kept. */
export function withDefaults(s: JSONSchema, value: unknown): unknown {
  if (value === undefined) return defaultValue(s);
  if (s.type !== "object" || !s.properties || !isPlainObject(value)) return value;
  const out: Record<string, unknown> = { ...value };
  for (const [k, child] of Object.entries(s.properties)) {
    const v = withDefaults(child, out[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** isPlainObject tells a JSON object from arrays, null and scalars. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
