import type { PreviewRequest } from "../api/types";
import type { StepNode } from "../canvas/step";

/** PreviewData is the sample data a jq or expr field is previewed against. */
export interface PreviewData {
  input: unknown;
  trigger: unknown;
  nodes: Record<string, unknown>;
  /** source says where the trigger payload came from, for the user. */
  source: "pasted" | "trigger sample" | "last test run" | "none";
}

/** previewLanguage returns the preview language of a code field, or undefined when it has none. */
export function previewLanguage(language: string | undefined): PreviewRequest["language"] | undefined {
  return language === "jq" || language === "expr" ? language : undefined;
}

/**
 * triggerSample returns the sample payload of the flow's trigger (a webhook's `sample`
 * setting), or undefined when no trigger has one.
 */
export function triggerSample(nodes: StepNode[]): unknown {
  for (const n of nodes) {
    if (n.data.trigger && n.data.config.sample !== undefined) return n.data.config.sample;
  }
  return undefined;
}

/**
 * previewData gathers what a node's expressions see: the pasted payload wins over the trigger's
 * sample, which wins over the last test run's trigger payload. $nodes holds the outputs of the
 * steps that succeeded in the last test run; the node's input is its input in that run, or the
 * trigger payload when it has not run.
 */
export function previewData(nodes: StepNode[], nodeId: string, pasted?: unknown): PreviewData {
  const outputs: Record<string, unknown> = {};
  let lastTrigger: unknown;
  for (const n of nodes) {
    const r = n.data.result;
    if (!r || r.status !== "succeeded") continue;
    outputs[n.id] = r.output;
    if (n.data.trigger) lastTrigger = r.output;
  }
  const sample = triggerSample(nodes);
  let trigger: unknown = null;
  let source: PreviewData["source"] = "none";
  if (pasted !== undefined) [trigger, source] = [pasted, "pasted"];
  else if (sample !== undefined) [trigger, source] = [sample, "trigger sample"];
  else if (lastTrigger !== undefined) [trigger, source] = [lastTrigger, "last test run"];
  const self = nodes.find((n) => n.id === nodeId);
  const ran = self?.data.result?.input;
  return { input: ran !== undefined && pasted === undefined ? ran : trigger, trigger, nodes: outputs, source };
}
