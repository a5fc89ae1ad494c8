package connectors

import (
	"errors"
	"fmt"

	"github.com/bridgework/bridgework/connectors/httpx"
)

// TestHints is the advice a system gives when its test call fails.
type TestHints struct {
	Auth        string // credentials refused (401/403)
	NotFound    string // the test path does not exist: wrong URL, instance or company
	Unreachable string // no answer: DNS, refused connection, timeout
}

// ExplainTest turns a failed test call into "<system>: test connection:
// <advice>: <error>", keeping the error's kind for errors.Is.
func ExplainTest(system string, err error, h TestHints) error {
	var advice string
	switch {
	case err == nil:
		return nil
	case errors.Is(err, httpx.ErrAuth):
		advice = h.Auth
	case errors.Is(err, httpx.ErrNotFound):
		advice = h.NotFound
	case errors.Is(err, httpx.ErrUnavailable):
		advice = h.Unreachable
	}
	if advice == "" {
		return fmt.Errorf("%s: test connection: %w", system, err)
	}
	return fmt.Errorf("%s: test connection: %s: %w", system, advice, err)
}
