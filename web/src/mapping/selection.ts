import type { MappingCandidate, MappingPair, MappingSuggestion } from "../api/types";

/** Choice is what the user decided for one target field: whether to map it, and from which source field. */
export interface Choice {
  accepted: boolean;
  source: string;
}

/** Selection holds a Choice per target field path. */
export type Selection = Record<string, Choice>;

/** autoAccept is the confidence from which a suggestion starts out accepted; the user can change every choice. */
export const autoAccept = 0.75;

/** candidatesOf lists a suggestion's candidates, best first: its own source, then the alternatives. */
export function candidatesOf(s: MappingSuggestion): MappingCandidate[] {
  const best: MappingCandidate = { source: s.source, confidence: s.confidence, reason: s.reason, scores: s.scores };
  return [best, ...(s.alternatives ?? []).filter((a) => a.source !== s.source)];
}

/** chosenCandidate is the candidate the choice points at (the best one when the choice is unknown). */
export function chosenCandidate(s: MappingSuggestion, choice: Choice | undefined): MappingCandidate {
  const all = candidatesOf(s);
  return all.find((c) => c.source === choice?.source) ?? all[0];
}

/** initialSelection picks every suggestion's best source, accepted when its confidence reaches threshold. */
export function initialSelection(suggestions: MappingSuggestion[], threshold = autoAccept): Selection {
  const sel: Selection = {};
  for (const s of suggestions) sel[s.target] = { accepted: s.confidence >= threshold, source: s.source };
  return sel;
}

/** setAccepted accepts or rejects one target field, keeping its source. */
export function setAccepted(sel: Selection, target: string, accepted: boolean): Selection {
  const prev = sel[target];
  if (!prev || prev.accepted === accepted) return sel;
  return { ...sel, [target]: { ...prev, accepted } };
}

/** setSource picks another candidate for a target field; picking one accepts the field. */
export function setSource(sel: Selection, target: string, source: string): Selection {
  const prev = sel[target];
  if (prev && prev.source === source && prev.accepted) return sel;
  return { ...sel, [target]: { accepted: true, source } };
}

/** setAll accepts or rejects every field. */
export function setAll(sel: Selection, accepted: boolean): Selection {
  const next: Selection = {};
  for (const [target, c] of Object.entries(sel)) next[target] = { ...c, accepted };
  return next;
}

/** acceptedPairs lists the accepted fields as pairs, in the order of the suggestions. */
export function acceptedPairs(sel: Selection, suggestions: MappingSuggestion[]): MappingPair[] {
  const pairs: MappingPair[] = [];
  for (const s of suggestions) {
    const c = sel[s.target];
    if (c?.accepted) pairs.push({ source: chosenCandidate(s, c).source, target: s.target });
  }
  return pairs;
}

/**
 * isSuggestedProgram tells whether the selection is exactly what the server's suggested program maps
 * (every field accepted from its best source), so that program can be used without asking again.
 */
export function isSuggestedProgram(sel: Selection, suggestions: MappingSuggestion[]): boolean {
  return suggestions.every((s) => {
    const c = sel[s.target];
    return c !== undefined && c.accepted && c.source === s.source;
  });
}

/** percent formats a confidence between 0 and 1 as a whole percentage, e.g. "92%". */
export function percent(confidence: number): string {
  const p = Math.round(Math.min(1, Math.max(0, confidence)) * 100);
  return `${p}%`;
}

/** ConfidenceLevel groups confidences for colour: high from 0.8, medium from 0.6, else low. */
export type ConfidenceLevel = "high" | "medium" | "low";

/** confidenceLevel returns the ConfidenceLevel of a confidence. */
export function confidenceLevel(confidence: number): ConfidenceLevel {
  if (confidence >= 0.8) return "high";
  if (confidence >= 0.6) return "medium";
  return "low";
}
