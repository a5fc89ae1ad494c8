import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import { Button } from "./Button";

/** Kind of a toast message. */
export type ToastKind = "info" | "success" | "error";

interface ToastItem {
  id: number;
  kind: ToastKind;
  message: string;
}

/** Toaster shows short notices. */
export interface Toaster {
  show: (message: string, kind?: ToastKind) => void;
}

const ToastContext = createContext<Toaster>({ show: () => {} });

const toastMillis = 6000;

/** ToastProvider renders the toast stack and gives useToast its Toaster. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setItems((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (message: string, kind: ToastKind = "info") => {
      const id = next.current++;
      setItems((all) => [...all.slice(-3), { id, kind, message }]);
      if (kind !== "error") window.setTimeout(() => dismiss(id), toastMillis);
    },
    [dismiss],
  );
  const value = useMemo(() => ({ show }), [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {items.map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`}>
            <span>{t.message}</span>
            <Button small variant="ghost" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </Button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

/** useToast returns the Toaster of the nearest ToastProvider. */
export function useToast(): Toaster {
  return useContext(ToastContext);
}
