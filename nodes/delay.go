package nodes

import (
	"context"
	"fmt"
	"time"

	"github.com/bridgework/bridgework/engine"
)

// TypeDelay waits durably before passing its input on.
const TypeDelay = "delay"

var delaySpec = engine.NodeSpec{
	Type:        TypeDelay,
	Title:       "Delay",
	Category:    CategoryFlow,
	Description: "Waits for a duration, or until a time computed by jq, then passes its input on. The wait is durable: the run is suspended and resumed later, nothing sleeps in between. Set exactly one of duration and until.",
	Config: object("", nil, map[string]*engine.Schema{
		"duration": {Type: "string", Format: engine.FormatDuration, Description: "How long to wait, such as \"10m\"."},
		"until":    jqField("jq program yielding an RFC 3339 time to wait for."),
	}),
	Ports:     []string{engine.PortOut},
	Variables: engine.JQVariables,
	Examples: []engine.Example{
		example("Give Epicor ten minutes", map[string]any{"duration": "10m"}),
		example("Until the pickup time", map[string]any{"until": ".pickup_at"}),
	},
}

// Delay is a compiled delay node.
type Delay struct {
	duration time.Duration
	until    *engine.JQ
}

func registerDelay(r *engine.Registry) {
	r.Register(delaySpec, func(b *engine.Build) (engine.Node, error) {
		var c struct {
			Duration engine.Duration `json:"duration"`
			Until    string          `json:"until"`
		}
		if err := b.Decode(&c); err != nil {
			return nil, err
		}
		if (c.Duration == 0) == (c.Until == "") {
			b.Errorf("config.duration", "set exactly one of duration and until")
		}
		return &Delay{duration: time.Duration(c.Duration), until: b.JQ("config.until", c.Until)}, nil
	})
}

// Run suspends the step until its time has come, then passes the input on.
func (d *Delay) Run(ctx context.Context, in *engine.Input) (engine.Outcome, error) {
	until := in.SuspendedUntil
	if until.IsZero() {
		var err error
		if until, err = d.deadline(ctx, in); err != nil {
			return engine.Outcome{}, err
		}
	}
	if in.Now.Before(until) {
		return engine.Outcome{SuspendUntil: until}, nil
	}
	return engine.Outcome{Output: in.Value}, nil
}

func (d *Delay) deadline(ctx context.Context, in *engine.Input) (time.Time, error) {
	if d.until == nil {
		return in.Now.Add(d.duration), nil
	}
	v, err := d.until.One(ctx, in.Value, in)
	if err != nil {
		return time.Time{}, err
	}
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("until yielded %T, expected an RFC 3339 time string", v)
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("until yielded %q, expected an RFC 3339 time", s)
	}
	return t, nil
}
