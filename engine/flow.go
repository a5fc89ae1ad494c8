// Package engine validates, compiles and executes Bridgework flows.
//
// A flow is a JSON document of nodes and edges. Compile turns it into a Plan
// once (graph checks, config validation against each node type's spec, jq and
// expr compilation, connector resolution); an Executor runs a Plan many times,
// recording every step through a caller-supplied RunState. The package knows
// nothing about HTTP servers, databases or job queues.
package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// MaxFlowBytes is the largest flow document ParseFlow accepts.
const MaxFlowBytes = 2 << 20

// Flow is a flow document: nodes, the edges between them and run settings.
type Flow struct {
	Nodes    []FlowNode `json:"nodes"`
	Edges    []Edge     `json:"edges"`
	Settings Settings   `json:"settings"`
}

// FlowNode is one node of a flow document.
type FlowNode struct {
	ID       string          `json:"id"`
	Type     string          `json:"type"`
	Name     string          `json:"name,omitempty"`
	Config   json.RawMessage `json:"config,omitempty"`
	Position Position        `json:"position"`
}

// Position is a node's place on the editor canvas.
type Position struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Edge connects the port of one node to another node. An empty Port means the
// source node's default port ("out").
type Edge struct {
	From string `json:"from"`
	To   string `json:"to"`
	Port string `json:"port,omitempty"`
}

// Settings are flow-wide run settings.
type Settings struct {
	// BusinessKey is a jq program over the trigger payload that yields the
	// key support staff search runs by (an order number, for example).
	BusinessKey string `json:"business_key,omitempty"`
	// Retry is the policy the job runner applies to retryable failures.
	Retry RetryPolicy `json:"retry"`
	// Timeout bounds one execution of the whole run (default 5m).
	Timeout Duration `json:"timeout,omitempty"`
	// MaxOutputBytes caps the JSON size of any step output (default 1 MiB).
	MaxOutputBytes int `json:"max_output_bytes,omitempty"`
}

// RetryPolicy describes how often and how fast a failed run is retried.
type RetryPolicy struct {
	MaxAttempts     int      `json:"max_attempts,omitempty"`
	InitialInterval Duration `json:"initial_interval,omitempty"`
	MaxInterval     Duration `json:"max_interval,omitempty"`
}

// Defaults applied by ParseFlow to unset settings.
const (
	DefaultRunTimeout      = 5 * time.Minute
	DefaultMaxOutputBytes  = 1 << 20
	DefaultMaxAttempts     = 5
	DefaultInitialInterval = time.Second
	DefaultMaxInterval     = 5 * time.Minute
)

// Duration is a time.Duration written in JSON as a Go duration string ("1s", "5m").
type Duration time.Duration

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a duration string such as "1s" or "5m".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string such as \"30s\"")
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("invalid duration %q", s)
	}
	if v < 0 {
		return fmt.Errorf("duration %q is negative", s)
	}
	*d = Duration(v)
	return nil
}

// ParseFlow decodes a flow document strictly: unknown fields, trailing data and
// documents over MaxFlowBytes are rejected. Unset settings get their defaults.
// ParseFlow checks the document's shape only; Compile checks its meaning.
func ParseFlow(data []byte) (*Flow, error) {
	if len(data) > MaxFlowBytes {
		return nil, fmt.Errorf("parse flow: document is %d bytes, the limit is %d", len(data), MaxFlowBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f Flow
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parse flow: %w", describeJSONError(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("parse flow: unexpected data after the document")
	}
	f.Settings.applyDefaults()
	return &f, nil
}

func (s *Settings) applyDefaults() {
	if s.Timeout == 0 {
		s.Timeout = Duration(DefaultRunTimeout)
	}
	if s.MaxOutputBytes == 0 {
		s.MaxOutputBytes = DefaultMaxOutputBytes
	}
	if s.Retry.MaxAttempts == 0 {
		s.Retry.MaxAttempts = DefaultMaxAttempts
	}
	if s.Retry.InitialInterval == 0 {
		s.Retry.InitialInterval = Duration(DefaultInitialInterval)
	}
	if s.Retry.MaxInterval == 0 {
		s.Retry.MaxInterval = Duration(DefaultMaxInterval)
	}
}

// describeJSONError turns decoder errors into sentences that name the field.
func describeJSONError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return fmt.Errorf("field %q must be %s, got %s", typeErr.Field, typeErr.Type, typeErr.Value)
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return fmt.Errorf("malformed JSON at byte %d: %w", syntaxErr.Offset, err)
	}
	return err
}
