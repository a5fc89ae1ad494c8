package connectors

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/bridgework/bridgework/connectors/httpx"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	sc, err := parseSchema(Input(
		Integer("id", "id").Required(),
		String("status", "status").Enum("open", "closed"),
		Number("amount", "amount"),
		Array("lines", "lines", ObjectSchema(Integer("item_id", "item").Required(), Number("qty", "qty").Required())),
		Object("custom", "custom"),
		Boolean("flag", "flag"),
	))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		input string
		field string // "" = valid
	}{
		{`{"id":5}`, ""},
		{`{"id":5,"status":"open","amount":1.5,"lines":[{"item_id":1,"qty":2}],"custom":{"a":1},"flag":true}`, ""},
		{`{"id":null}`, "input.id"},
		{`{}`, "input.id"},
		{`{"id":"5"}`, "input.id"},
		{`{"id":5.5}`, "input.id"},
		{`{"id":5,"status":"lost"}`, "input.status"},
		{`{"id":5,"amount":"12"}`, "input.amount"},
		{`{"id":5,"lines":[{"item_id":1,"qty":2},{"item_id":2}]}`, "input.lines[1].qty"},
		{`{"id":5,"lines":[{"item_id":"x","qty":2}]}`, "input.lines[0].item_id"},
		{`{"id":5,"lines":{"item_id":1}}`, "input.lines"},
		{`{"id":5,"custom":[1]}`, "input.custom"},
		{`{"id":5,"flag":"yes"}`, "input.flag"},
		{`{"id":5,"status":null}`, ""}, // null optional fields are absent
	}
	for _, tt := range tests {
		var in map[string]any
		if err := json.Unmarshal([]byte(tt.input), &in); err != nil {
			t.Fatal(err)
		}
		p := sc.validate(in, "input")
		switch {
		case tt.field == "" && p != nil:
			t.Errorf("%s: unexpected error %v", tt.input, p)
		case tt.field != "" && (p == nil || p.Field != tt.field):
			t.Errorf("%s: error %v, want one on %s", tt.input, p, tt.field)
		}
	}
}

func TestInputErrorIsValidation(t *testing.T) {
	t.Parallel()
	var err error = &InputError{Field: "input.id", Problem: "is required"}
	if !errors.Is(err, httpx.ErrValidation) || err.Error() != "input.id: is required" {
		t.Errorf("InputError = %v, Is(ErrValidation) = %v", err, errors.Is(err, httpx.ErrValidation))
	}
	var c interface{ Retryable() bool }
	if !errors.As(err, &c) || c.Retryable() {
		t.Error("InputError must not be retryable")
	}
}

func TestValues(t *testing.T) {
	t.Parallel()
	v := NewValues("input", map[string]any{"s": "x", "n": 3.0, "f": 2.5, "b": true, "ids": []any{1.0, 2.0}, "m": map[string]any{}})
	if v.String("s") != "x" || v.Int("n") != 3 || v.Bool("b", false) != true || v.Bool("missing", true) != true || len(v.Ints("ids")) != 2 || v.Map("m") == nil {
		t.Fatal("Values read wrong values")
	}
	if f, ok := v.Float("f"); !ok || f != 2.5 {
		t.Fatal("Float")
	}
	if v.Limit("missing", 1000) != 1000 || v.Limit("n", 1000) != 3 || NewValues("in", map[string]any{"limit": 0.0}).Limit("limit", 1000) != 0 {
		t.Fatal("Limit: absent gives the default, 0 means no limit")
	}
	if v.Err() != nil {
		t.Fatalf("unexpected error %v", v.Err())
	}
	tests := []struct {
		read  func(*Values)
		field string
	}{
		{func(v *Values) { v.RequiredString("missing") }, "input.missing"},
		{func(v *Values) { v.RequiredString("n") }, "input.n"},
		{func(v *Values) { v.Int("f") }, "input.f"},
		{func(v *Values) { v.RequiredInt("missing") }, "input.missing"},
		{func(v *Values) { v.Strings("ids") }, "input.ids[0]"},
		{func(v *Values) { v.Objects("ids") }, "input.ids[0]"},
		{func(v *Values) { v.Map("s") }, "input.s"},
		{func(v *Values) { v.Bool("s", false) }, "input.s"},
	}
	for _, tt := range tests {
		v := NewValues("input", map[string]any{"s": "x", "n": 3.0, "f": 2.5, "ids": []any{1.0, 2.0}})
		tt.read(v)
		var ie *InputError
		if !errors.As(v.Err(), &ie) || ie.Field != tt.field {
			t.Errorf("error = %v, want one on %s", v.Err(), tt.field)
		}
	}
}

func TestReadSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		config map[string]any
		field  string
		check  func(Settings) bool
	}{
		{map[string]any{"base_url": "https://acme.retail.heartland.us/api/"}, "", func(s Settings) bool {
			return s.BaseURL == "https://acme.retail.heartland.us/api" && s.Rate == 5 && s.Burst == 5
		}},
		{map[string]any{"base_url": "http://x", "timeout_seconds": 2.5, "max_attempts": 2.0, "rate_limit_per_second": 0.5, "rate_limit_burst": 3.0}, "",
			func(s Settings) bool {
				return s.Timeout.Seconds() == 2.5 && s.MaxAttempts == 2 && s.Rate == 0.5 && s.Burst == 3
			}},
		{map[string]any{"base_url": "http://x", "rate_limit_per_second": 2.5}, "", func(s Settings) bool { return s.Rate == 2.5 && s.Burst == 3 }},
		{map[string]any{}, "config.base_url", nil},
		{map[string]any{"base_url": "acme.retail.heartland.us"}, "config.base_url", nil},
		{map[string]any{"base_url": "ftp://x"}, "config.base_url", nil},
		{map[string]any{"base_url": "http://x", "timeout_seconds": -1.0}, "config.timeout_seconds", nil},
		{map[string]any{"base_url": "http://x", "max_attempts": 11.0}, "config.max_attempts", nil},
		{map[string]any{"base_url": "http://x", "rate_limit_per_second": "fast"}, "config.rate_limit_per_second", nil},
	}
	for _, tt := range tests {
		v := NewValues("config", tt.config)
		s := ReadSettings(v, RateLimit{PerSecond: 5})
		var ie *InputError
		if tt.field == "" {
			if v.Err() != nil || !tt.check(s) {
				t.Errorf("%v: settings %+v, error %v", tt.config, s, v.Err())
			}
		} else if !errors.As(v.Err(), &ie) || ie.Field != tt.field {
			t.Errorf("%v: error %v, want one on %s", tt.config, v.Err(), tt.field)
		}
	}
}
