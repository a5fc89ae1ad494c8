package store

import (
	"context"
	"time"
)

// RunSample is a finished run reduced to what statistics need.
type RunSample struct {
	FlowID     string
	Status     string
	CreatedAt  time.Time
	FinishedAt time.Time
}

// Duration is how long the run took from its trigger to its end.
func (r RunSample) Duration() time.Duration { return r.FinishedAt.Sub(r.CreatedAt) }

// FinishedRuns returns runs that succeeded or failed in [from, to), of one
// flow or all, oldest first, at most limit of them.
func (t *Scoped) FinishedRuns(ctx context.Context, flowID string, from, to time.Time, limit int) ([]RunSample, error) {
	q := t.db(ctx).Model(&Run{}).Select("flow_id, status, created_at, finished_at").
		Where("status IN ? AND finished_at >= ? AND finished_at < ?", []string{RunSucceeded, RunFailed}, from.UTC(), to.UTC())
	if flowID != "" {
		q = q.Where("flow_id = ?", flowID)
	}
	var out []RunSample
	err := q.Order("finished_at").Limit(limit).Scan(&out).Error
	return out, translate(err)
}

// CountRunsCreated counts a flow's runs triggered in [from, to), whatever
// their status.
func (t *Scoped) CountRunsCreated(ctx context.Context, flowID string, from, to time.Time) (int64, error) {
	var n int64
	err := t.db(ctx).Model(&Run{}).Where("flow_id = ? AND created_at >= ? AND created_at < ?", flowID, from.UTC(), to.UTC()).
		Count(&n).Error
	return n, translate(err)
}

// StepCount is how many steps of one node type settled in a period, and how
// many of them failed.
type StepCount struct {
	NodeType string `json:"node_type"`
	Total    int64  `json:"total"`
	Failed   int64  `json:"failed"`
}

// StepCounts counts settled steps per node type in [from, to).
func (t *Scoped) StepCounts(ctx context.Context, from, to time.Time) ([]StepCount, error) {
	var out []StepCount
	err := t.db(ctx).Model(&RunStep{}).
		Select("node_type, count(*) AS total, sum(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed").
		Where("finished_at >= ? AND finished_at < ?", from.UTC(), to.UTC()).
		Group("node_type").Order("node_type").Scan(&out).Error
	return out, translate(err)
}

// DeadLetterCounts counts every tenant's failed runs that no replay took
// over, by tenant id (a platform-wide figure for monitoring).
func (s *Store) DeadLetterCounts(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		TenantID string
		N        int64
	}
	err := s.system(ctx).Model(&Run{}).Select("tenant_id, count(*) AS n").
		Where("status = ? AND replayed_by IS NULL", RunFailed).Group("tenant_id").Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.TenantID] = r.N
	}
	return out, nil
}
