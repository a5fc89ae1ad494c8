package connectors

import (
	"fmt"
	"math"
	"reflect"
	"testing"
)

// Plain JSON values pass through as they are; anything else (structs, ints,
// typed maps) is turned into plain JSON types; numbers JSON cannot hold fail.
func TestJSONCompatible(t *testing.T) {
	plain := map[string]any{"a": []any{1.5, "x", true, nil, map[string]any{"b": 2.0}}}
	got, err := JSONCompatible(plain)
	if err != nil || fmt.Sprintf("%p", got) != fmt.Sprintf("%p", plain) {
		t.Errorf("a plain value was copied or refused: %v", err)
	}
	type order struct {
		ID    int               `json:"id"`
		Lines []map[string]int  `json:"lines"`
		Tags  map[string]string `json:"tags"`
	}
	got, err = JSONCompatible(map[string]any{"order": order{ID: 7, Lines: []map[string]int{{"qty": 2}}, Tags: map[string]string{"k": "v"}}})
	want := map[string]any{"order": map[string]any{"id": 7.0, "lines": []any{map[string]any{"qty": 2.0}}, "tags": map[string]any{"k": "v"}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("JSONCompatible = %#v, %v; want %#v", got, err, want)
	}
	if _, err := JSONCompatible(map[string]any{"x": math.NaN()}); err == nil {
		t.Error("NaN accepted")
	}
}
