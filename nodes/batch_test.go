package nodes_test

import (
	"testing"
	"time"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/nodes"
)

// The batch node stores its item with the batch settings and continues on
// its collected port.
func TestBatchCollects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, config, item string
		size               int
		wait               time.Duration
	}{
		{"defaults", `{}`, `{"qty":2,"sku":"A"}`, nodes.DefaultBatchSize, nodes.DefaultBatchWait},
		{"item jq", `{"size":5,"wait":"30s","item":".qty"}`, `2`, 5, 30 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := &desk{}
			n := deskNode(t, d, "batch", tt.config)
			out, err := run(t, n, input(t, `{"sku":"A","qty":2}`))
			if err != nil || out.Port != nodes.PortCollected || toJSON(t, out.Output) != `{"collected":true,"waiting":1}` {
				t.Fatalf("run: port %q output %s %v", out.Port, toJSON(t, out.Output), err)
			}
			it := d.items[0]
			if toJSON(t, it.Item) != tt.item || it.Size != tt.size || it.Wait != tt.wait || it.RunID != "run-1" || it.StepKey != "n" || !it.Now.Equal(epoch) {
				t.Errorf("stored %+v", it)
			}
		})
	}
	if out, err := run(t, deskNode(t, &desk{noRun: true}, "batch", `{}`), input(t, `{}`)); err != nil || toJSON(t, out.Output) != `{"collected":false,"waiting":0}` {
		t.Errorf("test run: %+v %v", out, err)
	}
	_, err := compileNode(t, "batch", `{}`, engine.Env{}, nodes.Deps{})
	wantProblem(t, err, "type", "batches are not available")
	_, err = compileNode(t, "batch", `{"size":0}`, engine.Env{}, nodes.Deps{Batches: &desk{}})
	wantProblem(t, err, "config.size", "")
}
