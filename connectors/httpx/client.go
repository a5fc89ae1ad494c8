// Package httpx is the HTTP layer every connector shares: per-attempt
// timeouts, retries with backoff and jitter that honour Retry-After,
// per-connection rate limits, typed errors and redacted debug logging.
package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/bridgework/bridgework/internal/netguard"
)

// Defaults used when an Options field is zero.
const (
	DefaultTimeout     = 30 * time.Second
	DefaultMaxAttempts = 4
	DefaultBaseDelay   = 250 * time.Millisecond
	DefaultMaxDelay    = 10 * time.Second
	DefaultMaxWait     = 30 * time.Second
	maxBody            = 32 << 20
	maxLogBody         = 2048
)

// Authenticator adds credentials to every attempt. After a 401 the client
// calls Renew once with the headers that were refused; Renew returns true
// when fresh credentials are ready and the request should be sent again.
type Authenticator interface {
	Authorize(ctx context.Context, h http.Header) error
	Renew(ctx context.Context, refused http.Header) (bool, error)
}

// Options configures a Client. Only System is required.
type Options struct {
	System     string // system name used in errors and logs: "heartland", "epicor", "http"
	Connection string // connection id, for logs

	Timeout     time.Duration // per attempt, including reading the body
	MaxAttempts int           // attempts per call, including the first
	BaseDelay   time.Duration // first backoff step; doubles per retry
	MaxDelay    time.Duration // cap on one backoff step
	MaxWait     time.Duration // longest Retry-After waited in-process; longer ones are returned to the caller

	// Transport sends the requests. Pass one whose DialContext refuses
	// private addresses to guard outbound calls. Nil uses a clone of
	// http.DefaultTransport.
	Transport http.RoundTripper
	Limiter   *Limiter      // shared per-connection limiter, or nil
	Auth      Authenticator // nil sends no credentials
	Decode    Decoder       // reads the system's error bodies; nil uses the raw body
	Logger    *slog.Logger  // debug-level request/response logs; nil discards

	// Sleep, Now and Jitter replace real time and randomness in tests.
	Sleep  func(context.Context, time.Duration) error
	Now    func() time.Time
	Jitter func(time.Duration) time.Duration // returns a value in [0, d]
}

// Client sends requests to one connection of one system.
type Client struct {
	o  Options
	hc *http.Client
}

// New returns a Client with defaults filled in.
func New(o Options) *Client {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.BaseDelay <= 0 {
		o.BaseDelay = DefaultBaseDelay
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = DefaultMaxDelay
	}
	if o.MaxWait <= 0 {
		o.MaxWait = DefaultMaxWait
	}
	if o.Transport == nil {
		o.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Sleep == nil {
		o.Sleep = Sleep
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Jitter == nil {
		o.Jitter = func(d time.Duration) time.Duration { return rand.N(d + 1) }
	}
	return &Client{o: o, hc: &http.Client{Transport: o.Transport}}
}

// Request is one logical call; the client may send it several times.
type Request struct {
	Action string // short description for errors, e.g. "get item"
	Method string
	URL    string
	Header http.Header
	Body   []byte // sent again in full on every attempt
	// RetryWrites allows retrying a POST or PATCH after a network error or
	// 502/503/504. Set it only when repeating the write cannot duplicate it.
	// GET, HEAD, OPTIONS, PUT and DELETE are always retried, and any method is
	// retried after a 429 because the system did not process the request.
	RetryWrites bool
}

// Response is a completed exchange with a status below 400.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends the request, retrying as described on Request, and returns the
// response or an *Error / *RateLimitedError. When ctx ends, Do returns an
// error wrapping ctx.Err().
func (c *Client) Do(ctx context.Context, r Request) (*Response, error) {
	renewed := false
	for attempt := 1; ; attempt++ {
		if c.o.Limiter != nil {
			if err := c.o.Limiter.Wait(ctx); err != nil {
				return nil, c.ctxError(r, err)
			}
		}
		resp, sent, err := c.send(ctx, r)
		if err == nil && resp.Status < 400 {
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, c.ctxError(r, ctx.Err())
		}
		if err == nil && resp.Status == http.StatusUnauthorized && c.o.Auth != nil && !renewed {
			renewed = true
			ok, rerr := c.o.Auth.Renew(ctx, sent)
			if rerr != nil {
				return nil, rerr
			}
			if ok {
				attempt--
				continue
			}
		}
		e := c.classify(r, resp, err)
		if attempt >= c.o.MaxAttempts || !c.retryable(r, e) {
			return nil, NewError(e)
		}
		wait := c.backoff(attempt)
		if e.Wait > 0 {
			if e.Wait > c.o.MaxWait {
				return nil, NewError(e)
			}
			wait = e.Wait
		}
		c.o.Logger.DebugContext(ctx, "http retry", slog.String("system", c.o.System),
			slog.String("connection", c.o.Connection), slog.String("action", r.Action),
			slog.Int("attempt", attempt), slog.Int("status", e.Status), slog.Duration("wait", wait))
		if err := c.o.Sleep(ctx, wait); err != nil {
			return nil, c.ctxError(r, err)
		}
	}
}

// JSON sends in (if not nil) as a JSON body and decodes a non-empty response
// body into out (if not nil).
func (c *Client) JSON(ctx context.Context, r Request, in, out any) (*Response, error) {
	if r.Header == nil {
		r.Header = http.Header{}
	}
	r.Header.Set("Accept", "application/json")
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: encode request: %w", c.o.System, r.Action, err)
		}
		r.Body = b
		r.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(ctx, r)
	if err != nil {
		return nil, err
	}
	if out != nil && len(bytes.TrimSpace(resp.Body)) > 0 {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			return resp, NewError(&Error{System: c.o.System, Action: r.Action, Status: resp.Status,
				Kind: ErrServer, Message: "response is not valid JSON: " + err.Error(), Err: err})
		}
	}
	return resp, nil
}

// send makes one attempt and returns the response (any status), the headers
// that were sent (for Renew), or a network error.
func (c *Client) send(ctx context.Context, r Request) (*Response, http.Header, error) {
	actx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(actx, r.Method, r.URL, body)
	if err != nil {
		return nil, nil, err
	}
	if r.Header != nil {
		req.Header = r.Header.Clone()
	}
	if c.o.Auth != nil {
		if err := c.o.Auth.Authorize(ctx, req.Header); err != nil {
			return nil, req.Header, err
		}
	}
	debug := c.o.Logger.Enabled(ctx, slog.LevelDebug)
	start := c.o.Now()
	if debug {
		c.o.Logger.DebugContext(ctx, "http request", slog.String("system", c.o.System),
			slog.String("connection", c.o.Connection), slog.String("action", r.Action),
			slog.String("method", r.Method), slog.String("url", RedactURL(r.URL)),
			slog.Any("headers", RedactHeaders(req.Header)), slog.String("body", logBody(r.Body)))
	}
	hr, err := c.hc.Do(req)
	if err != nil {
		return nil, req.Header, err
	}
	defer hr.Body.Close()
	b, err := io.ReadAll(io.LimitReader(hr.Body, maxBody))
	if err != nil {
		return nil, req.Header, err
	}
	if debug {
		c.o.Logger.DebugContext(ctx, "http response", slog.String("system", c.o.System),
			slog.String("action", r.Action), slog.Int("status", hr.StatusCode),
			slog.Duration("duration", c.o.Now().Sub(start)),
			slog.Any("headers", RedactHeaders(hr.Header)), slog.String("body", logBody(b)))
	}
	return &Response{Status: hr.StatusCode, Header: hr.Header, Body: b}, req.Header, nil
}

// classify turns a failed attempt into an *Error.
func (c *Client) classify(r Request, resp *Response, err error) *Error {
	e := &Error{System: c.o.System, Action: r.Action}
	if err != nil {
		e.Kind = ErrUnavailable
		e.Err = err
		e.Message = networkMessage(r, err)
		var ae *Error
		if errors.As(err, &ae) { // an Authenticator failed with a typed error
			return ae
		}
		var blocked *netguard.BlockedError
		if errors.As(err, &blocked) {
			e.Kind = ErrBlocked
		}
		return e
	}
	e.Status = resp.Status
	e.Kind = KindForStatus(resp.Status)
	if c.o.Decode != nil {
		msg, kind := c.o.Decode(resp.Status, resp.Body)
		e.Message = trimMessage(msg)
		if kind != nil {
			e.Kind = kind
		}
	} else {
		e.Message = trimMessage(string(resp.Body))
	}
	if e.Message == "" {
		e.Message = http.StatusText(resp.Status)
	}
	if v := resp.Header.Get("Retry-After"); v != "" {
		e.Wait = ParseRetryAfter(v, c.o.Now())
	}
	return e
}

// networkMessage describes a failed attempt without leaking the URL's secrets.
func networkMessage(r Request, err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return fmt.Sprintf("%s %s: timed out", r.Method, RedactURL(r.URL))
		}
		return fmt.Sprintf("%s %s: %v", r.Method, RedactURL(r.URL), ue.Err)
	}
	return RedactText(err.Error())
}

// retryable reports whether this failure may be retried for this request.
func (c *Client) retryable(r Request, e *Error) bool {
	switch e.Kind {
	case ErrRateLimited:
		return true
	case ErrUnavailable:
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
			return true
		}
		return r.RetryWrites
	}
	return false
}

// backoff is the wait before retry number attempt (1-based): BaseDelay
// doubled per attempt, capped at MaxDelay, then "equal jitter": a value in
// [d/2, d].
func (c *Client) backoff(attempt int) time.Duration {
	d := c.o.BaseDelay
	for i := 1; i < attempt && d < c.o.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, c.o.MaxDelay)
	half := d / 2
	return half + min(c.o.Jitter(d-half), d-half)
}

func (c *Client) ctxError(r Request, err error) error {
	return fmt.Errorf("%s: %s: %w", c.o.System, r.Action, err)
}

// ParseRetryAfter reads a Retry-After value, either delta-seconds or an
// HTTP date, relative to now. Unreadable or past values give 0.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	if secs, err := strconv.Atoi(v); err == nil {
		return max(time.Duration(secs)*time.Second, 0)
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}

func logBody(b []byte) string {
	s := string(b)
	if len(s) > maxLogBody {
		s = s[:maxLogBody] + "…"
	}
	return RedactText(s)
}
