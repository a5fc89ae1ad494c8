// Package fault injects failures into a sandbox server: added latency, random
// or queued error statuses, 429 throttling with Retry-After, downtime and
// "the write was applied but the answer never arrived".
package fault

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/bridgework/bridgework/sandbox/reqlog"
)

// Config is the fault set in force. The zero value injects nothing.
type Config struct {
	// LatencyMS delays every answer by this many milliseconds.
	LatencyMS int `json:"latency_ms,omitempty"`
	// ErrorRates maps an HTTP status to the probability (0..1) that a request
	// fails with it.
	ErrorRates map[int]float64 `json:"error_rates,omitempty"`
	// FailNext queues deterministic failures for the next requests, in order.
	FailNext []Failure `json:"fail_next,omitempty"`
	// RateLimitRPS answers 429 when requests arrive faster than this many per
	// second (token bucket with a burst of the same size). 0 disables it.
	RateLimitRPS float64 `json:"rate_limit_rps,omitempty"`
	// RetryAfterSeconds is the Retry-After sent with throttling answers
	// (default 1).
	RetryAfterSeconds int `json:"retry_after_seconds,omitempty"`
	// DownForSeconds, when set on input, starts a downtime of that length.
	DownForSeconds float64 `json:"down_for_seconds,omitempty"`
	// DownUntil is the end of the current downtime.
	DownUntil time.Time `json:"down_until,omitzero"`
	// DownMode is "unavailable" (503 with Retry-After, the default) or "drop"
	// (the connection is closed without an answer).
	DownMode string `json:"down_mode,omitempty"`
	// WriteTimeout applies writes but withholds their answers.
	WriteTimeout *WriteTimeout `json:"write_timeout,omitempty"`
}

// Failure is a queued failure: Count requests answered with Status.
type Failure struct {
	Status            int `json:"status"`
	Count             int `json:"count,omitempty"`
	RetryAfterSeconds int `json:"retry_after_seconds,omitempty"`
}

// WriteTimeout makes write requests (POST, PUT, PATCH, DELETE) succeed on the
// server while the client sees a timeout or a dropped connection.
type WriteTimeout struct {
	// Mode is "delay" (answer after DelayMS) or "drop" (close the connection).
	Mode string `json:"mode"`
	// DelayMS is how long a delayed answer is held (default 30000).
	DelayMS int `json:"delay_ms,omitempty"`
	// Count limits the fault to the next Count writes; 0 means every write.
	Count int `json:"count,omitempty"`
	// After lets this many writes through untouched before the fault
	// applies (a batch whose third call loses its answer: after 2).
	After int `json:"after,omitempty"`
}

// ErrorWriter writes a system-specific error body.
type ErrorWriter func(w http.ResponseWriter, r *http.Request, status int, message string)

// Injector holds the fault configuration and applies it as middleware.
type Injector struct {
	mu       sync.Mutex
	cfg      Config
	rng      *rand.Rand
	tokens   float64
	lastFill time.Time
	writeErr ErrorWriter
	now      func() time.Time
}

// New returns an injector whose error answers are written by writeErr.
func New(seed uint64, writeErr ErrorWriter) *Injector {
	return &Injector{rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), writeErr: writeErr, now: time.Now}
}

// Set replaces the configuration after checking it.
func (f *Injector) Set(c Config) error {
	if err := c.Validate(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if c.DownForSeconds > 0 {
		c.DownUntil = f.now().Add(time.Duration(c.DownForSeconds * float64(time.Second))).UTC()
		c.DownForSeconds = 0
	}
	f.cfg = c
	f.tokens = c.RateLimitRPS
	f.lastFill = f.now()
	return nil
}

// Get returns the configuration in force.
func (f *Injector) Get() Config {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cfg
}

// Clear removes every fault.
func (f *Injector) Clear() {
	f.mu.Lock()
	f.cfg = Config{}
	f.mu.Unlock()
}

// Validate reports the first problem of the configuration, naming the field.
func (c Config) Validate() error {
	if c.LatencyMS < 0 {
		return fmt.Errorf("latency_ms must not be negative, got %d", c.LatencyMS)
	}
	for status, p := range c.ErrorRates {
		if status < 400 || status > 599 {
			return fmt.Errorf("error_rates: status %d is not a 4xx or 5xx code", status)
		}
		if p < 0 || p > 1 {
			return fmt.Errorf("error_rates[%d]: probability %v is outside 0..1", status, p)
		}
	}
	for i, fl := range c.FailNext {
		if fl.Status < 400 || fl.Status > 599 {
			return fmt.Errorf("fail_next[%d]: status %d is not a 4xx or 5xx code", i, fl.Status)
		}
	}
	if c.RateLimitRPS < 0 {
		return fmt.Errorf("rate_limit_rps must not be negative")
	}
	if c.DownMode != "" && c.DownMode != "unavailable" && c.DownMode != "drop" {
		return fmt.Errorf("down_mode must be \"unavailable\" or \"drop\", got %q", c.DownMode)
	}
	if wt := c.WriteTimeout; wt != nil && wt.Mode != "delay" && wt.Mode != "drop" {
		return fmt.Errorf("write_timeout.mode must be \"delay\" or \"drop\", got %q", wt.Mode)
	}
	if wt := c.WriteTimeout; wt != nil && (wt.Count < 0 || wt.After < 0) {
		return fmt.Errorf("write_timeout: count and after must not be negative")
	}
	return nil
}

// decision is what happens to one request.
type decision struct {
	latency    time.Duration
	status     int
	retryAfter int
	drop       bool
	write      *WriteTimeout
	note       string
}

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

func (f *Injector) decide(r *http.Request) decision {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := &f.cfg
	d := decision{latency: time.Duration(c.LatencyMS) * time.Millisecond}
	retry := c.RetryAfterSeconds
	if retry <= 0 {
		retry = 1
	}
	now := f.now()
	switch {
	case now.Before(c.DownUntil):
		d.note = "down"
		if c.DownMode == "drop" {
			d.drop = true
			return d
		}
		d.status = http.StatusServiceUnavailable
		d.retryAfter = int(math.Ceil(c.DownUntil.Sub(now).Seconds()))
		return d
	case len(c.FailNext) > 0:
		fl := &c.FailNext[0]
		d.status, d.retryAfter = fl.Status, fl.RetryAfterSeconds
		if d.status == http.StatusTooManyRequests && d.retryAfter == 0 {
			d.retryAfter = retry
		}
		if fl.Count <= 1 {
			c.FailNext = c.FailNext[1:]
		} else {
			fl.Count--
		}
		d.note = strconv.Itoa(d.status)
		return d
	}
	if c.RateLimitRPS > 0 {
		f.tokens = math.Min(c.RateLimitRPS, f.tokens+now.Sub(f.lastFill).Seconds()*c.RateLimitRPS)
		f.lastFill = now
		if f.tokens < 1 {
			d.status, d.retryAfter, d.note = http.StatusTooManyRequests, retry, "rate_limit"
			return d
		}
		f.tokens--
	}
	for status, p := range c.ErrorRates {
		if p > 0 && f.rng.Float64() < p {
			d.status, d.note = status, strconv.Itoa(status)
			if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
				d.retryAfter = retry
			}
			return d
		}
	}
	if wt := c.WriteTimeout; wt != nil && isWrite(r.Method) && wt.After > 0 {
		wt.After--
	} else if wt != nil && isWrite(r.Method) {
		cp := *wt
		d.write, d.note = &cp, "write_timeout_"+wt.Mode
		if wt.Count == 1 {
			c.WriteTimeout = nil
		} else if wt.Count > 1 {
			wt.Count--
		}
	}
	if d.note == "" && d.latency > 0 {
		d.note = "latency"
	}
	return d
}

// Middleware applies the configured faults in front of next.
func (f *Injector) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := f.decide(r)
		if d.note != "" {
			reqlog.Annotate(r, d.note)
		}
		if d.latency > 0 && !wait(r, d.latency) {
			return
		}
		switch {
		case d.drop:
			drop(w)
		case d.status != 0:
			if d.retryAfter > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(d.retryAfter))
			}
			f.writeErr(w, r, d.status, fmt.Sprintf("injected fault: %d %s", d.status, http.StatusText(d.status)))
		case d.write != nil:
			withheld(w, r, next, d.write)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// wait pauses for d or until the client goes away; it reports whether the
// full pause elapsed.
func wait(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

// withheld runs the handler into a buffer (so the write is applied) and then
// either drops the connection or delays the answer.
func withheld(w http.ResponseWriter, r *http.Request, next http.Handler, wt *WriteTimeout) {
	buf := &bufferWriter{header: http.Header{}}
	next.ServeHTTP(buf, r)
	if wt.Mode == "drop" {
		drop(w)
		return
	}
	delay := time.Duration(wt.DelayMS) * time.Millisecond
	if delay <= 0 {
		delay = 30 * time.Second
	}
	if !wait(r, delay) {
		return
	}
	for k, v := range buf.header {
		w.Header()[k] = v
	}
	if buf.status == 0 {
		buf.status = http.StatusOK
	}
	w.WriteHeader(buf.status)
	w.Write(buf.body.Bytes())
}

type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.header }
func (b *bufferWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
