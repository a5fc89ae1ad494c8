/** SecretEdit is what the form holds for one secret: typed text, or a request to remove the stored value. */
export interface SecretEdit {
  value: string;
  remove: boolean;
}

/**
 * secretChanges builds the secrets of a connection request. The API merges them: a name left
 * out keeps the stored value, null deletes it, a string replaces it. Empty text therefore
 * leaves a secret as it is, so a stored secret never has to be shown to be kept.
 */
export function secretChanges(edits: Record<string, SecretEdit>, stored: string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [name, e] of Object.entries(edits)) {
    if (e.remove) {
      if (stored.includes(name)) out[name] = null;
    } else if (e.value !== "") {
      out[name] = e.value;
    }
  }
  return out;
}

/** compactConfig drops empty text and unset values so the connector's defaults apply. */
export function compactConfig(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== "" && v !== undefined && v !== null));
}
