package connections

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/bridgework/bridgework/connectors"
	"github.com/bridgework/bridgework/connectors/httpx"
	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/store"
)

// PendingGrace is how long a write claimed by another run counts as in
// flight; after it, the claim is treated as an unknown outcome and resolved.
const PendingGrace = 2 * time.Minute

type forceKey struct{}

// WithForcedEffects marks a context whose writes are sent again even when the
// ledger records them as done (a replay that explicitly asks for it).
func WithForcedEffects(ctx context.Context) context.Context {
	return context.WithValue(ctx, forceKey{}, true)
}

func forced(ctx context.Context) bool { v, _ := ctx.Value(forceKey{}).(bool); return v }

// ErrOutcomeUnknown reports a write whose earlier attempt may or may not have
// reached the target, for an operation that has no way to look it up.
var ErrOutcomeUnknown = errors.New("the outcome of an earlier attempt of this write is unknown")

// LedgerKey is the idempotency key of a write: the connection, the operation
// and the values of its natural key fields (such as PONum), so the same record
// is written once whichever run or replay asks for it; without key values, the
// run and step.
func LedgerKey(connectionID string, op connectors.Operation, input map[string]any, call engine.ConnectorCall) string {
	var parts []string
	for _, f := range op.KeyFields() {
		v, ok := input[f]
		if !ok || v == nil || v == "" {
			parts = nil
			break
		}
		parts = append(parts, fmt.Sprintf("%s=%v", f, v))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("%s|%s|step:%s", connectionID, op.Name, call.IdempotencyKey)
	}
	sort.Strings(parts)
	return fmt.Sprintf("%s|%s|%s", connectionID, op.Name, strings.Join(parts, "&"))
}

// write performs a writing operation exactly once per ledger key:
//   - a key recorded as succeeded returns the recorded output without a call;
//   - a key another attempt is sending right now is a retryable error;
//   - a key whose earlier outcome is unknown (timeout, crash) is looked up in
//     the target first, and only written when the record is not there;
//   - a definite rejection (4xx, 429) forgets the key so a later attempt may
//     write; a lost answer (network error, 5xx) records the outcome as unknown.
func (t tenantConnectors) write(ctx context.Context, conn connectors.Connection, op connectors.Operation, input map[string]any, call engine.ConnectorCall) (any, error) {
	ts := t.s.Store.Tenant(t.tenantID)
	entry, claimed, err := ts.ClaimEffect(ctx, &store.Effect{
		IdempotencyKey: LedgerKey(conn.ID, op, input, call), ConnectionID: conn.ID,
		Operation: op.Name, RunID: call.RunID, StepKey: call.StepKey,
	})
	if err != nil {
		return nil, err
	}
	if !claimed {
		if out, done, err := t.resolve(ctx, ts, conn, op, input, call, entry); done || err != nil {
			return out, err
		}
	}
	out, callErr := t.s.Invoker.Invoke(ctx, conn, op.Name, input)
	switch {
	case callErr == nil:
		raw, err := json.Marshal(out)
		if err != nil {
			return nil, err
		}
		return out, ts.SettleEffect(ctx, entry.ID, store.EffectSucceeded, raw, "")
	case definiteRejection(callErr):
		if err := ts.ForgetEffect(ctx, entry.ID); err != nil {
			return nil, errors.Join(callErr, err)
		}
		return nil, callErr
	default:
		if err := ts.SettleEffect(context.WithoutCancel(ctx), entry.ID, store.EffectUnknown, nil, callErr.Error()); err != nil {
			return nil, errors.Join(callErr, err)
		}
		return nil, callErr
	}
}

// resolve decides what to do with a key already in the ledger. done means
// out is the write's result and nothing must be sent.
func (t tenantConnectors) resolve(ctx context.Context, ts *store.Scoped, conn connectors.Connection, op connectors.Operation,
	input map[string]any, call engine.ConnectorCall, e *store.Effect) (out any, done bool, err error) {
	if forced(ctx) {
		return nil, false, ts.TakeOverEffect(ctx, e.ID, call.RunID, call.StepKey)
	}
	switch {
	case e.Status == store.EffectSucceeded:
		if len(e.Output) == 0 {
			return nil, true, nil
		}
		out, err := engine.DecodeJSON(e.Output)
		return out, true, err
	case e.Status == store.EffectPending && e.RunID != call.RunID && time.Since(e.UpdatedAt) < PendingGrace:
		// Another run is sending the same write right now. (A pending entry of
		// this same run was left by an attempt that died: River never works
		// one job twice at once, so it is resolved like an unknown outcome.)
		return nil, false, &engine.TransientError{Err: fmt.Errorf("%s %s: the same write is being sent by another attempt", conn.Type, op.Name), After: 5 * time.Second}
	case op.Lookup == "":
		return nil, false, fmt.Errorf("%s %s: %w and the operation cannot be looked up; check the target system, then replay with forced effects", conn.Type, op.Name, ErrOutcomeUnknown)
	}
	keyInput := map[string]any{}
	for _, f := range op.KeyFields() {
		keyInput[f] = input[f]
	}
	found, err := t.s.Invoker.Invoke(ctx, conn, op.Lookup, keyInput)
	if err != nil {
		return nil, false, fmt.Errorf("%s %s: look up the earlier attempt: %w", conn.Type, op.Name, err)
	}
	if m, ok := found.(map[string]any); ok && m["found"] == true {
		raw, err := json.Marshal(m["record"])
		if err != nil {
			return nil, false, err
		}
		if err := ts.SettleEffect(ctx, e.ID, store.EffectSucceeded, raw, ""); err != nil {
			return nil, false, err
		}
		return m["record"], true, nil
	}
	return nil, false, ts.TakeOverEffect(ctx, e.ID, call.RunID, call.StepKey)
}

// definiteRejection reports errors that prove the target did not apply a write.
func definiteRejection(err error) bool {
	for _, kind := range []error{httpx.ErrValidation, httpx.ErrConflict, httpx.ErrAuth, httpx.ErrNotFound, httpx.ErrRateLimited} {
		if errors.Is(err, kind) {
			return true
		}
	}
	var in *connectors.InputError
	return errors.As(err, &in)
}
