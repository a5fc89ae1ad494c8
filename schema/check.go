package schema

import (
	"fmt"
	"strings"
)

// Mode says what a flow does with a document that breaks its schema.
type Mode string

// Validation modes.
const (
	// ModeWarn records the violations and lets the run continue.
	ModeWarn Mode = "warn"
	// ModeFail stops the run with a *ValidationError.
	ModeFail Mode = "fail"
)

// ParseMode reads "warn" or "fail".
func ParseMode(s string) (Mode, error) {
	switch Mode(s) {
	case ModeWarn, ModeFail:
		return Mode(s), nil
	}
	return "", fmt.Errorf("schema: validation mode must be warn or fail, got %q", s)
}

// ValidationError is a document that broke its schema in fail mode. It is
// permanent: retrying the same document cannot succeed.
type ValidationError struct {
	Violations []Violation
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, min(len(e.Violations), 5))
	for i, v := range e.Violations {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(e.Violations)-5))
			break
		}
		parts = append(parts, v.String())
	}
	return "schema: payload does not match the accepted schema: " + strings.Join(parts, "; ")
}

// Retryable is false: the payload must change first.
func (e *ValidationError) Retryable() bool { return false }

// Check is the hook a flow runner calls on an incoming payload: it returns
// the violations, and in fail mode also a *ValidationError when there are
// any. A nil schema accepts everything.
func Check(s *Schema, doc any, mode Mode) ([]Violation, error) {
	if s == nil {
		return nil, nil
	}
	vs := Validate(s, doc)
	if len(vs) > 0 && mode == ModeFail {
		return vs, &ValidationError{Violations: vs}
	}
	return vs, nil
}
