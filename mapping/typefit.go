package mapping

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/bridgework/bridgework/schema"
)

// kind is what a field holds, beyond its JSON type: read from its format,
// its sample values and, when it has neither, from words in its name.
type kind string

const (
	kindDate    kind = "date"
	kindEmail   kind = "email"
	kindMoney   kind = "money"
	kindID      kind = "id"
	kindCount   kind = "count"
	kindFlag    kind = "flag"
	kindEnum    kind = "enum"
	kindUUID    kind = "uuid"
	kindText    kind = "text"
	kindNumeric kind = "number"
)

// kindOf classifies a field.
func kindOf(f *Field) kind {
	switch f.Format {
	case schema.FormatDate, schema.FormatDateTime:
		return kindDate
	case schema.FormatEmail:
		return kindEmail
	case schema.FormatUUID:
		return kindUUID
	}
	if len(f.Enum) > 0 {
		return kindEnum
	}
	has := func(ws ...string) bool {
		return slices.ContainsFunc(f.tokens, func(t string) bool { return slices.Contains(ws, t) })
	}
	last := ""
	if len(f.tokens) > 0 {
		last = f.tokens[len(f.tokens)-1]
	}
	switch f.Type {
	case "boolean":
		return kindFlag
	case "integer", "number":
		if k := numericKind(f.values); k != "" {
			return k
		}
		switch {
		case has("price", "amount", "cost", "total", "balance", "subtotal", "tax"):
			return kindMoney
		case has("quantity", "count"):
			return kindCount
		case last == "identifier" || last == "number":
			return kindID
		}
		return kindNumeric
	case "string", "":
		switch {
		case has("date", "at", "time", "timestamp") && f.Format == "" && len(f.values) == 0:
			return kindDate
		case has("email"):
			return kindEmail
		}
		return kindText
	}
	return kind(f.Type)
}

// numericKind reads money (some values with cents, none finer), counts
// (small whole numbers) and ids (whole numbers of five digits or more)
// from sample values.
func numericKind(vs []any) kind {
	if len(vs) == 0 {
		return ""
	}
	cents, whole, big := 0, 0, 0
	for _, v := range vs {
		f, ok := v.(float64)
		if !ok {
			return ""
		}
		switch {
		case f == math.Trunc(f):
			whole++
			if math.Abs(f) >= 10000 {
				big++
			}
		case math.Abs(f*100-math.Round(f*100)) < 1e-6:
			cents++
		default:
			return kindNumeric
		}
	}
	switch {
	case cents > 0:
		return kindMoney
	case big == whole:
		return kindID
	}
	return kindCount
}

// typeSignal scores whether a source value can fill the target: the JSON
// types, then the kinds (date, email, money, id, ...), then enums and
// shared sample values.
type typeSignal struct{}

func (typeSignal) Name() string { return SignalType }

func (typeSignal) Score(src, dst *Field) (float64, string) {
	ts := typeScore(src, dst)
	ks, kdesc := kindScore(src, dst)
	s := 0.5*ts + 0.5*ks
	note := fmt.Sprintf("types %s→%s", nz(src.Type), nz(dst.Type))
	if kdesc != "" {
		note += ", " + kdesc
	}
	if shared := sharedValues(src.values, dst.values); shared > 0 {
		s = max(s, 0.8+0.2*shared)
		note += fmt.Sprintf(", %.0f%% shared sample values", shared*100)
	}
	return s, note
}

func nz(s string) string {
	if s == "" {
		return "any"
	}
	return s
}

func typeScore(src, dst *Field) float64 {
	a, b := src.Type, dst.Type
	num := func(t string) bool { return t == "integer" || t == "number" }
	switch {
	case a == "" || b == "":
		return 0.6
	case a == b:
		return 1
	case num(a) && num(b):
		return 0.8
	case num(a) && b == "string":
		return 0.5
	case a == "string" && num(b):
		if numericStrings(src.values) {
			return 0.6
		}
		return 0.15
	case a == "boolean" && (b == "string" || num(b)):
		return 0.2
	}
	return 0.05
}

func numericStrings(vs []any) bool {
	if len(vs) == 0 {
		return false
	}
	for _, v := range vs {
		s, ok := v.(string)
		if !ok {
			return false
		}
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return false
		}
	}
	return true
}

func kindScore(src, dst *Field) (float64, string) {
	a, b := kindOf(src), kindOf(dst)
	desc := fmt.Sprintf("%s→%s", a, b)
	switch {
	case a == b && a == kindEnum:
		if overlap := sharedValues(src.Enum, dst.Enum); overlap > 0 {
			return 1, desc + " with common values"
		}
		return 0.7, desc
	case a == b:
		return 1, desc
	case a == kindEnum && b == kindText, a == kindText && b == kindEnum:
		return 0.7, desc
	case a == kindText && (b == kindID || b == kindNumeric), a == kindID && b == kindText:
		return 0.6, desc
	case a == kindCount && b == kindNumeric, a == kindNumeric && (b == kindCount || b == kindMoney), a == kindMoney && b == kindNumeric:
		return 0.7, desc
	case a == kindCount && b == kindMoney, a == kindMoney && b == kindCount:
		return 0.45, desc
	case a == kindUUID && b == kindText, a == kindText && b == kindUUID:
		return 0.6, desc
	case a == kindDate || b == kindDate || a == kindEmail || b == kindEmail:
		return 0.1, desc
	}
	return 0.35, desc
}

// sharedValues is the share of the smaller side's distinct values that the
// other side also holds; values too short to be telling (under three
// characters, booleans, small numbers) are ignored.
func sharedValues(a, b []any) float64 {
	key := func(v any) (string, bool) {
		switch t := v.(type) {
		case string:
			return t, len(t) >= 3
		case float64:
			return strconv.FormatFloat(t, 'f', -1, 64), math.Abs(t) >= 1000
		}
		return "", false
	}
	set := func(vs []any) map[string]bool {
		m := map[string]bool{}
		for _, v := range vs {
			if k, ok := key(v); ok {
				m[k] = true
			}
		}
		return m
	}
	sa, sb := set(a), set(b)
	if len(sa) == 0 || len(sb) == 0 {
		return 0
	}
	inter := 0
	for k := range sa {
		if sb[k] {
			inter++
		}
	}
	return float64(inter) / float64(min(len(sa), len(sb)))
}
