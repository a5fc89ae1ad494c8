package connectors

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bridgework/bridgework/connectors/httpx"
)

// Connection is a stored connection as the Invoker sees it: decrypted
// secrets included. Config keys are documented in docs/connectors.md.
type Connection struct {
	ID      string            `json:"id"`
	Type    string            `json:"type"`   // "heartland", "epicor" or "http"
	Config  map[string]any    `json:"config"` // non-secret settings
	Secrets map[string]string `json:"-"`      // api keys, passwords, tokens
}

// errNoConnection is returned when the connection has no type or id.
var errNoConnection = errors.New("connection needs an id and a type")

// Env is what the process lends every connection.
type Env struct {
	Limiters  *httpx.Limiters   // shared per-connection rate limiters; nil: none
	Transport http.RoundTripper // outbound transport (address guard); nil: default
	Logger    *slog.Logger      // debug-level HTTP logs; nil: discard
	// SaveSecrets persists secrets a connection renewed itself (a refreshed
	// OAuth token). Nil: renewed secrets live only in memory.
	SaveSecrets func(ctx context.Context, connectionID string, secrets map[string]string) error
	// Calls, when set, observes every operation the Invoker runs.
	Calls CallHook
	// Options, when set, adjusts every HTTP client before it is built
	// (tests use it to replace the clock).
	Options func(*httpx.Options)
}

// CallHook observes connector operations (metrics, tracing). StartCall is
// called before an operation runs; the returned context is the operation's,
// and end is called with its error.
type CallHook interface {
	StartCall(ctx context.Context, system, operation string) (_ context.Context, end func(error))
}

// Settings are the HTTP settings every connection type reads from its config.
type Settings struct {
	BaseURL     string
	Timeout     time.Duration
	MaxAttempts int
	Rate        float64 // requests per second; 0: unlimited
	Burst       int
}

// RateLimit is a system's default request budget per connection.
type RateLimit struct {
	PerSecond float64 // requests per second
	Burst     int     // requests at once; 0: PerSecond rounded up
}

// burst is the default burst for rate.
func (r RateLimit) burst(rate float64) int {
	if r.Burst > 0 {
		return r.Burst
	}
	return max(1, int(math.Ceil(rate)))
}

// ReadSettings reads base_url (required, http or https), timeout_seconds,
// max_attempts, rate_limit_per_second and rate_limit_burst, applying the
// system's default budget.
func ReadSettings(v *Values, def RateLimit) Settings {
	s := Settings{BaseURL: strings.TrimRight(v.RequiredString("base_url"), "/")}
	if s.BaseURL != "" {
		u, err := url.Parse(s.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.fail("base_url", fmt.Sprintf("must be an http(s) URL such as https://acme.example.com, got %q", s.BaseURL))
		}
	}
	if f, ok := v.Float("timeout_seconds"); ok {
		if f <= 0 {
			v.fail("timeout_seconds", "must be more than 0")
		}
		s.Timeout = time.Duration(f * float64(time.Second))
	}
	s.MaxAttempts = int(v.Int("max_attempts"))
	if s.MaxAttempts < 0 || s.MaxAttempts > 10 {
		v.fail("max_attempts", "must be between 1 and 10")
	}
	s.Rate, s.Burst = def.PerSecond, def.burst(def.PerSecond)
	if f, ok := v.Float("rate_limit_per_second"); ok {
		if f < 0 {
			v.fail("rate_limit_per_second", "must not be negative")
		}
		s.Rate, s.Burst = f, def.burst(f)
	}
	if b := int(v.Int("rate_limit_burst")); b > 0 {
		s.Burst = b
	}
	return s
}

// HTTPOptions returns the shared HTTP layer's options for a connection:
// settings from its config, the connection's limiter, the process transport
// and logger. The system adds its name, authentication and error decoder.
func (e Env) HTTPOptions(conn Connection, s Settings) httpx.Options {
	o := httpx.Options{
		Connection:  conn.ID,
		Timeout:     s.Timeout,
		MaxAttempts: s.MaxAttempts,
		Transport:   e.Transport,
		Logger:      e.Logger,
	}
	if e.Limiters != nil {
		o.Limiter = e.Limiters.Get(conn.ID, s.Rate, s.Burst)
	}
	if e.Options != nil {
		e.Options(&o)
	}
	return o
}

// SettingsProps are the config schema properties ReadSettings reads.
func SettingsProps(baseURLDesc string, def RateLimit) []Prop {
	burst := "the rate, rounded up"
	if def.Burst > 0 {
		burst = fmt.Sprint(def.Burst)
	}
	return []Prop{
		String("base_url", baseURLDesc).Required(),
		Number("timeout_seconds", "Per-attempt timeout in seconds (default 30)."),
		Integer("max_attempts", "Attempts per call including the first, 1-10 (default 4)."),
		Number("rate_limit_per_second", fmt.Sprintf("Requests per second for this connection, shared by every flow (default %g; 0 = unlimited).", def.PerSecond)),
		Integer("rate_limit_burst", "Requests allowed at once before the rate applies (default: "+burst+")."),
	}
}
