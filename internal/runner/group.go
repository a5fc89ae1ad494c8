package runner

import (
	"context"
	"errors"

	"github.com/riverqueue/river"

	"github.com/bridgework/bridgework/internal/coalesce"
	"github.com/bridgework/bridgework/store"
)

// DefaultGroupMax bounds the calls committed in one transaction unless the
// Enqueuer says otherwise.
const DefaultGroupMax = 256

// call is one Enqueue waiting for its group to commit.
type call struct {
	ctx       context.Context
	start     Start
	run       *store.Run
	duplicate bool
	err       error
}

// enqueueGrouped adds a call to the next group and waits for its outcome.
// Concurrent enqueues commit together (coalesce.Batcher): up to GroupMax
// waiting calls go in one transaction, with one multi-row job insert and one
// run insert per tenant. A lone call commits at once, so latency does not
// grow when there is nothing to share; under a burst, hundreds of webhooks
// cost a handful of commits. Each call still gets its own run and job in a
// transaction that holds both.
func (e *Enqueuer) enqueueGrouped(ctx context.Context, s Start) (*store.Run, bool, error) {
	run, err := e.newRun(ctx, s) // on the caller's goroutine: callers prepare in parallel
	if err != nil {
		return nil, false, err
	}
	e.groupOnce.Do(func() {
		e.group = coalesce.Batcher[*call]{Run: e.commit, Max: e.groupMax(), Parallel: parallelWrites(e.Store)}
	})
	c := &call{ctx: ctx, start: s, run: run}
	e.group.Do(c)
	return c.run, c.duplicate, c.err
}

// groupMax is GroupMax, or DefaultGroupMax when unset.
func (e *Enqueuer) groupMax() int {
	if e.GroupMax > 0 {
		return e.GroupMax
	}
	return DefaultGroupMax
}

// parallelWrites is how many batched writes (group commits, run starts,
// settlements) may be in flight at once: SQLite has one writer.
func parallelWrites(st *store.Store) int {
	if st.Dialect() == store.SQLite {
		return 1
	}
	return 2
}

// commit stores the calls' runs and jobs in one transaction. When that fails
// (a dedupe race with another process, a payload the database refuses), each
// call is retried in a transaction of its own so one cannot fail the others.
func (e *Enqueuer) commit(calls []*call) {
	ctx := context.WithoutCancel(calls[0].ctx)
	err := e.Store.InTx(ctx, func(tx *store.Tx) error { return e.insertGroup(ctx, tx, calls) })
	if err == nil {
		return
	}
	if len(calls) == 1 && !errors.Is(err, store.ErrConflict) {
		calls[0].run, calls[0].err = nil, err
		return
	}
	for _, c := range calls {
		c.run, c.duplicate, c.err = e.enqueueOne(c.ctx, c.start)
	}
}

// insertGroup finds the calls whose dedupe key already started a run (in the
// database or earlier in the group), then inserts the jobs and runs of the
// others.
func (e *Enqueuer) insertGroup(ctx context.Context, tx *store.Tx, calls []*call) error {
	type flowKey struct{ tenantID, flowID string }
	keys := map[flowKey][]string{}
	for _, c := range calls {
		if c.start.DedupeKey != "" {
			k := flowKey{c.start.TenantID, c.start.Flow.ID}
			keys[k] = append(keys[k], c.start.DedupeKey)
		}
	}
	seen := map[flowKey]map[string]*store.Run{}
	for k, ks := range keys {
		found, err := tx.Tenant(k.tenantID).RunsByDedupeKeys(ctx, k.flowID, ks)
		if err != nil {
			return err
		}
		seen[k] = found
	}
	var fresh []*call
	for _, c := range calls {
		c.duplicate = false
		if c.start.DedupeKey != "" {
			k := flowKey{c.start.TenantID, c.start.Flow.ID}
			if existing, ok := seen[k][c.start.DedupeKey]; ok {
				c.run, c.duplicate = existing, true
				continue
			}
			seen[k][c.start.DedupeKey] = c.run
		}
		fresh = append(fresh, c)
	}
	if len(fresh) == 0 {
		return nil
	}
	jobs := make([]river.InsertManyParams, len(fresh))
	for i, c := range fresh {
		jobs[i] = river.InsertManyParams{Args: e.args(c.ctx, c.start, c.run)}
	}
	ids, err := e.Queue.InsertManyTx(ctx, tx, jobs)
	if err != nil {
		return err
	}
	byTenant := map[string][]*store.Run{}
	var order []string
	for i, c := range fresh {
		c.run.JobID = &ids[i]
		if _, ok := byTenant[c.start.TenantID]; !ok {
			order = append(order, c.start.TenantID)
		}
		byTenant[c.start.TenantID] = append(byTenant[c.start.TenantID], c.run)
	}
	for _, tenantID := range order {
		if err := tx.Tenant(tenantID).CreateRuns(ctx, byTenant[tenantID]); err != nil {
			return err
		}
	}
	return nil
}
