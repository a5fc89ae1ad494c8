package store

import (
	"context"
	"time"
)

// LastRun is a flow's newest run, reduced to what a list of flows shows.
type LastRun struct {
	ID         string
	Status     string
	CreatedAt  time.Time
	StartedAt  *time.Time
	FinishedAt *time.Time
}

// FlowRunSummary is what the list of flows shows of one flow's runs: its
// newest run (nil when it never ran) and, of its runs that succeeded or
// failed since a time, how many finished and how many of those failed.
type FlowRunSummary struct {
	LastRun  *LastRun
	Finished int64
	Failed   int64
}

// flowRunRow is one row of the FlowRunSummaries statement.
type flowRunRow struct {
	FlowID         string
	LastID         *string
	LastStatus     *string
	LastCreatedAt  *time.Time
	LastStartedAt  *time.Time
	LastFinishedAt *time.Time
	Finished       int64
	Failed         int64
}

// FlowRunSummaries returns, for each of the tenant's flows among flowIDs, its
// newest run (by created_at, then id, as run history orders them) and its
// runs that succeeded or failed at or after since. It is one statement for
// the whole page of flows: the flows joined to their newest run (a
// correlated lookup on runs_tenant_flow_idx) and to one grouped count of the
// window's finished runs (on runs_tenant_flow_finished_idx). Flows missing
// from the answer do not exist or belong to another tenant.
func (t *Scoped) FlowRunSummaries(ctx context.Context, flowIDs []string, since time.Time) (map[string]FlowRunSummary, error) {
	out := make(map[string]FlowRunSummary, len(flowIDs))
	if len(flowIDs) == 0 {
		return out, nil
	}
	// Both the outer statement (on flows) and this subquery (on runs) are
	// tenant-owned models, so the tenancy callbacks scope each of them; the
	// newest-run lookup is tied to the scoped flow row and its tenant.
	window := t.db(ctx).Model(&Run{}).
		Select("flow_id, count(*) AS finished, sum(CASE WHEN status = ? THEN 1 ELSE 0 END) AS failed", RunFailed).
		Where("flow_id IN ? AND status IN ? AND finished_at >= ?", flowIDs, []string{RunSucceeded, RunFailed}, since.UTC()).
		Group("flow_id")
	var rows []flowRunRow
	err := t.db(ctx).Model(&Flow{}).
		Select(`flows.id AS flow_id, last_run.id AS last_id, last_run.status AS last_status,
			last_run.created_at AS last_created_at, last_run.started_at AS last_started_at,
			last_run.finished_at AS last_finished_at,
			COALESCE(recent.finished, 0) AS finished, COALESCE(recent.failed, 0) AS failed`).
		Joins(`LEFT JOIN runs last_run ON last_run.id = (SELECT r.id FROM runs r
			WHERE r.tenant_id = flows.tenant_id AND r.flow_id = flows.id
			ORDER BY r.created_at DESC, r.id DESC LIMIT 1)`).
		Joins("LEFT JOIN (?) recent ON recent.flow_id = flows.id", window).
		Where("flows.id IN ?", flowIDs).
		Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		s := FlowRunSummary{Finished: r.Finished, Failed: r.Failed}
		if r.LastID != nil {
			s.LastRun = &LastRun{ID: *r.LastID, StartedAt: utc(r.LastStartedAt), FinishedAt: utc(r.LastFinishedAt)}
			if r.LastStatus != nil {
				s.LastRun.Status = *r.LastStatus
			}
			if r.LastCreatedAt != nil {
				s.LastRun.CreatedAt = r.LastCreatedAt.UTC()
			}
		}
		out[r.FlowID] = s
	}
	return out, nil
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
