package nodes_test

import (
	"strings"
	"testing"
	"time"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/nodes"
)

func TestDelay(t *testing.T) {
	t.Parallel()
	later := epoch.Add(time.Hour).Format(time.RFC3339)
	earlier := epoch.Add(-time.Hour).Format(time.RFC3339)
	tests := []struct {
		name      string
		config    string
		doc       string
		suspended time.Time // SuspendedUntil from an earlier execution
		until     time.Time // want suspension until
		err       string
	}{
		{name: "duration suspends", config: `{"duration":"10m"}`, until: epoch.Add(10 * time.Minute)},
		{name: "zero duration is rejected", config: `{"duration":"0s"}`, err: "set exactly one"},
		{name: "until from jq", config: `{"until":".at"}`, doc: `{"at":"` + later + `"}`, until: epoch.Add(time.Hour)},
		{name: "until in the past passes", config: `{"until":".at"}`, doc: `{"at":"` + earlier + `"}`},
		{name: "resumed before the time", config: `{"duration":"10m"}`, suspended: epoch.Add(time.Minute), until: epoch.Add(time.Minute)},
		{name: "resumed at the time", config: `{"duration":"10m"}`, suspended: epoch},
		{name: "until not a string", config: `{"until":".n"}`, doc: `{"n":5}`, err: "expected an RFC 3339 time string"},
		{name: "until not a time", config: `{"until":".at"}`, doc: `{"at":"tomorrow"}`, err: `yielded "tomorrow"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n, err := compileNode(t, "delay", tt.config, engine.Env{}, nodes.Deps{})
			if err != nil {
				if tt.err == "" || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("compile: %v", err)
				}
				return
			}
			doc := tt.doc
			if doc == "" {
				doc = `{"n":1}`
			}
			in := input(t, doc)
			in.SuspendedUntil = tt.suspended
			out, err := run(t, n, in)
			if expectError(t, err, tt.err) {
				return
			}
			if !out.SuspendUntil.Equal(tt.until) {
				t.Errorf("SuspendUntil = %s, want %s", out.SuspendUntil, tt.until)
			}
			if tt.until.IsZero() && toJSON(t, out.Output) != toJSON(t, in.Value) {
				t.Errorf("output = %v, want the input passed through", out.Output)
			}
		})
	}
}

func TestDelayConfigProblems(t *testing.T) {
	t.Parallel()
	for _, cfg := range []string{`{}`, `{"duration":"1m","until":".at"}`} {
		_, err := compileNode(t, "delay", cfg, engine.Env{}, nodes.Deps{})
		wantProblem(t, err, "config.duration", "set exactly one of duration and until")
	}
}
