package server

import (
	"encoding/json"
	"errors"
	"log/slog"

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
	req := mapping.Request{SourceSamples: body.SourceSamples}
	t := body.Target
	switch {
	case t.Connector != nil && (len(t.Schema) > 0 || len(t.Samples) > 0), len(t.Schema) > 0 && len(t.Samples) > 0:
		return badRequest("target: give exactly one of connector, schema or samples")
	case t.Connector != nil:
		op, ok := s.Connections.Registry.Operation(t.Connector.Type, t.Connector.Operation)
		if !ok {
			return badRequest("target.connector: %s has no operation %q", t.Connector.Type, t.Connector.Operation)
		}
		sc, err := schema.Parse(op.InputSchema)
		if err != nil {
			return err
		}
		req.Target.Schema, req.TargetRef = sc, t.Connector.Type+"/"+t.Connector.Operation
	case len(t.Schema) > 0:
		sc, err := schema.Parse(t.Schema)
		if err != nil {
			return badRequest("target.schema: %v", err)
		}
		req.Target.Schema, req.TargetRef = sc, "schema"
	default:
		req.Target.Samples, req.TargetRef = t.Samples, "samples"
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
		return badRequest("%s", err.Error())
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
	preview, err := mapping.Preview(c.UserContext(), res.JQ, req.SourceSamples)
	if err != nil {
		return err
	}
	violations := make([][]schema.Violation, len(preview))
	for i, doc := range preview {
		violations[i] = schema.Validate(res.TargetSchema, doc)
		if violations[i] == nil {
			violations[i] = []schema.Violation{}
		}
	}
	return c.JSON(fiber.Map{"target_ref": req.TargetRef, "suggestions": res.Suggestions, "unmapped_required": res.UnmappedRequired,
		"jq": res.JQ, "preview": preview, "violations": violations})
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
