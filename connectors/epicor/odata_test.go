package epicor

import (
	"net/url"
	"testing"
	"time"
)

func TestLiteral(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   any
		want string
	}{
		{"ACME", "'ACME'"},
		{"O'Brien & Sons", "'O''Brien & Sons'"},
		{"''", "''''''"},
		{"Zürich 東京", "'Zürich 東京'"},
		{12, "12"},
		{int64(5012), "5012"},
		{12.5, "12.5"},
		{1e21, "1000000000000000000000"},
		{true, "true"},
		{nil, "null"},
		{time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC), "2025-01-31T00:00:00"},
	}
	for _, tt := range tests {
		if got := Literal(tt.in); got != tt.want {
			t.Errorf("Literal(%#v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestQueryEncodeAwkwardValues(t *testing.T) {
	t.Parallel()
	filter := And(Eq("Name", "O'Brien & Sons"), Or(Eq("City", "Zürich"), Eq("City", "東京")), Cmp("CustNum", "gt", 100))
	wantFilter := "Name eq 'O''Brien & Sons' and (City eq 'Zürich' or City eq '東京') and CustNum gt 100"
	if filter != wantFilter {
		t.Fatalf("filter = %s\nwant     %s", filter, wantFilter)
	}
	q := Query{Filter: filter, Select: []string{"CustNum", "Name"}, Expand: []string{"ShipToes($select=ShipToNum;$top=500)"},
		OrderBy: []string{"CustNum desc"}, Top: 50, Skip: 100, Count: true}
	enc := q.Encode()
	want := "$filter=Name%20eq%20%27O%27%27Brien%20%26%20Sons%27%20and%20%28City%20eq%20%27Z%C3%BCrich%27%20or%20City%20eq%20%27%E6%9D%B1%E4%BA%AC%27%29%20and%20CustNum%20gt%20100" +
		"&$select=CustNum%2CName&$expand=ShipToes%28%24select%3DShipToNum%3B%24top%3D500%29&$orderby=CustNum%20desc&$top=50&$skip=100&$count=true"
	if enc != want {
		t.Errorf("Encode() =\n%s\nwant\n%s", enc, want)
	}
	back, err := url.ParseQuery(enc)
	if err != nil {
		t.Fatal(err)
	}
	if back.Get("$filter") != wantFilter || back.Get("$expand") != "ShipToes($select=ShipToNum;$top=500)" || back.Get("$orderby") != "CustNum desc" {
		t.Errorf("decoded query = %v", back)
	}
	if (Query{}).Encode() != "" {
		t.Error("empty query should encode to nothing")
	}
}

func TestKeyPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		keys []any
		want string
	}{
		{[]any{"EPIC06", int64(5012)}, "SalesOrders('EPIC06',5012)"},
		{[]any{"EPIC06", "P/1 ü'x"}, "SalesOrders('EPIC06','P%2F1%20%C3%BC%27%27x')"},
		{[]any{"EPIC06", int64(7), "INV#1?"}, "SalesOrders('EPIC06',7,'INV%231%3F')"},
	}
	for _, tt := range tests {
		if got := keyPath("SalesOrders", tt.keys...); got != tt.want {
			t.Errorf("keyPath(%v) = %s, want %s", tt.keys, got, tt.want)
		}
	}
}
