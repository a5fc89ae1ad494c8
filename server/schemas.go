package server

import (
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/schema"
	"github.com/bridgework/bridgework/store"
)

// inferSchema infers a schema from samples, or from the trigger payloads of
// a flow's recent runs.
func (s *Server) inferSchema(c *fiber.Ctx) error {
	var body struct {
		Samples []any  `json:"samples"`
		FlowID  string `json:"flow_id"`
		Limit   int    `json:"limit"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	samples := body.Samples
	switch {
	case len(samples) > 0 && body.FlowID != "":
		return badRequest("give samples or flow_id, not both")
	case body.FlowID != "":
		ts := s.tenantStore(c)
		if _, err := ts.Flow(c.UserContext(), body.FlowID); err != nil {
			return err
		}
		limit := body.Limit
		if limit <= 0 || limit > 1000 {
			limit = 200
		}
		runs, err := ts.RunHistory(c.UserContext(), body.FlowID, time.Time{}, store.Now().Add(time.Second), limit)
		if err != nil {
			return err
		}
		for _, r := range runs {
			var v any
			if len(r.Payload) > 0 && json.Unmarshal(r.Payload, &v) == nil && v != nil {
				samples = append(samples, v)
			}
		}
		if len(samples) == 0 {
			return badRequest("flow %s has no runs with payloads to infer from", body.FlowID)
		}
	case len(samples) == 0:
		return badRequest("samples (at least one document) or flow_id is required")
	}
	return c.JSON(fiber.Map{"schema": schema.Infer(samples), "samples": len(samples)})
}

// createSchema stores an accepted schema, optionally bound to a flow.
func (s *Server) createSchema(c *fiber.Ctx) error {
	var body struct {
		Name   string          `json:"name"`
		FlowID *string         `json:"flow_id"`
		Mode   string          `json:"mode"`
		Schema json.RawMessage `json:"schema"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if body.Name == "" || len(body.Schema) == 0 {
		return badRequest("name and schema are required")
	}
	if body.Mode == "" {
		body.Mode = string(schema.ModeWarn)
	}
	if _, err := schema.ParseMode(body.Mode); err != nil {
		return badRequest("mode must be warn or fail")
	}
	if _, err := schema.Parse(body.Schema); err != nil {
		return badRequest("schema: %v", err)
	}
	ts := s.tenantStore(c)
	if body.FlowID != nil {
		if _, err := ts.Flow(c.UserContext(), *body.FlowID); err != nil {
			return err
		}
	}
	d := &store.DataSchema{Name: body.Name, FlowID: body.FlowID, Mode: body.Mode, Document: store.JSON(body.Schema)}
	if err := ts.CreateDataSchema(c.UserContext(), d); err != nil {
		return conflictAs(err, "a schema named %q already exists", body.Name)
	}
	return c.Status(fiber.StatusCreated).JSON(d)
}

func (s *Server) listSchemas(c *fiber.Ctx) error {
	out, err := s.tenantStore(c).DataSchemas(c.UserContext())
	if err != nil {
		return err
	}
	if out == nil {
		out = []store.DataSchema{}
	}
	return c.JSON(fiber.Map{"schemas": out})
}

func (s *Server) getSchema(c *fiber.Ctx) error {
	d, err := s.tenantStore(c).DataSchema(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(d)
}

// validateWithSchema checks one document (or several) against a stored
// schema.
func (s *Server) validateWithSchema(c *fiber.Ctx) error {
	d, err := s.tenantStore(c).DataSchema(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	var body struct {
		Document  any   `json:"document"`
		Documents []any `json:"documents"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	docs := body.Documents
	if body.Document != nil {
		docs = append([]any{body.Document}, docs...)
	}
	if len(docs) == 0 {
		return badRequest("document or documents is required")
	}
	sc, err := schema.Parse(d.Document)
	if err != nil {
		return err
	}
	type result struct {
		Valid      bool               `json:"valid"`
		Violations []schema.Violation `json:"violations"`
	}
	out := make([]result, len(docs))
	valid := true
	for i, doc := range docs {
		vs := schema.Validate(sc, doc)
		if vs == nil {
			vs = []schema.Violation{}
		}
		out[i] = result{Valid: len(vs) == 0, Violations: vs}
		valid = valid && out[i].Valid
	}
	return c.JSON(fiber.Map{"valid": valid, "results": out})
}
