package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/store"
)

// ReplayRequest asks to run a finished run again.
type ReplayRequest struct {
	From         string          // FromTrigger, FromFailedStep or FromStep
	Step         string          // node id, for FromStep (and an edited input)
	Input        json.RawMessage // replaces the input of Step (or the trigger payload)
	Version      string          // VersionOriginal (default) or VersionPublished
	ForceEffects bool            // send writes again even when the ledger has them
	DryRun       bool            // only report what would happen
	By, Note     string
	// NotBefore delays the replay's job (bulk replays are spread out).
	NotBefore time.Time
}

// ReplayPlan says exactly what a replay does.
type ReplayPlan struct {
	RunID         string   `json:"run_id,omitempty"` // the new run; empty for a dry run
	ReplayOf      string   `json:"replay_of"`
	FlowVersion   int      `json:"flow_version"`
	WillExecute   []string `json:"will_execute"`
	ReusedSteps   []string `json:"reused_steps"`
	EditedStep    string   `json:"edited_step,omitempty"`
	ForceEffects  bool     `json:"force_effects"`
	LedgerEffects []Effect `json:"effects_in_ledger"`
}

// Effect is a ledger entry as a replay plan reports it.
type Effect struct {
	StepKey   string `json:"step_key"`
	Operation string `json:"operation"`
	Key       string `json:"idempotency_key"`
	Status    string `json:"status"`
	// Repeated tells whether the replay sends this write again.
	Repeated bool `json:"repeated"`
}

// ReplayError is a replay request that cannot be carried out as asked.
type ReplayError struct {
	Field, Message string
	Conflict       bool // the run is in a state that forbids it (409 rather than 400)
}

func (e *ReplayError) Error() string { return e.Message }

// Replay creates a new run from a finished one: from its trigger, from its
// failed step or from any step, optionally with an edited input, on the
// original or the current published flow version. Steps the replay point does
// not depend on are copied as checkpoints and not executed again; writes
// already in the effect ledger are not sent again unless ForceEffects.
func (e *Enqueuer) Replay(ctx context.Context, tenantID, runID string, req ReplayRequest) (*ReplayPlan, error) {
	ts := e.Store.Tenant(tenantID)
	orig, err := ts.Run(ctx, runID)
	if err != nil {
		return nil, err
	}
	switch orig.Status {
	case store.RunSucceeded, store.RunFailed, store.RunCancelled:
	default:
		return nil, &ReplayError{Message: fmt.Sprintf("run %s is %s; only finished runs can be replayed (cancel it first)", orig.ID, orig.Status), Conflict: true}
	}
	if orig.PayloadPruned {
		return nil, &ReplayError{Message: "this run's payload was removed by the retention policy; it cannot be replayed", Conflict: true}
	}
	flow, err := ts.Flow(ctx, orig.FlowID)
	if err != nil {
		return nil, err
	}
	version, err := e.replayVersion(ctx, ts, tenantID, orig, flow, req.Version)
	if err != nil {
		return nil, err
	}
	plan, err := e.Plans.Plan(ctx, tenantID, version.ID, version.Definition)
	if err != nil {
		return nil, &ReplayError{Field: "version", Message: "the flow version does not compile: " + err.Error()}
	}
	step, err := replayStep(orig, plan, req)
	if err != nil {
		return nil, err
	}
	if len(req.Input) > 0 && !json.Valid(req.Input) {
		return nil, &ReplayError{Field: "input", Message: "input must be valid JSON"}
	}
	rerun := descendants(plan, step)
	steps, err := ts.RunSteps(ctx, orig.ID)
	if err != nil {
		return nil, err
	}
	reused := checkpoints(steps, rerun)
	effects, err := ts.EffectsOfRuns(ctx, []string{orig.ID})
	if err != nil {
		return nil, err
	}
	p := &ReplayPlan{ReplayOf: orig.ID, FlowVersion: version.Version, ForceEffects: req.ForceEffects}
	for _, id := range plan.Order() {
		if rerun[id] {
			p.WillExecute = append(p.WillExecute, id)
		}
	}
	for _, s := range reused {
		p.ReusedSteps = append(p.ReusedSteps, s.StepKey)
	}
	for _, ef := range effects {
		p.LedgerEffects = append(p.LedgerEffects, Effect{StepKey: ef.StepKey, Operation: ef.Operation, Key: ef.IdempotencyKey,
			Status: ef.Status, Repeated: req.ForceEffects && rerun[nodeOf(ef.StepKey)]})
	}
	if len(req.Input) > 0 {
		p.EditedStep = step
	}
	if req.DryRun {
		return p, nil
	}
	spec := ReplaySpec{Of: orig.ID, From: req.From, Version: req.Version, ForceEffects: req.ForceEffects, By: req.By, At: store.Now(), Note: req.Note}
	payload := []byte(orig.Payload)
	if len(req.Input) > 0 {
		if step == plan.TriggerID() {
			payload = req.Input // an edited trigger payload is the new run's payload
		} else {
			spec.Step, spec.Input = step, req.Input
		}
	}
	rawSpec, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	start := Start{TenantID: tenantID, Flow: flow, Version: version, Payload: payload, ReplayOf: orig.ID, Replay: rawSpec, Seeded: true}
	if !req.NotBefore.IsZero() {
		start.JobOpts = &river.InsertOpts{ScheduledAt: req.NotBefore}
	}
	err = e.Store.InTx(ctx, func(tx *store.Tx) error {
		run, _, err := e.EnqueueTx(ctx, tx, start)
		if err != nil {
			return err
		}
		p.RunID = run.ID
		tts := tx.Tenant(tenantID)
		copies := make([]store.RunStep, len(reused))
		for i, s := range reused {
			s.ID, s.RunID, s.Attempt = "", run.ID, 0
			copies[i] = s
		}
		if err := tts.InsertSteps(ctx, copies); err != nil {
			return err
		}
		if err := tts.MarkReplayed(ctx, orig.ID, run.ID); err != nil {
			return err
		}
		return tts.Audit(ctx, req.By, "run.replay", "run", orig.ID, map[string]any{
			"replay_run_id": run.ID, "from": req.From, "step": step, "version": version.Version,
			"edited_input": json.RawMessage(req.Input), "force_effects": req.ForceEffects, "note": req.Note,
		})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

func (e *Enqueuer) replayVersion(ctx context.Context, ts *store.Scoped, tenantID string, orig *store.Run, flow *store.Flow, which string) (*store.FlowVersion, error) {
	switch which {
	case "", VersionOriginal:
		return ts.FlowVersionByID(ctx, orig.FlowVersionID)
	case VersionPublished:
		v, err := e.PublishedVersion(ctx, tenantID, flow)
		if errors.Is(err, ErrNotPublished) {
			return nil, &ReplayError{Field: "version", Message: "the flow has no published version"}
		}
		return v, err
	}
	return nil, &ReplayError{Field: "version", Message: `version must be "original" or "published"`}
}

// replayStep resolves the node a replay starts from.
func replayStep(orig *store.Run, plan *engine.Plan, req ReplayRequest) (string, error) {
	switch req.From {
	case "", FromTrigger:
		if req.Step != "" && req.Step != plan.TriggerID() {
			return "", &ReplayError{Field: "step", Message: `step only goes with from "step"`}
		}
		return plan.TriggerID(), nil
	case FromFailedStep:
		if orig.FailedNode == "" {
			return "", &ReplayError{Field: "from", Message: "the run has no failed step; replay from the trigger or from a named step"}
		}
		if _, _, ok := plan.Node(orig.FailedNode); !ok {
			return "", &ReplayError{Field: "from", Message: fmt.Sprintf("the failed step %q does not exist in this flow version", orig.FailedNode)}
		}
		return orig.FailedNode, nil
	case FromStep:
		if _, _, ok := plan.Node(req.Step); !ok {
			return "", &ReplayError{Field: "step", Message: fmt.Sprintf("the flow version has no node %q", req.Step)}
		}
		return req.Step, nil
	}
	return "", &ReplayError{Field: "from", Message: `from must be "trigger", "failed_step" or "step"`}
}

// descendants returns step and every node downstream of it.
func descendants(plan *engine.Plan, step string) map[string]bool {
	out := map[string]bool{step: true}
	for _, id := range plan.Order() {
		for _, p := range plan.Parents(id) {
			if out[p.From] {
				out[id] = true
			}
		}
	}
	return out
}

// nodeOf strips foreach iteration suffixes from a step key.
func nodeOf(stepKey string) string {
	if i := strings.IndexByte(stepKey, '['); i >= 0 {
		return stepKey[:i]
	}
	return stepKey
}

// checkpoints returns the latest succeeded record of every step outside rerun.
func checkpoints(steps []store.RunStep, rerun map[string]bool) []store.RunStep {
	latest := map[string]store.RunStep{}
	for _, s := range steps {
		if rerun[nodeOf(s.StepKey)] {
			continue
		}
		if s.Status == string(engine.StepSucceeded) {
			latest[s.StepKey] = s
		} else {
			delete(latest, s.StepKey)
		}
	}
	out := make([]store.RunStep, 0, len(latest))
	for _, s := range latest {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FinishedAt.Before(out[j].FinishedAt) })
	return out
}
