package schema

import (
	"encoding/json"
	"math"
	"slices"
	"sort"

	"github.com/bridgework/bridgework/internal/jsonkind"
)

// Inference thresholds; docs/mapping.md explains each rule.
const (
	// enumMinSamples is how many string values a field needs before its
	// values are taken as a closed set.
	enumMinSamples = 8
	// enumMaxValues bounds the size of an inferred enum.
	enumMaxValues = 8
	// enumMaxLen bounds the length of an enum value: longer strings are
	// free text, not codes.
	enumMaxLen = 32
	// rangeMinSamples is how many numbers a field needs before a range is
	// inferred.
	rangeMinSamples = 3
)

// Infer builds a schema that every sample satisfies: types (with "null"
// when a value was null), properties required when present and non-null in
// every object, string formats shared by every value, enums for small
// closed sets of short strings, and numeric bounds (see docs/mapping.md).
func Infer(samples []any) *Schema {
	vals := make([]any, len(samples))
	for i, s := range samples {
		vals[i] = Normalize(s)
	}
	return infer(vals)
}

// Normalize returns v with json.Number and other Go numbers turned into
// float64, at any depth, as encoding/json decodes them into any.
func Normalize(v any) any {
	switch t := v.(type) {
	case json.Number:
		f, _ := t.Float64()
		return f
	case int:
		return float64(t)
	case int64:
		return float64(t)
	case float32:
		return float64(t)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = Normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = Normalize(e)
		}
		return out
	}
	return v
}

func infer(vals []any) *Schema {
	s := &Schema{}
	seen := map[string]bool{}
	var objs []map[string]any
	var items, nums []any
	var strs []string
	for _, v := range vals {
		t := jsonkind.SchemaType(v)
		seen[t] = true
		switch x := v.(type) {
		case map[string]any:
			objs = append(objs, x)
		case []any:
			items = append(items, x...)
		case string:
			strs = append(strs, x)
		case float64:
			nums = append(nums, x)
		}
	}
	if seen["integer"] && seen["number"] {
		delete(seen, "integer")
	}
	for _, t := range []string{"object", "array", "string", "integer", "number", "boolean", "null"} {
		if seen[t] {
			s.Type = append(s.Type, t)
		}
	}
	if len(objs) > 0 {
		inferObject(s, objs)
	}
	if seen["array"] {
		s.Items = infer(items)
		if len(items) == 0 {
			s.Items = nil
		}
	}
	if len(strs) > 0 {
		inferString(s, strs)
	}
	if len(nums) > 0 {
		inferRange(s, nums)
	}
	return s
}

func inferObject(s *Schema, objs []map[string]any) {
	byKey := map[string][]any{}
	present := map[string]int{}
	for _, o := range objs {
		for k, v := range o {
			byKey[k] = append(byKey[k], v)
			if v != nil {
				present[k]++
			}
		}
	}
	s.Properties = make(map[string]*Schema, len(byKey))
	for k, vs := range byKey {
		s.Properties[k] = infer(vs)
		if present[k] == len(objs) {
			s.Required = append(s.Required, k)
		}
	}
	sort.Strings(s.Required)
}

func inferString(s *Schema, strs []string) {
	format := DetectFormat(strs[0])
	for _, v := range strs[1:] {
		if format == "" {
			break
		}
		if !MatchesFormat(format, v) {
			format = ""
		}
	}
	s.Format = format
	if format != "" || len(strs) < enumMinSamples {
		return
	}
	distinct := map[string]bool{}
	for _, v := range strs {
		if len(v) > enumMaxLen || v == "" {
			return
		}
		distinct[v] = true
	}
	if len(distinct) > enumMaxValues || len(distinct)*3 > len(strs) {
		return
	}
	keys := make([]string, 0, len(distinct))
	for k := range distinct {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		s.Enum = append(s.Enum, k)
	}
	if s.Type.Has("null") {
		s.Enum = append(s.Enum, nil)
	}
}

// inferRange sets minimum 0 when every value is non-negative, and a maximum
// the power of ten above ten times the largest value: generous enough for
// normal growth, tight enough to catch a misplaced decimal point.
func inferRange(s *Schema, nums []any) {
	if len(nums) < rangeMinSamples {
		return
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, n := range nums {
		f := n.(float64)
		lo, hi = min(lo, f), max(hi, f)
	}
	if lo >= 0 {
		zero := 0.0
		s.Minimum = &zero
	}
	if hi > 0 {
		m := math.Pow(10, math.Floor(math.Log10(hi))+2)
		s.Maximum = &m
	}
}
