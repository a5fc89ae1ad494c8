package server

import (
	"context"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/engine"
)

const (
	// previewMaxBytes caps the body of an expression preview: source plus
	// sample data.
	previewMaxBytes = 32 << 10
	// previewTimeout bounds one preview evaluation.
	previewTimeout = time.Second
)

// PreviewRequest is the body of POST /api/v1/expressions/preview.
type PreviewRequest struct {
	// Language is "jq" or "expr".
	Language string `json:"language"`
	// Source is the program or expression.
	Source string `json:"source"`
	// Input is the node's input (jq's ".", expr's "input").
	Input any `json:"input"`
	// Trigger is the trigger payload ($trigger, trigger).
	Trigger any `json:"trigger"`
	// Nodes maps node ids to sample outputs ($nodes, nodes).
	Nodes map[string]any `json:"nodes"`
}

// previewExpression evaluates a jq program or expr expression over sample
// data. Compile and run errors are answered with 200 and {"error": ...};
// only a malformed request is an HTTP error.
func (s *Server) previewExpression(c *fiber.Ctx) error {
	if len(c.Body()) > previewMaxBytes {
		return apiError(fiber.StatusRequestEntityTooLarge, "too_large", "the preview request is larger than 32 KiB: trim the sample data")
	}
	var req PreviewRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Language != "jq" && req.Language != "expr" {
		return badRequest("language must be \"jq\" or \"expr\", got %q", req.Language)
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), previewTimeout)
	defer cancel()
	result, err := evaluatePreview(ctx, req)
	if err != nil {
		return c.JSON(fiber.Map{"error": err.Error()})
	}
	return c.JSON(fiber.Map{"result": result})
}

// evaluatePreview compiles and runs the request's source within ctx.
func evaluatePreview(ctx context.Context, req PreviewRequest) (any, error) {
	in := &engine.Input{Value: req.Input, Trigger: req.Trigger, Nodes: req.Nodes}
	if in.Nodes == nil {
		in.Nodes = map[string]any{}
	}
	if req.Language == "jq" {
		q, err := engine.CompileJQ(req.Source)
		if err != nil {
			return nil, err
		}
		return q.One(ctx, req.Input, in)
	}
	e, err := engine.CompileExpr(req.Source, false)
	if err != nil {
		return nil, err
	}
	// expr has no context: evaluate aside and stop waiting at the deadline.
	type outcome struct {
		v   any
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		v, err := e.Eval(in)
		done <- outcome{v, err}
	}()
	select {
	case o := <-done:
		return o.v, o.err
	case <-ctx.Done():
		return nil, errors.New("expr: evaluation took longer than 1s")
	}
}
