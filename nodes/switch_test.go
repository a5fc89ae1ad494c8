package nodes_test

import (
	"slices"
	"testing"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/nodes"
)

func TestSwitch(t *testing.T) {
	t.Parallel()
	n := mustNode(t, "switch", `{"expression":"input.v","cases":["web","2","true"]}`)
	if got := n.(engine.PortLister).Ports(); !slices.Equal(got, []string{"web", "2", "true", "default"}) {
		t.Errorf("Ports() = %v", got)
	}
	tests := []struct{ doc, port string }{
		{`{"v":"web"}`, "web"},
		{`{"v":2}`, "2"},
		{`{"v":true}`, "true"},
		{`{"v":"fax"}`, "default"},
		{`{"v":null}`, "default"},
		{`{}`, "default"},
	}
	for _, tt := range tests {
		out, err := run(t, n, input(t, tt.doc))
		if err != nil || out.Port != tt.port {
			t.Errorf("%s: port %q, %v; want %q", tt.doc, out.Port, err, tt.port)
		}
	}
}

func TestSwitchConfigProblems(t *testing.T) {
	t.Parallel()
	tests := []struct{ config, field, msg string }{
		{`{"expression":"input.v","cases":["a","a"]}`, "config.cases[1]", `duplicate case "a"`},
		{`{"expression":"input.v","cases":["default"]}`, "config.cases[0]", "reserved port name"},
		{`{"expression":"input.v","cases":["error"]}`, "config.cases[0]", "reserved port name"},
		{`{"expression":"input.v","cases":[""]}`, "config.cases[0]", "must not be empty"},
		{`{"expression":"input.v +","cases":["a"]}`, "config.expression", "expr:"},
		{`{"expression":"input.v"}`, "config.cases", "is required"},
	}
	for _, tt := range tests {
		_, err := compileNode(t, "switch", tt.config, engine.Env{}, nodes.Deps{})
		wantProblem(t, err, tt.field, tt.msg)
	}
}
