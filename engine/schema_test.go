package engine_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bridgework/bridgework/engine"
)

func TestSchemaValidate(t *testing.T) {
	t.Parallel()
	var s engine.Schema
	err := json.Unmarshal([]byte(`{
	  "type": "object",
	  "required": ["name"],
	  "additionalProperties": false,
	  "properties": {
	    "name": {"type": "string", "minLength": 1},
	    "mode": {"type": "string", "enum": ["a", "b"]},
	    "count": {"type": "integer", "minimum": 1, "maximum": 10},
	    "ratio": {"type": "number"},
	    "wait": {"type": "string", "format": "duration"},
	    "tags": {"type": "array", "items": {"type": "string"}},
	    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
	    "nested": {"type": "object", "properties": {"on": {"type": "boolean"}}}
	  }
	}`), &s)
	if err != nil {
		t.Fatalf("unmarshal schema: %v", err)
	}
	tests := []struct {
		name  string
		value string
		want  []string // "path: message fragment"
	}{
		{"valid", `{"name":"x","mode":"a","count":3,"ratio":0.5,"wait":"5s","tags":["t"],"labels":{"k":"v"},"nested":{"on":true}}`, nil},
		{"missing required", `{}`, []string{"name: is required"}},
		{"empty string", `{"name":""}`, []string{"name: must not be empty"}},
		{"enum", `{"name":"x","mode":"c"}`, []string{`mode: must be one of "a", "b"`}},
		{"integer", `{"name":"x","count":1.5}`, []string{"count: must be an integer, got a number"}},
		{"minimum", `{"name":"x","count":0}`, []string{"count: must be at least 1"}},
		{"maximum", `{"name":"x","count":11}`, []string{"count: must be at most 10"}},
		{"duration", `{"name":"x","wait":"later"}`, []string{"wait: must be a duration"}},
		{"item type", `{"name":"x","tags":["a",2]}`, []string{"tags[1]: must be a string, got a number"}},
		{"additional schema", `{"name":"x","labels":{"k":1}}`, []string{"labels.k: must be a string"}},
		{"closed object", `{"name":"x","extra":1}`, []string{"extra: is not a known field (known: count, labels, mode, name, nested, ratio, tags, wait)"}},
		{"nested type", `{"name":"x","nested":{"on":"yes"}}`, []string{"nested.on: must be a boolean, got a string"}},
		{"not an object", `[]`, []string{": must be an object, got an array"}},
		{"several at once", `{"mode":"z","count":"3"}`, []string{"count: must be an integer, got a string", "mode: must be one of", "name: is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var v any
			if err := json.Unmarshal([]byte(tt.value), &v); err != nil {
				t.Fatal(err)
			}
			errs := s.Validate(v)
			if len(errs) != len(tt.want) {
				t.Fatalf("got %d errors %v, want %d %v", len(errs), errs, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				got := errs[i].Path + ": " + errs[i].Message
				if !strings.HasPrefix(got, w) {
					t.Errorf("error %d = %q, want prefix %q", i, got, w)
				}
			}
		})
	}
}

func TestSchemaRoundTrip(t *testing.T) {
	t.Parallel()
	in := `{"type":"object","properties":{"h":{"type":"object","additionalProperties":{"type":"string"}}},"additionalProperties":false}`
	var s engine.Schema
	if err := json.Unmarshal([]byte(in), &s); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(&s)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != in {
		t.Errorf("round trip = %s, want %s", out, in)
	}
}
