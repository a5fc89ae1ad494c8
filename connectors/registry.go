package connectors

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Registry lists the systems and their operations.
type Registry struct {
	systems map[string]System
	names   []string
	schemas map[string]*schema // input schemas by "system/operation"
}

// NewRegistry checks the systems' specs and indexes them. It rejects
// duplicate names, unreadable schemas, idempotency keys that are not input
// fields and lookups that do not name a read operation of the same system.
func NewRegistry(systems ...System) (*Registry, error) {
	r := &Registry{systems: map[string]System{}, schemas: map[string]*schema{}}
	for _, s := range systems {
		if s.Name == "" || s.Open == nil {
			return nil, fmt.Errorf("connectors: system %q needs a name and an Open function", s.Name)
		}
		if _, dup := r.systems[s.Name]; dup {
			return nil, fmt.Errorf("connectors: system %q registered twice", s.Name)
		}
		ops := map[string]Operation{}
		for i := range s.Operations {
			op := &s.Operations[i]
			op.System = s.Name
			if _, dup := ops[op.Name]; dup || op.Name == "" || op.Run == nil {
				return nil, fmt.Errorf("connectors: %s: operation %q is duplicated, unnamed or has no Run", s.Name, op.Name)
			}
			sc, err := parseSchema(op.InputSchema)
			if err != nil {
				return nil, fmt.Errorf("connectors: %s.%s: input schema: %w", s.Name, op.Name, err)
			}
			if !json.Valid(op.OutputSchema) {
				return nil, fmt.Errorf("connectors: %s.%s: output schema is not valid JSON", s.Name, op.Name)
			}
			if op.Parts && !op.Writes {
				return nil, fmt.Errorf("connectors: %s.%s: only writes are sent in parts", s.Name, op.Name)
			}
			for _, k := range op.KeyFields() {
				if _, ok := sc.Properties[k]; !ok {
					return nil, fmt.Errorf("connectors: %s.%s: idempotency key %q is not an input field", s.Name, op.Name, k)
				}
			}
			r.schemas[s.Name+"/"+op.Name] = sc
			ops[op.Name] = *op
		}
		for _, op := range s.Operations {
			if op.Lookup == "" {
				continue
			}
			if l, ok := ops[op.Lookup]; !ok || l.Writes {
				return nil, fmt.Errorf("connectors: %s.%s: lookup %q is not a read operation of %s", s.Name, op.Name, op.Lookup, s.Name)
			}
			for _, k := range op.KeyFields() {
				if _, ok := r.schemas[s.Name+"/"+op.Lookup].Properties[k]; !ok {
					return nil, fmt.Errorf("connectors: %s.%s: lookup %q does not take key field %q", s.Name, op.Name, op.Lookup, k)
				}
			}
		}
		r.systems[s.Name] = s
		r.names = append(r.names, s.Name)
	}
	slices.Sort(r.names)
	return r, nil
}

// Systems returns the registered system names, sorted.
func (r *Registry) Systems() []string { return slices.Clone(r.names) }

// System returns a system by name.
func (r *Registry) System(name string) (System, bool) {
	s, ok := r.systems[name]
	return s, ok
}

// Operations returns a system's operations in declaration order, or nil for
// an unknown system.
func (r *Registry) Operations(system string) []Operation {
	return slices.Clone(r.systems[system].Operations)
}

// Operation returns one operation of a system.
func (r *Registry) Operation(system, name string) (Operation, bool) {
	for _, op := range r.systems[system].Operations {
		if op.Name == name {
			return op, true
		}
	}
	return Operation{}, false
}

// Validate checks an operation's input against its input schema and returns
// an *InputError naming the first bad field.
func (r *Registry) Validate(system, operation string, input map[string]any) error {
	sc, ok := r.schemas[system+"/"+operation]
	if !ok {
		return fmt.Errorf("connectors: %s has no operation %q", system, operation)
	}
	if p := sc.validate(input, "input"); p != nil {
		return p
	}
	return nil
}

// KeyFields splits IdempotencyKey into field names.
func (op Operation) KeyFields() []string {
	if op.IdempotencyKey == "" {
		return nil
	}
	fields := strings.Split(op.IdempotencyKey, ",")
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	return fields
}
