package engine

import (
	"fmt"
	"strings"
)

// Severity tells whether a Problem stops a flow from compiling.
type Severity string

// Severities of a Problem.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Problem is one finding about a flow: an error that stops it from compiling
// or a warning worth showing in the editor.
type Problem struct {
	NodeID   string   `json:"node_id,omitempty"`
	Field    string   `json:"field,omitempty"`
	Message  string   `json:"message"`
	Severity Severity `json:"severity"`
}

func (p Problem) String() string {
	var b strings.Builder
	if p.NodeID != "" {
		fmt.Fprintf(&b, "node %q: ", p.NodeID)
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// ValidationError lists every problem that stops a flow from compiling
// (and any warnings found along the way).
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	var errs []string
	for _, p := range e.Problems {
		if p.Severity == SeverityError {
			errs = append(errs, p.String())
		}
	}
	return "invalid flow: " + strings.Join(errs, "; ")
}

// problems collects findings while compiling.
type problems []Problem

func (ps *problems) errorf(nodeID, field, format string, args ...any) {
	*ps = append(*ps, Problem{NodeID: nodeID, Field: field, Message: fmt.Sprintf(format, args...), Severity: SeverityError})
}

func (ps *problems) warnf(nodeID, field, format string, args ...any) {
	*ps = append(*ps, Problem{NodeID: nodeID, Field: field, Message: fmt.Sprintf(format, args...), Severity: SeverityWarning})
}

func (ps problems) hasErrors() bool {
	for _, p := range ps {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}
