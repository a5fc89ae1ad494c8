import type { MappingSuggestion } from "../api/types";
import { Select } from "../ui/Input";
import { candidatesOf, chosenCandidate, confidenceLevel, percent, setAccepted, setSource, type Selection } from "./selection";

/** Props of MappingTable. */
export interface MappingTableProps {
  suggestions: MappingSuggestion[];
  selection: Selection;
  onChange: (next: Selection) => void;
}

/**
 * MappingTable shows one row per target field: accept or reject it, the source field it comes from
 * (a choice among the ranked candidates when there are several), the confidence and the reason.
 */
export function MappingTable({ suggestions, selection, onChange }: MappingTableProps) {
  return (
    <table className="table table-compact mapping-table" aria-label="Suggested fields">
      <thead>
        <tr>
          <th scope="col" className="mapping-col-accept">
            Use
          </th>
          <th scope="col">Target field</th>
          <th scope="col" className="mapping-col-source">
            ← Source field
          </th>
          <th scope="col" className="mapping-col-confidence">
            Confidence
          </th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {suggestions.map((s) => {
          const choice = selection[s.target];
          const accepted = choice?.accepted ?? false;
          const chosen = chosenCandidate(s, choice);
          const candidates = candidatesOf(s);
          return (
            <tr key={s.target} className={accepted ? undefined : "mapping-rejected"} data-target={s.target}>
              <td className="mapping-col-accept">
                <input
                  type="checkbox"
                  className="checkbox"
                  checked={accepted}
                  onChange={(e) => onChange(setAccepted(selection, s.target, e.target.checked))}
                  aria-label={`Use ${s.target}`}
                />
              </td>
              <th scope="row" className="mapping-target">
                <code>{s.target}</code>
              </th>
              <td className="mapping-col-source">
                {candidates.length > 1 ? (
                  <Select
                    aria-label={`Source for ${s.target}`}
                    className="mapping-source-select"
                    value={chosen.source}
                    onChange={(e) => onChange(setSource(selection, s.target, e.target.value))}
                  >
                    {candidates.map((c, i) => (
                      <option key={c.source} value={c.source}>
                        {`${c.source} (${percent(c.confidence)}${i === 0 ? ", best" : ""})`}
                      </option>
                    ))}
                  </Select>
                ) : (
                  <code className="mapping-source">{chosen.source}</code>
                )}
              </td>
              <td className="mapping-col-confidence">
                <Confidence value={chosen.confidence} />
              </td>
              <td className="mapping-reason">{chosen.reason}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Confidence is a bar with the percentage next to it. */
export function Confidence({ value }: { value: number }) {
  const p = percent(value);
  return (
    <span className="confidence" data-level={confidenceLevel(value)}>
      <span className="confidence-bar" aria-hidden="true">
        <span style={{ width: p }} />
      </span>
      <span className="confidence-value">{p}</span>
    </span>
  );
}
