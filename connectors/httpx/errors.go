package httpx

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Error kinds. Every *Error matches exactly one of them with errors.Is.
var (
	// ErrNotFound: the record or endpoint does not exist (404).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the record already exists (409, or a duplicate reported by the system).
	ErrConflict = errors.New("conflict")
	// ErrValidation: the system rejected the request's content (400, 422 and other 4xx).
	ErrValidation = errors.New("validation failed")
	// ErrAuth: bad or expired credentials, or missing permission (401, 403).
	ErrAuth = errors.New("authentication failed")
	// ErrRateLimited: the system asked us to slow down (429). The error is a *RateLimitedError.
	ErrRateLimited = errors.New("rate limited")
	// ErrUnavailable: the system could not be reached or was temporarily down
	// (network errors, timeouts, 408, 502, 503, 504).
	ErrUnavailable = errors.New("unavailable")
	// ErrServer: the system failed while handling the request (500 and other 5xx).
	// The outcome of a write is unknown.
	ErrServer = errors.New("server error")
	// ErrBlocked: the outbound guard refused the system's address (loopback,
	// private, metadata) before anything was sent; not retryable until the
	// allow-list changes.
	ErrBlocked = errors.New("blocked by outbound policy")
)

// Error is a failed call to an external system. Its text reads
// "<system>: <action>: <status> <message>".
type Error struct {
	System  string        // "heartland", "epicor", "http"
	Action  string        // what was being done, e.g. "create sales order"
	Status  int           // HTTP status; 0 when no response arrived
	Message string        // trimmed, redacted message from the response body or the network error
	Kind    error         // one of the Err* kinds above
	Wait    time.Duration // how long the system asked us to wait (Retry-After), if it said
	Err     error         // underlying network or decoding error, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.System)
	b.WriteString(": ")
	b.WriteString(e.Action)
	b.WriteString(": ")
	if e.Status != 0 {
		fmt.Fprintf(&b, "%d ", e.Status)
	}
	switch {
	case e.Message != "":
		b.WriteString(e.Message)
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	default:
		b.WriteString(e.Kind.Error())
	}
	return strings.TrimSpace(b.String())
}

// Is reports whether target is this error's kind.
func (e *Error) Is(target error) bool { return e.Kind != nil && target == e.Kind }

// Unwrap returns the underlying network error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Retryable reports whether the same call may succeed later: rate limits and
// temporary unavailability are retryable; everything else needs a change first.
func (e *Error) Retryable() bool {
	return e.Kind == ErrRateLimited || e.Kind == ErrUnavailable
}

// RetryAfter is how long the system asked callers to wait before retrying,
// or 0 when it did not say.
func (e *Error) RetryAfter() time.Duration { return e.Wait }

// RateLimitedError is returned for HTTP 429. RetryAfter holds the delay the
// system asked for (0 when it did not say). It unwraps to the *Error, so
// errors.Is(err, ErrRateLimited) and errors.As(err, &*Error) both work.
type RateLimitedError struct {
	Err *Error
}

func (e *RateLimitedError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying *Error.
func (e *RateLimitedError) Unwrap() error { return e.Err }

// Retryable is always true: the request was not processed.
func (e *RateLimitedError) Retryable() bool { return true }

// RetryAfter is the delay from the Retry-After header, or 0.
func (e *RateLimitedError) RetryAfter() time.Duration { return e.Err.Wait }

// NewError builds the error for a failed call; kind ErrRateLimited yields a
// *RateLimitedError, every other kind an *Error.
func NewError(e *Error) error {
	if e.Kind == nil {
		e.Kind = KindForStatus(e.Status)
	}
	if e.Kind == ErrRateLimited {
		return &RateLimitedError{Err: e}
	}
	return e
}

// KindForStatus maps an HTTP status of 400 or more to an error kind.
func KindForStatus(status int) error {
	switch {
	case status == 401 || status == 403:
		return ErrAuth
	case status == 404 || status == 410:
		return ErrNotFound
	case status == 409:
		return ErrConflict
	case status == 429:
		return ErrRateLimited
	case status == 408 || status == 502 || status == 503 || status == 504:
		return ErrUnavailable
	case status >= 500:
		return ErrServer
	default:
		return ErrValidation
	}
}

// Decoder reads a system's error body. It returns a short message and,
// when the body says more than the status does (a duplicate reported as 400,
// say), the kind to use instead of KindForStatus; nil keeps the status kind.
type Decoder func(status int, body []byte) (message string, kind error)

// maxMessage bounds the body text kept in an error.
const maxMessage = 500

// trimMessage shortens and redacts text taken from a response body.
func trimMessage(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = RedactText(s)
	if len(s) > maxMessage {
		cut := maxMessage
		for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
