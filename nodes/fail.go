package nodes

import (
	"context"
	"errors"
	"fmt"

	"github.com/bridgework/bridgework/engine"
)

// TypeFail stops the run with a message.
const TypeFail = "fail"

var failSpec = engine.NodeSpec{
	Type:        TypeFail,
	Title:       "Fail",
	Category:    CategoryFlow,
	Description: "Fails the run with a message (static, or built by jq from the input). The failure is permanent: the run is not retried. An error edge from this node routes the failure instead.",
	Config: object("", nil, map[string]*engine.Schema{
		"message":    text("Failure message."),
		"message_jq": jqField("jq program over the input yielding the message."),
	}),
	Ports:     []string{},
	Variables: engine.JQVariables,
	Examples: []engine.Example{
		example("Unknown customer", map[string]any{"message_jq": `"no Epicor customer for Heartland customer \(.customer.id)"`}),
	},
}

// Fail is a compiled fail node.
type Fail struct {
	message string
	jq      *engine.JQ
}

func registerFail(r *engine.Registry) {
	r.Register(failSpec, func(b *engine.Build) (engine.Node, error) {
		var c struct {
			Message   string `json:"message"`
			MessageJQ string `json:"message_jq"`
		}
		if err := b.Decode(&c); err != nil {
			return nil, err
		}
		if (c.Message == "") == (c.MessageJQ == "") {
			b.Errorf("config.message", "set exactly one of message and message_jq")
		}
		return &Fail{message: c.Message, jq: b.JQ("config.message_jq", c.MessageJQ)}, nil
	})
}

// Run always fails with the message.
func (f *Fail) Run(ctx context.Context, in *engine.Input) (engine.Outcome, error) {
	if f.jq == nil {
		return engine.Outcome{}, errors.New(f.message)
	}
	v, err := f.jq.One(ctx, in.Value, in)
	if err != nil {
		return engine.Outcome{}, fmt.Errorf("message_jq: %w", err)
	}
	if s, ok := v.(string); ok {
		return engine.Outcome{}, errors.New(s)
	}
	return engine.Outcome{}, fmt.Errorf("%v", v)
}
