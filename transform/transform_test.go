package transform_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/itchyny/gojq"

	"github.com/bridgework/bridgework/transform"
)

func TestNormalizeName(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{" John", "john"},
		{"Smith  ", "smith"},
		{"MARIA GARCIA", "maria garcia"},
		{"Linda O'Brien", "linda obrien"},
		{"Ana Müller", "ana muller"},
		{"Straße", "strasse"},
		{"ACME Corp.", "acme corp"},
		{"Acme Corporation", "acme corp"},
		{"Globex, Inc.", "globex inc"},
		{"Smith & Sons", "smith & sons"},
		{"Smith and Sons", "smith & sons"},
		{"张 伟", "张 伟"},
	}
	for _, c := range cases {
		if got := transform.NormalizeName(c.in); got != c.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSimilarity(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a, b     string
		min, max float64
	}{
		{"Jane Roe", "jane roe", 1, 1},
		{"Roe, Jane", "Jane Roe", 1, 1},
		{"ACME Corp.", "Acme Corporation", 1, 1},
		{"1200 N. Main St", "1200 North Main Street", 1, 1},
		{"Linda OBrien", "Linda O'Brien", 1, 1},
		{"Ana Müller", "Ana Muller", 1, 1},
		{"Ana Müller", "Ana Mueller", 0.9, 0.999},
		{"Jane Borwn", "Jane Brown", 0.9, 0.999},
		{"88 Riversde Drive", "88 Riverside Dr", 0.9, 0.999},
		{"Jane Roe 12 Elm St", "Bob Johnson 400 Oak Ave", 0, 0.7},
		{"", "", 0, 0},
		{"Jane", "", 0, 0},
		{"   ", "Jane", 0, 0},
	}
	for _, c := range cases {
		got := transform.Similarity(c.a, c.b)
		if got < c.min || got > c.max {
			t.Errorf("Similarity(%q, %q) = %.3f, want within [%.3f, %.3f]", c.a, c.b, got, c.min, c.max)
		}
		if back := transform.Similarity(c.b, c.a); back != got {
			t.Errorf("Similarity is not symmetric for %q/%q: %.3f vs %.3f", c.a, c.b, got, back)
		}
	}
}

func TestJaroWinklerKnownValues(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a, b string
		want float64
	}{
		{"martha", "marhta", 0.961},
		{"dwayne", "duane", 0.840},
		{"dixon", "dicksonx", 0.813},
		{"abc", "xyz", 0},
		{"", "", 1},
		{"a", "", 0},
	}
	for _, c := range cases {
		if got := transform.JaroWinkler(c.a, c.b); got < c.want-0.001 || got > c.want+0.001 {
			t.Errorf("JaroWinkler(%q, %q) = %.4f, want %.3f", c.a, c.b, got, c.want)
		}
	}
}

func TestStandardizeParts(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in, want string
		fn             func(string) string
	}{
		{"line abbreviations", "1200  north main street.", "1200 N Main St", transform.StandardizeLine},
		{"line periods", "77 Pine Rd.", "77 Pine Rd", transform.StandardizeLine},
		{"line unit", "5 Elm Avenue, Suite 200", "5 Elm Ave Ste 200", transform.StandardizeLine},
		{"line unicode", "12 ÉCOLE  rue", "12 École Rue", transform.StandardizeLine},
		{"line empty", "   ", "", transform.StandardizeLine},
		{"city", "  new   YORK ", "New York", transform.StandardizeCity},
		{"state name", "new  york", "NY", transform.StandardizeState},
		{"state code", "ca", "CA", transform.StandardizeState},
		{"state dc", "District of Columbia", "DC", transform.StandardizeState},
		{"state unknown", " Ontario ", "Ontario", transform.StandardizeState},
		{"state empty", "", "", transform.StandardizeState},
		{"zip5", " 02134 ", "02134", transform.StandardizeZip},
		{"zip9", "021341234", "02134-1234", transform.StandardizeZip},
		{"zip+4 spaced", "02134 - 1234", "02134-1234", transform.StandardizeZip},
		{"postal CA", "k1a  0b6", "K1A 0B6", transform.StandardizeZip},
		{"zip short", "1234", "1234", transform.StandardizeZip},
		{"country name", "United States of America", "US", transform.StandardizeCountry},
		{"country usa", "U.S.A.", "US", transform.StandardizeCountry},
		{"country code", "ca", "CA", transform.StandardizeCountry},
		{"country 3", "DEU", "DE", transform.StandardizeCountry},
		{"country unknown", " Narnia ", "Narnia", transform.StandardizeCountry},
	}
	for _, c := range cases {
		if got := c.fn(c.in); got != c.want {
			t.Errorf("%s: %q → %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestMapValue(t *testing.T) {
	t.Parallel()
	table := map[string]any{"Visa": "CARD", "cash": "OPER", "3": "three"}
	cases := []struct {
		key   any
		want  any
		found bool
	}{
		{"Visa", "CARD", true},
		{" VISA ", "CARD", true},
		{"Cash", "OPER", true},
		{3.0, "three", true},
		{"Amex", nil, false},
		{nil, nil, false},
		{"", nil, false},
	}
	for _, c := range cases {
		got, found := transform.MapValue(table, c.key)
		if got != c.want || found != c.found {
			t.Errorf("MapValue(%v) = %v, %v; want %v, %v", c.key, got, found, c.want, c.found)
		}
	}
}

// runJQ compiles src with the shared functions and runs it over input.
func runJQ(t testing.TB, src string, input any) (any, error) {
	t.Helper()
	q, err := gojq.Parse(src)
	if err != nil {
		t.Fatalf("parse %s: %v", src, err)
	}
	code, err := gojq.Compile(q, transform.Functions()...)
	if err != nil {
		t.Fatalf("compile %s: %v", src, err)
	}
	v, _ := code.RunWithContext(context.Background(), input).Next()
	if err, ok := v.(error); ok {
		return nil, err
	}
	return v, nil
}

func TestJQFunctions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, src string
		input     any
		want      any
		err       string
	}{
		{"address object heartland", "std_address",
			map[string]any{"line_1": " 1200 n. main street ", "city": "springfield", "state": "Illinois", "postal_code": "627011234", "country": "USA", "id": 7.0},
			map[string]any{"line_1": "1200 N Main St", "city": "Springfield", "state": "IL", "postal_code": "62701-1234", "country": "US", "id": 7.0}, ""},
		{"address object epicor", "std_address",
			map[string]any{"Address1": "77 pine road", "City": "PORTLAND", "State": "oregon", "Zip": "97201", "Country": "united states", "Address2": nil},
			map[string]any{"Address1": "77 Pine Rd", "City": "Portland", "State": "OR", "Zip": "97201", "Country": "US", "Address2": nil}, ""},
		{"address string", "std_address", "12 elm street", "12 Elm St", ""},
		{"address null", "std_address", nil, nil, ""},
		{"address number", "std_address", 5.0, nil, "std_address: cannot standardise a number"},
		{"normalize", "normalize_name", " Ana  Müller ", "ana muller", ""},
		{"normalize null", "normalize_name", nil, "", ""},
		{"normalize array", "normalize_name", []any{}, nil, "normalize_name: input must be a string, not an array"},
		{"similarity", `similarity("ACME Corp."; "Acme Corporation")`, nil, 1.0, ""},
		{"similarity null", `similarity(null; "x")`, nil, 0.0, ""},
		{"similarity bad", `similarity(1; "x")`, nil, nil, "similarity: a must be a string, not a number"},
		{"map hit", `map_value({"open": "Open"})`, "OPEN", "Open", ""},
		{"map miss null", `map_value({"open": "Open"})`, "closed", nil, ""},
		{"map default", `map_value({"open": "Open"}; "Other")`, "closed", "Other", ""},
		{"map bad table", `map_value(["x"])`, "closed", nil, "map_value: table must be an object, not an array"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := runJQ(t, c.src, c.input)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error = %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %#v, want %#v", got, c.want)
			}
		})
	}
}

func FuzzSimilarity(f *testing.F) {
	f.Add("Jane Roe", "jane  roe")
	f.Add("Ana Müller", "")
	f.Fuzz(func(t *testing.T, a, b string) {
		s := transform.Similarity(a, b)
		if s < 0 || s > 1 {
			t.Fatalf("Similarity(%q, %q) = %v, outside 0..1", a, b, s)
		}
	})
}
