// Package batch keeps the items batch steps collect across runs and flushes
// them: once a batch node has size items waiting, or its oldest item has
// waited long enough, one run executes the node's batch branch on them.
//
// Items are rows in batch_items, written before the delivering run goes on;
// a periodic sweep (SweepJob) claims them and starts the batch run in one
// transaction, so a crash neither loses an item nor hands it to two runs.
package batch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/internal/runner"
	"github.com/bridgework/bridgework/nodes"
	"github.com/bridgework/bridgework/store"
)

// Service implements nodes.Batches and flushes batches.
type Service struct {
	Store    *store.Store
	Enqueuer *runner.Enqueuer
}

var _ nodes.Batches = (*Service)(nil)

// Add implements nodes.Batches.
func (s *Service) Add(ctx context.Context, tenantID string, it nodes.BatchItem) (int, error) {
	ts := s.Store.Tenant(tenantID)
	run, err := ts.Run(ctx, it.RunID)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nodes.ErrNoRun
	}
	if err != nil {
		return 0, err
	}
	raw, err := json.Marshal(it.Item)
	if err != nil {
		return 0, fmt.Errorf("encode item: %w", err)
	}
	row := &store.BatchItem{FlowID: run.FlowID, NodeID: it.NodeID, RunID: it.RunID, StepKey: it.StepKey, Item: raw,
		BatchSize: it.Size, DueAt: it.Now.Add(it.Wait).UTC()}
	if err := ts.AddBatchItem(ctx, row); err != nil {
		return 0, err
	}
	_, waiting, err := ts.WaitingBatchItems(ctx, run.FlowID, it.NodeID, 0)
	return int(waiting), err
}

// Flush starts batch runs for one batch node while it is due: a full batch,
// or items whose wait has passed at now. It returns the runs it started.
func (s *Service) Flush(ctx context.Context, k store.BatchKey, now time.Time) ([]string, error) {
	ts := s.Store.Tenant(k.TenantID)
	flow, err := ts.Flow(ctx, k.FlowID)
	if err != nil {
		return nil, err
	}
	version, err := s.Enqueuer.PublishedVersion(ctx, k.TenantID, flow)
	if err != nil {
		return nil, err
	}
	plan, err := s.Enqueuer.Plans.Plan(ctx, k.TenantID, version.ID, version.Definition)
	if err != nil {
		return nil, fmt.Errorf("compile flow %s: %w", flow.ID, err)
	}
	if _, spec, ok := plan.Node(k.NodeID); !ok || spec.Type != nodes.TypeBatch {
		return nil, fmt.Errorf("the published version of flow %s has no batch node %q", flow.ID, k.NodeID)
	}
	var started []string
	for {
		runID, err := s.flushOne(ctx, k, flow, version, plan, now)
		if err != nil || runID == "" {
			return started, err
		}
		started = append(started, runID)
	}
}

// flushOne starts one batch run when the node is due; "" when it is not.
func (s *Service) flushOne(ctx context.Context, k store.BatchKey, flow *store.Flow, version *store.FlowVersion, plan *engine.Plan, now time.Time) (string, error) {
	var runID string
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		ts := tx.Tenant(k.TenantID)
		head, _, err := ts.WaitingBatchItems(ctx, k.FlowID, k.NodeID, 1)
		if err != nil || len(head) == 0 {
			return err
		}
		items, waiting, err := ts.WaitingBatchItems(ctx, k.FlowID, k.NodeID, head[0].BatchSize)
		if err != nil {
			return err
		}
		if waiting < int64(head[0].BatchSize) && head[0].DueAt.After(now) {
			return nil // neither full nor due
		}
		values := make([]json.RawMessage, len(items))
		ids := make([]string, len(items))
		for i, it := range items {
			values[i], ids[i] = json.RawMessage(it.Item), it.ID
		}
		payload, err := json.Marshal(map[string]any{"batch": map[string]any{"node": k.NodeID, "count": len(items)}})
		if err != nil {
			return err
		}
		run, _, err := s.Enqueuer.EnqueueTx(ctx, tx, runner.Start{TenantID: k.TenantID, Flow: flow, Version: version, Payload: payload, Seeded: true})
		if err != nil {
			return err
		}
		claimed, err := ts.ClaimBatchItems(ctx, ids, run.ID)
		if err != nil {
			return err
		}
		if !claimed {
			return errClaimed
		}
		output, err := json.Marshal(map[string]any{"items": values, "count": len(items)})
		if err != nil {
			return err
		}
		runID = run.ID
		return ts.InsertSteps(ctx, Seed(plan, k.NodeID, run.ID, output, store.Now()))
	})
	if errors.Is(err, errClaimed) {
		return "", nil // a concurrent flush took them; the next sweep looks again
	}
	return runID, err
}

var errClaimed = errors.New("batch items were claimed by another flush")

// Seed returns the checkpoints that make a batch run execute only the batch
// branch: the batch node succeeded on its batch port with output, and every
// other node outside that branch succeeded without output. Nodes upstream of
// the batch node take the port leading towards it; the rest take none, so
// nothing outside the branch runs.
func Seed(plan *engine.Plan, batchNode, runID string, output []byte, at time.Time) []store.RunStep {
	branch := map[string]bool{}
	for _, id := range plan.Children(batchNode, nodes.PortBatch) {
		branch[id] = true
	}
	upstream := map[string]bool{batchNode: true}
	order := plan.Order()
	for _, id := range order {
		for _, p := range plan.Parents(id) {
			if branch[p.From] {
				branch[id] = true
			}
		}
	}
	for i := len(order) - 1; i >= 0; i-- {
		if upstream[order[i]] {
			for _, p := range plan.Parents(order[i]) {
				upstream[p.From] = true
			}
		}
	}
	var steps []store.RunStep
	for _, id := range order {
		if branch[id] {
			continue
		}
		_, spec, _ := plan.Node(id)
		st := store.RunStep{RunID: runID, StepKey: id, NodeID: id, NodeType: spec.Type, Status: string(engine.StepSucceeded),
			StartedAt: at, FinishedAt: at}
		switch {
		case id == batchNode:
			st.Port, st.Output = nodes.PortBatch, output
		case upstream[id]:
			st.Port = portToward(plan, id, upstream)
		}
		steps = append(steps, st)
	}
	return steps
}

// portToward returns the port of an edge from id to a node in targets.
func portToward(plan *engine.Plan, id string, targets map[string]bool) string {
	for _, next := range plan.Order() {
		if !targets[next] {
			continue
		}
		for _, p := range plan.Parents(next) {
			if p.From == id {
				return p.Port
			}
		}
	}
	return ""
}
