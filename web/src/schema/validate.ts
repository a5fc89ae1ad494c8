import type { JSONSchema } from "../api/types";
import { isPlainObject } from "./defaults";
import { humanize } from "./field";
import type { Path } from "./path";

/** FieldError is one validation message for the value at path. */
export interface FieldError {
  path: Path;
  message: string;
}

/** validate checks value against an object schema and returns every problem, in field order. */
export function validate(schema: JSONSchema, value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (isPlainObject(value) || value === undefined) checkObject(schema, isPlainObject(value) ? value : {}, [], "", errors);
  else check(schema, value, [], schema.title ?? "Configuration", errors);
  return errors;
}

function check(s: JSONSchema, v: unknown, path: Path, label: string, out: FieldError[]): void {
  if (v === undefined || v === null || v === "") return;
  const add = (message: string): void => {
    out.push({ path, message });
  };
  if (s.enum && s.enum.length > 0) {
    if (!s.enum.some((e) => e === v)) add(`${label} must be one of: ${s.enum.map(String).join(", ")}.`);
    return;
  }
  switch (s.type) {
    case "string":
      if (typeof v !== "string") return add(`${label} must be text.`);
      if (s.minLength !== undefined && v.length < s.minLength) add(`${label} must be at least ${s.minLength} characters long.`);
      if (s.maxLength !== undefined && v.length > s.maxLength) add(`${label} must be at most ${s.maxLength} characters long.`);
      if (s.pattern !== undefined && !safeRegExp(s.pattern)?.test(v)) add(`${label} does not have the expected format.`);
      return;
    case "integer":
    case "number":
      if (typeof v !== "number" || !Number.isFinite(v)) return add(`${label} must be a number.`);
      if (s.type === "integer" && !Number.isInteger(v)) return add(`${label} must be a whole number.`);
      if (s.minimum !== undefined && v < s.minimum) add(`${label} must be at least ${s.minimum}.`);
      if (s.maximum !== undefined && v > s.maximum) add(`${label} must be at most ${s.maximum}.`);
      return;
    case "boolean":
      if (typeof v !== "boolean") add(`${label} must be true or false.`);
      return;
    case "object":
      if (!isPlainObject(v)) return add(`${label} must be an object.`);
      // Inside a table row, name the row: "Lines, row 2: Sku is required."
      checkObject(s, v, path, typeof path[path.length - 1] === "number" ? `${label}: ` : "", out);
      return;
    case "array":
      if (!Array.isArray(v)) return add(`${label} must be a list.`);
      if (s.minItems !== undefined && v.length < s.minItems) add(`${label} needs at least ${s.minItems} ${s.minItems === 1 ? "entry" : "entries"}.`);
      if (s.items) {
        const items = s.items;
        v.forEach((item, i) => check(items, item, [...path, i], `${label}, row ${i + 1}`, out));
      }
      return;
  }
}

function checkObject(s: JSONSchema, v: Record<string, unknown>, path: Path, prefix: string, out: FieldError[]): void {
  const required = new Set(s.required ?? []);
  for (const [key, child] of Object.entries(s.properties ?? {})) {
    const childLabel = prefix + (child.title ?? humanize(key));
    const childPath = [...path, key];
    const value = v[key];
    if (required.has(key) && isMissing(value)) {
      out.push({ path: childPath, message: `${childLabel} is required.` });
      continue;
    }
    check(child, value, childPath, childLabel, out);
  }
}

function isMissing(v: unknown): boolean {
  return v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
}

function safeRegExp(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, "u");
  } catch {
    return null;
  }
}
