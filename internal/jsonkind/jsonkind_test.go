package jsonkind

import (
	"encoding/json"
	"math"
	"testing"
)

func TestKindsAndFits(t *testing.T) {
	for _, c := range []struct {
		v    any
		kind string
	}{
		{nil, "null"}, {true, "boolean"}, {"x", "string"}, {map[string]any{}, "object"}, {[]any{}, "array"},
		{3.0, "integer"}, {3.5, "number"}, {int64(7), "integer"}, {json.Number("2.25"), "number"},
		{math.Inf(1), "number"}, {[]string{"x"}, "[]string"},
	} {
		if got := SchemaType(c.v); got != c.kind {
			t.Errorf("SchemaType(%#v) = %q, want %q", c.v, got, c.kind)
		}
		want := c.kind
		if want == "integer" {
			want = "number"
		}
		if got := Of(c.v); got != want {
			t.Errorf("Of(%#v) = %q, want %q", c.v, got, want)
		}
		if !Fits(c.v, c.kind) {
			t.Errorf("Fits(%#v, %q) = false", c.v, c.kind)
		}
	}
	if !Fits(4.0, "number") || Fits(4.5, "integer") || Fits("4", "number") || Fits(nil, "object") {
		t.Error("an integer must fit number, and nothing else cross over")
	}
	if _, ok := Number(json.Number("x")); ok {
		t.Error("a malformed json.Number read as a number")
	}
}

func TestArticle(t *testing.T) {
	for typ, want := range map[string]string{"object": "an object", "array": "an array", "integer": "an integer",
		"null": "null", "string": "a string", "number": "a number", "boolean": "a boolean"} {
		if got := Article(typ); got != want {
			t.Errorf("Article(%q) = %q, want %q", typ, got, want)
		}
	}
}
