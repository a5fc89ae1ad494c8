import { useState } from "react";
import type { NodeType } from "../api/types";
import { Input } from "../ui/Input";

/** paletteMime is the drag-and-drop type that carries a node type name onto the canvas. */
export const paletteMime = "application/x-bridgework-node-type";

/** Palette lists node types by category; drag one onto the canvas, or press Enter to add it in the middle. */
export function Palette({ types, onAdd }: { types: NodeType[]; onAdd: (t: NodeType) => void }) {
  const [filter, setFilter] = useState("");
  const q = filter.trim().toLowerCase();
  const shown = types.filter((t) => !q || `${t.title} ${t.type} ${t.category}`.toLowerCase().includes(q));
  const categories = [...new Set(shown.map((t) => t.category))].sort();
  return (
    <aside className="palette" aria-label="Node types">
      <Input placeholder="Filter nodes" aria-label="Filter node types" value={filter} onChange={(e) => setFilter(e.target.value)} />
      {categories.map((c) => (
        <section key={c}>
          <h3 className="palette-category">{c}</h3>
          {shown
            .filter((t) => t.category === c)
            .map((t) => (
              <button
                key={t.type}
                type="button"
                className="palette-item"
                draggable
                title={t.description}
                onDragStart={(e) => {
                  e.dataTransfer.setData(paletteMime, t.type);
                  e.dataTransfer.effectAllowed = "move";
                }}
                onClick={() => onAdd(t)}
              >
                {t.title}
              </button>
            ))}
        </section>
      ))}
      {shown.length === 0 && <p className="muted">No node type matches.</p>}
    </aside>
  );
}
