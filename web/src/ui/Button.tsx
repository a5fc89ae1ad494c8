import type { ButtonHTMLAttributes } from "react";

/** Visual weight of a button. */
export type ButtonVariant = "default" | "primary" | "danger" | "ghost";

/** Props of Button: a native button plus variant and size. */
export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  small?: boolean;
}

/** Button is the app's only button; it defaults to type="button" so it never submits by accident. */
export function Button({ variant = "default", small, className, type = "button", ...rest }: ButtonProps) {
  const classes = ["btn"];
  if (variant !== "default") classes.push(`btn-${variant}`);
  if (small) classes.push("btn-small");
  if (className) classes.push(className);
  return <button type={type} className={classes.join(" ")} {...rest} />;
}
