package engine_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/bridgework/bridgework/engine"
)

func TestRetryDelay(t *testing.T) {
	t.Parallel()
	policy := engine.RetryPolicy{InitialInterval: engine.Duration(time.Second), MaxInterval: engine.Duration(10 * time.Second)}
	tests := []struct {
		attempt int
		base    time.Duration
	}{
		{1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second}, {4, 8 * time.Second}, {5, 10 * time.Second}, {50, 10 * time.Second},
	}
	for _, tt := range tests {
		for range 50 {
			d := engine.RetryDelay(policy, tt.attempt)
			lo := time.Duration(float64(tt.base) * 0.8)
			hi := min(time.Duration(float64(tt.base)*1.2), 10*time.Second)
			if d < lo || d > hi {
				t.Fatalf("RetryDelay(attempt %d) = %s, want within [%s, %s]", tt.attempt, d, lo, hi)
			}
		}
	}
}

type permanent struct{}

func (permanent) Error() string   { return "bad request" }
func (permanent) Retryable() bool { return false }

func TestRetryable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		err   error
		want  bool
		after time.Duration
	}{
		{"nil", nil, false, 0},
		{"plain", errors.New("jq: cannot iterate"), false, 0},
		{"transient", fmt.Errorf("wrapped: %w", &engine.TransientError{Err: errors.New("503"), After: time.Minute}), true, time.Minute},
		{"says no", fmt.Errorf("x: %w", permanent{}), false, 0},
		{"deadline", fmt.Errorf("call: %w", context.DeadlineExceeded), true, 0},
		{"network", &net.OpError{Op: "dial", Err: errors.New("connection refused")}, true, 0},
	}
	for _, tt := range tests {
		if got := engine.Retryable(tt.err); got != tt.want {
			t.Errorf("%s: Retryable = %v, want %v", tt.name, got, tt.want)
		}
		if got := engine.RetryAfter(tt.err); got != tt.after {
			t.Errorf("%s: RetryAfter = %s, want %s", tt.name, got, tt.after)
		}
	}
}
