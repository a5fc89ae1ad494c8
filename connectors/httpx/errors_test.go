package httpx

import (
	"errors"
	"testing"
	"time"
)

func TestKindForStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status int
		kind   error
	}{
		{400, ErrValidation}, {422, ErrValidation}, {401, ErrAuth}, {403, ErrAuth},
		{404, ErrNotFound}, {409, ErrConflict}, {429, ErrRateLimited}, {408, ErrUnavailable},
		{502, ErrUnavailable}, {503, ErrUnavailable}, {504, ErrUnavailable}, {500, ErrServer},
	}
	for _, tt := range tests {
		err := NewError(&Error{System: "s", Action: "a", Status: tt.status})
		if !errors.Is(err, tt.kind) {
			t.Errorf("status %d: errors.Is(%v) = false", tt.status, tt.kind)
		}
		var e *Error
		if !errors.As(err, &e) || e.Status != tt.status {
			t.Errorf("status %d: errors.As *Error failed", tt.status)
		}
		var rl *RateLimitedError
		if errors.As(err, &rl) != (tt.status == 429) {
			t.Errorf("status %d: RateLimitedError match = %v", tt.status, !(tt.status == 429))
		}
		retryable := tt.kind == ErrRateLimited || tt.kind == ErrUnavailable
		type classifier interface {
			Retryable() bool
			RetryAfter() time.Duration
		}
		var c classifier
		if !errors.As(err, &c) || c.Retryable() != retryable {
			t.Errorf("status %d: Retryable() = %v, want %v", tt.status, c != nil && c.Retryable(), retryable)
		}
	}
}

func TestErrorText(t *testing.T) {
	t.Parallel()
	e := &Error{System: "epicor", Action: "create sales order", Status: 400, Message: "Part number SKU-9 is not valid."}
	if got, want := e.Error(), "epicor: create sales order: 400 Part number SKU-9 is not valid."; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	cause := errors.New("connection refused")
	e = &Error{System: "heartland", Action: "get item", Kind: ErrUnavailable, Err: cause}
	if got, want := e.Error(), "heartland: get item: connection refused"; got != want || !errors.Is(e, cause) {
		t.Errorf("Error() = %q, want %q and to wrap the cause", got, want)
	}
}

func TestTrimMessage(t *testing.T) {
	t.Parallel()
	long := make([]byte, 0, 2000)
	for len(long) < 1500 {
		long = append(long, "é "...)
	}
	got := trimMessage(string(long))
	if len(got) > maxMessage+len("…") {
		t.Errorf("trimmed message has %d bytes, want at most %d", len(got), maxMessage+3)
	}
	if got := trimMessage(`card 4111111111111111 declined`); got != "card ************1111 declined" {
		t.Errorf("trimMessage did not mask the card: %q", got)
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"7", 7 * time.Second},
		{"0", 0},
		{"-3", 0},
		{now.Add(90 * time.Second).Format("Mon, 02 Jan 2006 15:04:05 GMT"), 90 * time.Second},
		{now.Add(-time.Hour).Format("Mon, 02 Jan 2006 15:04:05 GMT"), 0},
		{"soon", 0},
	}
	for _, tt := range tests {
		if got := ParseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
