import { parseNumber, type Parsed } from "./parse";

/** Entry is one row of a mapping table as typed: both cells are text. */
export interface Entry {
  key: string;
  value: string;
}

/** mapToEntries lists a mapping object's pairs as rows, in key order of the object. */
export function mapToEntries(value: unknown): Entry[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  return Object.entries(value).map(([key, v]) => ({ key, value: v === undefined || v === null ? "" : String(v) }));
}

/**
 * entriesToMap reads mapping-table rows back into an object. Blank rows are skipped; a value
 * without a key, a repeated key or a value that is not a number where numbers are wanted is
 * reported with its row number. No rows give undefined ("not set").
 */
export function entriesToMap(rows: Entry[], valueType: string | undefined): Parsed {
  const out: Record<string, string | number> = {};
  for (const [i, row] of rows.entries()) {
    const key = row.key.trim();
    if (key === "" && row.value.trim() === "") continue;
    if (key === "") return { ok: false, message: `Row ${i + 1}: give the value “${row.value}” a key.` };
    if (key in out) return { ok: false, message: `Row ${i + 1}: the key “${key}” is already mapped.` };
    if (valueType === "number" || valueType === "integer") {
      const n = parseNumber(row.value, valueType === "integer");
      if (!n.ok) return { ok: false, message: `Row ${i + 1}: ${n.message}` };
      if (n.value === undefined) return { ok: false, message: `Row ${i + 1}: give “${key}” a value.` };
      out[key] = n.value as number;
    } else {
      out[key] = row.value;
    }
  }
  return { ok: true, value: Object.keys(out).length ? out : undefined };
}
