package engine_test

import (
	"strings"
	"testing"
	"time"

	"github.com/bridgework/bridgework/engine"
)

func TestParseFlow(t *testing.T) {
	t.Parallel()
	doc := `{
	  "nodes": [{"id":"trigger","type":"trigger.webhook","name":"Order received","config":{},"position":{"x":0,"y":0}}],
	  "edges": [{"from":"trigger","to":"map1"}, {"from":"cond","to":"http1","port":"true"}],
	  "settings": {"business_key": ".order_number", "retry": {"max_attempts": 3, "initial_interval": "2s", "max_interval": "1m"}, "timeout": "90s", "max_output_bytes": 2048}
	}`
	f, err := engine.ParseFlow([]byte(doc))
	if err != nil {
		t.Fatalf("ParseFlow: %v", err)
	}
	if len(f.Nodes) != 1 || f.Nodes[0].Name != "Order received" || len(f.Edges) != 2 || f.Edges[1].Port != "true" {
		t.Errorf("decoded flow = %+v", f)
	}
	s := f.Settings
	if s.BusinessKey != ".order_number" || s.Retry.MaxAttempts != 3 || time.Duration(s.Retry.InitialInterval) != 2*time.Second ||
		time.Duration(s.Retry.MaxInterval) != time.Minute || time.Duration(s.Timeout) != 90*time.Second || s.MaxOutputBytes != 2048 {
		t.Errorf("settings = %+v", s)
	}
}

func TestParseFlowDefaults(t *testing.T) {
	t.Parallel()
	f, err := engine.ParseFlow([]byte(`{"nodes":[],"edges":[]}`))
	if err != nil {
		t.Fatalf("ParseFlow: %v", err)
	}
	s := f.Settings
	if time.Duration(s.Timeout) != engine.DefaultRunTimeout || s.MaxOutputBytes != engine.DefaultMaxOutputBytes ||
		s.Retry.MaxAttempts != engine.DefaultMaxAttempts || time.Duration(s.Retry.MaxInterval) != engine.DefaultMaxInterval {
		t.Errorf("defaults not applied: %+v", s)
	}
}

func TestParseFlowRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc, want string
	}{
		{"unknown top-level field", `{"nodes":[],"edges":[],"colour":"red"}`, `unknown field "colour"`},
		{"unknown node field", `{"nodes":[{"id":"a","type":"map","cfg":{}}]}`, `unknown field "cfg"`},
		{"unknown settings field", `{"settings":{"retries":3}}`, `unknown field "retries"`},
		{"wrong type", `{"nodes":{}}`, `field "nodes" must be []engine.FlowNode`},
		{"bad duration", `{"settings":{"timeout":"soon"}}`, `invalid duration "soon"`},
		{"numeric duration", `{"settings":{"timeout":30}}`, "duration must be a string"},
		{"negative duration", `{"settings":{"timeout":"-1s"}}`, "is negative"},
		{"trailing data", `{"nodes":[]} {"nodes":[]}`, "unexpected data after the document"},
		{"malformed", `{"nodes":[`, "parse flow"},
		{"not an object", `[]`, "parse flow"},
		{"too large", `{"nodes":[],"edges":[],"settings":{"business_key":"` + strings.Repeat("a", engine.MaxFlowBytes) + `"}}`, "the limit is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := engine.ParseFlow([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ParseFlow error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
