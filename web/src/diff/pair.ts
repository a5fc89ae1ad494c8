/** VersionPair names the two versions a comparison shows: older first. */
export interface VersionPair {
  from: number;
  to: number;
}

/**
 * defaultPair picks what the history opens on: the live version against the newest draft when
 * they differ, otherwise the newest version against the one before it. It returns null when
 * there is nothing to compare (fewer than two versions).
 */
export function defaultPair(versions: number[], published: number | null): VersionPair | null {
  const sorted = [...new Set(versions)].sort((a, b) => a - b);
  if (sorted.length < 2) return null;
  const newest = sorted[sorted.length - 1];
  if (published != null && published !== newest && sorted.includes(published)) return { from: published, to: newest };
  return { from: sorted[sorted.length - 2], to: newest };
}

/** orderedPair puts two chosen versions in order, older first; equal versions give null. */
export function orderedPair(a: number, b: number): VersionPair | null {
  if (a === b) return null;
  return a < b ? { from: a, to: b } : { from: b, to: a };
}
