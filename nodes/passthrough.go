package nodes

import (
	"context"

	"github.com/bridgework/bridgework/engine"
)

// passThrough is the Run of trigger nodes: the payload becomes the output.
type passThrough struct{}

// Run returns the node's input as its output.
func (passThrough) Run(_ context.Context, in *engine.Input) (engine.Outcome, error) {
	return engine.Outcome{Output: in.Value}, nil
}
