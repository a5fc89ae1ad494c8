package server

import (
	"context"
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/nodes"
)

// testRunTimeout bounds an inline test run, which holds the HTTP request.
const testRunTimeout = 60 * time.Second

type testRunRequest struct {
	// Payload is the trigger payload; absent, the webhook trigger's sample is used.
	Payload json.RawMessage `json:"payload"`
	// Definition to try; absent, the flow's current draft.
	Definition json.RawMessage `json:"definition"`
}

type testRunResponse struct {
	Status     string              `json:"status"`
	Error      string              `json:"error,omitempty"`
	FailedNode string              `json:"failed_node,omitempty"`
	Steps      []engine.StepRecord `json:"steps"`
}

// testRun executes a draft inline against a sample payload, without the queue
// and without storing a run, and returns every step: the editor's "try it".
func (s *Server) testRun(c *fiber.Ctx) error {
	var req testRunRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ctx := c.UserContext()
	ts := s.tenantStore(c)
	def := []byte(req.Definition)
	if len(def) == 0 {
		f, err := ts.Flow(ctx, c.Params("id"))
		if err != nil {
			return err
		}
		v, err := ts.FlowVersion(ctx, f.ID, f.DraftVersion)
		if err != nil {
			return err
		}
		def = v.Definition
	} else if _, err := ts.Flow(ctx, c.Params("id")); err != nil {
		return err
	}
	plan, err := s.compileDefinition(ctx, ts.TenantID(), def)
	if err != nil {
		return err
	}
	var payload any
	if len(req.Payload) > 0 {
		if payload, err = engine.DecodeJSON(req.Payload); err != nil {
			return badRequest("payload: %v", err)
		}
	} else if w, ok := nodes.TriggerOf[*nodes.Webhook](plan); ok {
		payload = w.Sample()
	}
	runCtx, cancel := context.WithTimeout(ctx, testRunTimeout)
	defer cancel()
	key, _ := plan.BusinessKey(payload)
	state := &engine.MemoryState{}
	var exec engine.Executor
	res, err := exec.Execute(runCtx, plan, engine.RunInput{RunID: "test-run", Trigger: payload, BusinessKey: key, State: state, Attempt: 1})
	if err != nil {
		return err
	}
	out := testRunResponse{Status: string(res.Status), FailedNode: res.FailedNode, Steps: state.Steps()}
	if res.Err != nil {
		out.Error = res.Err.Error()
	}
	return c.JSON(out)
}
