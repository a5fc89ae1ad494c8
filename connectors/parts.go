package connectors

import (
	"context"
	"encoding/json"
	"fmt"
)

// A batch write (many stock changes, many items) is sent in parts: one
// adjustment set, one item. When the flow step that made it is executed
// again (a retry after a failure, a crash), only the parts that are not
// already done may be sent, or stock would be adjusted twice. Operations with
// Parts set send each part through Once; the caller (internal/connections,
// in the effect ledger) records each part's outcome under the step's key.

// PartSpec is one part of a batch write.
type PartSpec struct {
	// Key names the part within the call; the same input gives the same
	// keys. Put what the part sends in it (a hash of its lines), so a part
	// whose content changed is a new part.
	Key string
	// Send writes the part and returns its result (JSON-compatible).
	Send func(context.Context) (any, error)
	// Lookup, when the system can tell, finds the part's record after an
	// earlier attempt whose outcome is unknown: found and its result.
	Lookup func(context.Context) (result any, found bool, err error)
	// Repeatable marks a part that does no harm when it is applied twice
	// (a PUT setting fields): after an unknown outcome it is simply sent
	// again.
	Repeatable bool
}

// PartLedger records the parts of a batch write that are done.
type PartLedger interface {
	// Once sends the part unless it is recorded as done, in which case it
	// returns the recorded result without a call. The result is JSON.
	Once(ctx context.Context, p PartSpec) (json.RawMessage, error)
}

type partLedgerKey struct{}

// WithPartLedger returns a context whose batch writes record their parts in l.
func WithPartLedger(ctx context.Context, l PartLedger) context.Context {
	return context.WithValue(ctx, partLedgerKey{}, l)
}

// Once sends one part of a batch write through the context's part ledger, so
// that a repeated call sends only what is not done yet; without a ledger it
// just sends. send's result must survive a JSON round trip into T.
func Once[T any](ctx context.Context, key string, send func(context.Context) (T, error), opts ...PartOption[T]) (T, error) {
	l, _ := ctx.Value(partLedgerKey{}).(PartLedger)
	if l == nil {
		return send(ctx)
	}
	p := PartSpec{Key: key, Send: func(ctx context.Context) (any, error) { return send(ctx) }}
	for _, o := range opts {
		o(&p)
	}
	raw, err := l.Once(ctx, p)
	var out T
	if err != nil {
		return out, err
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return out, fmt.Errorf("connectors: part %s: read the recorded result: %w", key, err)
	}
	return out, nil
}

// PartOption sets how a part recovers from an unknown outcome.
type PartOption[T any] func(*PartSpec)

// LookedUpBy names the lookup of a part (see PartSpec.Lookup).
func LookedUpBy[T any](lookup func(context.Context) (T, bool, error)) PartOption[T] {
	return func(p *PartSpec) {
		p.Lookup = func(ctx context.Context) (any, bool, error) { return lookup(ctx) }
	}
}

// Repeatable marks a part that is harmless when applied twice.
func Repeatable[T any]() PartOption[T] {
	return func(p *PartSpec) { p.Repeatable = true }
}
