import { useId, type ReactNode } from "react";

/**
 * Ids a Field hands to its control so label, hint and error are wired up.
 * The label's own id is `${id}-label`, for controls that need aria-labelledby.
 */
export interface FieldControlProps {
  id: string;
  "aria-describedby"?: string;
  invalid: boolean;
}

/** Props of Field. */
export interface FieldProps {
  label: string;
  required?: boolean;
  hint?: ReactNode;
  error?: string;
  /** inline puts the control before the label (checkboxes). */
  inline?: boolean;
  children: (control: FieldControlProps) => ReactNode;
}

/** Field renders a label, a control, an optional hint and an error message, all linked by id. */
export function Field({ label, required, hint, error, inline, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const control = children({ id, "aria-describedby": describedBy, invalid: Boolean(error) });
  const labelEl = (
    <label className="field-label" htmlFor={id} id={`${id}-label`}>
      {label}
      {required && (
        <span className="field-required" aria-hidden="true">
          *
        </span>
      )}
      {required && <span className="visually-hidden"> (required)</span>}
    </label>
  );
  return (
    <div className="field">
      {inline ? (
        <div className="field-inline field">
          {control}
          {labelEl}
        </div>
      ) : (
        <>
          {labelEl}
          {control}
        </>
      )}
      {hint && (
        <div className="field-hint" id={hintId}>
          {hint}
        </div>
      )}
      {error && (
        <div className="field-error" id={errorId} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
