import type { ReactNode } from "react";

/** One column of a Table. */
export interface Column<T> {
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  width?: string;
}

/** Props of Table. */
export interface TableProps<T> {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  caption?: string;
  /** onRowOpen makes rows clickable and opens them with Enter too. */
  onRowOpen?: (row: T) => void;
  compact?: boolean;
}

/** Table renders rows in a dense, scrollable table. */
export function Table<T>({ columns, rows, rowKey, caption, onRowOpen, compact }: TableProps<T>) {
  return (
    <div className="table-wrap">
      <table className={compact ? "table table-compact" : "table"}>
        {caption && <caption className="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" style={c.width ? { width: c.width } : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={rowKey(row)}
              className={onRowOpen ? "clickable" : undefined}
              tabIndex={onRowOpen ? 0 : undefined}
              onClick={onRowOpen ? () => onRowOpen(row) : undefined}
              onKeyDown={
                onRowOpen
                  ? (e) => {
                      if (e.key === "Enter" && e.target === e.currentTarget) onRowOpen(row);
                    }
                  : undefined
              }
            >
              {columns.map((c) => (
                <td key={c.key}>{c.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
