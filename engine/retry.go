package engine

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"time"
)

// RetryDelay returns how long to wait before retry number attempt (1 for the
// first retry): exponential backoff from InitialInterval, doubled per
// attempt, with up to 20% random jitter either way, capped at MaxInterval.
func RetryDelay(policy RetryPolicy, attempt int) time.Duration {
	initial := time.Duration(policy.InitialInterval)
	if initial <= 0 {
		initial = DefaultInitialInterval
	}
	maxDelay := time.Duration(policy.MaxInterval)
	if maxDelay <= 0 {
		maxDelay = DefaultMaxInterval
	}
	if attempt < 1 {
		attempt = 1
	}
	d := initial
	for i := 1; i < attempt && d < maxDelay; i++ {
		d *= 2
	}
	d = min(d, maxDelay)
	jitter := time.Duration((rand.Float64()*0.4 - 0.2) * float64(d))
	return min(d+jitter, maxDelay)
}

// Retryable reports whether a step error is worth retrying: errors that say
// so (Retryable() bool), errors carrying a RetryAfter() hint, network errors
// and timeouts. Everything else (validation, jq errors, fail nodes, 4xx) is
// permanent.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	var r interface{ Retryable() bool }
	if errors.As(err, &r) {
		return r.Retryable()
	}
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) {
		return true
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// RetryAfter returns the delay a retryable error asks for (Retry-After), or 0.
func RetryAfter(err error) time.Duration {
	if !Retryable(err) {
		return 0
	}
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) {
		return ra.RetryAfter()
	}
	return 0
}

// TransientError marks an error as retryable, optionally after a delay.
type TransientError struct {
	Err   error
	After time.Duration
}

func (e *TransientError) Error() string { return e.Err.Error() }

// Unwrap returns the wrapped error.
func (e *TransientError) Unwrap() error { return e.Err }

// Retryable implements the retry classification; it is always true.
func (e *TransientError) Retryable() bool { return true }

// RetryAfter returns the requested delay (0: use the policy).
func (e *TransientError) RetryAfter() time.Duration { return e.After }
