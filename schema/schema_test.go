package schema

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
)

func decode(tb testing.TB, s string) any {
	tb.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		tb.Fatal(err)
	}
	return v
}

func samples(tb testing.TB, docs ...string) []any {
	out := make([]any, len(docs))
	for i, d := range docs {
		out[i] = decode(tb, d)
	}
	return out
}

func TestInferRules(t *testing.T) {
	t.Parallel()
	var docs []any
	statuses := []string{"complete", "open", "complete", "open", "complete", "complete", "open", "complete", "open"}
	for i, st := range statuses {
		d := map[string]any{"id": float64(100 + i), "status": st, "total": 10.5 + float64(i),
			"email": "a@example.com", "created_at": "2025-03-01T18:22:05Z", "day": "2025-03-01",
			"lines": []any{map[string]any{"qty": float64(i + 1)}}, "note": nil, "active?": true}
		if i%2 == 0 {
			d["note"] = "gift"
			d["sometimes"] = 1.0
		}
		docs = append(docs, d)
	}
	s := Infer(docs)
	checks := []struct {
		name string
		ok   bool
	}{
		{"id integer", slices.Equal(s.Properties["id"].Type, Types{"integer"})},
		{"total number", slices.Equal(s.Properties["total"].Type, Types{"number"})},
		{"status enum", len(s.Properties["status"].Enum) == 2},
		{"email format", s.Properties["email"].Format == FormatEmail},
		{"created_at date-time", s.Properties["created_at"].Format == FormatDateTime},
		{"day date", s.Properties["day"].Format == FormatDate},
		{"note nullable", slices.Equal(s.Properties["note"].Type, Types{"string", "null"})},
		{"note not required", !s.IsRequired("note")},
		{"sometimes not required", !s.IsRequired("sometimes")},
		{"id required", s.IsRequired("id")},
		{"lines items", s.Properties["lines"].Items != nil && s.Properties["lines"].Items.IsRequired("qty")},
		{"total min 0", s.Properties["total"].Minimum != nil && *s.Properties["total"].Minimum == 0},
		{"total max 1000", s.Properties["total"].Maximum != nil && *s.Properties["total"].Maximum == 1000},
		{"bool type", slices.Equal(s.Properties["active?"].Type, Types{"boolean"})},
	}
	for _, c := range checks {
		if !c.ok {
			b, _ := json.MarshalIndent(s, "", " ")
			t.Errorf("%s: failed; schema:\n%s", c.name, b)
		}
	}
	for i, d := range docs {
		if vs := Validate(s, d); len(vs) != 0 {
			t.Errorf("sample %d breaks its own inferred schema: %v", i, vs)
		}
	}
}

func TestValidateNamesFieldAndRule(t *testing.T) {
	t.Parallel()
	s, err := Parse([]byte(`{"type":"object","required":["id","lines"],"properties":{
		"id":{"type":"integer"},"status":{"type":"string","enum":["open","closed"]},
		"email":{"type":"string","format":"email"},"total":{"type":"number","minimum":0,"maximum":1000},
		"lines":{"type":"array","items":{"type":"object","required":["qty"],"properties":{"qty":{"type":"number"}}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		doc  string
		want []Violation
	}{
		{"valid", `{"id":1,"status":"open","email":"x@y.io","total":5,"lines":[{"qty":1}]}`, nil},
		{"missing id", `{"lines":[]}`, []Violation{{Field: "id", Rule: RuleRequired}}},
		{"wrong type", `{"id":"1","lines":[]}`, []Violation{{Field: "id", Rule: RuleType}}},
		{"enum", `{"id":1,"status":"void","lines":[]}`, []Violation{{Field: "status", Rule: RuleEnum}}},
		{"format", `{"id":1,"email":"nope","lines":[]}`, []Violation{{Field: "email", Rule: RuleFormat}}},
		{"range", `{"id":1,"total":-1,"lines":[]}`, []Violation{{Field: "total", Rule: RuleMinimum}}},
		{"max", `{"id":1,"total":5000,"lines":[]}`, []Violation{{Field: "total", Rule: RuleMaximum}}},
		{"nested", `{"id":1,"lines":[{"qty":1},{}]}`, []Violation{{Field: "lines[1].qty", Rule: RuleRequired}}},
		{"root type", `[1]`, []Violation{{Field: "", Rule: RuleType}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Validate(s, decode(t, tc.doc))
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i].Field != tc.want[i].Field || got[i].Rule != tc.want[i].Rule || got[i].Message == "" {
					t.Errorf("violation %d = %+v, want field %q rule %q", i, got[i], tc.want[i].Field, tc.want[i].Rule)
				}
			}
		})
	}
}

func TestCheckModes(t *testing.T) {
	t.Parallel()
	s := Infer(samples(t, `{"id":1}`, `{"id":2}`))
	bad := decode(t, `{"id":"x"}`)
	vs, err := Check(s, bad, ModeWarn)
	if err != nil || len(vs) != 1 {
		t.Fatalf("warn: %v %v", vs, err)
	}
	vs, err = Check(s, bad, ModeFail)
	var ve *ValidationError
	if !errors.As(err, &ve) || len(vs) != 1 || ve.Retryable() {
		t.Fatalf("fail: %v %v", vs, err)
	}
	if _, err := Check(s, decode(t, `{"id":3}`), ModeFail); err != nil {
		t.Fatalf("valid doc failed: %v", err)
	}
	if _, err := ParseMode("loud"); err == nil {
		t.Fatal("ParseMode accepted an unknown mode")
	}
}

func TestSchemaRoundTrip(t *testing.T) {
	t.Parallel()
	s := Infer(samples(t, `{"a":1,"b":"x"}`, `{"a":2,"b":null}`))
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Properties["b"].Type, Types{"string", "null"}) || !back.IsRequired("a") {
		t.Fatalf("round trip lost information: %s", b)
	}
}
