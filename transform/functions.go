package transform

import (
	"fmt"

	"github.com/itchyny/gojq"

	"github.com/bridgework/bridgework/internal/jsonkind"
)

// Function describes one jq function Functions registers.
type Function struct {
	Name        string // as called, with its arguments: "similarity(a; b)"
	Description string
}

// Catalog lists the jq functions Functions registers, for documentation.
var Catalog = []Function{
	{"std_address", "standardises an address: an object's fields by name (lines, city, state, ZIP/postal code, country, Heartland or Epicor spelling) or a string as one street line; null stays null"},
	{"normalize_name", "lower case, accents folded, punctuation dropped, company words shortened: \"  ACME Corp.\" → \"acme corp\"; null gives \"\""},
	{"similarity(a; b)", "0..1 likeness of two names or addresses (token-sorted Jaro-Winkler after normalisation and street abbreviations); 0 when either is empty or null"},
	{"map_value(table)", "looks the input up in an object (exactly, then ignoring case and whitespace); null when absent"},
	{"map_value(table; default)", "the same, yielding default when absent"},
}

// Functions returns the gojq compiler options that register the shared
// functions; engine.CompileJQ passes them to every program.
func Functions() []gojq.CompilerOption {
	return []gojq.CompilerOption{
		gojq.WithFunction("std_address", 0, 0, stdAddress),
		gojq.WithFunction("normalize_name", 0, 0, normalizeName),
		gojq.WithFunction("similarity", 2, 2, similarity),
		gojq.WithFunction("map_value", 1, 2, mapValue),
	}
}

func stdAddress(v any, _ []any) any {
	switch a := v.(type) {
	case nil:
		return nil
	case string:
		return StandardizeLine(a)
	case map[string]any:
		return StandardizeAddress(a)
	}
	return fmt.Errorf("std_address: cannot standardise %s (want an object or a string)", jsonkind.Article(jsonkind.Of(v)))
}

func normalizeName(v any, _ []any) any {
	s, err := stringArg("normalize_name", "input", v)
	if err != nil {
		return err
	}
	return NormalizeName(s)
}

func similarity(_ any, args []any) any {
	a, err := stringArg("similarity", "a", args[0])
	if err != nil {
		return err
	}
	b, err := stringArg("similarity", "b", args[1])
	if err != nil {
		return err
	}
	return Similarity(a, b)
}

func mapValue(v any, args []any) any {
	table, ok := args[0].(map[string]any)
	if !ok {
		return fmt.Errorf("map_value: table must be an object, not %s", jsonkind.Article(jsonkind.Of(args[0])))
	}
	if out, found := MapValue(table, v); found {
		return out
	}
	if len(args) == 2 {
		return args[1]
	}
	return nil
}

// stringArg accepts a string or null (as "").
func stringArg(fn, name string, v any) (string, error) {
	switch s := v.(type) {
	case nil:
		return "", nil
	case string:
		return s, nil
	}
	return "", fmt.Errorf("%s: %s must be a string, not %s", fn, name, jsonkind.Article(jsonkind.Of(v)))
}
