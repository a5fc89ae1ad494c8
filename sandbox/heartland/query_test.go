package heartland

import (
	"net/url"
	"testing"
)

func FuzzFilter(f *testing.F) {
	for _, s := range []string{`{"public_id":"A"}`, `[{"id":{"$gt":1}},{"$or":[{"name":{"$like":"%a_"}}]}]`,
		`{"id":{"$in":[1,"2",null]}}`, `{"custom@x":{"$nin":[]}}`, `"x"`, `{`} {
		f.Add(s)
	}
	st := newState(testData, nil)
	rows := st.items.all(nil)
	f.Fuzz(func(t *testing.T, filter string) {
		q, err := parseQuery(url.Values{"_filter": {filter}, "sort[]": {"price,desc"}}, st.items, 100)
		if err != nil {
			return
		}
		for _, r := range rows {
			allOf(q.filters)(r)
		}
	})
}
