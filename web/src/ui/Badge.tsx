/** Tone of a Badge. */
export type BadgeTone = "neutral" | "success" | "danger" | "warning" | "info";

/** Badge is a small uppercase status label. */
export function Badge({ tone = "neutral", children }: { tone?: BadgeTone; children: string }) {
  return <span className={tone === "neutral" ? "badge" : `badge badge-${tone}`}>{children}</span>;
}

/** StatusBadge maps a run, step or flow status to a coloured badge. */
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTone(status)}>{status}</Badge>;
}

function statusTone(status: string): BadgeTone {
  switch (status) {
    case "succeeded":
    case "success":
    case "completed":
    case "published":
      return "success";
    case "failed":
    case "error":
    case "dead":
      return "danger";
    case "running":
    case "pending":
    case "queued":
    case "retrying":
      return "info";
    case "skipped":
    case "cancelled":
      return "warning";
    default:
      return "neutral";
  }
}
