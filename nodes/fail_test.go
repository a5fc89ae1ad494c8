package nodes_test

import (
	"testing"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/nodes"
)

func TestFail(t *testing.T) {
	t.Parallel()
	tests := []struct{ config, want string }{
		{`{"message":"customer missing"}`, "customer missing"},
		{`{"message_jq":"\"no customer for \\(.id)\""}`, "no customer for 7"},
		{`{"message_jq":".id"}`, "7"},
		{`{"message_jq":".id | ascii_downcase"}`, "message_jq: jq: "},
	}
	for _, tt := range tests {
		_, err := run(t, mustNode(t, "fail", tt.config), input(t, `{"id":7}`))
		if err == nil || err.Error()[:min(len(err.Error()), len(tt.want))] != tt.want {
			t.Errorf("%s: error = %v, want prefix %q", tt.config, err, tt.want)
		}
		if engine.Retryable(err) {
			t.Errorf("%s: fail error is retryable", tt.config)
		}
	}
	for _, cfg := range []string{`{}`, `{"message":"a","message_jq":"\"b\""}`} {
		_, err := compileNode(t, "fail", cfg, engine.Env{}, nodes.Deps{})
		wantProblem(t, err, "config.message", "set exactly one")
	}
}
