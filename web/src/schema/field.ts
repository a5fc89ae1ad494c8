import type { JSONSchema } from "../api/types";

/** FieldKind says which control renders a config field. */
export type FieldKind =
  | "string"
  | "number"
  | "integer"
  | "boolean"
  | "enum"
  | "secret"
  | "code"
  | "object"
  | "table"
  | "map"
  | "list"
  | "json";

/** FormField describes one control of a generated config form. */
export interface FormField {
  key: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  description?: string;
  default?: unknown;
  /** options are the allowed values of an enum field. */
  options?: unknown[];
  /** language is "jq", "expr" or "json" for code fields. */
  language?: string;
  /** children are the fields of an object field. */
  children?: FormField[];
  /** columns are the fields of one row of a table field. */
  columns?: FormField[];
  /** advanced fields (x-advanced) are tucked under "Advanced" in forms. */
  advanced: boolean;
  schema: JSONSchema;
}

const codeLanguages = new Set(["jq", "expr", "json"]);

/** isSecret tells whether a schema marks a write-only secret. */
export function isSecret(s: JSONSchema): boolean {
  return s.writeOnly === true || s["x-secret"] === true || s.format === "password";
}

/** codeLanguage returns the code editor language a schema asks for, if any. */
export function codeLanguage(s: JSONSchema): string | undefined {
  const lang = s["x-language"] ?? s.format;
  return lang && codeLanguages.has(lang) ? lang : undefined;
}

/** formFields lists the fields of an object schema in declaration order. */
export function formFields(schema: JSONSchema): FormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([key, s]) => toField(key, s, required.has(key)));
}

function toField(key: string, s: JSONSchema, required: boolean): FormField {
  const field: FormField = {
    key,
    label: s.title ?? humanize(key),
    kind: kindOf(s),
    required,
    description: s.description,
    default: s.default,
    advanced: s["x-advanced"] === true,
    schema: s,
  };
  if (field.kind === "enum") field.options = s.enum;
  if (field.kind === "code") field.language = codeLanguage(s);
  if (field.kind === "object") field.children = formFields(s);
  if (field.kind === "table" && s.items) field.columns = formFields(s.items);
  return field;
}

function kindOf(s: JSONSchema): FieldKind {
  if (s.enum && s.enum.length > 0) return "enum";
  switch (s.type) {
    case "string":
      if (isSecret(s)) return "secret";
      if (codeLanguage(s)) return "code";
      return "string";
    case "number":
    case "integer":
    case "boolean":
      return s.type;
    case "object":
      if (s.properties) return "object";
      return isScalarMap(s) ? "map" : "json";
    case "array":
      if (s.items?.type === "object" && s.items.properties) return "table";
      if (s.items?.type === "string" || s.items?.type === "number" || s.items?.type === "integer") return "list";
      return "json";
    default:
      return codeLanguage(s) ? "code" : "json";
  }
}

/** isScalarMap tells whether an object schema is a free-keyed map of strings or numbers (a mapping table). */
function isScalarMap(s: JSONSchema): boolean {
  const v = s.additionalProperties;
  return typeof v === "object" && (v.type === "string" || v.type === "number" || v.type === "integer");
}

/** humanize turns "order_id" or "baseURL" into "Order id" / "Base url". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_\-.]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
