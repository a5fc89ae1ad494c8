import type { ReactNode } from "react";

/** Props of Panel. */
export interface PanelProps {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}

/** Panel is a bordered surface with an optional header row of title and actions. */
export function Panel({ title, actions, children, className }: PanelProps) {
  return (
    <section className={className ? `panel ${className}` : "panel"}>
      {(title || actions) && (
        <header className="panel-header">
          <h2>{title}</h2>
          {actions}
        </header>
      )}
      <div className="panel-body">{children}</div>
    </section>
  );
}
