import { json } from "@codemirror/lang-json";
import { StreamLanguage, type StringStream } from "@codemirror/language";
import type { Extension } from "@codemirror/state";

interface Grammar {
  keywords: Set<string>;
  quotes: string;
  comment?: string;
  /** variablePrefix starts a variable such as $trigger. */
  variablePrefix?: string;
  /** fieldPaths colours ".name" as a property (jq). */
  fieldPaths?: boolean;
}

function tokenizer(g: Grammar) {
  return (stream: StringStream): string | null => {
    if (stream.eatSpace()) return null;
    if (g.comment && stream.match(g.comment)) {
      stream.skipToEnd();
      return "comment";
    }
    const ch = stream.peek() ?? "";
    if (g.quotes.includes(ch)) {
      stream.next();
      let escaped = false;
      for (let c = stream.next(); c !== undefined; c = stream.next()) {
        if (c === ch && !escaped) break;
        escaped = !escaped && c === "\\";
      }
      return "string";
    }
    if (stream.match(/^-?\d+(\.\d+)?([eE][+-]?\d+)?/)) return "number";
    if (g.variablePrefix && stream.match(new RegExp(`^\\${g.variablePrefix}[A-Za-z_][A-Za-z0-9_]*`))) return "variableName";
    if (g.fieldPaths && stream.match(/^\.[A-Za-z_][A-Za-z0-9_]*/)) return "propertyName";
    const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*/);
    if (word && Array.isArray(word)) return g.keywords.has(word[0]) ? "keyword" : "variableName";
    stream.next();
    return /[|=<>!+\-*/%&?:]/.test(ch) ? "operator" : null;
  };
}

const jq = StreamLanguage.define({
  name: "jq",
  token: tokenizer({
    keywords: new Set("if then elif else end as def reduce foreach try catch label import include and or not null true false".split(" ")),
    quotes: '"',
    comment: "#",
    variablePrefix: "$",
    fieldPaths: true,
  }),
});

const expr = StreamLanguage.define({
  name: "expr",
  token: tokenizer({
    keywords: new Set("and or not in matches contains startsWith endsWith let true false nil".split(" ")),
    quotes: "\"'`",
    comment: "//",
    variablePrefix: "$",
  }),
});

/** languageExtension returns the CodeMirror language for "jq", "expr" or "json" (plain text otherwise). */
export function languageExtension(lang: string | undefined): Extension {
  switch (lang) {
    case "jq":
      return jq;
    case "expr":
      return expr;
    case "json":
      return json();
    default:
      return [];
  }
}
