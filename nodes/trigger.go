package nodes

import (
	"context"

	"github.com/bridgework/bridgework/engine"
)

// TriggerOf returns a plan's trigger node as type T, for example
// TriggerOf[*Webhook](plan) to authenticate and deduplicate webhooks.
func TriggerOf[T engine.Node](p *engine.Plan) (T, bool) {
	n, _, _ := p.Node(p.TriggerID())
	t, ok := n.(T)
	return t, ok
}

// passThrough is the Run of trigger nodes: the payload becomes the output.
type passThrough struct{}

// Run returns the node's input as its output.
func (passThrough) Run(_ context.Context, in *engine.Input) (engine.Outcome, error) {
	return engine.Outcome{Output: in.Value}, nil
}
