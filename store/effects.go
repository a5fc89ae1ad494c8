package store

import (
	"context"
	"errors"
	"fmt"
)

// Effect returns the ledger entry for an idempotency key.
func (t *Scoped) Effect(ctx context.Context, key string) (*Effect, error) {
	var e Effect
	if err := t.db(ctx).Where("idempotency_key = ?", key).First(&e).Error; err != nil {
		return nil, translate(err)
	}
	return &e, nil
}

// ClaimEffect records that a write is about to be sent. It returns the
// existing entry and false when the key is already in the ledger (another
// attempt sent it, or is sending it).
func (t *Scoped) ClaimEffect(ctx context.Context, e *Effect) (*Effect, bool, error) {
	e.ID, e.Status = NewID(), EffectPending
	err := t.db(ctx).Create(e).Error
	if err == nil {
		return e, true, nil
	}
	if err = translate(err); !errors.Is(err, ErrConflict) {
		return nil, false, fmt.Errorf("store: claim effect: %w", err)
	}
	existing, err := t.Effect(ctx, e.IdempotencyKey)
	if err != nil {
		return nil, false, err
	}
	return existing, false, nil
}

// SettleEffect records the outcome of a write: succeeded with its output, or
// unknown with the error that hid the answer.
func (t *Scoped) SettleEffect(ctx context.Context, id, status string, output JSON, errMsg string) error {
	return translate(t.db(ctx).Model(&Effect{}).Where("id = ?", id).Updates(map[string]any{
		"status": status, "output": output, "error": errMsg, "updated_at": Now(),
	}).Error)
}

// TakeOverEffect moves a ledger entry to a new run attempt before it is
// resolved again, so its step and run point at the attempt that settles it.
func (t *Scoped) TakeOverEffect(ctx context.Context, id, runID, stepKey string) error {
	return translate(t.db(ctx).Model(&Effect{}).Where("id = ?", id).Updates(map[string]any{
		"run_id": runID, "step_key": stepKey, "status": EffectPending, "updated_at": Now(),
	}).Error)
}

// ForgetEffect removes an entry whose write definitely did not happen (the
// target rejected it), so a later attempt may send it again.
func (t *Scoped) ForgetEffect(ctx context.Context, id string) error {
	return translate(t.db(ctx).Where("id = ?", id).Delete(&Effect{}).Error)
}

// EffectsOfRuns lists the ledger entries written by runs.
func (t *Scoped) EffectsOfRuns(ctx context.Context, runIDs []string) ([]Effect, error) {
	var out []Effect
	err := t.db(ctx).Where("run_id IN ?", runIDs).Order("created_at").Find(&out).Error
	return out, translate(err)
}
