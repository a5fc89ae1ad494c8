package httpx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/netguard"
)

// sleeper records requested waits instead of waiting.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return ctx.Err()
}

func (s *sleeper) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

var fixedNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// scripted answers each request with the next status of a script (the last
// one repeats) and records the bodies it received.
type scripted struct {
	mu       sync.Mutex
	statuses []int
	headers  map[string]string
	bodies   []string
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	n := len(s.bodies)
	s.bodies = append(s.bodies, string(b))
	status := s.statuses[min(n, len(s.statuses)-1)]
	s.mu.Unlock()
	for k, v := range s.headers {
		w.Header().Set(k, v)
	}
	w.WriteHeader(status)
	if status >= 400 {
		io.WriteString(w, `{"error":"x","message":"status `+http.StatusText(status)+`"}`)
	}
}

func (s *scripted) Bodies() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies...)
}

func newTestClient(tb testing.TB, sl *sleeper, mod func(*Options)) *Client {
	tb.Helper()
	o := Options{System: "test", Sleep: sl.Sleep, Now: func() time.Time { return fixedNow },
		MaxAttempts: 4, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second, MaxWait: 30 * time.Second}
	if mod != nil {
		mod(&o)
	}
	return New(o)
}

func TestDoRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		method      string
		retryWrites bool
		statuses    []int
		headers     map[string]string
		wantCalls   int
		wantKind    error // nil: success
		wantWaits   []time.Duration
	}{
		{name: "503 then ok on GET", method: "GET", statuses: []int{503, 503, 200}, wantCalls: 3},
		{name: "502 and 504 retried", method: "GET", statuses: []int{502, 504, 200}, wantCalls: 3},
		{name: "400 not retried", method: "GET", statuses: []int{400}, wantCalls: 1, wantKind: ErrValidation},
		{name: "404 not retried", method: "GET", statuses: []int{404}, wantCalls: 1, wantKind: ErrNotFound},
		{name: "500 not retried", method: "GET", statuses: []int{500}, wantCalls: 1, wantKind: ErrServer},
		{name: "gives up after max attempts", method: "GET", statuses: []int{503}, wantCalls: 4, wantKind: ErrUnavailable},
		{name: "PUT is idempotent", method: "PUT", statuses: []int{503, 204}, wantCalls: 2},
		{name: "POST 503 not retried", method: "POST", statuses: []int{503}, wantCalls: 1, wantKind: ErrUnavailable},
		{name: "POST 503 retried when safe", method: "POST", retryWrites: true, statuses: []int{503, 201}, wantCalls: 2},
		{name: "POST 429 retried with Retry-After seconds", method: "POST", statuses: []int{429, 201},
			headers: map[string]string{"Retry-After": "3"}, wantCalls: 2, wantWaits: []time.Duration{3 * time.Second}},
		{name: "Retry-After HTTP date", method: "GET", statuses: []int{429, 200},
			headers:   map[string]string{"Retry-After": fixedNow.Add(5 * time.Second).Format(http.TimeFormat)},
			wantCalls: 2, wantWaits: []time.Duration{5 * time.Second}},
		{name: "Retry-After beyond MaxWait returned", method: "GET", statuses: []int{429},
			headers: map[string]string{"Retry-After": "120"}, wantCalls: 1, wantKind: ErrRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := &scripted{statuses: tt.statuses, headers: tt.headers}
			ts := httptest.NewServer(srv)
			defer ts.Close()
			sl := &sleeper{}
			c := newTestClient(t, sl, nil)
			body := []byte(`{"po":"HL-1"}`)
			_, err := c.Do(context.Background(), Request{Action: "call", Method: tt.method, URL: ts.URL, Body: body, RetryWrites: tt.retryWrites})
			if tt.wantKind == nil && err != nil {
				t.Fatalf("Do: unexpected error %v", err)
			}
			if tt.wantKind != nil && !errors.Is(err, tt.wantKind) {
				t.Fatalf("Do error = %v, want kind %v", err, tt.wantKind)
			}
			bodies := srv.Bodies()
			if len(bodies) != tt.wantCalls {
				t.Fatalf("server saw %d calls, want %d", len(bodies), tt.wantCalls)
			}
			for i, b := range bodies {
				if b != string(body) {
					t.Errorf("attempt %d body = %q, want %q (body must be re-sent)", i+1, b, body)
				}
			}
			waits := sl.Waits()
			if len(waits) != tt.wantCalls-1 {
				t.Errorf("slept %d times, want %d", len(waits), tt.wantCalls-1)
			}
			if tt.wantWaits != nil && !equalDurations(waits, tt.wantWaits) {
				t.Errorf("waits = %v, want %v", waits, tt.wantWaits)
			}
		})
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRateLimitedErrorCarriesRetryAfter(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(&scripted{statuses: []int{429}, headers: map[string]string{"Retry-After": "120"}})
	defer ts.Close()
	c := newTestClient(t, &sleeper{}, nil)
	_, err := c.Do(context.Background(), Request{Action: "list items", Method: "GET", URL: ts.URL})
	var rl *RateLimitedError
	if !errors.As(err, &rl) {
		t.Fatalf("error %T %v is not a *RateLimitedError", err, err)
	}
	if rl.RetryAfter() != 120*time.Second || !rl.Retryable() {
		t.Errorf("RetryAfter = %v, Retryable = %v; want 2m0s, true", rl.RetryAfter(), rl.Retryable())
	}
	var e *Error
	if !errors.As(err, &e) || e.Status != 429 || e.Action != "list items" {
		t.Errorf("errors.As *Error = %+v", e)
	}
}

func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	for _, jitter := range []string{"min", "max"} {
		c := New(Options{System: "t", BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second,
			Jitter: func(d time.Duration) time.Duration {
				if jitter == "min" {
					return 0
				}
				return d
			}})
		for attempt, full := range []time.Duration{100, 200, 400, 800, 1000, 1000} {
			full *= time.Millisecond
			got := c.backoff(attempt + 1)
			want := full
			if jitter == "min" {
				want = full / 2
			}
			if got != want {
				t.Errorf("jitter %s attempt %d: backoff = %v, want %v", jitter, attempt+1, got, want)
			}
		}
	}
	c := New(Options{System: "t", BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second})
	for i := 0; i < 200; i++ {
		if d := c.backoff(3); d < 200*time.Millisecond || d > 400*time.Millisecond {
			t.Fatalf("random backoff(3) = %v, outside [200ms, 400ms]", d)
		}
	}
}

func TestNetworkErrorRetriedThenUnavailable(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.NotFoundHandler())
	url := ts.URL + "/x?api-key=SECRETKEY"
	ts.Close() // nothing listens any more
	sl := &sleeper{}
	c := newTestClient(t, sl, nil)
	_, err := c.Do(context.Background(), Request{Action: "get part", Method: "GET", URL: url})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("error = %v, want ErrUnavailable", err)
	}
	if strings.Contains(err.Error(), "SECRETKEY") {
		t.Errorf("error leaks the api key: %v", err)
	}
	if got := len(sl.Waits()); got != 3 {
		t.Errorf("slept %d times, want 3 (4 attempts)", got)
	}
}

func TestPerAttemptTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var calls atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer ts.Close()
	defer close(release)
	c := newTestClient(t, &sleeper{}, func(o *Options) { o.Timeout = 50 * time.Millisecond; o.MaxAttempts = 2 })
	_, err := c.Do(context.Background(), Request{Action: "slow", Method: "GET", URL: ts.URL})
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("error = %v, want ErrUnavailable mentioning a timeout", err)
	}
	if calls.Load() != 2 {
		t.Errorf("server saw %d calls, want 2", calls.Load())
	}
}

func TestContextCancelStopsCall(t *testing.T) {
	t.Parallel()
	started := make(chan struct{}, 1)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-r.Context().Done()
	}))
	defer ts.Close()
	c := New(Options{System: "test"})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	_, err := c.Do(ctx, Request{Action: "get", Method: "GET", URL: ts.URL})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	var e *Error
	if errors.As(err, &e) {
		t.Errorf("a cancelled call must not look like a system error: %v", e)
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(&scripted{statuses: []int{503}})
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	c := New(Options{System: "test", Sleep: func(ctx context.Context, d time.Duration) error {
		cancel()
		return Sleep(ctx, d)
	}})
	_, err := c.Do(ctx, Request{Action: "get", Method: "GET", URL: ts.URL})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
}

// renewer accepts token "new" only after one renewal.
type renewer struct {
	mu      sync.Mutex
	token   string
	renews  int
	refresh bool
}

func (a *renewer) Authorize(_ context.Context, h http.Header) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	h.Set("Authorization", "Bearer "+a.token)
	return nil
}

func (a *renewer) Renew(_ context.Context, refused http.Header) (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.renews++
	if !a.refresh {
		return false, nil
	}
	a.token = "new"
	return true, nil
}

func TestRenewOnceAfter401(t *testing.T) {
	t.Parallel()
	for _, canRefresh := range []bool{true, false} {
		var calls atomic.Int32
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			if r.Header.Get("Authorization") != "Bearer new" {
				w.WriteHeader(401)
			}
		}))
		auth := &renewer{token: "old", refresh: canRefresh}
		c := newTestClient(t, &sleeper{}, func(o *Options) { o.Auth = auth })
		_, err := c.Do(context.Background(), Request{Action: "whoami", Method: "GET", URL: ts.URL})
		ts.Close()
		if canRefresh && err != nil {
			t.Errorf("refreshable: error %v, want success", err)
		}
		if !canRefresh && !errors.Is(err, ErrAuth) {
			t.Errorf("not refreshable: error %v, want ErrAuth", err)
		}
		wantCalls := int32(1)
		if canRefresh {
			wantCalls = 2
		}
		if auth.renews != 1 || calls.Load() != wantCalls {
			t.Errorf("refresh=%v: renews = %d, calls = %d; want 1 and %d", canRefresh, auth.renews, calls.Load(), wantCalls)
		}
	}
}

func TestInjectedTransportIsUsed(t *testing.T) {
	t.Parallel()
	blocked := errors.New("private address refused")
	var used atomic.Bool
	tr := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used.Store(true)
		return nil, blocked
	})
	c := newTestClient(t, &sleeper{}, func(o *Options) { o.Transport = tr; o.MaxAttempts = 1 })
	_, err := c.Do(context.Background(), Request{Action: "get", Method: "GET", URL: "http://10.0.0.1/x"})
	if !used.Load() || !errors.Is(err, blocked) || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("error = %v, transport used = %v; want the transport's error as ErrUnavailable", err, used.Load())
	}
}

// An address the outbound guard refuses is ErrBlocked: tried once, not
// retryable, with the guard's explanation in the message.
func TestGuardRefusalIsBlockedNotUnavailable(t *testing.T) {
	t.Parallel()
	guard, err := netguard.New(netguard.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sl := &sleeper{}
	c := newTestClient(t, sl, func(o *Options) { o.Transport = guard.Transport() })
	_, err = c.Do(context.Background(), Request{Action: "get part", Method: "GET", URL: "http://10.0.0.5/parts"})
	var he *Error
	if !errors.Is(err, ErrBlocked) || errors.Is(err, ErrUnavailable) || !errors.As(err, &he) || he.Retryable() {
		t.Fatalf("error = %v, want a non-retryable ErrBlocked", err)
	}
	if !strings.Contains(err.Error(), "blocked by outbound policy") || !strings.Contains(err.Error(), "10.0.0.5") {
		t.Errorf("the message does not explain the refusal: %v", err)
	}
	if n := len(sl.Waits()); n != 0 {
		t.Errorf("retried %d times, want none", n)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestDebugLogIsRedacted(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"access_token":"RESPONSETOKEN","card":"4111 1111 1111 1111"}`)
	}))
	defer ts.Close()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := New(Options{System: "test", Logger: logger})
	h := http.Header{"Authorization": {"Bearer SUPERSECRET"}, "X-Api-Key": {"KEY123"}}
	_, err := c.Do(context.Background(), Request{Action: "post", Method: "POST", URL: ts.URL + "?api-key=QKEY",
		Header: h, Body: []byte(`{"password":"hunter2","pan":"5500-0000-0000-0004"}`)})
	if err != nil {
		t.Fatal(err)
	}
	log := buf.String()
	for _, secret := range []string{"SUPERSECRET", "KEY123", "QKEY", "hunter2", "RESPONSETOKEN", "4111 1111 1111 1111", "5500-0000-0000-0004"} {
		if strings.Contains(log, secret) {
			t.Errorf("debug log contains %q:\n%s", secret, log)
		}
	}
	if !strings.Contains(log, "http request") || !strings.Contains(log, "http response") {
		t.Errorf("debug log lacks request/response lines:\n%s", log)
	}
}

func TestErrorUsesDecoder(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(&scripted{statuses: []int{400}})
	defer ts.Close()
	c := newTestClient(t, &sleeper{}, func(o *Options) {
		o.Decode = func(status int, body []byte) (string, error) { return "duplicate CustID", ErrConflict }
	})
	_, err := c.Do(context.Background(), Request{Action: "create customer", Method: "POST", URL: ts.URL})
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("error = %v, want ErrConflict from the decoder", err)
	}
	if got, want := err.Error(), "test: create customer: 400 duplicate CustID"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func newOKServer(tb testing.TB) string {
	tb.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tb.Cleanup(ts.Close)
	return ts.URL
}
