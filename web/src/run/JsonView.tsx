/** JsonView shows a JSON value as a tree of native disclosure widgets (keyboard friendly). */
export function JsonView({ value, openDepth = 1 }: { value: unknown; openDepth?: number }) {
  return (
    <div className="json-view">
      <JsonNode value={value} depth={0} openDepth={openDepth} />
    </div>
  );
}

function JsonNode({ name, value, depth, openDepth }: { name?: string; value: unknown; depth: number; openDepth: number }) {
  const key = name !== undefined && <span className="json-key">{name}: </span>;
  if (value !== null && typeof value === "object") {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
    if (entries.length === 0) {
      return (
        <div>
          {key}
          <span className="muted">{Array.isArray(value) ? "[]" : "{}"}</span>
        </div>
      );
    }
    return (
      <details open={depth < openDepth}>
        <summary>
          {key}
          <span className="muted">{summary}</span>
        </summary>
        <ul>
          {entries.map(([k, v]) => (
            <li key={k}>
              <JsonNode name={k} value={v} depth={depth + 1} openDepth={openDepth} />
            </li>
          ))}
        </ul>
      </details>
    );
  }
  return (
    <div>
      {key}
      <Scalar value={value} />
    </div>
  );
}

function Scalar({ value }: { value: unknown }) {
  if (typeof value === "string") return <span className="json-string">{JSON.stringify(value)}</span>;
  if (typeof value === "number") return <span className="json-number">{value}</span>;
  return <span className="json-literal">{value === undefined ? "undefined" : JSON.stringify(value)}</span>;
}
