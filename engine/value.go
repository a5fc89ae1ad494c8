package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"unicode/utf8"
)

// DecodeJSON decodes a JSON document into the values jq and expr work on:
// map[string]any, []any, string, bool, nil, and numbers as int when they are
// integers that fit, float64 otherwise.
func DecodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("decode JSON: %w", describeJSONError(err))
	}
	if dec.More() {
		return nil, fmt.Errorf("decode JSON: unexpected data after the document")
	}
	return convertNumbers(v), nil
}

func convertNumbers(v any) any {
	switch t := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil && i >= math.MinInt && i <= math.MaxInt {
			return int(i)
		}
		f, _ := t.Float64()
		return f
	case map[string]any:
		for k, e := range t {
			t[k] = convertNumbers(e)
		}
	case []any:
		for i, e := range t {
			t[i] = convertNumbers(e)
		}
	}
	return v
}

// Normalize returns v as plain JSON values (see DecodeJSON). Values that are
// already plain are returned as they are, without copying; []byte and
// json.RawMessage are decoded; anything else goes through encoding/json.
func Normalize(v any) (any, error) {
	switch t := v.(type) {
	case json.RawMessage:
		return DecodeJSON(t)
	case []byte:
		return DecodeJSON(t)
	}
	if plainSize(v, math.MaxInt) >= 0 {
		return v, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("normalize value: %w", err)
	}
	return DecodeJSON(b)
}

// plainSize returns the length of v's JSON encoding (as encoding/json writes
// it) without encoding it, or -1 when v holds anything but plain values (see
// DecodeJSON). It stops counting once the size exceeds limit.
func plainSize(v any, limit int) int {
	switch t := v.(type) {
	case nil:
		return 4
	case bool:
		if t {
			return 4
		}
		return 5
	case int:
		var buf [24]byte
		return len(strconv.AppendInt(buf[:0], int64(t), 10))
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return -1 // JSON has no such numbers
		}
		return floatSize(t)
	case string:
		return stringSize(t)
	case []any:
		n := 2 + max(len(t)-1, 0)
		for _, e := range t {
			if n > limit {
				return n
			}
			m := plainSize(e, limit-n)
			if m < 0 {
				return -1
			}
			n += m
		}
		return n
	case map[string]any:
		n := 2 + max(len(t)-1, 0)
		for k, e := range t {
			if n > limit {
				return n
			}
			m := plainSize(e, limit-n)
			if m < 0 {
				return -1
			}
			n += stringSize(k) + 1 + m
		}
		return n
	}
	return -1
}

// sameValue reports whether a and b are the same map or slice (not merely
// equal), as when a node passes its input through.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		return ok && reflect.ValueOf(x).UnsafePointer() == reflect.ValueOf(y).UnsafePointer()
	case []any:
		y, ok := b.([]any)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	}
	return false
}

// floatSize mirrors encoding/json's float formatting.
func floatSize(f float64) int {
	var buf [32]byte
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b := strconv.AppendFloat(buf[:0], f, format, -1, 64)
	n := len(b)
	if format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		n-- // e-07 is written as e-7
	}
	return n
}

func stringSize(s string) int {
	n := 2
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
				n += 2
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				n += 6
			default:
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			n += 6 // written as \ufffd
		case r == '\u2028' || r == '\u2029':
			n += 6
		default:
			n += size
		}
		i += size
	}
	return n
}
