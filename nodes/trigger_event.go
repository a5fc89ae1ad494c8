package nodes

import (
	"github.com/bridgework/bridgework/engine"
)

// TypeEvent starts a run when the platform emits a named event.
const TypeEvent = "trigger.event"

var eventSpec = engine.NodeSpec{
	Type:        TypeEvent,
	Title:       "Event",
	Category:    CategoryTrigger,
	Description: "Starts a run when a named event is emitted (for example by an Epicor BPM call or another flow). The event's payload becomes the output and $trigger.",
	Config: object("", []string{"event"}, map[string]*engine.Schema{
		"event": nonEmpty("Event name, such as \"epicor.order.shipped\".", ""),
	}),
	Ports:   []string{engine.PortOut},
	Trigger: true,
	Examples: []engine.Example{
		example("Order shipped in Epicor", map[string]any{"event": "epicor.order.shipped"}),
	},
}

// Event is a compiled trigger.event node.
type Event struct {
	passThrough
	name string
}

func registerEvent(r *engine.Registry) {
	r.Register(eventSpec, func(b *engine.Build) (engine.Node, error) {
		var c struct {
			Event string `json:"event"`
		}
		if err := b.Decode(&c); err != nil {
			return nil, err
		}
		return &Event{name: c.Event}, nil
	})
}

// Name returns the event name that starts the flow.
func (e *Event) Name() string { return e.name }
