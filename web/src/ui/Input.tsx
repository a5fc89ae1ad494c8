import { forwardRef, type InputHTMLAttributes, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";

/** Input is a styled text-like input; pass invalid to mark it for assistive tech and styling. */
export const Input = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement> & { invalid?: boolean }>(
  function Input({ invalid, className, ...rest }, ref) {
    return (
      <input ref={ref} className={className ? `input ${className}` : "input"} aria-invalid={invalid || undefined} {...rest} />
    );
  },
);

/** Select is a styled native select. */
export function Select({ invalid, className, ...rest }: SelectHTMLAttributes<HTMLSelectElement> & { invalid?: boolean }) {
  return <select className={className ? `select ${className}` : "select"} aria-invalid={invalid || undefined} {...rest} />;
}

/** Textarea is a styled monospace multi-line input. */
export function Textarea({ invalid, className, ...rest }: TextareaHTMLAttributes<HTMLTextAreaElement> & { invalid?: boolean }) {
  return <textarea className={className ? `textarea ${className}` : "textarea"} aria-invalid={invalid || undefined} {...rest} />;
}
