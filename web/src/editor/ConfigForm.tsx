import { useState, type ReactNode } from "react";
import type { JSONSchema } from "../api/types";
import { CodeEditor } from "../code/CodeEditor";
import { defaultValue } from "../schema/defaults";
import { entriesToMap, mapToEntries, type Entry } from "../schema/entries";
import { formFields, type FormField } from "../schema/field";
import { parseJSON, parseList, parseNumber, type Parsed } from "../schema/parse";
import { getIn, pathKey, setIn, type Path } from "../schema/path";
import type { FieldError } from "../schema/validate";
import { Button } from "../ui/Button";
import { Field, type FieldControlProps } from "../ui/Field";
import { Input, Select, Textarea } from "../ui/Input";

/** Props of ConfigForm. */
export interface ConfigFormProps {
  schema: JSONSchema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  /** errors come from validate(schema, value); they show once a field was edited or showAll is set. */
  errors: FieldError[];
  showAll?: boolean;
  /** codeFooter renders under a code field, e.g. a live preview of its jq or expr. */
  codeFooter?: (field: FormField, source: string) => ReactNode;
}

interface Ctx {
  root: Record<string, unknown>;
  set: (path: Path, v: unknown) => void;
  errorAt: (path: Path) => string | undefined;
  codeFooter?: (field: FormField, source: string) => ReactNode;
}

/**
 * ConfigForm renders the form generated from a node type's JSON Schema. Mount it with a key per
 * node: text drafts (numbers, JSON) live in local state.
 */
export function ConfigForm({ schema, value, onChange, errors, showAll, codeFooter }: ConfigFormProps) {
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const byPath = new Map<string, string>();
  for (const e of errors) if (!byPath.has(pathKey(e.path))) byPath.set(pathKey(e.path), e.message);
  const ctx: Ctx = {
    root: value,
    codeFooter,
    set: (path, v) => {
      setTouched((t) => new Set(t).add(pathKey(path)));
      onChange(setIn(value, path, v) as Record<string, unknown>);
    },
    errorAt: (path) => {
      const k = pathKey(path);
      if (!showAll && ![...touched].some((t) => k === t || k.startsWith(`${t}.`))) return undefined;
      return byPath.get(k);
    },
  };
  const fields = formFields(schema);
  if (fields.length === 0) return <p className="muted">This node has no settings.</p>;
  const basic = fields.filter((f) => !f.advanced);
  const advanced = fields.filter((f) => f.advanced);
  return (
    <div className="stack">
      {basic.map((f) => (
        <FieldView key={f.key} field={f} path={[f.key]} ctx={ctx} />
      ))}
      {advanced.length > 0 && (
        <details className="advanced" open={advanced.some((f) => ctx.errorAt([f.key]) !== undefined)}>
          <summary>Advanced</summary>
          <div className="stack">
            {advanced.map((f) => (
              <FieldView key={f.key} field={f} path={[f.key]} ctx={ctx} />
            ))}
          </div>
        </details>
      )}
    </div>
  );
}

function FieldView({ field, path, ctx }: { field: FormField; path: Path; ctx: Ctx }) {
  const value = getIn(ctx.root, path);
  const error = ctx.errorAt(path);
  if (field.kind === "object") {
    return (
      <Group field={field}>
        <div className="stack">
          {field.children?.map((c) => (
            <FieldView key={c.key} field={c} path={[...path, c.key]} ctx={ctx} />
          ))}
        </div>
      </Group>
    );
  }
  if (field.kind === "table") return <TableField field={field} path={path} ctx={ctx} />;
  if (field.kind === "map") return <MapField field={field} path={path} ctx={ctx} />;
  const control = (
    <Field label={field.label} required={field.required} hint={field.description} error={error} inline={field.kind === "boolean"}>
      {(p) => <Control field={field} value={value} onChange={(v) => ctx.set(path, v)} control={p} />}
    </Field>
  );
  if (field.kind !== "code" || !ctx.codeFooter) return control;
  return (
    <div>
      {control}
      {ctx.codeFooter(field, typeof value === "string" ? value : "")}
    </div>
  );
}

/** Control renders the input for one scalar-ish field. */
function Control({ field, value, onChange, control }: { field: FormField; value: unknown; onChange: (v: unknown) => void; control: FieldControlProps }) {
  const { invalid, ...p } = control;
  switch (field.kind) {
    case "boolean":
      return <input {...p} type="checkbox" className="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
    case "enum":
      return (
        <Select {...p} invalid={invalid} value={value === undefined ? "" : JSON.stringify(value)} onChange={(e) => onChange(e.target.value === "" ? undefined : JSON.parse(e.target.value))}>
          {(!field.required || value === undefined) && <option value="">— not set —</option>}
          {field.options?.map((o) => (
            <option key={JSON.stringify(o)} value={JSON.stringify(o)}>
              {String(o)}
            </option>
          ))}
        </Select>
      );
    case "secret":
      return <SecretInput control={control} stored={value !== undefined && value !== ""} onChange={onChange} />;
    case "code":
      return (
        <CodeEditor
          value={typeof value === "string" ? value : ""}
          onChange={(v) => onChange(v === "" ? undefined : v)}
          language={field.language}
          labelledBy={`${p.id}-label`}
          describedBy={p["aria-describedby"]}
          invalid={invalid}
        />
      );
    case "number":
    case "integer":
      return (
        <DraftInput
          control={control}
          initial={value === undefined ? "" : String(value)}
          parse={(t) => parseNumber(t, field.kind === "integer")}
          onChange={onChange}
          inputMode="decimal"
          placeholder={defaultHint(field)}
        />
      );
    case "list":
      return (
        <DraftInput
          control={control}
          multiline
          initial={Array.isArray(value) ? value.join("\n") : ""}
          parse={(t) => parseList(t, field.schema.items?.type)}
          onChange={onChange}
          placeholder="One entry per line"
        />
      );
    case "json":
    case "table":
    case "map":
    case "object":
      return (
        <DraftInput control={control} multiline initial={value === undefined ? "" : JSON.stringify(value, null, 2)} parse={parseJSON} onChange={onChange} />
      );
    default:
      return (
        <Input
          {...p}
          invalid={invalid}
          placeholder={defaultHint(field)}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)}
        />
      );
  }
}

/** defaultHint tells what an empty field falls back to. */
function defaultHint(field: FormField): string | undefined {
  return field.default === undefined ? undefined : `Default: ${String(field.default)}`;
}

/** SecretInput never shows the stored value; leaving it empty keeps what is stored. */
function SecretInput({ control, stored, onChange }: { control: FieldControlProps; stored: boolean; onChange: (v: unknown) => void }) {
  const { invalid, ...p } = control;
  const [draft, setDraft] = useState("");
  return (
    <Input
      {...p}
      invalid={invalid}
      type="password"
      autoComplete="new-password"
      placeholder={stored ? "Stored – type to replace" : ""}
      value={draft}
      onChange={(e) => {
        setDraft(e.target.value);
        if (e.target.value !== "") onChange(e.target.value);
      }}
    />
  );
}

/** DraftInput keeps the typed text while it does not parse and shows why. */
function DraftInput({
  control,
  initial,
  parse,
  onChange,
  multiline,
  inputMode,
  placeholder,
}: {
  control: FieldControlProps;
  initial: string;
  parse: (text: string) => Parsed;
  onChange: (v: unknown) => void;
  multiline?: boolean;
  inputMode?: "decimal";
  placeholder?: string;
}) {
  const { invalid, ...p } = control;
  const [text, setText] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const update = (t: string) => {
    setText(t);
    const r = parse(t);
    setProblem(r.ok ? null : r.message);
    if (r.ok) onChange(r.value);
  };
  const bad = invalid || problem !== null;
  return (
    <>
      {multiline ? (
        <Textarea {...p} invalid={bad} value={text} placeholder={placeholder} onChange={(e) => update(e.target.value)} spellCheck={false} />
      ) : (
        <Input {...p} invalid={bad} value={text} inputMode={inputMode} placeholder={placeholder} onChange={(e) => update(e.target.value)} />
      )}
      {problem && <div className="field-error">{problem}</div>}
    </>
  );
}

/** Group frames an object or table field with its label, required marker and description. */
function Group({ field, children }: { field: FormField; children: ReactNode }) {
  return (
    <fieldset className="fieldset">
      <legend>
        {field.label}
        {field.required && <span className="field-required">*</span>}
      </legend>
      {field.description && <div className="field-hint">{field.description}</div>}
      {children}
    </fieldset>
  );
}

/** TableField edits an array of objects as rows and columns. */
function TableField({ field, path, ctx }: { field: FormField; path: Path; ctx: Ctx }) {
  const rows = (getIn(ctx.root, path) as unknown[] | undefined) ?? [];
  const columns = field.columns ?? [];
  const rowErrors = rows.flatMap((_, i) => columns.map((c) => ctx.errorAt([...path, i, c.key])).filter((m): m is string => Boolean(m)));
  return (
    <RowsTable
      field={field}
      headers={columns.map((c) => (
        <>
          {c.label}
          {c.required && <span className="field-required">*</span>}
        </>
      ))}
      count={rows.length}
      cells={(i) =>
        columns.map((c) => {
          const cellPath = [...path, i, c.key];
          const id = `${pathKey(cellPath)}-cell`;
          return (
            <Control
              key={c.key}
              field={c}
              value={getIn(ctx.root, cellPath)}
              onChange={(v) => ctx.set(cellPath, v)}
              control={{ id, invalid: Boolean(ctx.errorAt(cellPath)), "aria-describedby": undefined }}
            />
          );
        })
      }
      onAdd={() => ctx.set(path, [...rows, defaultValue(field.schema.items ?? {}) ?? {}])}
      onRemove={(i) => ctx.set(path, rows.length === 1 ? undefined : rows.filter((_, j) => j !== i))}
      errors={[ctx.errorAt(path), ...rowErrors]}
    />
  );
}

/** MapField edits a free-keyed object of strings or numbers (a mapping table) as key/value rows. */
function MapField({ field, path, ctx }: { field: FormField; path: Path; ctx: Ctx }) {
  const [rows, setRows] = useState<Entry[]>(() => mapToEntries(getIn(ctx.root, path)));
  const [problem, setProblem] = useState<string | null>(null);
  const values = typeof field.schema.additionalProperties === "object" ? field.schema.additionalProperties.type : undefined;
  const update = (next: Entry[]) => {
    setRows(next);
    const r = entriesToMap(next, values);
    setProblem(r.ok ? null : r.message);
    if (r.ok) ctx.set(path, r.value);
  };
  const edit = (i: number, patch: Partial<Entry>) => update(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <RowsTable
      field={field}
      headers={["Key", "Value"]}
      count={rows.length}
      cells={(i) => [
        <Input key="key" aria-label={`${field.label} row ${i + 1} key`} value={rows[i].key} onChange={(e) => edit(i, { key: e.target.value })} />,
        <Input key="value" aria-label={`${field.label} row ${i + 1} value`} value={rows[i].value} onChange={(e) => edit(i, { value: e.target.value })} />,
      ]}
      onAdd={() => setRows([...rows, { key: "", value: "" }])}
      onRemove={(i) => update(rows.filter((_, j) => j !== i))}
      errors={[problem ?? ctx.errorAt(path)]}
    />
  );
}

/** RowsTable frames editable rows: one cell per header, a remove button per row, "Add row" and the errors. */
function RowsTable({
  field,
  headers,
  count,
  cells,
  onAdd,
  onRemove,
  errors,
}: {
  field: FormField;
  headers: ReactNode[];
  count: number;
  cells: (row: number) => ReactNode[];
  onAdd: () => void;
  onRemove: (row: number) => void;
  errors: (string | undefined)[];
}) {
  return (
    <Group field={field}>
      {count > 0 && (
        <table className="table table-compact" aria-label={field.label}>
          <thead>
            <tr>
              {headers.map((h, i) => (
                <th key={i} scope="col">
                  {h}
                </th>
              ))}
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: count }, (_, i) => (
              <tr key={i}>
                {cells(i).map((cell, j) => (
                  <td key={j}>{cell}</td>
                ))}
                <td>
                  <Button small variant="ghost" aria-label={`Remove row ${i + 1}`} onClick={() => onRemove(i)}>
                    ×
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="row" style={{ marginTop: 6 }}>
        <Button small onClick={onAdd}>
          Add row
        </Button>
      </div>
      {errors.filter(Boolean).map((m) => (
        <div key={m} className="field-error" role="alert">
          {m}
        </div>
      ))}
    </Group>
  );
}
