package alert

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/bridgework/bridgework/store"
)

// Evaluator checks every tenant's rules and sends notifications.
type Evaluator struct {
	Store    *store.Store
	Notifier *Notifier
	Logger   *slog.Logger
	// Now replaces the clock in tests; nil means time.Now.
	Now func() time.Time
}

// EvaluateAll evaluates the enabled rules of every tenant. A tenant whose
// evaluation fails does not stop the others; the errors are joined.
func (e *Evaluator) EvaluateAll(ctx context.Context) error {
	tenants, err := e.Store.ListTenants(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, t := range tenants {
		errs = append(errs, e.EvaluateTenant(ctx, t.ID))
	}
	return errors.Join(errs...)
}

// EvaluateTenant evaluates one tenant's enabled rules.
func (e *Evaluator) EvaluateTenant(ctx context.Context, tenantID string) error {
	ts := e.Store.Tenant(tenantID)
	rules, err := ts.AlertRules(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for i := range rules {
		if rules[i].Enabled && rules[i].Kind != KindApprovals {
			errs = append(errs, e.evaluate(ctx, ts, &rules[i]))
		}
	}
	return errors.Join(errs...)
}

func (e *Evaluator) now() time.Time {
	if e.Now != nil {
		return e.Now().UTC()
	}
	return time.Now().UTC()
}

// evaluate measures one rule and moves it between ok and firing, notifying
// on each change and, while it keeps firing, once per repeat interval.
func (e *Evaluator) evaluate(ctx context.Context, ts *store.Scoped, r *store.AlertRule) error {
	now := e.now()
	rd, err := measure(ctx, ts, r, now)
	if err != nil {
		return err
	}
	r.LastValue, r.EvaluatedAt = rd.value, &now
	var episode *store.Alert
	notify, opened := "", false
	switch {
	case rd.breached && r.State != store.AlertFiring:
		episode = &store.Alert{ID: store.NewID(), RuleID: r.ID, RuleName: r.Name, Status: store.AlertStatusFiring,
			Value: rd.value, Message: rd.message, StartedAt: now}
		r.State, r.FiringAlertID, notify, opened = store.AlertFiring, episode.ID, store.AlertStatusFiring, true
	case rd.breached:
		if episode, err = ts.AlertByID(ctx, r.FiringAlertID); err != nil {
			return err
		}
		episode.Value, episode.Message = rd.value, rd.message
		if r.LastNotifiedAt == nil || now.Sub(*r.LastNotifiedAt) >= time.Duration(r.RepeatSeconds)*time.Second {
			notify = store.AlertStatusFiring
		}
	case r.State == store.AlertFiring:
		if episode, err = ts.AlertByID(ctx, r.FiringAlertID); err != nil {
			return err
		}
		episode.Status, episode.ResolvedAt, episode.Value, episode.Message = store.AlertStatusResolved, &now, rd.value, rd.message
		r.State, notify = store.AlertOK, store.AlertStatusResolved
	}
	if notify != "" && (r.SilencedUntil == nil || !now.Before(*r.SilencedUntil)) {
		if e.send(ctx, ts.TenantID(), r, episode, notify, now) {
			episode.Notifications++
			if notify == store.AlertStatusFiring {
				r.LastNotifiedAt = &now
			}
		}
	}
	if opened {
		return ts.OpenAlert(ctx, r, episode)
	}
	if r.State == store.AlertOK {
		r.FiringAlertID = ""
	}
	return ts.SaveAlertState(ctx, r, episode)
}

// send notifies every channel of a rule and reports whether at least one
// delivery succeeded. Failures are logged and retried at the next
// evaluation (firing) or dropped (resolved).
func (e *Evaluator) send(ctx context.Context, tenantID string, r *store.AlertRule, a *store.Alert, status string, now time.Time) bool {
	chans, err := Channels(r)
	if err != nil {
		e.Logger.Warn("alert rule has unreadable channels", slog.String("tenant_id", tenantID), slog.String("rule_id", r.ID), slog.Any("err", err))
		return false
	}
	n := Notification{Status: status, AlertID: a.ID, TenantID: tenantID, RuleID: r.ID, RuleName: r.Name, Kind: r.Kind,
		FlowID: r.FlowID, Value: a.Value, Threshold: r.Threshold, Message: a.Message, StartedAt: a.StartedAt, At: now}
	ok := false
	for _, ch := range chans {
		if err := e.Notifier.Send(ctx, ch, n); err != nil {
			e.Logger.Warn("alert notification failed", slog.String("tenant_id", tenantID), slog.String("rule_id", r.ID),
				slog.String("channel", ch.Type), slog.Any("err", err))
			continue
		}
		ok = true
	}
	return ok
}
