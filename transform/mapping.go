package transform

import (
	"encoding/json"
	"strings"
)

// MapValue looks key up in table: first exactly, then ignoring case and
// surrounding whitespace. It reports whether a row matched. Keys that are not
// strings are looked up by their JSON text (3 → "3", true → "true").
func MapValue(table map[string]any, key any) (any, bool) {
	k, ok := key.(string)
	if !ok {
		if key == nil {
			return nil, false
		}
		b, err := json.Marshal(key)
		if err != nil {
			return nil, false
		}
		k = string(b)
	}
	if v, ok := table[k]; ok {
		return v, true
	}
	want := strings.ToLower(strings.TrimSpace(k))
	for tk, v := range table {
		if strings.ToLower(strings.TrimSpace(tk)) == want {
			return v, true
		}
	}
	return nil, false
}
