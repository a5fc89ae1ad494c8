package connectors

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/bridgework/bridgework/connectors/httpx"
)

// echo is a System without HTTP: its client returns its input, so the
// Invoker's own behaviour (validation, caching, output shaping) is visible.
type echoClient struct{ id int32 }

func (echoClient) Test(context.Context) error { return nil }

func echoSystem(opens *atomic.Int32) System {
	return System{
		Name: "echo",
		Open: func(conn Connection, env Env) (Client, error) {
			if conn.Config["broken"] == true {
				return nil, &InputError{Field: "config.broken", Problem: "is set"}
			}
			return echoClient{id: opens.Add(1)}, nil
		},
		Operations: []Operation{
			{Name: "get", Description: "read", InputSchema: Input(String("key", "k").Required()), OutputSchema: Output("object", "x"),
				Run: Runner[echoClient](func(v *Values) Call[echoClient] {
					k := v.RequiredString("key")
					return func(ctx context.Context, c echoClient) (any, error) {
						return struct {
							Key    string `json:"key"`
							Client int32  `json:"client"`
						}{k, c.id}, nil
					}
				})},
			{Name: "put", Description: "write", Writes: true, IdempotencyKey: "key", Lookup: "get",
				InputSchema: Input(String("key", "k").Required()), OutputSchema: Output("object", "x"),
				Run: func(context.Context, Client, map[string]any) (any, error) { return nil, nil }},
		},
	}
}

func TestInvoker(t *testing.T) {
	t.Parallel()
	var opens atomic.Int32
	reg, err := NewRegistry(echoSystem(&opens))
	if err != nil {
		t.Fatal(err)
	}
	iv := NewInvoker(reg, Env{})
	ctx := context.Background()
	conn := Connection{ID: "c1", Type: "echo", Config: map[string]any{"a": 1.0}}

	out, err := iv.Invoke(ctx, conn, "get", map[string]any{"key": "k1"})
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := out.(map[string]any); !ok || m["key"] != "k1" || m["client"] != 1.0 {
		t.Fatalf("output = %#v, want a plain JSON map", out)
	}
	iv.Invoke(ctx, conn, "get", map[string]any{"key": "k2"})
	if opens.Load() != 1 {
		t.Errorf("opened %d clients for one unchanged connection, want 1", opens.Load())
	}
	conn.Secrets = map[string]string{"token": "new"}
	iv.Invoke(ctx, conn, "get", map[string]any{"key": "k3"})
	if opens.Load() != 2 {
		t.Errorf("a secrets change did not reopen the client (opens = %d)", opens.Load())
	}
	iv.Forget("c1")
	iv.Invoke(ctx, conn, "get", map[string]any{"key": "k4"})
	if opens.Load() != 3 {
		t.Errorf("Forget did not drop the client (opens = %d)", opens.Load())
	}

	tests := []struct {
		name string
		conn Connection
		op   string
		in   map[string]any
		want string
		kind error
	}{
		{"unknown type", Connection{ID: "x", Type: "sap"}, "get", nil, `connectors: unknown connection type "sap"`, nil},
		{"unknown operation", conn, "delete", nil, `echo: unknown operation "delete"`, nil},
		{"missing input", conn, "get", nil, "echo: get: input.key: is required", httpx.ErrValidation},
		{"wrong type", conn, "get", map[string]any{"key": 5.0}, "echo: get: input.key: must be string, got number", httpx.ErrValidation},
		{"bad config", Connection{ID: "b", Type: "echo", Config: map[string]any{"broken": true}}, "get", map[string]any{"key": "k"},
			"echo: open connection b: config.broken: is set", httpx.ErrValidation},
		{"no id", Connection{Type: "echo"}, "get", map[string]any{"key": "k"}, "connectors: connection needs an id and a type", nil},
	}
	for _, tt := range tests {
		before := opens.Load()
		_, err := iv.Invoke(ctx, tt.conn, tt.op, tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
		if tt.kind != nil && !errors.Is(err, tt.kind) {
			t.Errorf("%s: error is not %v", tt.name, tt.kind)
		}
		if tt.name != "bad config" && opens.Load() != before {
			t.Errorf("%s: a rejected call opened a client", tt.name)
		}
	}
}

func TestRegistryRejectsBadSpecs(t *testing.T) {
	t.Parallel()
	var opens atomic.Int32
	mutate := func(f func(*System)) System {
		s := echoSystem(&opens)
		f(&s)
		return s
	}
	tests := []struct {
		name string
		sys  []System
		want string
	}{
		{"duplicate system", []System{echoSystem(&opens), echoSystem(&opens)}, "registered twice"},
		{"duplicate operation", []System{mutate(func(s *System) { s.Operations[1].Name = "get" })}, "duplicated"},
		{"key not an input", []System{mutate(func(s *System) { s.Operations[1].IdempotencyKey = "PONum" })}, `idempotency key "PONum"`},
		{"lookup is a write", []System{mutate(func(s *System) { s.Operations[1].Lookup = "put" })}, `lookup "put"`},
		{"lookup missing", []System{mutate(func(s *System) { s.Operations[1].Lookup = "find" })}, `lookup "find"`},
		{"lookup lacks key", []System{mutate(func(s *System) {
			s.Operations[0].InputSchema = Input(String("id", "id"))
			s.Operations[1].InputSchema = Input(String("key", "k"), String("id", "id"))
		})}, `does not take key field "key"`},
		{"schema not an object", []System{mutate(func(s *System) { s.Operations[0].InputSchema = []byte(`{"type":"array"}`) })}, "input schema"},
		{"no open", []System{mutate(func(s *System) { s.Open = nil })}, "Open function"},
	}
	for _, tt := range tests {
		_, err := NewRegistry(tt.sys...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
	reg, _ := NewRegistry(echoSystem(&opens))
	if op, ok := reg.Operation("echo", "put"); !ok || !op.Writes || op.System != "echo" || len(op.KeyFields()) != 1 {
		t.Errorf("Operation(echo, put) = %+v, %v", op, ok)
	}
	if len(reg.Operations("nope")) != 0 {
		t.Error("Operations of an unknown system should be empty")
	}
}
