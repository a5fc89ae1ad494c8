package builtin

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sync"
	"testing"

	"github.com/bridgework/bridgework/connectors"
)

// reply is a canned response.
type reply struct {
	status int
	body   string
	header map[string]string
}

// seen is a request the fake received.
type seen struct {
	method, path string
	query        url.Values
	header       http.Header
	body         any
}

// fake answers "METHOD /decoded/path" with canned replies (200 {} when
// none is set) and records every request.
type fake struct {
	mu      sync.Mutex
	replies map[string]reply
	reqs    []seen
}

func newFake(tb testing.TB, replies map[string]reply) (*fake, string) {
	tb.Helper()
	f := &fake{replies: replies}
	ts := httptest.NewServer(f)
	tb.Cleanup(ts.Close)
	return f, ts.URL
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var body any
	if len(b) > 0 {
		if json.Unmarshal(b, &body) != nil {
			body = string(b)
		}
	}
	f.mu.Lock()
	f.reqs = append(f.reqs, seen{method: r.Method, path: r.URL.Path, query: r.URL.Query(), header: r.Header.Clone(), body: body})
	rep, ok := f.replies[r.Method+" "+r.URL.Path]
	f.mu.Unlock()
	if !ok {
		rep = reply{status: 200, body: "{}"}
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(rep.status)
	io.WriteString(w, rep.body)
}

func (f *fake) requests() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.reqs...)
}

// want is an expected request: query lists only the parameters to check;
// body, when set, is compared as JSON.
type want struct {
	method, path string
	query        map[string]string
	body         string
}

// opCase is one operation call and what it must send and return.
type opCase struct {
	op      string
	input   string
	replies map[string]reply
	want    []want
	out     string // expected output as JSON, when set
}

// runOpCases runs each case through an Invoker against a fresh fake and
// checks that every operation of the system has a case and that every
// request carries headers.
func runOpCases(t *testing.T, conn func(base string) connectors.Connection, headers map[string]string, cases []opCase) {
	t.Helper()
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.op] = true
		t.Run(tc.op, func(t *testing.T) {
			t.Parallel()
			f, base := newFake(t, tc.replies)
			iv := connectors.NewInvoker(Registry(), connectors.Env{})
			out, err := iv.Invoke(context.Background(), conn(base), tc.op, decode(t, tc.input).(map[string]any))
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			got := f.requests()
			if len(got) != len(tc.want) {
				t.Fatalf("sent %d requests, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				checkRequest(t, i, got[i], w)
				for k, v := range headers {
					if g := got[i].header.Get(k); g != v {
						t.Errorf("request %d header %s = %q, want %q", i, k, g, v)
					}
				}
			}
			if tc.out != "" && !reflect.DeepEqual(out, decode(t, tc.out)) {
				t.Errorf("output = %#v, want %s", out, tc.out)
			}
		})
	}
	checkCovered(t, conn("http://x").Type, covered, "has no request-shape case")
}

// checkCovered fails for every operation of system missing from covered.
func checkCovered(tb testing.TB, system string, covered map[string]bool, problem string) {
	tb.Helper()
	for _, op := range Registry().Operations(system) {
		if !covered[op.Name] {
			tb.Errorf("operation %s.%s %s", system, op.Name, problem)
		}
	}
}

func checkRequest(tb testing.TB, i int, got seen, w want) {
	tb.Helper()
	if got.method != w.method || got.path != w.path {
		tb.Errorf("request %d = %s %s, want %s %s", i, got.method, got.path, w.method, w.path)
	}
	for k, v := range w.query {
		if g := got.query[k]; len(g) != 1 || g[0] != v {
			if !(len(g) > 1 && joinAll(g) == v) {
				tb.Errorf("request %d query %s = %q, want %q", i, k, g, v)
			}
		}
	}
	if w.body != "" && !reflect.DeepEqual(got.body, decode(tb, w.body)) {
		b, _ := json.Marshal(got.body)
		tb.Errorf("request %d body = %s, want %s", i, b, w.body)
	}
}

// joinAll joins repeated parameters with "|" so one string can expect them.
func joinAll(vs []string) string {
	s := vs[0]
	for _, v := range vs[1:] {
		s += "|" + v
	}
	return s
}

func decode(tb testing.TB, s string) any {
	tb.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		tb.Fatalf("bad JSON in test: %v: %s", err, s)
	}
	return v
}
