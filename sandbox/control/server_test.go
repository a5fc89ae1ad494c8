package control

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bridgework/bridgework/sandbox/delivery"
	"github.com/bridgework/bridgework/sandbox/fault"
	"github.com/bridgework/bridgework/sandbox/reqlog"
)

// fixture is a control server in front of an API that counts writes.
type fixture struct {
	ts     *httptest.Server
	writes atomic.Int64
	resets atomic.Int64
}

func newFixture(tb testing.TB, token string) *fixture {
	tb.Helper()
	f := &fixture{}
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			f.writes.Add(1)
			WriteJSON(w, http.StatusCreated, map[string]any{"id": f.writes.Load()})
			return
		}
		WriteJSON(w, http.StatusOK, map[string]any{"ok": true})
	})
	q := delivery.New(delivery.Options{})
	s := New(Parts{
		Faults: fault.New(1, func(w http.ResponseWriter, _ *http.Request, status int, msg string) {
			WriteJSON(w, status, map[string]string{"fault": msg})
		}),
		Log: reqlog.New(100), Deliveries: q, Reset: func() { f.resets.Add(1) }, Token: token,
	}, api)
	f.ts = httptest.NewServer(s)
	tb.Cleanup(func() { f.ts.Close(); q.Close() })
	return f
}

func (f *fixture) call(tb testing.TB, method, path, body string) (*http.Response, string) {
	tb.Helper()
	req, _ := http.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (f *fixture) setFaults(tb testing.TB, cfg string) {
	tb.Helper()
	if resp, body := f.call(tb, http.MethodPut, "/_sandbox/faults", cfg); resp.StatusCode != http.StatusOK {
		tb.Fatalf("PUT faults: %d %s", resp.StatusCode, body)
	}
}

func TestQueuedFailuresThenRecovery(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "")
	f.setFaults(t, `{"fail_next":[{"status":429,"count":2,"retry_after_seconds":3},{"status":500}]}`)
	want := []struct {
		status     int
		retryAfter string
	}{{429, "3"}, {429, "3"}, {500, ""}, {200, ""}}
	for i, w := range want {
		resp, body := f.call(t, http.MethodGet, "/api/x", "")
		if resp.StatusCode != w.status || resp.Header.Get("Retry-After") != w.retryAfter {
			t.Fatalf("request %d: status %d Retry-After %q, want %d %q (body %s)", i, resp.StatusCode,
				resp.Header.Get("Retry-After"), w.status, w.retryAfter, body)
		}
	}
}

func TestRateLimitAnswers429(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "")
	f.setFaults(t, `{"rate_limit_rps":2,"retry_after_seconds":2}`)
	var throttled int
	for range 10 {
		resp, _ := f.call(t, http.MethodGet, "/api/x", "")
		if resp.StatusCode == http.StatusTooManyRequests {
			throttled++
			if resp.Header.Get("Retry-After") != "2" {
				t.Errorf("Retry-After = %q, want 2", resp.Header.Get("Retry-After"))
			}
		}
	}
	if throttled < 5 {
		t.Errorf("throttled %d of 10 rapid requests at 2 rps, want at least 5", throttled)
	}
}

func TestDowntime(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "")
	f.setFaults(t, `{"down_for_seconds":60}`)
	resp, _ := f.call(t, http.MethodGet, "/api/x", "")
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("during downtime: %d Retry-After %q, want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp, _ := f.call(t, http.MethodGet, "/_sandbox/requests", ""); resp.StatusCode != http.StatusOK {
		t.Fatalf("control endpoints must work during downtime, got %d", resp.StatusCode)
	}
	f.setFaults(t, `{"down_for_seconds":60,"down_mode":"drop"}`)
	if _, err := http.Get(f.ts.URL + "/api/x"); err == nil {
		t.Fatal("drop mode: request succeeded, want a connection error")
	}
	f.call(t, http.MethodDelete, "/_sandbox/faults", "")
	if resp, _ := f.call(t, http.MethodGet, "/api/x", ""); resp.StatusCode != http.StatusOK {
		t.Fatalf("after clearing faults: %d, want 200", resp.StatusCode)
	}
}

func TestLatency(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "")
	f.setFaults(t, `{"latency_ms":80}`)
	start := time.Now()
	f.call(t, http.MethodGet, "/api/x", "")
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Fatalf("answer took %v, want at least the injected 80ms", d)
	}
}

func TestErrorRate(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "")
	f.setFaults(t, `{"error_rates":{"502":1}}`)
	if resp, _ := f.call(t, http.MethodGet, "/api/x", ""); resp.StatusCode != http.StatusBadGateway {
		t.Fatalf("status %d, want 502 at rate 1", resp.StatusCode)
	}
}

func TestWriteTimeoutAppliesTheWrite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  string
	}{
		{"drop", `{"write_timeout":{"mode":"drop","count":1}}`},
		{"delay", `{"write_timeout":{"mode":"delay","delay_ms":1000,"count":1}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, "")
			f.setFaults(t, tt.cfg)
			client := &http.Client{Timeout: 200 * time.Millisecond}
			resp, err := client.Post(f.ts.URL+"/api/x", "application/json", strings.NewReader(`{}`))
			if err == nil {
				resp.Body.Close()
				t.Fatalf("write answered %d, want a client error", resp.StatusCode)
			}
			if tt.name == "delay" {
				var ne interface{ Timeout() bool }
				if !errors.As(err, &ne) || !ne.Timeout() {
					t.Fatalf("error %v, want a timeout", err)
				}
			}
			if n := f.writes.Load(); n != 1 {
				t.Fatalf("writes applied = %d, want 1", n)
			}
			if resp, _ := f.call(t, http.MethodPost, "/api/x", "{}"); resp.StatusCode != http.StatusCreated {
				t.Fatalf("next write: %d, want 201 once count is used up", resp.StatusCode)
			}
		})
	}
}

func TestRequestLogAndReset(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "")
	f.call(t, http.MethodGet, "/api/a?x=1", "")
	f.call(t, http.MethodPost, "/api/b", `{"k":"v"}`)
	_, body := f.call(t, http.MethodGet, "/_sandbox/requests", "")
	var log struct {
		LastID   int64          `json:"last_id"`
		Requests []reqlog.Entry `json:"requests"`
	}
	if err := json.Unmarshal([]byte(body), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Requests) != 2 {
		t.Fatalf("logged %d requests, want 2 (control calls are not logged): %s", len(log.Requests), body)
	}
	a, b := log.Requests[0], log.Requests[1]
	if a.Method != "GET" || a.Path != "/api/a" || a.Query != "x=1" || a.Status != 200 {
		t.Errorf("first entry %+v", a)
	}
	if b.Method != "POST" || b.Status != 201 || b.RequestBytes != 9 || b.ResponseBytes == 0 {
		t.Errorf("second entry %+v", b)
	}
	_, body = f.call(t, http.MethodGet, "/_sandbox/requests?since="+jsonNum(a.ID), "")
	if !strings.Contains(body, `"/api/b"`) || strings.Contains(body, `"/api/a"`) {
		t.Errorf("since filter: %s", body)
	}
	if resp, _ := f.call(t, http.MethodPost, "/_sandbox/reset", ""); resp.StatusCode != http.StatusNoContent || f.resets.Load() != 1 {
		t.Errorf("reset: %d, resets %d", resp.StatusCode, f.resets.Load())
	}
}

func jsonNum(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestBadControlInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "")
	tests := []struct{ method, path, body, want string }{
		{http.MethodPut, "/_sandbox/faults", `{"error_rates":{"200":0.5}}`, "not a 4xx or 5xx"},
		{http.MethodPut, "/_sandbox/faults", `{"error_rates":{"500":2}}`, "outside 0..1"},
		{http.MethodPut, "/_sandbox/faults", `{"write_timeout":{"mode":"later"}}`, "write_timeout.mode"},
		{http.MethodPut, "/_sandbox/faults", `{"latency":5}`, "unknown field"},
		{http.MethodGet, "/_sandbox/requests?since=abc", "", "since"},
		{http.MethodPost, "/_sandbox/deliveries/wait?timeout=soon", "", "timeout"},
	}
	for _, tt := range tests {
		resp, body := f.call(t, tt.method, tt.path, tt.body)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, tt.want) {
			t.Errorf("%s %s %s: %d %s, want 400 mentioning %q", tt.method, tt.path, tt.body, resp.StatusCode, body, tt.want)
		}
	}
}

func TestControlToken(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "secret")
	if resp, _ := f.call(t, http.MethodGet, "/_sandbox/faults", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("without token: %d, want 401", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, f.ts.URL+"/_sandbox/faults", nil)
	req.Header.Set(TokenHeader, "secret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("with token: %v %v", resp, err)
	}
	resp.Body.Close()
}
