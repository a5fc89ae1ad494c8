package heartland

import (
	"net/url"
	"testing"
)

func TestFilterEncode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    Filter
		want string
	}{
		{"equality", Eq("public_id", "ABC-1"), `{"public_id":"ABC-1"}`},
		{"awkward string", Eq("name", `O'Brien & "Sons" <Zürich> 💡`), `{"name":"O'Brien & \"Sons\" <Zürich> 💡"}`},
		{"custom field", Eq(Custom("size"), "XL"), `{"custom@size":"XL"}`},
		{"operator", Gte("local_completed_at", "2025-03-01T00:00:00-06:00"), `{"local_completed_at":{"$gte":"2025-03-01T00:00:00-06:00"}}`},
		{"in", In("public_id", "A", "B"), `{"public_id":{"$in":["A","B"]}}`},
		{"and drops empty", And(nil, Eq("a", 1), Filter{}), `{"a":1}`},
		{"and", And(Eq("a", 1), Lt("b", 2.5)), `{"$and":[{"a":1},{"b":{"$lt":2.5}}]}`},
		{"or", Or(Eq("name", "Main"), Eq("public_id", "1")), `{"$or":[{"name":"Main"},{"public_id":"1"}]}`},
		{"gt lte", And(Gt("id", 5), Lte("id", 9)), `{"$and":[{"id":{"$gt":5}},{"id":{"$lte":9}}]}`},
	}
	for _, tt := range tests {
		got, err := tt.f.Encode()
		if err != nil || got != tt.want {
			t.Errorf("%s: Encode() = %s, %v; want %s", tt.name, got, err, tt.want)
		}
		// The query encoder must carry it intact.
		q, err := ListOptions{Filter: tt.f}.values()
		if err != nil {
			t.Fatal(err)
		}
		back, err := url.ParseQuery(q.Encode())
		if err != nil || back.Get("_filter") != tt.want {
			t.Errorf("%s: _filter after URL round trip = %q, want %q", tt.name, back.Get("_filter"), tt.want)
		}
	}
}

func TestListOptionsValues(t *testing.T) {
	t.Parallel()
	q, err := ListOptions{Sort: []string{"created_at,desc", "id"}, Include: []string{"customer"}, Only: []string{"id", "public_id"},
		Query: "blue & green", Page: 2, Extra: map[string][]string{"group[]": {"item_id"}}}.values()
	if err != nil {
		t.Fatal(err)
	}
	want := "_include%5B%5D=customer&_only%5B%5D=id&_only%5B%5D=public_id&group%5B%5D=item_id&page=2&per_page=100&query=blue+%26+green&sort%5B%5D=created_at%2Cdesc&sort%5B%5D=id"
	if got := q.Encode(); got != want {
		t.Errorf("values = %s\nwant     %s", got, want)
	}
}
