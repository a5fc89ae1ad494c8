package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// CreateRun inserts a queued run.
func (t *Scoped) CreateRun(ctx context.Context, r *Run) error {
	if r.ID == "" {
		r.ID = NewID()
	}
	if r.Status == "" {
		r.Status = RunQueued
	}
	if err := t.db(ctx).Create(r).Error; err != nil {
		return fmt.Errorf("store: create run: %w", translate(err))
	}
	return nil
}

// CreateRuns stores several queued runs in one statement.
func (t *Scoped) CreateRuns(ctx context.Context, runs []*Run) error {
	for _, r := range runs {
		if r.ID == "" {
			r.ID = NewID()
		}
		if r.Status == "" {
			r.Status = RunQueued
		}
	}
	if err := t.db(ctx).Create(&runs).Error; err != nil {
		return fmt.Errorf("store: create %d runs: %w", len(runs), translate(err))
	}
	return nil
}

// RunsByDedupeKeys finds the runs already started with any of the keys of
// a flow, by key.
func (t *Scoped) RunsByDedupeKeys(ctx context.Context, flowID string, keys []string) (map[string]*Run, error) {
	var found []*Run
	if err := t.db(ctx).Where("flow_id = ? AND dedupe_key IN ?", flowID, keys).Find(&found).Error; err != nil {
		return nil, translate(err)
	}
	out := make(map[string]*Run, len(found))
	for _, r := range found {
		out[*r.DedupeKey] = r
	}
	return out, nil
}

// RunByDedupeKey finds the run a webhook with the same dedupe key started.
func (t *Scoped) RunByDedupeKey(ctx context.Context, flowID, key string) (*Run, error) {
	var r Run
	if err := t.db(ctx).Where("flow_id = ? AND dedupe_key = ?", flowID, key).First(&r).Error; err != nil {
		return nil, translate(err)
	}
	return &r, nil
}

// Run returns one run.
func (t *Scoped) Run(ctx context.Context, id string) (*Run, error) {
	var r Run
	if err := t.db(ctx).Where("id = ?", id).First(&r).Error; err != nil {
		return nil, translate(err)
	}
	return &r, nil
}

// RunFilter selects runs in history. Zero fields do not filter.
type RunFilter struct {
	FlowID      string
	Status      string
	BusinessKey string
	// DeadLetters keeps failed runs that no replay has taken over.
	DeadLetters bool
	// ErrorContains keeps runs whose error mentions the text.
	ErrorContains string
	From, To      time.Time
	Limit         int
	Offset        int
}

// ListRuns returns matching runs, newest first, and how many match in all.
// Payloads are left out; fetch one run for its details.
func (t *Scoped) ListRuns(ctx context.Context, f RunFilter) ([]Run, int64, error) {
	q := t.db(ctx).Model(&Run{})
	if f.FlowID != "" {
		q = q.Where("flow_id = ?", f.FlowID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.BusinessKey != "" {
		q = q.Where("business_key = ?", f.BusinessKey)
	}
	if f.DeadLetters {
		q = q.Where("status = ? AND replayed_by IS NULL", RunFailed)
	}
	if f.ErrorContains != "" {
		q = q.Where("error LIKE ?", "%"+escapeLike(f.ErrorContains)+"%")
	}
	if !f.From.IsZero() {
		q = q.Where("created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("created_at < ?", f.To.UTC())
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err)
	}
	var out []Run
	err := q.Omit("payload").Order("created_at DESC, id DESC").Limit(f.Limit).Offset(f.Offset).Find(&out).Error
	return out, total, translate(err)
}

// beginAttemptSQLite starts one run's attempt on SQLite (see BeginAttempts),
// which has a single writer and no round trips to save: read, then update
// unless a cancel got in between.
func (t *Scoped) beginAttemptSQLite(ctx context.Context, id string) (run *Run, previous string, err error) {
	if run, err = t.Run(ctx, id); err != nil {
		return nil, "", err
	}
	now := Now()
	previous = run.Status
	if settled(previous) {
		return nil, "", ErrConflict
	}
	if previous != RunWaiting {
		run.Attempt++
	}
	res := t.db(ctx).Model(&Run{}).Where("id = ? AND status = ?", id, previous).Updates(map[string]any{
		"status": RunRunning, "attempt": run.Attempt, "started_at": now, "updated_at": now,
	})
	if res.Error != nil {
		return nil, "", translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, "", ErrConflict // cancelled meanwhile
	}
	run.Status, run.StartedAt, run.UpdatedAt = RunRunning, &now, now
	return run, previous, nil
}

// settled reports whether a run status is final.
func settled(status string) bool {
	return status == RunSucceeded || status == RunFailed || status == RunCancelled
}

// SetRunOutcome records where an attempt left the run: its status, and the
// error and failing node when it failed (or will be retried). Final statuses
// set finished_at. A cancelled run stays cancelled.
func (t *Scoped) SetRunOutcome(ctx context.Context, id, status, errMsg, failedNode string) error {
	now := Now()
	fields := map[string]any{"status": status, "error": errMsg, "failed_node": failedNode, "updated_at": now}
	if settled(status) {
		fields["finished_at"] = now
	}
	return translate(t.db(ctx).Model(&Run{}).Where("id = ? AND status <> ?", id, RunCancelled).Updates(fields).Error)
}

// RunSteps returns a run's steps in the order they settled, each with its
// input (filled in from the step it names in InputFrom).
func (t *Scoped) RunSteps(ctx context.Context, runID string) ([]RunStep, error) {
	var out []RunStep
	if err := t.db(ctx).Where("run_id = ?", runID).Order("finished_at, id").Find(&out).Error; err != nil {
		return nil, translate(err)
	}
	fillInputs(out)
	return out, nil
}

// fillInputs gives each step stored with InputFrom the output of the latest
// record of that step that had finished when it started (or, should clocks of
// different processes disagree, of its latest record).
func fillInputs(steps []RunStep) {
	outputs := map[string][]int{} // step key → indexes of its records with an output, in order
	for i, st := range steps {
		if len(st.Output) > 0 {
			outputs[st.StepKey] = append(outputs[st.StepKey], i)
		}
	}
	for i := range steps {
		st := &steps[i]
		if st.InputFrom == "" || len(st.Input) > 0 {
			continue
		}
		from := outputs[st.InputFrom]
		for _, j := range slices.Backward(from) {
			if !steps[j].FinishedAt.After(st.StartedAt) {
				st.Input = steps[j].Output
				break
			}
		}
		if len(st.Input) == 0 && len(from) > 0 {
			st.Input = steps[from[len(from)-1]].Output
		}
	}
}

// InsertSteps stores several step records in one statement.
func (t *Scoped) InsertSteps(ctx context.Context, steps []RunStep) error {
	if len(steps) == 0 {
		return nil
	}
	for i := range steps {
		if steps[i].ID == "" {
			steps[i].ID = NewID()
		}
	}
	if err := t.db(ctx).CreateInBatches(steps, 200).Error; err != nil {
		return fmt.Errorf("store: insert steps: %w", translate(err))
	}
	return nil
}

// escapeLike makes text match itself literally in a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// MarkReplayed records that replay took over a run: it leaves the dead letters.
func (t *Scoped) MarkReplayed(ctx context.Context, runID, replayID string) error {
	return translate(t.db(ctx).Model(&Run{}).Where("id = ?", runID).Update("replayed_by", replayID).Error)
}

// CancelRun marks a run cancelled unless it already finished. It reports
// whether it did.
func (t *Scoped) CancelRun(ctx context.Context, id string) (bool, error) {
	now := Now()
	res := t.db(ctx).Model(&Run{}).Where("id = ? AND status IN ?", id, []string{RunQueued, RunRunning, RunWaiting}).
		Updates(map[string]any{"status": RunCancelled, "finished_at": now, "updated_at": now})
	return res.RowsAffected == 1, translate(res.Error)
}

// PrunePayloads empties the payload and step data of up to batch runs created
// before cutoff, keeping their metadata. It returns how many runs it pruned;
// callers repeat until it returns 0, so no statement holds locks for long.
func (t *Scoped) PrunePayloads(ctx context.Context, cutoff time.Time, batch int) (int, error) {
	var ids []string
	if err := t.db(ctx).Model(&Run{}).Where("created_at < ? AND payload_pruned = ?", cutoff.UTC(), false).
		Where("status IN ?", []string{RunSucceeded, RunFailed, RunCancelled}).
		Limit(batch).Pluck("id", &ids).Error; err != nil {
		return 0, translate(err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	err := t.s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		tx = scopeTx(tx, t.tenantID)
		if err := tx.Model(&RunStep{}).Where("run_id IN ?", ids).Updates(map[string]any{"input": nil, "output": nil}).Error; err != nil {
			return err
		}
		return tx.Model(&Run{}).Where("id IN ?", ids).Updates(map[string]any{"payload": nil, "payload_pruned": true}).Error
	})
	return len(ids), translate(err)
}

// SetRunAttempt sets how many attempts a run has used.
func (t *Scoped) SetRunAttempt(ctx context.Context, id string, attempt int) error {
	return translate(t.db(ctx).Model(&Run{}).Where("id = ?", id).Update("attempt", attempt).Error)
}
