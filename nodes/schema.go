package nodes

import (
	"encoding/json"

	"github.com/bridgework/bridgework/engine"
)

// object is a closed object schema: only the listed properties are allowed.
func object(desc string, required []string, props map[string]*engine.Schema) *engine.Schema {
	return &engine.Schema{Type: "object", Description: desc, Required: required, Properties: props, ClosedProperties: true}
}

func text(desc string) *engine.Schema {
	return &engine.Schema{Type: "string", Description: desc}
}

func nonEmpty(desc, format string) *engine.Schema {
	one := 1
	return &engine.Schema{Type: "string", Description: desc, Format: format, MinLength: &one}
}

func jqField(desc string) *engine.Schema {
	return nonEmpty(desc, engine.FormatJQ)
}

func ptr[T any](v T) *T { return &v }

// example builds a spec example from a Go value; it panics on values that
// cannot be encoded, which are programming errors caught by the tests.
func example(title string, config any) engine.Example {
	b, err := json.Marshal(config)
	if err != nil {
		panic(err)
	}
	return engine.Example{Title: title, Config: b}
}
