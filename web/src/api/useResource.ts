import { useCallback, useEffect, useState } from "react";
import { messageOf } from "./error";

/** Resource is the state of one loaded value. */
export interface Resource<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * useResource calls load whenever key changes and keeps the latest answer.
 * Answers of superseded calls are dropped.
 */
export function useResource<T>(load: () => Promise<T>, key: string): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  // load is captured per key on purpose: callers pass inline closures.
  const stableLoad = useCallback(load, [key, tick]);
  useEffect(() => {
    let current = true;
    setState((s) => ({ data: s.data, loading: true }));
    stableLoad().then(
      (data) => current && setState({ data, loading: false }),
      (err: unknown) => current && setState({ error: messageOf(err), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [stableLoad]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
