package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Alert rule states.
const (
	AlertOK     = "ok"
	AlertFiring = "firing"
)

// Alert statuses: an episode is firing until its rule recovers.
const (
	AlertStatusFiring   = "firing"
	AlertStatusResolved = "resolved"
)

// AlertRule is a tenant's alert rule and the state of its last evaluation.
// Kinds and channels are interpreted by the alert package.
type AlertRule struct {
	ID            string  `json:"id"`
	TenantID      string  `json:"-"`
	Name          string  `json:"name"`
	Kind          string  `json:"kind"`
	FlowID        string  `json:"flow_id,omitempty"`
	Threshold     float64 `json:"threshold"`
	WindowSeconds int64   `json:"window_seconds"`
	MinRuns       int     `json:"min_runs"`
	RepeatSeconds int64   `json:"repeat_seconds"`
	// Channels is a JSON array of notification targets.
	Channels       JSON       `json:"channels"`
	Enabled        bool       `json:"enabled"`
	SilencedUntil  *time.Time `json:"silenced_until,omitempty"`
	State          string     `json:"state"`
	LastValue      float64    `json:"last_value"`
	FiringAlertID  string     `json:"firing_alert_id,omitempty"`
	LastNotifiedAt *time.Time `json:"last_notified_at,omitempty"`
	EvaluatedAt    *time.Time `json:"evaluated_at,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// Alert is one firing episode of a rule.
type Alert struct {
	ID            string     `json:"id"`
	TenantID      string     `json:"-"`
	RuleID        string     `json:"rule_id"`
	RuleName      string     `json:"rule_name"`
	Status        string     `json:"status"`
	Value         float64    `json:"value"`
	Message       string     `json:"message"`
	Notifications int        `json:"notifications"`
	StartedAt     time.Time  `json:"started_at"`
	ResolvedAt    *time.Time `json:"resolved_at,omitempty"`
}

// CreateAlertRule inserts a rule in state ok.
func (t *Scoped) CreateAlertRule(ctx context.Context, r *AlertRule) error {
	now := Now()
	r.ID, r.State, r.CreatedAt, r.UpdatedAt = NewID(), AlertOK, now, now
	if err := t.db(ctx).Create(r).Error; err != nil {
		return fmt.Errorf("store: create alert rule: %w", translate(err))
	}
	return nil
}

// AlertRules lists the tenant's rules, oldest first.
func (t *Scoped) AlertRules(ctx context.Context) ([]AlertRule, error) {
	var out []AlertRule
	err := t.db(ctx).Order("created_at, id").Find(&out).Error
	return out, translate(err)
}

// AlertRule returns one rule.
func (t *Scoped) AlertRule(ctx context.Context, id string) (*AlertRule, error) {
	var r AlertRule
	if err := t.db(ctx).Where("id = ?", id).First(&r).Error; err != nil {
		return nil, translate(err)
	}
	return &r, nil
}

// UpdateAlertRule replaces a rule's definition (not its evaluation state).
func (t *Scoped) UpdateAlertRule(ctx context.Context, r *AlertRule) error {
	r.UpdatedAt = Now()
	res := t.db(ctx).Model(&AlertRule{}).Where("id = ?", r.ID).Updates(map[string]any{
		"name": r.Name, "kind": r.Kind, "flow_id": r.FlowID, "threshold": r.Threshold,
		"window_seconds": r.WindowSeconds, "min_runs": r.MinRuns, "repeat_seconds": r.RepeatSeconds,
		"channels": r.Channels, "enabled": r.Enabled, "updated_at": r.UpdatedAt,
	})
	return affectedOne(res.RowsAffected, res.Error)
}

// DeleteAlertRule removes a rule and its alert history.
func (t *Scoped) DeleteAlertRule(ctx context.Context, id string) error {
	res := t.db(ctx).Where("id = ?", id).Delete(&AlertRule{})
	return affectedOne(res.RowsAffected, res.Error)
}

// SilenceAlertRule mutes a rule's notifications until a time (nil unmutes).
func (t *Scoped) SilenceAlertRule(ctx context.Context, id string, until *time.Time) error {
	res := t.db(ctx).Model(&AlertRule{}).Where("id = ?", id).
		Updates(map[string]any{"silenced_until": until, "updated_at": Now()})
	return affectedOne(res.RowsAffected, res.Error)
}

// OpenAlert stores a new firing episode (its ID set by the caller) and the
// rule's state in one transaction.
func (t *Scoped) OpenAlert(ctx context.Context, r *AlertRule, a *Alert) error {
	return t.saveAlert(ctx, r, a, true)
}

// SaveAlertState records an evaluation: the rule's state and the changes to
// its current episode (a may be nil), in one transaction.
func (t *Scoped) SaveAlertState(ctx context.Context, r *AlertRule, a *Alert) error {
	return t.saveAlert(ctx, r, a, false)
}

func (t *Scoped) saveAlert(ctx context.Context, r *AlertRule, a *Alert, create bool) error {
	err := t.db(ctx).Transaction(func(tx *gorm.DB) error {
		tx = scopeTx(tx, t.tenantID)
		switch {
		case a != nil && create:
			if err := tx.Create(a).Error; err != nil {
				return err
			}
		case a != nil:
			if err := tx.Model(&Alert{}).Where("id = ?", a.ID).Updates(map[string]any{
				"status": a.Status, "value": a.Value, "message": a.Message,
				"notifications": a.Notifications, "resolved_at": a.ResolvedAt,
			}).Error; err != nil {
				return err
			}
		}
		return tx.Model(&AlertRule{}).Where("id = ?", r.ID).Updates(map[string]any{
			"state": r.State, "last_value": r.LastValue, "firing_alert_id": r.FiringAlertID,
			"last_notified_at": r.LastNotifiedAt, "evaluated_at": r.EvaluatedAt,
		}).Error
	})
	if err != nil {
		return fmt.Errorf("store: save alert state: %w", translate(err))
	}
	return nil
}

// AlertByID returns one alert episode.
func (t *Scoped) AlertByID(ctx context.Context, id string) (*Alert, error) {
	var a Alert
	if err := t.db(ctx).Where("id = ?", id).First(&a).Error; err != nil {
		return nil, translate(err)
	}
	return &a, nil
}

// ListAlerts returns alert episodes, newest first, of one rule or all.
func (t *Scoped) ListAlerts(ctx context.Context, ruleID string, limit int) ([]Alert, error) {
	q := t.db(ctx).Model(&Alert{})
	if ruleID != "" {
		q = q.Where("rule_id = ?", ruleID)
	}
	var out []Alert
	err := q.Order("started_at DESC, id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// affectedOne turns "no row changed" into ErrNotFound.
func affectedOne(n int64, err error) error {
	if err != nil {
		return translate(err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}
