package server

import (
	"encoding/json"
	"errors"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/mapping"
	"github.com/bridgework/bridgework/schema"
	"github.com/bridgework/bridgework/store"
)

// corpusLimit bounds the accepted pairs loaded per suggestion.
const corpusLimit = 5000

type mappingTarget struct {
	Connector *struct {
		Type      string `json:"type"`
		Operation string `json:"operation"`
	} `json:"connector"`
	Schema  json.RawMessage `json:"schema"`
	Samples []any           `json:"samples"`
}

// mappingRequest reads the source samples and the target of a suggest or
// program request.
func (s *Server) mappingRequest(samples []any, t mappingTarget) (mapping.Request, error) {
	req := mapping.Request{SourceSamples: samples}
	switch {
	case t.Connector != nil && (len(t.Schema) > 0 || len(t.Samples) > 0), len(t.Schema) > 0 && len(t.Samples) > 0:
		return req, badRequest("target: give exactly one of connector, schema or samples")
	case t.Connector != nil:
		op, ok := s.Connections.Registry.Operation(t.Connector.Type, t.Connector.Operation)
		if !ok {
			return req, badRequest("target.connector: %s has no operation %q", t.Connector.Type, t.Connector.Operation)
		}
		sc, err := schema.Parse(op.InputSchema)
		if err != nil {
			return req, err
		}
		req.Target.Schema, req.TargetRef = sc, t.Connector.Type+"/"+t.Connector.Operation
	case len(t.Schema) > 0:
		sc, err := schema.Parse(t.Schema)
		if err != nil {
			return req, badRequest("target.schema: %v", err)
		}
		req.Target.Schema, req.TargetRef = sc, "schema"
	default:
		req.Target.Samples, req.TargetRef = t.Samples, "samples"
	}
	return req, nil
}

// mappingAnswer runs the program over the samples, validates each output
// against the target and answers with both; more holds the route's own fields.
func mappingAnswer(c *fiber.Ctx, req mapping.Request, res mapping.Result, more fiber.Map) error {
	preview, err := mapping.Preview(c.UserContext(), res.JQ, req.SourceSamples)
	if err != nil {
		// The samples decide whether the program runs (a key holding text
		// in one sample and an object in another), so the caller can fix it.
		msg := strings.TrimPrefix(strings.TrimPrefix(err.Error(), "mapping: preview: "), "mapping: preview of ")
		return badRequest("the mapping program fails on the source samples: %s", msg)
	}
	violations := make([][]schema.Violation, len(preview))
	for i, doc := range preview {
		violations[i] = schema.Validate(res.TargetSchema, doc)
		if violations[i] == nil {
			violations[i] = []schema.Violation{}
		}
	}
	answer := fiber.Map{"target_ref": req.TargetRef, "unmapped_required": res.UnmappedRequired,
		"jq": res.JQ, "preview": preview, "violations": violations}
	for k, v := range more {
		answer[k] = v
	}
	return c.JSON(answer)
}

// suggestMapping proposes target ← source correspondences, a jq program and
// its output on the samples.
func (s *Server) suggestMapping(c *fiber.Ctx) error {
	var body struct {
		SourceSamples []any         `json:"source_samples"`
		Target        mappingTarget `json:"target"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	req, err := s.mappingRequest(body.SourceSamples, body.Target)
	if err != nil {
		return err
	}
	pairs, err := s.tenantStore(c).MappingPairs(c.UserContext(), corpusLimit)
	if err != nil {
		return err
	}
	corpus := &mapping.MemoryCorpus{}
	for _, p := range pairs {
		corpus.Accept(mapping.Accepted{TargetRef: p.TargetRef, Source: p.SourcePath, Target: p.TargetPath, Count: p.Count})
	}
	req.Corpus = corpus
	res, err := mapping.Suggest(req)
	if errors.Is(err, mapping.ErrBadRequest) {
		return mappingBadRequest(err)
	}
	if err != nil {
		return err
	}
	if s.Reranker != nil {
		if out, err := mapping.Rerank(c.UserContext(), res, s.Reranker); err == nil {
			res = out
		} else {
			s.Logger.Warn("mapping rerank failed; keeping the deterministic order", slog.Any("err", err))
		}
	}
	return mappingAnswer(c, req, res, fiber.Map{"suggestions": res.Suggestions})
}

// mappingProgram builds the jq program of chosen pairs only (the
// suggestions a user accepted, or alternatives they picked) and its output
// on the samples.
func (s *Server) mappingProgram(c *fiber.Ctx) error {
	var body struct {
		SourceSamples []any          `json:"source_samples"`
		Target        mappingTarget  `json:"target"`
		Pairs         []mapping.Pair `json:"pairs"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	req, err := s.mappingRequest(body.SourceSamples, body.Target)
	if err != nil {
		return err
	}
	for i, p := range body.Pairs {
		if p.Source == "" || p.Target == "" {
			return badRequest("pairs[%d]: source and target are required", i)
		}
	}
	res, err := mapping.Generate(req, body.Pairs)
	if errors.Is(err, mapping.ErrBadRequest) {
		return mappingBadRequest(err)
	}
	if err != nil {
		return err
	}
	return mappingAnswer(c, req, res, nil)
}

// mappingBadRequest answers a request the mapping package could not take,
// with its reason alone.
func mappingBadRequest(err error) error {
	return badRequest("%s", strings.TrimPrefix(err.Error(), mapping.ErrBadRequest.Error()+": "))
}

// acceptMapping records accepted pairs in the tenant's corpus.
func (s *Server) acceptMapping(c *fiber.Ctx) error {
	var body struct {
		TargetRef string `json:"target_ref"`
		Pairs     []struct {
			Source string `json:"source"`
			Target string `json:"target"`
		} `json:"pairs"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if body.TargetRef == "" || len(body.Pairs) == 0 {
		return badRequest("target_ref and at least one pair are required")
	}
	pairs := make([]store.MappingPair, len(body.Pairs))
	for i, p := range body.Pairs {
		if p.Source == "" || p.Target == "" {
			return badRequest("pairs[%d]: source and target are required", i)
		}
		pairs[i] = store.MappingPair{TargetRef: body.TargetRef, SourcePath: p.Source, TargetPath: p.Target}
	}
	if err := s.tenantStore(c).AcceptMappings(c.UserContext(), pairs); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"accepted": len(pairs)})
}
