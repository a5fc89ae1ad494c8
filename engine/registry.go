package engine

import (
	"fmt"
	"sort"
	"sync"
)

// Factory compiles one flow node's config into a Node. It reports config
// problems through b (naming the field) or returns an error for the node as
// a whole.
type Factory func(b *Build) (Node, error)

// Registry maps node type names to their spec and factory.
type Registry struct {
	mu      sync.RWMutex
	entries map[string]registryEntry
}

type registryEntry struct {
	spec    NodeSpec
	factory Factory
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{entries: map[string]registryEntry{}}
}

// timeoutProperty is the config field every node type accepts.
var timeoutProperty = &Schema{
	Type:        "string",
	Format:      FormatDuration,
	Description: "Step timeout (default 30s).",
	Advanced:    true,
}

// Register adds a node type. It panics on a duplicate type name, a missing
// factory or a spec whose config is not an object schema: those are
// programming errors found at startup.
func (r *Registry) Register(spec NodeSpec, f Factory) {
	if spec.Type == "" || f == nil {
		panic("engine: register node type: type name and factory are required")
	}
	if spec.Config == nil || spec.Config.Type != "object" {
		panic(fmt.Sprintf("engine: register node type %q: config schema must be an object", spec.Type))
	}
	cfg := *spec.Config
	cfg.Properties = make(map[string]*Schema, len(spec.Config.Properties)+1)
	for k, v := range spec.Config.Properties {
		cfg.Properties[k] = v
	}
	cfg.Properties["timeout"] = timeoutProperty
	spec.Config = &cfg
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.entries[spec.Type]; dup {
		panic(fmt.Sprintf("engine: register node type %q: already registered", spec.Type))
	}
	r.entries[spec.Type] = registryEntry{spec: spec, factory: f}
}

// Specs returns every registered spec sorted by type name.
func (r *Registry) Specs() []NodeSpec {
	r.mu.RLock()
	defer r.mu.RUnlock()
	specs := make([]NodeSpec, 0, len(r.entries))
	for _, e := range r.entries {
		specs = append(specs, e.spec)
	}
	sort.Slice(specs, func(i, j int) bool { return specs[i].Type < specs[j].Type })
	return specs
}

// Lookup returns the spec and factory of a node type.
func (r *Registry) Lookup(typ string) (NodeSpec, Factory, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	e, ok := r.entries[typ]
	return e.spec, e.factory, ok
}
