import { useEffect, useRef, type ReactNode } from "react";

/** Props of Dialog. */
export interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  /** className is added to the dialog element, for a dialog with its own layout. */
  className?: string;
}

/**
 * Dialog is a modal built on the native dialog element, which traps focus,
 * closes on Escape and returns focus to the opener.
 */
export function Dialog({ open, title, onClose, children, footer, wide, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  // The native close event also follows a close the parent asked for; only report the others,
  // so a parent that swaps one dialog for another is not told the new one closed.
  const wantOpen = useRef(open);
  wantOpen.current = open;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={["dialog", wide && "dialog-wide", className].filter(Boolean).join(" ")}
      aria-labelledby={open ? "dialog-title" : undefined}
      onClose={() => {
        if (wantOpen.current) onClose();
      }}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <header className="dialog-header">
            <h2 id="dialog-title">{title}</h2>
          </header>
          <div className="dialog-body">{children}</div>
          {footer && <footer className="dialog-footer">{footer}</footer>}
        </>
      )}
    </dialog>
  );
}
