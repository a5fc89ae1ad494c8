/** Path addresses a value inside nested objects and arrays. */
export type Path = (string | number)[];

/** pathKey turns a path into a stable string key such as "headers.2.name". */
export function pathKey(path: Path): string {
  return path.join(".");
}

/** getIn reads the value at path, or undefined when any step is missing. */
export function getIn(value: unknown, path: Path): unknown {
  let cur = value;
  for (const step of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[step];
  }
  return cur;
}

/**
 * setIn returns a copy of root with v stored at path, copying only the containers on the way.
 * Setting undefined on an object key removes the key.
 */
export function setIn(root: unknown, path: Path, v: unknown): unknown {
  if (path.length === 0) return v;
  const [head, ...rest] = path;
  if (typeof head === "number") {
    const arr = Array.isArray(root) ? [...root] : [];
    arr[head] = setIn(arr[head], rest, v);
    return arr;
  }
  const obj: Record<string, unknown> = root && typeof root === "object" && !Array.isArray(root) ? { ...(root as Record<string, unknown>) } : {};
  const next = setIn(obj[head], rest, v);
  if (next === undefined) delete obj[head];
  else obj[head] = next;
  return obj;
}
