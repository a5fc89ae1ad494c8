package odata

import (
	"net/url"
	"testing"
)

var entity = &Entity{Name: "Row", Fields: map[string]bool{"Name": true, "Num": true, "Amt": true, "Date": true, "Flag": true, "Note": true}}

var rows = []Row{
	{"Name": "O'Brien & Sons", "Num": int64(1), "Amt": 10.5, "Date": "2025-01-31T00:00:00", "Flag": true, "Note": nil},
	{"Name": "Zoë Müller", "Num": int64(2), "Amt": 0.0, "Date": "2025-02-15T12:00:00", "Flag": false, "Note": "x"},
	{"Name": "ACME corp", "Num": int64(3), "Amt": -4.0, "Date": "2024-12-01T00:00:00", "Flag": false, "Note": "y"},
}

func known(f string) bool { return entity.Fields[f] }

func TestFilterMatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr string
		want []int64
	}{
		{"Name eq 'O''Brien & Sons'", []int64{1}},
		{"Name eq 'acme CORP'", []int64{3}},
		{"Num gt 1 and Num le 3", []int64{2, 3}},
		{"Num ge 2 or Flag eq true", []int64{1, 2, 3}},
		{"not (Num eq 2)", []int64{1, 3}},
		{"not Flag", []int64{2, 3}},
		{"Amt lt 0", []int64{3}},
		{"Amt eq 10.5m", []int64{1}},
		{"Date ge 2025-01-31", []int64{1, 2}},
		{"Date lt 2025-02-15T12:00:00Z", []int64{1, 3}},
		{"Date gt datetime'2025-01-01T00:00:00'", []int64{1, 2}},
		{"contains(Name,'ü')", []int64{2}},
		{"startswith(Name,'zo') and endswith(Name,'LLER')", []int64{2}},
		{"substringof('corp', Name)", []int64{3}},
		{"tolower(Name) eq 'acme corp' and length(Name) eq 9", []int64{3}},
		{"toupper(trim(Note)) eq 'X'", []int64{2}},
		{"Note eq null", []int64{1}},
		{"Note ne null", []int64{2, 3}},
		{"((Num eq 1))", []int64{1}},
		{"Num eq -4 or Amt eq -4", []int64{3}},
		{"Name eq 1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			f, err := ParseFilter(tt.expr, known, true)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			var got []int64
			for _, r := range rows {
				if f.Match(r) {
					got = append(got, r["Num"].(int64))
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("matched %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("matched %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestFilterCaseSensitive(t *testing.T) {
	t.Parallel()
	f, err := ParseFilter("Name eq 'acme corp'", known, false)
	if err != nil {
		t.Fatal(err)
	}
	if f.Match(rows[2]) {
		t.Error("case-sensitive filter matched different case")
	}
}

func TestFilterErrors(t *testing.T) {
	t.Parallel()
	for _, expr := range []string{
		"", "Name eq", "Name eq 'open", "Bogus eq 1", "(Num eq 1", "Num eq 1)", "Num eq 1 and",
		"contains(Name)", "nosuch(Name,'a')", "Num # 1", "Date ge 2025-13-45", "Num eq 1 2",
	} {
		if _, err := ParseFilter(expr, known, true); err == nil {
			t.Errorf("ParseFilter(%q) succeeded, want an error", expr)
		}
	}
}

func TestQueryOptions(t *testing.T) {
	t.Parallel()
	child := &Entity{Name: "Child", Fields: map[string]bool{"A": true, "B": true}}
	parent := &Entity{Name: "Row", Fields: entity.Fields, Navs: map[string]*Entity{"Kids": child}}
	v := url.Values{"$filter": {"Num ge 1"}, "$orderby": {"Amt desc, Num"}, "$top": {"2"}, "$skip": {"0"},
		"$count": {"true"}, "$select": {"Name,Num"}, "$expand": {"Kids($select=A,B;$filter=contains(A,'x,y');$top=1)"}}
	q, err := Parse(v, parent, true)
	if err != nil {
		t.Fatal(err)
	}
	page, count := q.Apply(rows, 0)
	if count != 3 || len(page) != 2 || page[0]["Num"] != int64(1) || page[1]["Num"] != int64(2) {
		t.Fatalf("page %v count %d", page, count)
	}
	if p := q.Project(page[0]); len(p) != 2 || p["Name"] == nil {
		t.Errorf("project: %v", p)
	}
	if len(q.Expand) != 1 || q.Expand[0].Query.Top != 1 || len(q.Expand[0].Query.Select) != 2 {
		t.Errorf("expand: %+v", q.Expand)
	}
	capped, _ := (&Query{Top: -1}).Apply(rows, 2)
	if len(capped) != 2 {
		t.Errorf("limit without $top: %d rows", len(capped))
	}
	for _, bad := range []url.Values{
		{"$top": {"x"}}, {"$skip": {"-1"}}, {"$count": {"yes"}}, {"$select": {"Nope"}},
		{"$orderby": {"Num up"}}, {"$expand": {"Nope"}}, {"$expand": {"Kids($top=1"}}, {"$search": {"a"}},
	} {
		if _, err := Parse(bad, parent, true); err == nil {
			t.Errorf("Parse(%v) succeeded, want an error", bad)
		}
	}
}

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"Name eq 'a''b'", "not (Num gt 1) or contains(Name,'x')", "Date ge 2025-01-01", "((", "'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		flt, err := ParseFilter(expr, known, true)
		if err != nil {
			return
		}
		for _, r := range rows {
			flt.Match(r)
		}
	})
}
