package engine

import (
	"encoding/json"
	"testing"
)

func TestPlainSizeMatchesEncoding(t *testing.T) {
	t.Parallel()
	values := []string{
		`null`, `true`, `false`, `0`, `-12`, `3.25`, `1e300`, `12345678901234567890`, `1e-7`, `0.000001`, `-2.5e-9`,
		`"plain"`, `"quote \" backslash \\ newline \n tab \t"`, `"<b>&amp;</b>"`, `"\u0001\u001f"`, `"émoji 🙂"`, `"\u2028"`,
		`[]`, `{}`, `[1,"a",null,{"k":[true]}]`,
		`{"order":{"lines":[{"sku":"A-1","qty":2,"price":9.99},{"sku":"B","qty":1,"price":0.5}],"note":"x"}}`,
	}
	for _, doc := range values {
		v, err := DecodeJSON([]byte(doc))
		if err != nil {
			t.Fatalf("DecodeJSON(%s): %v", doc, err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if got := plainSize(v, 1<<30); got != len(b) {
			t.Errorf("plainSize(%s) = %d, encoding is %d bytes (%s)", doc, got, len(b), b)
		}
	}
	if got := plainSize("\xff", 100); got != len(`"\ufffd"`) {
		t.Errorf("plainSize of invalid UTF-8 = %d", got)
	}
	if got := plainSize(map[string]any{"a": []any{struct{}{}}}, 100); got != -1 {
		t.Errorf("plainSize of a struct = %d, want -1", got)
	}
}

func TestDecodeJSONNumbers(t *testing.T) {
	t.Parallel()
	v, err := DecodeJSON([]byte(`{"i":42,"f":1.5,"big":12345678901234567890,"e":1e3}`))
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	if _, ok := m["i"].(int); !ok {
		t.Errorf("42 decoded as %T, want int", m["i"])
	}
	for _, k := range []string{"f", "big", "e"} {
		if _, ok := m[k].(float64); !ok {
			t.Errorf("%s decoded as %T, want float64", k, m[k])
		}
	}
	if _, err := DecodeJSON([]byte(`{} {}`)); err == nil {
		t.Errorf("DecodeJSON accepted two documents")
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	type line struct {
		SKU string `json:"sku"`
		Qty int    `json:"qty"`
	}
	v, err := Normalize(map[string]any{"lines": []line{{"A", 2}}})
	if err != nil {
		t.Fatal(err)
	}
	lines := v.(map[string]any)["lines"].([]any)
	if l := lines[0].(map[string]any); l["sku"] != "A" || l["qty"] != 2 {
		t.Errorf("normalized = %#v", v)
	}
	plain := map[string]any{"a": []any{1, "x"}}
	got, _ := Normalize(plain)
	if got.(map[string]any)["a"].([]any)[1] != "x" {
		t.Errorf("plain value changed: %#v", got)
	}
}

func TestSameValue(t *testing.T) {
	t.Parallel()
	m := map[string]any{"a": 1}
	s := []any{1, 2}
	tests := []struct {
		a, b any
		want bool
	}{
		{m, m, true},
		{m, map[string]any{"a": 1}, false},
		{s, s, true},
		{s, s[:1], false},
		{s, []any{1, 2}, false},
		{1, 1, false},
		{m, s, false},
	}
	for i, tt := range tests {
		if got := sameValue(tt.a, tt.b); got != tt.want {
			t.Errorf("case %d: sameValue = %v, want %v", i, got, tt.want)
		}
	}
}
