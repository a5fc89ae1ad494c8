package nodes_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/nodes"
)

func TestSpecs(t *testing.T) {
	t.Parallel()
	reg := engine.NewRegistry()
	nodes.Register(reg, nodes.Deps{})
	specs := reg.Specs()
	want := []string{"approval", "batch", "condition", "connector", "delay", "fail", "foreach", "http", "map", "switch", "trigger.event", "trigger.schedule", "trigger.webhook"}
	var got []string
	for _, s := range specs {
		got = append(got, s.Type)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Specs() types = %v, want %v", got, want)
	}
	env := engine.Env{Connectors: &recordingConnectors{}}
	for _, s := range specs {
		if s.Title == "" || s.Category == "" || s.Description == "" || len(s.Examples) == 0 {
			t.Errorf("%s: spec lacks title, category, description or examples", s.Type)
		}
		if _, ok := s.Config.Properties["timeout"]; !ok {
			t.Errorf("%s: config schema lacks the common timeout field", s.Type)
		}
		if _, err := json.Marshal(s); err != nil {
			t.Errorf("%s: spec does not encode: %v", s.Type, err)
		}
		for _, ex := range s.Examples {
			if _, err := compileNode(t, s.Type, string(ex.Config), env, nodes.Deps{HTTPClient: &http.Client{}, Approvals: &desk{}, Batches: &desk{}}); err != nil {
				t.Errorf("%s example %q does not compile: %v", s.Type, ex.Title, err)
			}
		}
	}
}

func TestRegisterRejectsDuplicates(t *testing.T) {
	t.Parallel()
	reg := engine.NewRegistry()
	nodes.Register(reg, nodes.Deps{})
	defer func() {
		if recover() == nil {
			t.Errorf("registering the built-in types twice did not panic")
		}
	}()
	nodes.Register(reg, nodes.Deps{})
}
