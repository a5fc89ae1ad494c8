// Package odata parses and evaluates the OData query options the Epicor
// sandbox supports ($filter, $select, $orderby, $top, $skip, $count,
// $expand) over rows held as maps.
package odata

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Row is one entity: field name to value (string, float64, int64, bool,
// nil or a timestamp string).
type Row = map[string]any

// Error is a malformed query option; Epicor answers it with 400.
type Error struct {
	Option string
	Msg    string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Option, e.Msg) }

func errorf(option, format string, args ...any) *Error {
	return &Error{Option: option, Msg: fmt.Sprintf(format, args...)}
}

// token kinds
const (
	tEOF = iota
	tIdent
	tString
	tNumber
	tDate
	tPunct
)

type token struct {
	kind int
	text string
	val  any
	pos  int
}

func lex(s string) ([]token, error) {
	var out []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		c := rs[i]
		start := i
		switch {
		case unicode.IsSpace(c):
			i++
			continue
		case c == '(' || c == ')' || c == ',':
			out = append(out, token{kind: tPunct, text: string(c), pos: i})
			i++
			continue
		case c == '\'':
			str, next, err := lexString(rs, i)
			if err != nil {
				return nil, err
			}
			out = append(out, token{kind: tString, val: str, pos: start})
			i = next
			continue
		case isDateAt(rs, i):
			for i < len(rs) && strings.ContainsRune("0123456789-T:.Z+", rs[i]) {
				i++
			}
			t, err := parseTime(string(rs[start:i]))
			if err != nil {
				return nil, errorf("$filter", "invalid date literal %q at position %d", string(rs[start:i]), start)
			}
			out = append(out, token{kind: tDate, val: t, pos: start})
			continue
		case unicode.IsDigit(c) || (c == '-' && i+1 < len(rs) && unicode.IsDigit(rs[i+1])):
			i++
			for i < len(rs) && (unicode.IsDigit(rs[i]) || rs[i] == '.') {
				i++
			}
			f, err := strconv.ParseFloat(string(rs[start:i]), 64)
			if err != nil {
				return nil, errorf("$filter", "invalid number %q at position %d", string(rs[start:i]), start)
			}
			if i < len(rs) && strings.ContainsRune("mMdDfFlL", rs[i]) {
				i++
			}
			out = append(out, token{kind: tNumber, val: f, pos: start})
			continue
		case unicode.IsLetter(c) || c == '_':
			for i < len(rs) && (unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i]) || rs[i] == '_' || rs[i] == '/') {
				i++
			}
			word := string(rs[start:i])
			if (word == "datetime" || word == "datetimeoffset") && i < len(rs) && rs[i] == '\'' {
				str, next, err := lexString(rs, i)
				if err != nil {
					return nil, err
				}
				t, err := parseTime(str)
				if err != nil {
					return nil, errorf("$filter", "invalid %s literal %q", word, str)
				}
				out = append(out, token{kind: tDate, val: t, pos: start})
				i = next
				continue
			}
			out = append(out, token{kind: tIdent, text: word, pos: start})
			continue
		default:
			return nil, errorf("$filter", "unexpected character %q at position %d", c, i)
		}
	}
	return append(out, token{kind: tEOF, pos: len(rs)}), nil
}

// lexString reads a quoted literal at rs[i] where ” stands for one quote.
func lexString(rs []rune, i int) (string, int, error) {
	var b strings.Builder
	for j := i + 1; j < len(rs); j++ {
		if rs[j] == '\'' {
			if j+1 < len(rs) && rs[j+1] == '\'' {
				b.WriteRune('\'')
				j++
				continue
			}
			return b.String(), j + 1, nil
		}
		b.WriteRune(rs[j])
	}
	return "", 0, errorf("$filter", "unterminated string literal at position %d", i)
}

func isDateAt(rs []rune, i int) bool {
	if i+10 > len(rs) {
		return false
	}
	for k := range 10 {
		c := rs[i+k]
		if (k == 4 || k == 7) != (c == '-') || (k != 4 && k != 7 && !unicode.IsDigit(c)) {
			return false
		}
	}
	return true
}

// parseTime reads the date and date-time forms Epicor accepts and renders.
func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date: %q", s)
}
