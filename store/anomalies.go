package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// Anomaly is a flag raised on a flow's run history.
type Anomaly struct {
	ID          string    `json:"id"`
	TenantID    string    `json:"-"`
	FlowID      string    `json:"flow_id"`
	RunID       string    `json:"run_id,omitempty"`
	Kind        string    `json:"kind"`
	Field       string    `json:"field,omitempty"`
	Observed    string    `json:"observed"`
	Expected    string    `json:"expected"`
	Score       float64   `json:"score"`
	Message     string    `json:"message"`
	Fingerprint string    `json:"-"`
	At          time.Time `json:"at"`
	CreatedAt   time.Time `json:"created_at"`
}

// TableName maps Anomaly to the anomalies table.
func (Anomaly) TableName() string { return "anomalies" }

// RecordAnomalies inserts flags, skipping fingerprints already recorded,
// and returns how many were new.
func (t *Scoped) RecordAnomalies(ctx context.Context, as []Anomaly) (int, error) {
	if len(as) == 0 {
		return 0, nil
	}
	for i := range as {
		if as[i].ID == "" {
			as[i].ID = NewID()
		}
		as[i].At = as[i].At.UTC().Truncate(time.Microsecond)
	}
	res := t.db(ctx).Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(as, 200)
	if res.Error != nil {
		return 0, fmt.Errorf("store: record anomalies: %w", translate(res.Error))
	}
	return int(res.RowsAffected), nil
}

// AnomalyFilter selects anomalies; zero fields do not filter.
type AnomalyFilter struct {
	FlowID   string
	Kind     string
	From, To time.Time
	Limit    int
}

// ListAnomalies returns matching anomalies, newest first.
func (t *Scoped) ListAnomalies(ctx context.Context, f AnomalyFilter) ([]Anomaly, error) {
	q := t.db(ctx).Model(&Anomaly{})
	if f.FlowID != "" {
		q = q.Where("flow_id = ?", f.FlowID)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	var out []Anomaly
	err := q.Order("at DESC, id DESC").Limit(f.Limit).Find(&out).Error
	return out, translate(err)
}

// RunHistory returns a flow's runs created in [from, to) with their
// payloads, oldest first, at most limit of them (the newest ones).
func (t *Scoped) RunHistory(ctx context.Context, flowID string, from, to time.Time, limit int) ([]Run, error) {
	var out []Run
	err := t.db(ctx).Where("flow_id = ? AND created_at >= ? AND created_at < ?", flowID, from.UTC(), to.UTC()).
		Order("created_at DESC, id DESC").Limit(limit).Find(&out).Error
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, translate(err)
}
