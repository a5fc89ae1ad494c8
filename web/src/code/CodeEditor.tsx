import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, placeholder as placeholderExt } from "@codemirror/view";
import { useEffect, useRef } from "react";
import { languageExtension } from "./languages";

/** Props of CodeEditor. */
export interface CodeEditorProps {
  value: string;
  onChange: (value: string) => void;
  /** language is "jq", "expr" or "json". */
  language?: string;
  /** labelledBy is the id of the element that labels the editor. */
  labelledBy?: string;
  describedBy?: string;
  invalid?: boolean;
  placeholder?: string;
}

/**
 * CodeEditor is a small CodeMirror 6 editor. Tab is left to the browser so keyboard users can
 * move on; Escape then Tab also works inside CodeMirror.
 */
export function CodeEditor({ value, onChange, language, labelledBy, describedBy, invalid, placeholder }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    const attrs: Record<string, string> = { "aria-multiline": "true", role: "textbox" };
    if (labelledBy) attrs["aria-labelledby"] = labelledBy;
    if (describedBy) attrs["aria-describedby"] = describedBy;
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          bracketMatching(),
          syntaxHighlighting(defaultHighlightStyle),
          languageExtension(language),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of(attrs),
          placeholder ? placeholderExt(placeholder) : [],
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChangeRef.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is built once per language; value changes are applied below.
  }, [language, labelledBy, describedBy, placeholder]);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div ref={host} className="code-editor" aria-invalid={invalid || undefined} />;
}
