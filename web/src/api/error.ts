import type { ErrorBody, ErrorDetail } from "./types";

/** ApiError is a failed API call: HTTP status, machine code, message and per-field details. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];

  constructor(status: number, code: string, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** sentences returns the message followed by one readable sentence per detail. */
  sentences(): string[] {
    return [sentence(this.message), ...this.details.map(detailSentence)];
  }
}

/** errorFromResponse builds an ApiError from a status and the (possibly non-JSON) body text. */
export function errorFromResponse(status: number, bodyText: string): ApiError {
  const body = parseErrorBody(bodyText);
  if (body) {
    return new ApiError(status, body.error.code || "error", body.error.message || fallbackMessage(status), body.error.details ?? []);
  }
  return new ApiError(status, statusCode(status), fallbackMessage(status));
}

/** networkError describes a request that never got an answer. */
export function networkError(): ApiError {
  return new ApiError(0, "network", "Could not reach the Bridgework server. Check your connection and try again.");
}

/** detailSentence turns one error detail into a sentence naming node and field. */
export function detailSentence(d: ErrorDetail): string {
  const where = [d.node_id && `node “${d.node_id}”`, d.field && `field “${d.field}”`].filter(Boolean).join(", ");
  const prefix = d.severity === "warning" ? "Warning: " : "";
  const text = sentence(d.message);
  if (!where) return prefix + text;
  return `${prefix}${capitalize(where)}: ${text}`;
}

/** messageOf returns a human sentence for any thrown value. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return sentence(err.message);
  if (err instanceof Error) return sentence(err.message);
  return "Something went wrong.";
}

function parseErrorBody(text: string): ErrorBody | null {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === "object" && "error" in v) {
      const e = (v as { error: unknown }).error;
      if (e && typeof e === "object" && typeof (e as { message?: unknown }).message === "string") return v as ErrorBody;
    }
  } catch {
    // Not JSON: fall back to the status.
  }
  return null;
}

function statusCode(status: number): string {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status >= 500) return "server_error";
  return "error";
}

function fallbackMessage(status: number): string {
  if (status === 401) return "You are not signed in.";
  if (status === 403) return "You are not allowed to do that.";
  if (status === 404) return "That item was not found.";
  if (status === 409) return "Someone else changed this item in the meantime.";
  if (status === 413) return "The request is too large.";
  if (status >= 500) return `The server had a problem (HTTP ${status}). Try again in a moment.`;
  return `The request failed (HTTP ${status}).`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function sentence(s: string): string {
  const t = s.trim();
  if (!t) return "Something went wrong.";
  const first = capitalize(t);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}
