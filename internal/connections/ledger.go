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

// write performs a writing operation exactly once per ledger key (see
// once). An operation sent in parts (Operation.Parts) records each part
// under the step's key too, so running it again sends only the parts that
// are not done; it is therefore run again after an unknown outcome.
func (t tenantConnectors) write(ctx context.Context, conn connectors.Connection, op connectors.Operation, input map[string]any, call engine.ConnectorCall) (any, error) {
	ts := t.s.Store.Tenant(t.tenantID)
	key := LedgerKey(conn.ID, op, input, call)
	w := effectWrite{
		effect: &store.Effect{IdempotencyKey: key, ConnectionID: conn.ID, Operation: op.Name, RunID: call.RunID, StepKey: call.StepKey},
		what:   fmt.Sprintf("%s %s", conn.Type, op.Name),
		send:   func(ctx context.Context) (any, error) { return t.s.Invoker.Invoke(ctx, conn, op.Name, input) },
		rerun:  op.Parts,
	}
	if op.Parts {
		parts := partLedger{ts: ts, parent: w.effect, what: w.what}
		w.send = func(ctx context.Context) (any, error) {
			return t.s.Invoker.Invoke(connectors.WithPartLedger(ctx, parts), conn, op.Name, input)
		}
	}
	if op.Lookup != "" {
		keyInput := map[string]any{}
		for _, f := range op.KeyFields() {
			keyInput[f] = input[f]
		}
		w.lookup = func(ctx context.Context) (any, bool, error) {
			found, err := t.s.Invoker.Invoke(ctx, conn, op.Lookup, keyInput)
			if err != nil {
				return nil, false, err
			}
			m, ok := found.(map[string]any)
			if !ok || m["found"] != true {
				return nil, false, nil
			}
			return m["record"], true, nil
		}
	}
	return once(ctx, ts, w)
}

// effectWrite is one write the ledger sends at most once.
type effectWrite struct {
	effect *store.Effect // its key, connection, operation, run and step
	what   string        // names it in errors: "heartland create_item"
	send   func(context.Context) (any, error)
	// lookup finds the record of an earlier attempt whose outcome is
	// unknown; nil when the target cannot tell.
	lookup func(context.Context) (any, bool, error)
	// rerun sends it again after an unknown outcome: it is harmless twice,
	// or it resumes its own recorded parts.
	rerun bool
	// part is one part of a batch write: once done it is never sent again,
	// not even by a replay that forces effects (the step's other parts
	// would then be applied twice while this one is not).
	part bool
}

// once performs a write exactly once per ledger key:
//   - a key recorded as succeeded returns the recorded output without a call;
//   - a key another attempt is sending right now is a retryable error;
//   - a key whose earlier outcome is unknown (timeout, crash) is looked up in
//     the target first, and only written when the record is not there;
//   - a definite rejection (4xx, 429) forgets the key so a later attempt may
//     write; a lost answer (network error, 5xx) records the outcome as unknown.
func once(ctx context.Context, ts *store.Scoped, w effectWrite) (any, error) {
	entry, claimed, err := ts.ClaimEffect(ctx, w.effect)
	if err != nil {
		return nil, err
	}
	if !claimed {
		if out, done, err := resolve(ctx, ts, w, entry); done || err != nil {
			return out, err
		}
	}
	out, callErr := w.send(ctx)
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
func resolve(ctx context.Context, ts *store.Scoped, w effectWrite, e *store.Effect) (out any, done bool, err error) {
	takeOver := func() (any, bool, error) {
		return nil, false, ts.TakeOverEffect(ctx, e.ID, w.effect.RunID, w.effect.StepKey)
	}
	if forced(ctx) && !w.part {
		return takeOver()
	}
	switch {
	case e.Status == store.EffectSucceeded:
		if len(e.Output) == 0 {
			return nil, true, nil
		}
		out, err := engine.DecodeJSON(e.Output)
		return out, true, err
	case e.Status == store.EffectPending && e.RunID != w.effect.RunID && time.Since(e.UpdatedAt) < PendingGrace:
		// Another run is sending the same write right now. (A pending entry of
		// this same run was left by an attempt that died: River never works
		// one job twice at once, so it is resolved like an unknown outcome.)
		return nil, false, &engine.TransientError{Err: fmt.Errorf("%s: the same write is being sent by another attempt", w.what), After: 5 * time.Second}
	case w.lookup != nil:
		rec, found, err := w.lookup(ctx)
		if err != nil {
			return nil, false, fmt.Errorf("%s: look up the earlier attempt: %w", w.what, err)
		}
		if !found {
			return takeOver()
		}
		raw, err := json.Marshal(rec)
		if err != nil {
			return nil, false, err
		}
		if err := ts.SettleEffect(ctx, e.ID, store.EffectSucceeded, raw, ""); err != nil {
			return nil, false, err
		}
		return rec, true, nil
	case w.rerun || forced(ctx):
		return takeOver()
	}
	return nil, false, fmt.Errorf("%s: %w and the operation cannot be looked up; check the target system, then replay with forced effects", w.what, ErrOutcomeUnknown)
}

// partLedger records the parts of one batch write under the write's own
// ledger key, as entries of the same run and step.
type partLedger struct {
	ts     *store.Scoped
	parent *store.Effect
	what   string
}

// Once implements connectors.PartLedger.
func (p partLedger) Once(ctx context.Context, part connectors.PartSpec) (json.RawMessage, error) {
	out, err := once(ctx, p.ts, effectWrite{
		effect: &store.Effect{IdempotencyKey: p.parent.IdempotencyKey + "#" + part.Key, ConnectionID: p.parent.ConnectionID,
			Operation: p.parent.Operation, RunID: p.parent.RunID, StepKey: p.parent.StepKey},
		what:   fmt.Sprintf("%s (part %s)", p.what, part.Key),
		send:   part.Send,
		lookup: part.Lookup,
		rerun:  part.Repeatable,
		part:   true,
	})
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

// definiteRejection reports errors that prove the target did not apply a write.
func definiteRejection(err error) bool {
	for _, kind := range []error{httpx.ErrValidation, httpx.ErrConflict, httpx.ErrAuth, httpx.ErrNotFound, httpx.ErrRateLimited, httpx.ErrBlocked} {
		if errors.Is(err, kind) {
			return true
		}
	}
	var in *connectors.InputError
	return errors.As(err, &in)
}
