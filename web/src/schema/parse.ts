/** Parsed is the outcome of reading what a user typed. */
export type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

/** parseNumber reads a number input; empty text means "not set". */
export function parseNumber(text: string, integer: boolean): Parsed {
  const t = text.trim();
  if (t === "") return { ok: true, value: undefined };
  const n = Number(t);
  if (!Number.isFinite(n)) return { ok: false, message: `“${t}” is not a number.` };
  if (integer && !Number.isInteger(n)) return { ok: false, message: `“${t}” is not a whole number.` };
  return { ok: true, value: n };
}

/** parseList reads one list item per line, skipping blank lines. */
export function parseList(text: string, itemType: string | undefined): Parsed {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  if (itemType !== "number" && itemType !== "integer") return { ok: true, value: lines.length ? lines : undefined };
  const values: number[] = [];
  for (const [i, line] of lines.entries()) {
    const p = parseNumber(line, itemType === "integer");
    if (!p.ok) return { ok: false, message: `Line ${i + 1}: ${p.message}` };
    values.push(p.value as number);
  }
  return { ok: true, value: values.length ? values : undefined };
}

/** parseJSON reads a free JSON value; empty text means "not set". */
export function parseJSON(text: string): Parsed {
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, message: `Not valid JSON: ${(err as Error).message}` };
  }
}
