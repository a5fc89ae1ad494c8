package builtin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/bridgework/bridgework/connectors"
	"github.com/bridgework/bridgework/connectors/httpx"
	"github.com/bridgework/bridgework/sandbox"
	"github.com/bridgework/bridgework/sandbox/epicor"
	"github.com/bridgework/bridgework/sandbox/heartland"
	"github.com/bridgework/bridgework/sandbox/reqlog"
)

// sb is a running pair of simulators with the connections that reach them.
type sb struct {
	*sandbox.Running
	iv *connectors.Invoker
	hl connectors.Connection
	ep connectors.Connection
}

// startSandbox starts both simulators on free loopback ports for one test.
func startSandbox(tb testing.TB, opts sandbox.Options) *sb {
	tb.Helper()
	opts.HeartlandListen, opts.EpicorListen = "127.0.0.1:0", "127.0.0.1:0"
	run, err := sandbox.Start(context.Background(), opts)
	if err != nil {
		tb.Fatalf("start sandbox: %v", err)
	}
	tb.Cleanup(func() { run.Close() })
	return &sb{Running: run, iv: connectors.NewInvoker(Registry(), connectors.Env{Limiters: &httpx.Limiters{}}),
		hl: connectors.Connection{ID: "hl-sandbox", Type: "heartland",
			Config:  map[string]any{"base_url": run.HeartlandURL + "/api", "rate_limit_per_second": 0, "max_attempts": 3},
			Secrets: map[string]string{"api_token": heartland.DefaultToken}},
		ep: connectors.Connection{ID: "ep-sandbox", Type: "epicor",
			Config: map[string]any{"base_url": run.EpicorURL, "instance": "Kinetic", "company": run.Epicor.Company(), "plant": "MfgSys",
				"rate_limit_per_second": 0, "max_attempts": 3},
			Secrets: map[string]string{"api_key": epicor.DefaultAPIKey, "username": epicor.DefaultUsername, "password": epicor.DefaultPassword}},
	}
}

// invoke runs an operation with a JSON input.
func (s *sb) invoke(tb testing.TB, conn connectors.Connection, op, input string) (any, error) {
	tb.Helper()
	return s.iv.Invoke(context.Background(), conn, op, decode(tb, input).(map[string]any))
}

// must runs an operation that has to succeed.
func (s *sb) must(tb testing.TB, conn connectors.Connection, op, input string) any {
	tb.Helper()
	out, err := s.invoke(tb, conn, op, input)
	if err != nil {
		tb.Fatalf("%s %s: %v", conn.Type, op, err)
	}
	return out
}

// call sends a raw request to a simulator (API or /_sandbox/ control) and
// returns the decoded JSON answer, failing unless the status is 2xx.
func call(tb testing.TB, method, url string, header map[string]string, body any) map[string]any {
	tb.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			tb.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode/100 != 2 {
		tb.Fatalf("%s %s: %d %s", method, url, res.StatusCode, b)
	}
	out := map[string]any{}
	if len(bytes.TrimSpace(b)) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			tb.Fatalf("%s %s: decode %s: %v", method, url, b, err)
		}
	}
	return out
}

// hlGet reads a Heartland resource directly (to check the sandbox state).
func (s *sb) hlGet(tb testing.TB, path string) map[string]any {
	tb.Helper()
	return call(tb, http.MethodGet, s.HeartlandURL+"/api"+path, map[string]string{"Authorization": "Bearer " + heartland.DefaultToken}, nil)
}

// hlEvent creates a record through a Heartland control (sales_order or
// sales_ticket) and returns its id.
func (s *sb) hlEvent(tb testing.TB, kind string, body map[string]any) int64 {
	tb.Helper()
	out := call(tb, http.MethodPost, s.HeartlandURL+"/_sandbox/events/"+kind, nil, body)
	return int64(num(tb, out["id"]))
}

// order is a control body for a Heartland sales order of customer.
func order(customer int64) map[string]any {
	return map[string]any{"customer_id": customer, "station_id": 100011, "source_location_id": 100001,
		"lines": []any{map[string]any{"item_lookup": "SKU-1001", "qty": 2}}}
}

// ticket is a control body for a completed Heartland ticket with a payment.
func ticket(customer int64) map[string]any {
	return map[string]any{"customer_id": customer, "station_id": 100011, "source_location_id": 100001,
		"item_lines": []any{map[string]any{"item_id": 100501, "qty": 1}},
		"payments":   []any{map[string]any{"payment_type_id": 100201, "amount": 10}}}
}

// log returns the simulator's request log.
func requestLog(srv interface{ Requests() *reqlog.Log }) []reqlog.Entry {
	return srv.Requests().Since(0)
}

func num(tb testing.TB, v any) float64 {
	tb.Helper()
	f, ok := v.(float64)
	if !ok {
		tb.Fatalf("%v (%T) is not a number", v, v)
	}
	return f
}

func rec(tb testing.TB, v any) map[string]any {
	tb.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		tb.Fatalf("%v (%T) is not an object", v, v)
	}
	return m
}

func list(tb testing.TB, v any) []any {
	tb.Helper()
	l, ok := v.([]any)
	if !ok {
		tb.Fatalf("%v (%T) is not an array", v, v)
	}
	return l
}

// recordHas checks that the output is a record with these field, value
// pairs.
func recordHas(pairs ...any) func(*testing.T, *sb, any) {
	return func(t *testing.T, _ *sb, out any) { hasFields(t, rec(t, out), pairs) }
}

// foundHas checks that a lookup found a record with these field, value pairs.
func foundHas(pairs ...any) func(*testing.T, *sb, any) {
	return func(t *testing.T, _ *sb, out any) { hasFields(t, found(t, out), pairs) }
}

func hasFields(tb testing.TB, r map[string]any, pairs []any) {
	tb.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		if f := pairs[i].(string); r[f] != pairs[i+1] {
			tb.Errorf("%s = %v (%T), want %v (%T); record %v", f, r[f], r[f], pairs[i+1], pairs[i+1], r)
		}
	}
}

// found checks a lookup output and returns its record.
func found(tb testing.TB, v any) map[string]any {
	tb.Helper()
	m := rec(tb, v)
	if m["found"] != true {
		tb.Fatalf("lookup = %v, want found", m)
	}
	return rec(tb, m["record"])
}

// sandboxCase is one operation run against a simulator: prep may create
// what the operation needs and returns its input; check asserts the output
// and the simulator's state.
type sandboxCase struct {
	op    string
	prep  func(t *testing.T, s *sb) string
	check func(t *testing.T, s *sb, out any)
}

// runSandboxCases runs every case on a fresh pair of simulators and fails
// when an operation of the system has no case.
func runSandboxCases(t *testing.T, system string, cases []sandboxCase) {
	t.Helper()
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.op] = true
		t.Run(tc.op, func(t *testing.T) {
			t.Parallel()
			s := startSandbox(t, sandbox.Options{})
			conn := s.hl
			if system == "epicor" {
				conn = s.ep
			}
			out := s.must(t, conn, tc.op, tc.prep(t, s))
			tc.check(t, s, out)
		})
	}
	checkCovered(t, system, covered, "is not run against the sandbox")
}

func fixed(input string) func(*testing.T, *sb) string {
	return func(*testing.T, *sb) string { return input }
}

func jsonf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
