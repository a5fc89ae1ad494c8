package engine

import "encoding/json"

// Port names used by the built-in node types. An edge without a port leaves
// from PortOut. PortError exists on every non-trigger node.
const (
	PortOut     = "out"
	PortError   = "error"
	PortTrue    = "true"
	PortFalse   = "false"
	PortDefault = "default"
	PortItem    = "item"
	PortDone    = "done"
)

// NodeSpec describes a node type. It is the single source for config
// validation, the node-types API, generated docs and the editor's forms.
type NodeSpec struct {
	Type        string `json:"type"`
	Title       string `json:"title"`
	Category    string `json:"category"`
	Description string `json:"description"`
	// Config is the JSON Schema of the node's config object. Register adds
	// the common "timeout" property.
	Config *Schema `json:"config"`
	// Ports are the output ports. DynamicPorts means the ports come from the
	// config (the compiled node implements PortLister); Ports then lists the
	// ports that always exist.
	Ports        []string `json:"ports"`
	DynamicPorts bool     `json:"dynamic_ports,omitempty"`
	// Trigger marks the node type that starts a run; a flow has exactly one.
	Trigger bool `json:"trigger,omitempty"`
	// SideEffects marks node types that change something outside the run
	// (connector writes, HTTP calls). Their steps must be durably recorded
	// before the run continues, so a retry never repeats them.
	SideEffects bool `json:"side_effects,omitempty"`
	// Iterates marks a node whose Run returns an array; the engine runs the
	// branch behind PortItem once per element and emits the collected
	// results on PortDone.
	Iterates bool `json:"iterates,omitempty"`
	// Variables are the expression variables the node's jq or expr fields see.
	Variables []Variable `json:"variables,omitempty"`
	// Examples are sample configs shown in the docs and the editor.
	Examples []Example `json:"examples,omitempty"`
}

// Variable is one variable visible to a node's expressions.
type Variable struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Example is a sample node config.
type Example struct {
	Title  string          `json:"title"`
	Config json.RawMessage `json:"config"`
}

// PortLister is implemented by compiled nodes whose spec has DynamicPorts.
type PortLister interface {
	Ports() []string
}

// ConcurrencyLimiter is implemented by iterating nodes to bound how many
// iterations run at once (default DefaultConcurrency).
type ConcurrencyLimiter interface {
	Concurrency() int
}

// DefaultConcurrency is the number of foreach iterations run at once unless
// the node says otherwise.
const DefaultConcurrency = 4

// SideEffecter is implemented by compiled nodes whose side effects depend on
// their config (a connector reading rather than writing); it overrides
// NodeSpec.SideEffects for that node.
type SideEffecter interface {
	SideEffects() bool
}
