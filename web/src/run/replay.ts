import type { ReplayFrom, ReplayRequest, ReplayVersion } from "../api/types";

/** ReplayForm is what the replay dialog collects, before validation. */
export interface ReplayForm {
  from: ReplayFrom;
  /** step is the chosen node id when from is "step". */
  step: string;
  /** inputText is the edited input as JSON text; blank keeps the recorded input. */
  inputText: string;
  version: ReplayVersion;
  forceEffects: boolean;
  note: string;
}

/** ReplayFormErrors name what is wrong in a ReplayForm, per field. */
export interface ReplayFormErrors {
  step?: string;
  input?: string;
}

/** ReplayBuild is either a request ready to send or the form's errors. */
export type ReplayBuild = { ok: true; request: ReplayRequest } | { ok: false; errors: ReplayFormErrors };

const finished = new Set(["succeeded", "failed", "cancelled"]);
const cancellable = new Set(["queued", "running", "waiting"]);

/** canReplay reports whether a run in this status may be replayed (only finished runs). */
export function canReplay(status: string): boolean {
  return finished.has(status);
}

/** canCancel reports whether a run in this status may still be cancelled. */
export function canCancel(status: string): boolean {
  return cancellable.has(status);
}

/** defaultReplayForm starts from the failed step when the run failed at one, else from the trigger. */
export function defaultReplayForm(failedNode?: string): ReplayForm {
  return {
    from: failedNode ? "failed_step" : "trigger",
    step: failedNode ?? "",
    inputText: "",
    version: "original",
    forceEffects: false,
    note: "",
  };
}

/**
 * buildReplayRequest validates the form and turns it into the body of POST /runs/{id}/replay.
 * The step is sent only when replaying from a chosen step; blank input and note are left out.
 */
export function buildReplayRequest(form: ReplayForm, dryRun: boolean): ReplayBuild {
  const errors: ReplayFormErrors = {};
  const step = form.step.trim();
  if (form.from === "step" && !step) errors.step = "Choose the step to replay from.";
  let input: unknown;
  const text = form.inputText.trim();
  if (text) {
    try {
      input = JSON.parse(text);
    } catch (e) {
      errors.input = `The input is not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  if (errors.step || errors.input) return { ok: false, errors };
  const request: ReplayRequest = {
    from: form.from,
    version: form.version,
    force_effects: form.forceEffects,
    dry_run: dryRun,
  };
  if (form.from === "step") request.step = step;
  if (input !== undefined) request.input = input;
  const note = form.note.trim();
  if (note) request.note = note;
  return { ok: true, request };
}
