package connectors

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/bridgework/bridgework/internal/jsonkind"
)

// Values reads typed fields from a JSON-decoded object (operation input or
// connection config). The first wrong field is kept as an *InputError and
// returned by Err; later reads return zero values.
type Values struct {
	path string
	m    map[string]any
	err  *InputError
}

// NewValues reads m; path names it in errors ("input", "config").
func NewValues(path string, m map[string]any) *Values { return &Values{path: path, m: m} }

// Err returns the first problem found, or nil.
func (v *Values) Err() error {
	if v.err == nil {
		return nil
	}
	return v.err
}

// Has reports whether the key is present and not null.
func (v *Values) Has(key string) bool { return v.m[key] != nil }

func (v *Values) fail(key, problem string) {
	if v.err == nil {
		v.err = &InputError{Field: v.path + "." + key, Problem: problem}
	}
}

// Raw returns a present, non-null value as decoded.
func (v *Values) Raw(key string) (any, bool) {
	val, ok := v.m[key]
	return val, ok && val != nil
}

// String returns an optional string ("" when absent).
func (v *Values) String(key string) string {
	raw, ok := v.m[key]
	if !ok || raw == nil {
		return ""
	}
	s, ok := raw.(string)
	if !ok {
		v.fail(key, "must be a string, got "+jsonkind.Of(raw))
	}
	return s
}

// RequiredString returns a string that must be present and not empty.
func (v *Values) RequiredString(key string) string {
	s := v.String(key)
	if s == "" {
		v.fail(key, "is required")
	}
	return s
}

// Int returns an optional whole number (0 when absent).
func (v *Values) Int(key string) int64 {
	raw, ok := v.m[key]
	if !ok || raw == nil {
		return 0
	}
	f, ok := jsonkind.Number(raw)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		v.fail(key, "must be a whole number, got "+jsonkind.Of(raw))
		return 0
	}
	return int64(f)
}

// RequiredInt returns a whole number that must be present.
func (v *Values) RequiredInt(key string) int64 {
	if !v.Has(key) {
		v.fail(key, "is required")
		return 0
	}
	return v.Int(key)
}

// Limit reads a result-count limit: def when absent, 0 meaning no limit.
func (v *Values) Limit(key string, def int) int {
	if !v.Has(key) {
		return def
	}
	n := v.Int(key)
	if n < 0 {
		v.fail(key, "must not be negative")
	}
	return int(n)
}

// Float returns an optional number and whether it was present.
func (v *Values) Float(key string) (float64, bool) {
	raw, ok := v.m[key]
	if !ok || raw == nil {
		return 0, false
	}
	f, ok := jsonkind.Number(raw)
	if !ok {
		v.fail(key, "must be a number, got "+jsonkind.Of(raw))
	}
	return f, ok
}

// Bool returns an optional boolean, def when absent.
func (v *Values) Bool(key string, def bool) bool {
	raw, ok := v.m[key]
	if !ok || raw == nil {
		return def
	}
	b, ok := raw.(bool)
	if !ok {
		v.fail(key, "must be true or false, got "+jsonkind.Of(raw))
	}
	return b
}

// Map returns an optional object (nil when absent).
func (v *Values) Map(key string) map[string]any {
	raw, ok := v.m[key]
	if !ok || raw == nil {
		return nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		v.fail(key, "must be an object, got "+jsonkind.Of(raw))
	}
	return m
}

// Fields returns a copy of an optional object, empty when absent, for a
// request body that named inputs are then added to.
func (v *Values) Fields(key string) map[string]any {
	out := map[string]any{}
	for k, val := range v.Map(key) {
		out[k] = val
	}
	return out
}

// Slice returns an optional array (nil when absent).
func (v *Values) Slice(key string) []any {
	raw, ok := v.m[key]
	if !ok || raw == nil {
		return nil
	}
	s, ok := raw.([]any)
	if !ok {
		v.fail(key, "must be an array, got "+jsonkind.Of(raw))
	}
	return s
}

// Strings returns an optional array of strings.
func (v *Values) Strings(key string) []string {
	var out []string
	for i, item := range v.Slice(key) {
		s, ok := item.(string)
		if !ok {
			v.fail(fmt.Sprintf("%s[%d]", key, i), "must be a string, got "+jsonkind.Of(item))
			return nil
		}
		out = append(out, s)
	}
	return out
}

// Ints returns an optional array of whole numbers.
func (v *Values) Ints(key string) []int64 {
	var out []int64
	for i, item := range v.Slice(key) {
		f, ok := jsonkind.Number(item)
		if !ok || f != math.Trunc(f) {
			v.fail(fmt.Sprintf("%s[%d]", key, i), "must be a whole number, got "+jsonkind.Of(item))
			return nil
		}
		out = append(out, int64(f))
	}
	return out
}

// Objects returns an optional array of objects.
func (v *Values) Objects(key string) []map[string]any {
	var out []map[string]any
	for i, item := range v.Slice(key) {
		m, ok := item.(map[string]any)
		if !ok {
			v.fail(fmt.Sprintf("%s[%d]", key, i), "must be an object, got "+jsonkind.Of(item))
			return nil
		}
		out = append(out, m)
	}
	return out
}

// JSONCompatible turns any value into plain JSON types (maps, slices,
// strings, float64, bool, nil) by a JSON round trip. A value made of plain
// JSON types already (a decoded response, the usual case) is returned as is.
func JSONCompatible(v any) (any, error) {
	if plainJSON(v) {
		return v, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// plainJSON reports whether v is made only of the types JSON decoding into
// an any produces, with finite numbers.
func plainJSON(v any) bool {
	switch t := v.(type) {
	case nil, string, bool:
		return true
	case float64:
		return !math.IsNaN(t) && !math.IsInf(t, 0)
	case map[string]any:
		for _, e := range t {
			if !plainJSON(e) {
				return false
			}
		}
		return true
	case []any:
		for _, e := range t {
			if !plainJSON(e) {
				return false
			}
		}
		return true
	}
	return false
}
